import { createMemoryStore } from './memory.ts';
import { describeStoreContract } from './contract.ts';

describeStoreContract('memory', async () => ({ store: createMemoryStore() }));
