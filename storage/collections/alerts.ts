import type { CollectionSchemas } from '../documentStore.js';

/** Ledger collections of competency alerts (subscriptions, evaluated states, outbox, …). */
export const alertCollections = {} satisfies CollectionSchemas;
