import { ConversationState, type Storage, type StoreItem, type TurnContext } from 'botbuilder';
import { snapshotOf } from './stateSnapshot.js';

/**
 * The eTag written for a conversation that had no state when the turn read it. No storage ever hands it out
 * (botbuilder's MemoryStorage counts, the file storage draws UUIDs, PostgreSQL a sequence), so with every storage
 * that follows botbuilder's eTag rules the write goes through while the key is still absent and conflicts once
 * another turn has created it.
 */
const ABSENT = 'mcid:absent';

/** The conversation's state changed in storage after this turn read it: saving would undo another turn's step. */
export class StateConflictError extends Error {
  constructor(readonly key: string, options?: ErrorOptions) {
    super(`the state of ${key} was changed by another turn after this turn read it`, options);
    this.name = 'StateConflictError';
  }
}

interface Cached {
  state: Record<string, unknown>;
  /** Snapshot of `state` as last read or written (`snapshotOf`; '' matches none: the next save writes). */
  snapshot: string;
  /** The eTag to write with: the stored one, ABSENT, '*' (overwrite), or undefined after our own write (not known yet). */
  eTag: string | undefined;
}

/**
 * Conversation state saved with optimistic concurrency. botbuilder's `BotState.saveChanges` writes with eTag '*',
 * so when two instances (or two quick messages) answer one conversation at once, the later save silently replaces
 * the dialog step the earlier one made. This one saves with the eTag its turn read; when the stored state has moved
 * on since, `saveChanges` rejects with `StateConflictError` and writes nothing, so the step that was saved first
 * stands. A forced save with nothing read (clearing broken state) still overwrites.
 */
export class OptimisticConversationState extends ConversationState {
  readonly #cacheKey = Symbol('optimisticConversationState');

  constructor(private readonly store: Storage) {
    super(store);
  }

  override async load(context: TurnContext, force = false): Promise<Record<string, unknown>> {
    const cached = context.turnState.get(this.#cacheKey) as Cached | undefined;
    if (cached && !force) return cached.state;
    const key = await this.storageKey(context);
    const item = (await this.store.read([key]))[key] as StoreItem | undefined;
    const { eTag, ...state } = item ?? {};
    const entry: Cached = { state, snapshot: snapshotOf(state), eTag: item ? String(eTag ?? '*') : ABSENT };
    context.turnState.set(this.#cacheKey, entry);
    return state;
  }

  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    let cached = context.turnState.get(this.#cacheKey) as Cached | undefined;
    const snapshot = snapshotOf(cached?.state ?? {});
    if (!force && (!cached || cached.snapshot === snapshot)) return;
    cached ??= { state: {}, snapshot: '', eTag: '*' };
    const key = await this.storageKey(context);
    const eTag = cached.eTag ?? (await this.#eTagAfterOwnWrite(key, cached.snapshot));
    try {
      await this.store.write({ [key]: { ...cached.state, eTag } });
    } catch (error) {
      if (isETagConflict(error)) throw new StateConflictError(key, { cause: error });
      throw error;
    }
    cached.snapshot = snapshot;
    // The storage chose the new eTag and does not say which: a second save in this turn looks it up.
    cached.eTag = undefined;
    context.turnState.set(this.#cacheKey, cached);
  }

  override clear(context: TurnContext): Promise<void> {
    const cached = context.turnState.get(this.#cacheKey) as Cached | undefined;
    // Cleared state is still saved against what was read: clearing must not undo another turn's step either.
    context.turnState.set(this.#cacheKey, { state: {}, snapshot: '', eTag: cached ? cached.eTag : '*' } satisfies Cached);
    return Promise.resolve();
  }

  override async delete(context: TurnContext): Promise<void> {
    context.turnState.delete(this.#cacheKey);
    const key = await this.storageKey(context);
    await this.store.delete([key]);
  }

  override get(context: TurnContext): Record<string, unknown> | undefined {
    return (context.turnState.get(this.#cacheKey) as Cached | undefined)?.state;
  }

  /** The stored eTag, if what is stored is still what this turn wrote (snapshot `written`); otherwise a conflict. */
  async #eTagAfterOwnWrite(key: string, written: string): Promise<string> {
    const item = (await this.store.read([key]))[key] as StoreItem | undefined;
    if (!item || snapshotOf(item) !== written || typeof item.eTag !== 'string') throw new StateConflictError(key);
    return item.eTag;
  }
}

/** botbuilder storages report a lost eTag race by message (MemoryStorage, ours) or HTTP-like status 412 (Cosmos DB, blobs). */
function isETagConflict(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { statusCode?: unknown; code?: unknown }).statusCode ?? (error as { code?: unknown }).code;
  return /eTag conflict/i.test(error.message) || status === 412 || status === 'PreconditionFailed';
}
