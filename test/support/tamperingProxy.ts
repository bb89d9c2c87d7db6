import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Changes the JSON body of a token endpoint answer; undefined leaves it as it is. */
export type TokenTamper = (body: Record<string, unknown>) => Record<string, unknown> | undefined;

/**
 * An HTTP proxy in front of the development identity provider, standing for an attacker or a broken provider on the
 * path: it forwards everything (pointing the provider's own URLs at itself), and can rewrite the token endpoint's
 * answer (the ID token).
 * Start it first, then start the provider with its issuer set to `url` and `target` set to where it listens.
 */
export class TamperingProxy {
  target?: string;
  tamper: TokenTamper = () => undefined;
  private server?: http.Server;

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('proxy not started');
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      this.forward(req, res).catch(() => {
        if (!res.headersSent) res.statusCode = 502;
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async forward(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!this.target) throw new Error('no target');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string' && !['connection', 'content-length', 'transfer-encoding'].includes(name)) headers[name] = value;
    }
    const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
    const response = await fetch(`${this.target}${req.url ?? '/'}`, { method: req.method, headers, body, redirect: 'manual' });
    let text = Buffer.from(await response.arrayBuffer());
    // The provider names its endpoints after the host it was asked on: make them point at the proxy.
    if (/json|html/.test(response.headers.get('content-type') ?? '')) {
      text = Buffer.from(text.toString('utf8').replaceAll(this.target, this.url));
    }
    if (req.url?.startsWith('/token') && response.headers.get('content-type')?.includes('json')) {
      const changed = this.tamper(JSON.parse(text.toString('utf8')) as Record<string, unknown>);
      if (changed) text = Buffer.from(JSON.stringify(changed));
    }
    res.statusCode = response.status;
    response.headers.forEach((value, name) => {
      if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'set-cookie'].includes(name)) res.setHeader(name, value);
    });
    const location = response.headers.get('location');
    if (location) res.setHeader('location', location.replaceAll(this.target, this.url));
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) res.setHeader('set-cookie', cookies);
    res.setHeader('content-length', String(text.length));
    res.end(text);
  }
}
