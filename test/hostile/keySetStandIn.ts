import { createHmac, createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local stand-in for the Bot Framework OpenID metadata and key set, so token tests never touch the network. */
export class KeySetStandIn {
  readonly kid = 'hostile-test-key';
  readonly privateKey: KeyObject;
  private readonly jwk: Record<string, unknown>;
  private server?: http.Server;
  /** How many times the key set was fetched. */
  fetches = 0;

  constructor() {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = pair.privateKey;
    this.jwk = pair.publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
  }

  /** The OpenID metadata URL to configure. */
  get metadataUrl(): string {
    return `${this.origin}/v1/.well-known/openidconfiguration`;
  }

  private get origin(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/v1/.well-known/openidconfiguration') {
        res.end(JSON.stringify({ issuer: 'https://api.botframework.com', jwks_uri: `${this.origin}/keys`, id_token_signing_alg_values_supported: ['RS256'] }));
      } else if (req.url === '/keys') {
        this.fetches += 1;
        res.end(JSON.stringify({ keys: [{ ...this.jwk, kid: this.kid, use: 'sig', endorsements: ['msteams'] }] }));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    await new Promise<void>((ok) => this.server!.listen(0, '127.0.0.1', ok));
  }

  async stop(): Promise<void> {
    await new Promise<void>((ok) => this.server?.close(() => ok()) ?? ok());
  }
}

const b64 = (value: unknown): string => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** A JWT with the given header and payload (a string payload is used as is), signed RS256 with `key` (none: no signature). */
export function jwt(header: Record<string, unknown>, payload: Record<string, unknown> | string, key?: KeyObject | string): string {
  const data = `${b64(header)}.${b64(payload)}`;
  if (key === undefined) return `${data}.`;
  if (typeof key === 'string') {
    // HS256 with a text secret (the public key, in the classic algorithm-confusion attack).
    return `${data}.${createHmac('sha256', key).update(data).digest('base64url')}`;
  }
  return `${data}.${sign('RSA-SHA256', Buffer.from(data), key).toString('base64url')}`;
}

/** Another RSA key, for signatures the key set does not know. */
export function strangerKey(): KeyObject {
  return createPrivateKey(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }));
}
