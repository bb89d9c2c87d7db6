import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';

type Base = ConfigurationBotFrameworkAuthentication;
type Claims = Parameters<Base['createConnectorFactory']>[0];
type Factory = ReturnType<Base['createConnectorFactory']>;
type Client = Awaited<ReturnType<Factory['create']>>;
type TokenClient = Awaited<ReturnType<Base['createUserTokenClient']>>;

/** Clients kept (least recently used dropped first): a bot talks to a handful of service URLs, but they come from requests. */
const MAX_CLIENTS = 64;

/**
 * The SDK's authentication, with the connector and user-token clients it makes kept and reused. The `CloudAdapter`
 * asks for a new connector client and a new user-token client on every turn, and building one (an Azure HTTP
 * pipeline of a dozen policies) cost about 8% of an FAQ turn's CPU. The clients hold no per-turn state: their
 * credentials cache and renew tokens themselves, as the clients of the SDK's older BotFrameworkAdapter, which it
 * kept per service URL, did. A client is reused only for the same claims that made it (the bot's app id and the
 * caller's), the same audience and the same service URL.
 */
export class CachingBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  readonly #clients = new Bounded<Promise<Client>>(MAX_CLIENTS);
  readonly #tokenClients = new Bounded<Promise<TokenClient>>(MAX_CLIENTS);

  override async authenticateRequest(...args: Parameters<Base['authenticateRequest']>): ReturnType<Base['authenticateRequest']> {
    const result = await super.authenticateRequest(...args);
    return result.connectorFactory ? { ...result, connectorFactory: this.#caching(result.connectorFactory, result.claimsIdentity) } : result;
  }

  override createConnectorFactory(claimsIdentity: Claims): Factory {
    return this.#caching(super.createConnectorFactory(claimsIdentity), claimsIdentity);
  }

  override createUserTokenClient(claimsIdentity: Claims): Promise<TokenClient> {
    return this.#tokenClients.get(claimsKey(claimsIdentity), () => super.createUserTokenClient(claimsIdentity));
  }

  #caching(factory: Factory, claims: Claims): Factory {
    const clients = this.#clients;
    return {
      create: (serviceUrl: string, audience?: string) => clients.get(`${claimsKey(claims)}\n${audience ?? ''}\n${serviceUrl}`, () => factory.create(serviceUrl, audience)),
    } as Factory;
  }
}

/** What identifies the caller and the bot in a request's claims (anonymous requests have none). */
function claimsKey(claims: Claims): string {
  const claim = (type: string): string => String(claims?.getClaimValue?.(type) ?? '');
  return [claim('aud'), claim('azp'), claim('appid'), claim('ver'), claim('iss')].join('\n');
}

/** A map of at most `max` entries, dropping the least recently used; a rejected promise is not kept. */
class Bounded<V extends Promise<unknown>> {
  readonly #entries = new Map<string, V>();

  constructor(private readonly max: number) {}

  get(key: string, make: () => V): V {
    const found = this.#entries.get(key);
    if (found) {
      this.#entries.delete(key);
      this.#entries.set(key, found);
      return found;
    }
    const made = make();
    this.#entries.set(key, made);
    made.catch(() => {
      if (this.#entries.get(key) === made) this.#entries.delete(key);
    });
    if (this.#entries.size > this.max) this.#entries.delete(this.#entries.keys().next().value!);
    return made;
  }
}
