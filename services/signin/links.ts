import type { Locale } from '../../locales/locale.js';
import type { AccountKind } from '../../rules/index.js';

/** Who asks to sign in, for which account, and where to answer once the sign-in is done. */
export interface SignInRequest {
  readonly personId: string;
  readonly tenantId: string;
  readonly kind: AccountKind;
  readonly accountId: string;
  /** The botbuilder ConversationReference of the chat to answer in. */
  readonly conversation: Readonly<Record<string, unknown>>;
  readonly locale: Locale;
  /** The person's IANA time zone, for the dates on the sign-in page and the outcome card (default UTC). */
  readonly timeZone?: string;
}

/** Makes the deep link that starts sign-in for one person and one account. */
export interface SignInLinks {
  createLink(request: SignInRequest): Promise<string>;
}
