/**
 * Reading a request body at the edge, in memory only. restify's full body parser is not used anywhere: it inflates
 * gzip with a stream that has no error listener (one bad byte kills the process), counts its limit on compressed
 * bytes (a gzip bomb) and hands multipart bodies to formidable, which writes them to the temp folder before any
 * handler runs. Here a body is accepted only in the route's media types, in identity encoding, and the limit is
 * counted on the bytes actually read: reading stops the moment it is passed.
 */
import type http from 'node:http';

/** How long a client may take to send a whole body (a slow body holds a connection and its buffer). */
const BODY_TIMEOUT_MS = 10_000;

/** What a route accepts. */
export interface BodyRules {
  /** Largest body in bytes, counted on what arrives. */
  readonly limit: number;
  /** Accepted media types (the part of Content-Type before any `;`), lower case. */
  readonly types: readonly string[];
  /** Time allowed for the whole body (default BODY_TIMEOUT_MS). */
  readonly timeoutMs?: number;
}

/** A body read whole, or the status and fixed message to refuse it with. */
export type BodyOutcome =
  | { readonly ok: true; readonly body: Buffer; readonly type: string }
  | { readonly ok: false; readonly status: 408 | 411 | 413 | 415 | 400; readonly error: string };

/** The media type of a request, lower case, without parameters ('' when absent). */
function mediaType(req: http.IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * Checks the headers, then reads the body into memory up to `rules.limit`. On refusal the caller answers with the
 * outcome's status; a body that is refused part-way is not read further (the connection is closed after the answer).
 */
export function readBody(req: http.IncomingMessage, res: http.ServerResponse, rules: BodyRules): Promise<BodyOutcome> {
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
    return refuse(req, res, 415, 'Content-Encoding is not accepted: send the body uncompressed');
  }
  const type = mediaType(req);
  if (!rules.types.includes(type)) return refuse(req, res, 415, `Content-Type must be ${rules.types.join(' or ')}`);
  const declared = req.headers['content-length'];
  if (declared !== undefined && (!/^\d{1,15}$/.test(declared) || Number(declared) > rules.limit)) {
    return refuse(req, res, 413, `the body is larger than ${rules.limit} bytes`);
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (outcome: BodyOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      if (!outcome.ok) stopReading(req, res);
      resolve(outcome);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > rules.limit) return finish({ ok: false, status: 413, error: `the body is larger than ${rules.limit} bytes` });
      chunks.push(chunk);
    };
    const onEnd = (): void => finish({ ok: true, body: Buffer.concat(chunks, size), type });
    const timer = setTimeout(() => finish({ ok: false, status: 408, error: 'the body took too long to arrive' }), rules.timeoutMs ?? BODY_TIMEOUT_MS);
    timer.unref();
    req.on('data', onData);
    req.on('end', onEnd);
    // A client that goes away mid-body: nothing to answer, but the promise must settle.
    req.on('error', () => finish({ ok: false, status: 400, error: 'the body could not be read' }));
    req.on('aborted', () => finish({ ok: false, status: 400, error: 'the body could not be read' }));
  });
}

/** Parses a JSON body read by `readBody`; undefined when it is not UTF-8 JSON. */
export function parseJson(body: Buffer): unknown {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function refuse(req: http.IncomingMessage, res: http.ServerResponse, status: 411 | 413 | 415, error: string): Promise<BodyOutcome> {
  stopReading(req, res);
  return Promise.resolve({ ok: false, status, error });
}

/** What a refused body may still send, discarded, while its answer goes out (see stopReading). */
const DRAIN_BYTES = 1024 * 1024;
const DRAIN_MS = 1_000;

/**
 * Nothing more of a refused body is kept: the answer goes out, and the rest of the body is discarded for at most DRAIN_BYTES or DRAIN_MS before the connection is cut. Cutting at once would make the
 * client's system reset the connection and drop our answer unread; draining without a bound would let a sender
 * stream into the bot for ever.
 */
function stopReading(req: http.IncomingMessage, res: http.ServerResponse): void {
  const socket = req.socket;
  // No `Connection: close`: Node would then close the socket as soon as the answer is written, and the client,
  // still sending, would get a reset instead of the answer. The connection is cut below instead.
  let drained = 0;
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_BYTES) socket.destroy();
  });
  req.on('error', () => undefined);
  req.resume();
  const cut = (): void => void setTimeout(() => socket.destroy(), DRAIN_MS).unref();
  if (res.writableFinished) cut();
  else res.once('finish', cut);
  // A client that never reads its answer still loses the connection.
  setTimeout(() => socket.destroy(), 5_000).unref();
}
