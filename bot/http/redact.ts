/** The path of a URL without its query string or fragment: tickets and signatures travel there and must not be logged. */
export function redactUrl(url: string | undefined): string {
  if (url === undefined) return '';
  const cut = url.search(/[?#]/);
  const path = (cut < 0 ? url : url.slice(0, cut)).slice(0, 512);
  return cut < 0 ? path : `${path}?[redacted]`;
}

/** A message that may quote a URL (restify's "… does not exist"), with every query string cut out. */
export function redactText(text: string): string {
  return text.slice(0, 1000).replace(/\?[^\s"']*/g, '?[redacted]');
}
