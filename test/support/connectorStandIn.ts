import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the bot made to the connector. */
export interface ConnectorCall {
  readonly method: string;
  readonly conversationId: string;
  readonly replyToId?: string;
  readonly activity: Record<string, unknown>;
  readonly authorization?: string;
  readonly at: number;
}

/** Decides the HTTP answer to a call; return undefined for the normal 200. */
export type FaultPlan = (call: ConnectorCall) => { status: number; headers?: Record<string, string> } | undefined;

/**
 * A local stand-in for the Bot Connector service: it accepts what a bot posts as the Bot Framework
 * REST protocol defines it (v3 conversations API) and records every activity.
 */
export class ConnectorStandIn {
  readonly calls: ConnectorCall[] = [];
  /** Errors inside the stand-in itself; a test that sees any is broken, not the bot. */
  readonly errors: unknown[] = [];
  private server?: http.Server;
  private waiters: Array<{ count: number; resolve: () => void }> = [];
  private nextId = 1;

  constructor(private faults: FaultPlan = () => undefined) {}

  /** The serviceUrl a bot should reply to. */
  get serviceUrl(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('connector stand-in is not started');
    return `http://127.0.0.1:${address.port}/`;
  }

  /** Replaces the fault plan (e.g. to make some sends fail). */
  setFaults(faults: FaultPlan): void {
    this.faults = faults;
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        this.errors.push(error);
        if (!res.headersSent) reply(res, 500, { error: { code: 'StandInError' } });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Activities posted (sent or replied) to one conversation, in order. */
  activitiesIn(conversationId: string): Record<string, unknown>[] {
    return this.calls.filter((c) => c.conversationId === conversationId && c.method === 'POST').map((c) => c.activity);
  }

  /** Resolves once at least `count` successful calls were recorded, or rejects after `ms`. */
  waitForCalls(count: number, ms = 5000): Promise<void> {
    if (this.calls.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`expected ${count} connector calls, got ${this.calls.length}`)), ms);
      this.waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? '');
    if (!match || (req.method !== 'POST' && req.method !== 'PUT')) {
      reply(res, 404, { error: { code: 'NotFound' } });
      return;
    }
    let activity: Record<string, unknown>;
    try {
      activity = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    } catch {
      reply(res, 400, { error: { code: 'BadJson' } });
      return;
    }
    const call: ConnectorCall = {
      method: req.method,
      conversationId: decodeURIComponent(match[1]!),
      replyToId: match[2] ? decodeURIComponent(match[2]) : undefined,
      activity,
      authorization: req.headers.authorization,
      at: Date.now(),
    };
    const fault = this.faults(call);
    if (fault) {
      reply(res, fault.status, { error: { code: 'StandInFault', message: `status ${fault.status}` } }, fault.headers);
      return;
    }
    this.calls.push(call);
    const id = req.method === 'PUT' ? call.replyToId : `activity-${this.nextId++}`;
    reply(res, 200, { id });
    this.waiters = this.waiters.filter((w) => (this.calls.length >= w.count ? (w.resolve(), false) : true));
  }
}

/** Writes a JSON answer without chaining: restify, once loaded, patches `writeHead` so it no longer returns `this`. */
function reply(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.end(JSON.stringify(body));
}
