import type { CollectionSchemas } from '../documentStore.js';

/** Ledger collections of the admin workspace (audit log, …). */
export const adminCollections = {} satisfies CollectionSchemas;
