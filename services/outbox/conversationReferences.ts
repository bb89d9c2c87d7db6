/**
 * Where the bot may post proactively: the conversation references Teams gives us when the app is installed for a
 * person or added to a team, kept durably in the ledger and removed when the app is uninstalled.
 */
import type { Ledger } from '../../storage/index.js';

/** The kind of conversation a reference points to. */
export type ConversationScope = 'personal' | 'channel' | 'groupChat';

/** A conversation the bot was installed in, as the activity handler read it. */
export interface InstalledConversation {
  /** The Bot Framework conversation id (not the Graph team id), without a `;messageid=` thread suffix. */
  readonly conversationId: string;
  readonly tenantId: string;
  readonly scope: ConversationScope;
  /** The person of a personal chat. */
  readonly personId?: string;
  /** The Teams team of a channel (`channelData.team.id`). */
  readonly teamId?: string;
  /** `TurnContext.getConversationReference(activity)`, as JSON. */
  readonly reference: Record<string, unknown>;
}

/** Collaborators of the conversation reference service. */
export interface ConversationReferenceDeps {
  readonly ledger: Ledger;
  readonly clock: () => Date;
}

/** Removes a thread suffix: a channel message arrives as `19:…@thread.tacv2;messageid=…`, the channel is the part before. */
export function channelConversationId(conversationId: string): string {
  const at = conversationId.indexOf(';messageid=');
  return at < 0 ? conversationId : conversationId.slice(0, at);
}

/** Longest text kept in a stored reference field; ids are bounded at the edge already (bot/http/activitySchema.ts). */
const MAX_ID_CHARS = 1024;
const MAX_NAME_CHARS = 256;
const MAX_URL_CHARS = 2048;

type Fields = Record<string, unknown>;

function text(value: unknown, max: number): string | undefined {
  return typeof value === 'string' ? value.slice(0, max) : undefined;
}

function pick(source: unknown, fields: Record<string, (value: unknown) => unknown>): Fields | undefined {
  if (typeof source !== 'object' || source === null || Array.isArray(source)) return undefined;
  const picked: Fields = {};
  for (const [name, bound] of Object.entries(fields)) {
    const value = bound((source as Fields)[name]);
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}

const account = {
  id: (v: unknown) => text(v, MAX_ID_CHARS),
  name: (v: unknown) => text(v, MAX_NAME_CHARS),
  aadObjectId: (v: unknown) => text(v, 128),
  role: (v: unknown) => text(v, 32),
};

/**
 * The fields of a conversation reference that a proactive message needs, each bounded: whatever else a client put
 * into `conversation`, `user` or `bot` (Teams sends a few fields; a forged install can send 200 KB) is not stored.
 */
export function boundedReference(reference: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return (
    pick(reference, {
      activityId: (v) => text(v, MAX_ID_CHARS),
      user: (v) => pick(v, account),
      bot: (v) => pick(v, account),
      conversation: (v) =>
        pick(v, {
          id: (x) => text(x, MAX_ID_CHARS),
          conversationType: (x) => text(x, 32),
          tenantId: (x) => text(x, 128),
          isGroup: (x) => (typeof x === 'boolean' ? x : undefined),
          name: (x) => text(x, MAX_NAME_CHARS),
        }),
      channelId: (v) => text(v, 64),
      locale: (v) => text(v, 64),
      serviceUrl: (v) => text(v, MAX_URL_CHARS),
    }) ?? {}
  );
}

/** Stores and forgets conversation references, one transaction each. */
export class ConversationReferenceService {
  constructor(private readonly deps: ConversationReferenceDeps) {}

  /** The stored conversation, unless unknown or known to be gone (the app was removed or blocked there). */
  async deliverable(conversationId: string): Promise<{ readonly tenantId: string } | undefined> {
    const stored = await this.deps.ledger.get('conversationReferences', conversationId);
    return stored && stored.deadSince === undefined ? stored : undefined;
  }

  /** The references of a person's personal chats with the bot that are not known to be gone. */
  async personalReferences(tenantId: string, personId: string): Promise<Record<string, unknown>[]> {
    return (await this.deps.ledger.findBy('conversationReferences', 'byPerson', [tenantId, personId]))
      .filter(({ record: r }) => r.scope === 'personal' && r.deadSince === undefined)
      .map(({ record: r }) => r.reference);
  }

  /** Records (or refreshes) where the bot can post; a reference marked dead is alive again after a new install. */
  async remember(conversation: InstalledConversation): Promise<void> {
    const now = this.deps.clock();
    await this.deps.ledger.transact(async (tx) => {
      const existing = await tx.get('conversationReferences', conversation.conversationId);
      tx.put('conversationReferences', conversation.conversationId, {
        tenantId: conversation.tenantId,
        ...(conversation.personId ? { personId: conversation.personId } : {}),
        scope: conversation.scope,
        reference: boundedReference(conversation.reference),
        installedAt: existing && existing.deadSince === undefined ? existing.installedAt : now,
      });
    });
  }

  /**
   * Forgets a conversation after the app was removed from it, with its alert subscription; removing the app from a
   * team forgets every channel of that team. Returns how many references were removed.
   */
  async forget(removed: { conversationId: string; teamId?: string }): Promise<number> {
    return this.deps.ledger.transact(async (tx) => {
      const ids = new Set([removed.conversationId]);
      if (removed.teamId) {
        ids.add(removed.teamId);
        for (const { id } of await tx.findBy('alertSubscriptions', 'byTeam', [removed.teamId])) ids.add(id);
      }
      let count = 0;
      for (const id of ids) {
        if (await tx.get('conversationReferences', id)) count += 1;
        tx.delete('conversationReferences', id);
        tx.delete('alertSubscriptions', id);
      }
      return count;
    });
  }
}
