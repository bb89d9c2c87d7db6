import assert from 'node:assert/strict';
import { MemoryStorage, TestAdapter, type Activity, type Attachment, type Storage, type TurnContext } from 'botbuilder';
import type { i18n } from 'i18next';
import { loadConfig } from '../../bot/config.js';
import { createBot } from '../../bot/createBot.js';
import { silentLogger } from '../../bot/logger.js';
import { parseCardAction, type CardAction } from '../../cards/actions.js';
import type { Locale } from '../../locales/locale.js';
import type { AccountKind, Association } from '../../rules/index.js';
import { accountKey } from '../../services/associations/associations.js';
import { createMemoryLedger, personKey, type Ledger } from '../../storage/index.js';
import { teamsActivity } from '../support/activities.js';
import { submitActions } from '../support/cards.js';
import { testSignInLinks } from '../support/signInLinks.js';
import { submitPayloads, validateAdaptiveCard } from '../cards/validateCard.js';
import type { Recognizer } from '../../understanding/index.js';
import { allRecords } from '../support/ledgerRecords.js';

/** The fixed "now" of the employee transcripts. */
export const NOW = new Date('2026-03-02T09:00:00Z');

/** The person every transcript speaks as, in the organization every transcript is in. */
export const ME = { personId: 'aad-person-1', tenantId: 'tenant-contoso' } as const;

/** A reply as the bot sent it. */
export type Reply = Record<string, unknown>;

/** Options of one thing the person says or clicks. */
export interface SayOptions {
  readonly locale?: Locale;
  readonly timeZone?: string;
  readonly personId?: string;
  readonly tenantId?: string;
  /** Where it is said (default: the person's personal chat with the bot), e.g. a group chat. */
  readonly conversation?: { readonly id: string; readonly conversationType: 'personal' | 'groupChat' | 'channel' };
  /** The activity a card button was pressed on (Teams' `replyToId`). */
  readonly replyToId?: string;
}

/** The stores a bot runs on; a second bot on the same stores is the same bot after a restart. */
export interface Stores {
  readonly ledger: Ledger;
  readonly state: Storage;
}

/** Fresh in-memory stores. */
export function freshStores(): Stores {
  return { ledger: createMemoryLedger(), state: new MemoryStorage() };
}

/** A whole bot (createBot) on a TestAdapter with a fixed clock and a test double for the sign-in links. */
export function startBot(instance: i18n, stores: Stores, now: Date = NOW, options: { readonly recognizer?: Recognizer } = {}) {
  const config = loadConfig({ LOG_LEVEL: 'silent', DEFAULT_TENANT_ID: 'local-tenant' });
  const signInLinks = testSignInLinks();
  let sequence = 0;
  const newId = () => `test-id-${String(++sequence).padStart(4, '0')}`;
  let logic: (context: TurnContext) => Promise<void> = async () => undefined;
  const adapter = new TestAdapter(async (context) => logic(context));
  // A fixed secret, as the data directory keeps one: buttons signed before a restart stay valid after it.
  const app = createBot(config, { stores, i18n: instance, logger: silentLogger(), adapter, clock: () => now, signInLinks, newId, recognizer: options.recognizer, reportSecret: 'harness-secret-0123456789abcdefghijklmnop' });
  logic = app.logic;
  const activityOptions = (o: SayOptions) => ({ locale: o.locale ?? 'en', personId: o.personId ?? ME.personId, tenantId: o.tenantId ?? ME.tenantId });
  const send = async (fields: Partial<Activity>, o: SayOptions): Promise<Reply[]> => {
    const activity = teamsActivity({ type: 'message', localTimezone: o.timeZone, ...fields }, activityOptions(o));
    if (o.replyToId) activity.replyToId = o.replyToId;
    if (o.conversation) activity.conversation = { ...activity.conversation!, ...o.conversation, isGroup: o.conversation.conversationType !== 'personal' };
    await adapter.processActivity(activity);
    const replies = adapter.activeQueue.splice(0) as unknown as Reply[];
    for (const reply of replies) assertValidCards(reply);
    return replies;
  };
  return {
    signInLinks,
    /** Types a message and returns every reply of that turn. */
    say: (text: string, o: SayOptions = {}) => send({ text }, o),
    /** Clicks an Action.Submit button with this payload. */
    click: (value: CardAction | Record<string, unknown>, o: SayOptions = {}) => send({ value }, o),
  };
}

/** The submit payloads of the last reply that has buttons. */
export function buttonsOf(replies: readonly Reply[]): Array<{ title: string; data: unknown }> {
  const withButtons = replies.filter((r) => submitActions(r).length > 0);
  return withButtons.length === 0 ? [] : submitActions(withButtons[withButtons.length - 1]!);
}

/** The payload of the button whose data has this action (and kind, if given). */
export function payloadOf(replies: readonly Reply[], action: string, kind?: AccountKind): Record<string, unknown> {
  for (const reply of replies) {
    for (const button of submitActions(reply)) {
      const data = button.data as Record<string, unknown>;
      if (data.action === action && (kind === undefined || data.kind === kind)) return data;
    }
  }
  throw new Error(`no ${action} button in ${JSON.stringify(replies)}`);
}

/** Registers a person as a Partner Center user of an organization, as an admin would in the admin workspace. */
export async function register(ledger: Ledger, person: { personId: string; tenantId: string } = ME): Promise<void> {
  await ledger.transact((tx) =>
    tx.put('people', personKey(person.tenantId, person.personId), { id: person.personId, tenantId: person.tenantId, displayName: 'Test Person', role: 'member' }),
  );
}

/** Records the account a person gave for a kind, as if they had typed it before. */
export async function knownAccount(ledger: Ledger, kind: AccountKind, accountId: string, person: { personId: string; tenantId: string } = ME): Promise<void> {
  await ledger.transact((tx) => tx.put('accounts', accountKey(person, kind), { ...person, kind, accountId, recordedAt: NOW }));
}

/** Records an account the person proved by signing in with it (a `subject`): it can no longer be changed. */
export async function provenAccount(ledger: Ledger, kind: AccountKind, accountId: string, person: { personId: string; tenantId: string } = ME): Promise<void> {
  await ledger.transact((tx) => tx.put('accounts', accountKey(person, kind), { ...person, kind, accountId, subject: `login-${person.personId}`, recordedAt: NOW }));
}

/** Stores associations as they would be after earlier links. */
export async function history(ledger: Ledger, associations: Association[]): Promise<void> {
  await ledger.transact((tx) => {
    for (const a of associations) tx.put('associations', a.id, a);
  });
}

/** Every association stored, in id order. */
export async function associations(ledger: Ledger): Promise<readonly Association[]> {
  return allRecords(ledger, 'associations');
}

/** Every card of a reply is a valid Adaptive Card 1.5 whose buttons emit only payloads cards/actions.ts accepts unchanged. */
export function assertValidCards(reply: Reply): void {
  for (const attachment of (reply.attachments as Attachment[] | undefined) ?? []) {
    assert.deepEqual(validateAdaptiveCard(attachment), [], JSON.stringify(attachment.content));
    for (const payload of submitPayloads(attachment)) {
      const parsed = parseCardAction(payload);
      assert.ok(parsed.ok, JSON.stringify(payload));
      assert.deepEqual(parsed.action, payload);
    }
  }
}
