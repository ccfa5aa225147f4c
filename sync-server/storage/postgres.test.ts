import { describeStoreContract } from './contract.ts';
import { openPostgresStore } from './postgres/index.ts';
import { freshDatabase } from '../../test/support/postgres-db.ts';
import type { Store } from './types.ts';

describeStoreContract('postgres', async () => {
  const url = await freshDatabase();
  const store = await openPostgresStore(url);
  return {
    store,
    reopen: async (): Promise<Store> => {
      await store.close();
      return openPostgresStore(url);
    },
  };
});
