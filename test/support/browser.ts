/**
 * A minimal browser for end-to-end tests over real HTTP: it keeps cookies (host-scoped like a browser, ports
 * ignored, paths respected), follows redirects one by one, and submits the first form of a page with its hidden fields.
 */

/** One HTTP answer the browser saw. */
export interface Page {
  readonly url: string;
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

interface StoredCookie {
  readonly name: string;
  readonly value: string;
  readonly host: string;
  readonly path: string;
}

export class Browser {
  private cookies: StoredCookie[] = [];
  /** Every URL requested, in order. */
  readonly visited: string[] = [];

  constructor(private readonly acceptLanguage?: string) {}

  /** Requests a URL once (no redirect following). */
  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Page> {
    const target = new URL(url);
    this.visited.push(url);
    const headers: Record<string, string> = {};
    const cookie = this.cookieHeader(target);
    if (cookie) headers.cookie = cookie;
    if (this.acceptLanguage) headers['accept-language'] = this.acceptLanguage;
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const response = await fetch(target, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) this.store(target, line);
    return { url, status: response.status, headers: response.headers, body: await response.text() };
  }

  /** Requests a URL and follows redirects until a page that is not a redirect, or one whose URL `stop` accepts. */
  async open(url: string, options: { form?: Record<string, string>; stop?: (url: string) => boolean } = {}): Promise<Page> {
    let page = await this.request(url, { form: options.form });
    for (let hops = 0; page.status >= 300 && page.status < 400; hops++) {
      if (hops > 20) throw new Error('too many redirects');
      const location = page.headers.get('location');
      if (!location) throw new Error(`redirect without location from ${page.url}`);
      const next = new URL(location, page.url).toString();
      if (options.stop?.(next)) return { ...page, url: next };
      page = await this.request(next);
    }
    return page;
  }

  /** Fills and posts the first form of a page (with its hidden fields, as a browser does), then follows the redirects. */
  submitForm(page: Page, fields: Record<string, string>, options: { stop?: (url: string) => boolean } = {}): Promise<Page> {
    const form = /<form[^>]*\baction="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(page.body);
    if (!form) throw new Error(`no form on ${page.url}: ${page.body.slice(0, 300)}`);
    const hidden: Record<string, string> = {};
    for (const input of form[2]!.matchAll(/<input[^>]*\btype="hidden"[^>]*>/g)) {
      const name = /\bname="([^"]*)"/.exec(input[0])?.[1];
      const value = /\bvalue="([^"]*)"/.exec(input[0])?.[1] ?? '';
      if (name) hidden[unescape(name)] = unescape(value);
    }
    return this.open(new URL(unescape(form[1]!), page.url).toString(), { ...options, form: { ...hidden, ...fields } });
  }

  /**
   * Opens a sign-in link of a link card: the bot's confirmation page (whom the link is for), then its Continue, up to
   * the identity provider's login form. A page that is not the confirmation (a refused link) is returned as it is.
   */
  async openSignIn(link: string): Promise<Page> {
    const confirmation = await this.open(link);
    if (confirmation.status !== 200 || !confirmation.body.includes('action="/signin/continue"')) return confirmation;
    return this.submitForm(confirmation, {});
  }

  /** Whether the browser holds a cookie of this name. */
  hasCookie(name: string): boolean {
    return this.cookies.some((c) => c.name === name);
  }

  private cookieHeader(url: URL): string {
    return this.cookies
      .filter((c) => c.host === url.hostname && (url.pathname === c.path.replace(/\/$/, '') || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`)))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  private store(url: URL, line: string): void {
    const [pair = '', ...attributes] = line.split(';').map((p) => p.trim());
    const at = pair.indexOf('=');
    const name = pair.slice(0, at);
    const value = pair.slice(at + 1);
    let path = url.pathname.replace(/\/[^/]*$/, '') || '/';
    let expired = value === '';
    for (const attribute of attributes) {
      const [key = '', val = ''] = attribute.split('=');
      if (key.toLowerCase() === 'path') path = val;
      if (key.toLowerCase() === 'max-age' && Number(val) <= 0) expired = true;
      if (key.toLowerCase() === 'expires' && Date.parse(val) <= Date.now()) expired = true;
    }
    this.cookies = this.cookies.filter((c) => !(c.name === name && c.host === url.hostname && c.path === path));
    if (!expired) this.cookies.push({ name, value, host: url.hostname, path });
  }
}

/** Reads the HTML escapes the pages write into attribute values. */
function unescape(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!);
}
