/**
 * The small server-rendered pages of the sign-in flow, and the HTTP helpers they share: everything interpolated
 * is escaped, pages carry a strict Content-Security-Policy and load nothing from elsewhere.
 */
import type http from 'node:http';
import type { Locale } from '../locales/locale.js';

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI","Microsoft YaHei",sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#242424}
h1{font-size:1.4rem}.dev{background:#fff4ce;border:1px solid #c19c00;padding:.75rem;border-radius:4px}.error{color:#a4262c}
label{display:block;margin-top:1rem}input{width:100%;padding:.4rem;font-size:1rem;box-sizing:border-box}button{margin-top:1rem;padding:.5rem 1.25rem;font-size:1rem}`;

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A complete minimal page; `bodyHtml` must already be escaped. */
export function htmlPage(locale: Locale, title: string, bodyHtml: string): string {
  return `<!DOCTYPE html>
<html lang="${escapeHtml(locale)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(title)}</h1>
${bodyHtml}
</body></html>`;
}

/** Paragraphs of plain text, escaped. */
export function paragraphs(texts: readonly string[]): string {
  return texts.map((text) => `<p>${escapeHtml(text)}</p>`).join('\n');
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

/** The value of one cookie in a request, or undefined. */
export function readCookie(req: http.IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}
