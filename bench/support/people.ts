import { mintToken } from '../../sync-server/auth.ts';
import { databaseFile } from '../../sync-server/server.ts';
import { openSqliteStore } from '../../sync-server/storage/sqlite.ts';
import { spawnOurServer } from './processes.ts';

/**
 * One admin per client (the server caps connections per person): the first start seeds the demo
 * account, then, with the server stopped, `count` people are added to it as `npm run token` would.
 */
export async function personTokens(dataDir: string, count: number): Promise<string[]> {
  await (await spawnOurServer(dataDir)).stop();
  const store = openSqliteStore(databaseFile(dataDir));
  try {
    const tokens: string[] = [];
    for (let i = 0; i < count; i++)
      tokens.push(await mintToken(store.accounts, { id: `demo-bench-${i}`, accountId: 'demo', name: `Bench ${i}`, role: 'admin' }));
    return tokens;
  } finally {
    await store.close();
  }
}
