import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeStoreContract } from './contract.ts';
import { openSqliteStore } from './sqlite.ts';
import type { Store } from './types.ts';

describeStoreContract('sqlite', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'ip-store-')), 'sync.db');
  const store = openSqliteStore(file);
  return {
    store,
    reopen: async (): Promise<Store> => {
      await store.close();
      return openSqliteStore(file);
    },
  };
});

describeStoreContract('sqlite with a writer thread', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'ip-store-')), 'sync.db');
  const store = openSqliteStore(file, { writer: 'worker' });
  return {
    store,
    reopen: async (): Promise<Store> => {
      await store.close();
      return openSqliteStore(file, { writer: 'worker' });
    },
  };
});
