/**
 * Everything the sign-in end-to-end tests run, over real HTTP on loopback: the bot (restify, CloudAdapter, the
 * sign-in routes), the development identity provider (oidc-provider), and a stand-in Bot Connector.
 */
import net from 'node:net';
import { pino } from 'pino';
import type { SignIn, SignInEnvironment } from '../../bot/signin/signInSetup.js';
import type { OpenStores } from '../../bot/stores.js';
import type { Locale } from '../../locales/locale.js';
import { defaultPolicy, type AccountKind } from '../../rules/index.js';
import { personKey } from '../../storage/ledger.js';
import { startBotServer } from './botServer.js';
import type { ConnectorStandIn } from './connectorStandIn.js';

/** A person of an organization, as a link card would be issued to them. */
export interface RigPerson {
  readonly personId: string;
  readonly tenantId: string;
}

/** The running system and helpers to drive it. */
export interface SignInRig {
  readonly baseUrl: string;
  readonly connector: ConnectorStandIn;
  readonly stores: OpenStores;
  readonly signIn: SignIn;
  /** Every organization change the sign-in reported, as [tenant id, cause]. */
  readonly changes: Array<[string, string]>;
  /** Log lines at warn level and above, as JSON. */
  readonly logs: string[];
  /** The bot's clock; tests move it. */
  now: Date;
  /** Registers a person as a Partner Center user of their organization. */
  register(person: RigPerson): Promise<void>;
  /** The sign-in URL a link card would carry for this person, account and language. */
  linkFor(person: RigPerson, account: { kind?: AccountKind; accountId: string; locale?: Locale }): Promise<string>;
  /** The conversation id of a person's chat with the bot (where the outcome card goes). */
  conversationOf(person: RigPerson): string;
  close(): Promise<void>;
}

/** A free port on 127.0.0.1 (the bot's public URL must be known before the identity provider registers it). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts the bot, the development identity provider and the connector stand-in. */
export async function startSignInRig(
  options: { now?: Date; devProvider?: SignInEnvironment['devProvider']; publicBaseUrl?: string } = {},
): Promise<SignInRig> {
  const logs: string[] = [];
  const changes: Array<[string, string]> = [];
  // Warnings and errors are kept for tests to read why something was refused.
  const logger = pino({ level: 'warn' }, { write: (line: string) => void logs.push(line) });
  const rig = { now: options.now ?? new Date('2026-03-02T09:00:00Z') } as SignInRig;
  const server = await startBotServer({
    port: await freePort(),
    env: { LOG_LEVEL: 'silent', DEV_IDP_PORT: '0', ...(options.publicBaseUrl ? { PUBLIC_BASE_URL: options.publicBaseUrl } : {}) },
    logger,
    bot: { policy: defaultPolicy, clock: () => rig.now },
    signIn: { devProvider: options.devProvider, onOrganizationChanged: (tenantId, cause) => void changes.push([tenantId, cause]) },
  });
  const { connector, stores } = server;
  const signIn = server.signIn!;

  const conversationOf = (person: RigPerson) => `a:personal-${person.tenantId}-${person.personId}`;
  return Object.assign(rig, {
    baseUrl: server.baseUrl,
    logs,
    changes,
    connector,
    stores,
    signIn,
    conversationOf,
    async register(person: RigPerson) {
      await stores.ledger.transact((tx) =>
        tx.put('people', personKey(person.tenantId, person.personId), { id: person.personId, tenantId: person.tenantId, displayName: person.personId, role: 'member' }),
      );
    },
    linkFor(person: RigPerson, account: { kind?: AccountKind; accountId: string; locale?: Locale }) {
      return signIn.tickets.createLink({
        personId: person.personId,
        tenantId: person.tenantId,
        kind: account.kind ?? 'learn',
        accountId: account.accountId,
        locale: account.locale ?? 'en',
        conversation: {
          channelId: 'msteams',
          serviceUrl: connector.serviceUrl,
          conversation: { id: conversationOf(person), conversationType: 'personal', tenantId: person.tenantId },
          user: { id: `29:${person.personId}`, aadObjectId: person.personId },
          bot: { id: '28:bot', name: 'MCID Link Assistant' },
        },
      });
    },
    close: () => server.close(),
  });
}
