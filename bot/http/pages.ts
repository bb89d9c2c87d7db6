/**
 * The small server-rendered pages of the sign-in flow (and the bot's other error pages), and the HTTP helpers they
 * share: pages are written with the `html` tag, which escapes every interpolated value unless it is itself `html`;
 * pages carry a strict Content-Security-Policy and load nothing from elsewhere. Cookies go through `cookie`, the
 * browser's languages through `negotiator` (Accept-Language with q-values).
 */
import { parse as parseCookies } from 'cookie';
import Negotiator from 'negotiator';
import type http from 'node:http';
import type { Locale } from '../../locales/locale.js';
import { matchSupportedLocale } from '../../locales/resolveLocale.js';

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI","Microsoft YaHei",sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#242424}
h1{font-size:1.4rem}.dev{background:#fff4ce;border:1px solid #c19c00;padding:.75rem;border-radius:4px}.error{color:#a4262c}
label{display:block;margin-top:1rem}input{width:100%;padding:.4rem;font-size:1rem;box-sizing:border-box}button{margin-top:1rem;padding:.5rem 1.25rem;font-size:1rem}`;

/** Markup that is safe to insert as it is: only the `html` tag makes it. */
export class SafeHtml {
  /** Use the `html` tag; the constructor is for it alone. */
  constructor(readonly markup: string) {}

  toString(): string {
    return this.markup;
  }
}

/** What a page template may interpolate: text and numbers (escaped), markup made by `html`, lists of those. */
export type HtmlValue = string | number | SafeHtml | undefined | readonly HtmlValue[];

/**
 * The page template tag: html`<p>${text}</p>` escapes `text` for element content and quoted attribute values;
 * markup from another html`…` goes in as it is, a list one item per line, `undefined` as nothing.
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

function render(value: HtmlValue): string {
  if (value === undefined) return '';
  if (value instanceof SafeHtml) return value.markup;
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join('\n');
  return escapeHtml(String(value));
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A complete minimal page. */
export function htmlPage(locale: Locale, title: string, body: SafeHtml): string {
  return html`<!DOCTYPE html>
<html lang="${locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer">
<title>${title}</title><style>${new SafeHtml(STYLE)}</style></head>
<body><h1>${title}</h1>
${body}
</body></html>`.markup;
}

/** Paragraphs of plain text. */
export function paragraphs(texts: readonly string[]): SafeHtml {
  return html`${texts.map((text) => html`<p>${text}</p>`)}`;
}

/** The first supported language among the browser's (Accept-Language, by q-value), or undefined. */
export function browserLocale(req: http.IncomingMessage): Locale | undefined {
  const header = req.headers['accept-language'];
  if (typeof header !== 'string') return undefined;
  // Bounded: the header comes from outside, and a handful of languages is all a person lists.
  const languages = new Negotiator({ headers: { 'accept-language': header.slice(0, 200) } }).languages();
  for (const tag of languages) {
    const locale = matchSupportedLocale(tag);
    if (locale) return locale;
  }
  return undefined;
}

/**
 * Writes a page with security headers. `formOrigins`: where a form on the page may post and redirect (none when
 * empty). Never chains `writeHead(...).end()`: restify patches `ServerResponse` process-wide.
 */
export function sendHtml(
  res: http.ServerResponse,
  status: number,
  html: string,
  formOrigins: readonly string[] = [],
  headers: Record<string, string | string[]> = {},
): void {
  const formAction = formOrigins.length > 0 ? `'self' ${formOrigins.join(' ')}` : "'none'";
  res.statusCode = status;
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.setHeader('content-security-policy', `default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action ${formAction}; frame-ancestors 'none'`);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('cache-control', 'no-store');
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.end(html);
}

/** Writes a 303 redirect with the given extra headers (cookies). */
export function sendRedirect(res: http.ServerResponse, location: string, headers: Record<string, string | string[]> = {}): void {
  res.statusCode = 303;
  res.setHeader('location', location);
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('cache-control', 'no-store');
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.end();
}

/**
 * Reads an `application/x-www-form-urlencoded` body of at most `limit` bytes into fields; undefined when the body is
 * too large, of another type, or repeats a field.
 */
export async function readFormBody(req: http.IncomingMessage, limit: number): Promise<Record<string, string> | undefined> {
  if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '')) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return singleValues(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}

/** The parameters as an object, or undefined when one is repeated (ambiguous input is refused, not guessed). */
export function singleValues(params: URLSearchParams): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [name, value] of params) {
    if (Object.hasOwn(out, name)) return undefined;
    out[name] = value;
  }
  return out;
}

/** The value of one cookie in a request, or undefined (a value that is not valid percent-encoding as it is). */
export function readCookie(req: http.IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  return parseCookies(header)[name];
}
