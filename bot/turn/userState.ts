import { UserState, type TurnContext } from 'botbuilder';
import { snapshotOf } from './stateSnapshot.js';

interface Cached {
  state: Record<string, unknown>;
  /** Snapshot of `state` as last read or written ('' matches none: the next save writes). */
  snapshot: string;
}

/**
 * botbuilder's `UserState`, with a change told by the state's JSON text (`snapshotOf`) instead of its SHA-256: the
 * same reads and writes (eTag '*', only when something changed), without the two hash objects botbuilder makes on
 * every turn, one when the locale middleware reads the state and one when the turn saves it.
 */
export class SnapshotUserState extends UserState {
  readonly #cacheKey = Symbol('snapshotUserState');

  override async load(context: TurnContext, force = false): Promise<Record<string, unknown>> {
    const cached = context.turnState.get(this.#cacheKey) as Cached | undefined;
    if (cached && !force) return cached.state;
    const key = await this.storageKey(context);
    const state = ((await this.storage.read([key]))[key] ?? {}) as Record<string, unknown>;
    context.turnState.set(this.#cacheKey, { state, snapshot: snapshotOf(state) } satisfies Cached);
    return state;
  }

  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    let cached = context.turnState.get(this.#cacheKey) as Cached | undefined;
    if (!force && (!cached || cached.snapshot === snapshotOf(cached.state))) return;
    cached ??= { state: {}, snapshot: '' };
    cached.state.eTag = '*';
    const key = await this.storageKey(context);
    await this.storage.write({ [key]: cached.state });
    cached.snapshot = snapshotOf(cached.state);
    context.turnState.set(this.#cacheKey, cached);
  }

  override clear(context: TurnContext): Promise<void> {
    context.turnState.set(this.#cacheKey, { state: {}, snapshot: '' } satisfies Cached);
    return Promise.resolve();
  }

  override async delete(context: TurnContext): Promise<void> {
    context.turnState.delete(this.#cacheKey);
    const key = await this.storageKey(context);
    await this.storage.delete([key]);
  }

  override get(context: TurnContext): Record<string, unknown> | undefined {
    return (context.turnState.get(this.#cacheKey) as Cached | undefined)?.state;
  }
}
