import type { SignInLinks, SignInRequest } from '../../services/signin/links.js';

/** A test double of the sign-in links: a predictable URL per person, and every request it was asked for. */
export function testSignInLinks(): SignInLinks & { readonly requests: SignInRequest[] } {
  const requests: SignInRequest[] = [];
  return {
    requests,
    async createLink(request) {
      requests.push(request);
      return `https://bot.example/signin/start?ticket=test-${encodeURIComponent(request.personId)}`;
    },
  };
}
