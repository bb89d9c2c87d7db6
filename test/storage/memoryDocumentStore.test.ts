import { createMemoryDocumentStore } from '../../storage/index.js';
import { describeDocumentStoreContract } from './documentStoreContract.js';

describeDocumentStoreContract('memory', async (schemas, indexes) => createMemoryDocumentStore(schemas, indexes));
