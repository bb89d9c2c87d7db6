import http from 'node:http';

/** A raw HTTP answer (status 0: the connection closed without one). */
export interface RawAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** One raw request: the target is sent as given, the body in the pieces given (chunked when no length is set). */
export interface RawRequest {
  readonly method?: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /** Body pieces written one by one, `pauseMs` apart (a slow or chunked body). */
  readonly pieces?: readonly (string | Buffer)[];
  readonly pauseMs?: number;
}

/** Sends a request over a fresh connection and resolves with the answer, or status 0 if the connection was cut. */
export function rawRequest(baseUrl: string, request: RawRequest): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve) => {
    let settled = false;
    const done = (answer: RawAnswer): void => {
      if (!settled) {
        settled = true;
        resolve(answer);
      }
    };
    const headers = { ...request.headers };
    if (request.body !== undefined && headers['content-length'] === undefined && headers['transfer-encoding'] === undefined) {
      headers['content-length'] = String(Buffer.byteLength(request.body));
    }
    let answered: { status: number; headers: http.IncomingHttpHeaders } | undefined;
    const req = http.request({ host: hostname, port, method: request.method ?? 'POST', path: request.path, headers, agent: false }, (res) => {
      answered = { status: res.statusCode ?? 0, headers: res.headers };
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    // A server that answers before the whole body is sent then closes the connection: the answer still counts.
    req.on('error', () => done({ status: answered?.status ?? 0, headers: answered?.headers ?? {}, body: '' }));
    if (request.pieces) {
      void (async () => {
        for (const piece of request.pieces!) {
          // A client stops sending once the server has answered (an early 413): writing on would only meet a closed socket.
          if (settled || answered || req.destroyed) return;
          await new Promise<void>((ok) => (req.write(piece) ? ok() : req.once('drain', ok)));
          if (request.pauseMs) await new Promise((ok) => setTimeout(ok, request.pauseMs));
        }
        if (!req.destroyed) req.end();
      })().catch(() => undefined);
    } else {
      req.end(request.body);
    }
  });
}
