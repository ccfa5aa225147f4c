/**
 * The cross-module server tests against several instances (the vitest project `cluster`,
 * IPACK_TEST_TARGET=cluster): `startTestServer` then runs its in-process server on PostgreSQL as one
 * instance of three. Two more instances run as processes (sync-server/main.ts) for the whole test
 * file, and each client a test connects goes to the next instance in turn (relay, relay, owner …),
 * so clients on different instances meet in every test. The in-process server owns the test accounts
 * (pinned), because tests drive it directly (rooms.mutate, scheduler.tick); the processes relay.
 * Each test starts from empty tables, seeded like the single-instance target.
 */
import { rmSync } from 'node:fs';
import { afterAll } from 'vitest';
import { createSyncServer, type SyncServerConfig } from '../../sync-server/server.ts';
import { connectPostgres, openPostgresStore } from '../../sync-server/storage/postgres/index.ts';
import type { Store } from '../../sync-server/storage/types.ts';
import { spawnServer, type ServerProcess } from '../server/process-helpers.ts';
import type { TestServer, TestTokens } from '../server/helpers.ts';
import { freshDatabase } from './postgres-db.ts';

export const clusterTargetOn = () => process.env.IPACK_TEST_TARGET === 'cluster';

interface FileCluster {
  databaseUrl: string;
  dataDir: string;
  relays: ServerProcess[];
}

// Leases stay: the in-process instance of every test of the file has one id and takes them back,
// so the relays never find the test accounts free between tests.
const TABLES = ['doc_updates', 'doc_snapshots', 'command_results', 'client_ids', 'tokens', 'people', 'accounts'];
const OWNER_ID = `test-owner-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
const TEST_ACCOUNTS = ['demo', 'acme'];
/** Long enough to outlast the gap between two tests (pinned leases are not let go on close). */
const OWNER_LEASE_MS = 60_000;

let current: Promise<FileCluster> | undefined;

async function startFileCluster(tempDir: () => string, seed: (store: Store) => Promise<unknown>): Promise<FileCluster> {
  const databaseUrl = await freshDatabase();
  const store = await openPostgresStore(databaseUrl);
  await seed(store); // not empty: the processes must not seed the demo
  // The test accounts belong to the in-process instance from the start: the relays' scheduler must not take them.
  for (const accountId of TEST_ACCOUNTS) await store.leases!.acquire(accountId, { id: OWNER_ID, url: 'http://127.0.0.1:9' }, 600_000);
  await store.close();
  const dataDir = tempDir();
  const relays = await Promise.all(
    [0, 1].map(() => spawnServer({ dataDir, via: 'node', env: { DATABASE_URL: databaseUrl }, startTimeoutMs: 120_000 })),
  );
  return { databaseUrl, dataDir, relays };
}

afterAll(async () => {
  const cluster = await current?.catch(() => undefined);
  current = undefined;
  if (!cluster) return;
  for (const relay of cluster.relays) relay.child.kill('SIGKILL');
  await Promise.all(cluster.relays.map((relay) => relay.exited));
  rmSync(cluster.dataDir, { recursive: true, force: true });
}, 60_000);

export async function startClusterTestServer(
  config: Partial<SyncServerConfig>,
  helpers: { tempDir: () => string; seedBare: (store: Store) => Promise<TestTokens> },
): Promise<TestServer> {
  current ??= startFileCluster(helpers.tempDir, helpers.seedBare);
  const cluster = await current;
  const sql = connectPostgres(cluster.databaseUrl, { max: 1 });
  try {
    await sql.unsafe(`TRUNCATE ${TABLES.join(', ')}`);
  } finally {
    await sql.end();
  }
  const store = await openPostgresStore(cluster.databaseUrl);
  const tokens = await helpers.seedBare(store);
  const dataDir = config.dataDir ?? helpers.tempDir();
  const server = await createSyncServer({
    port: 0,
    dataDir,
    quiet: true,
    ...config,
    store,
    cluster: { instanceId: OWNER_ID, leaseTtlMs: OWNER_LEASE_MS, ...config.cluster },
  });
  const pinned = await server.cluster!.ownership.pin(TEST_ACCOUNTS);
  if (pinned.length !== 2) throw new Error(`The in-process instance could not take the test accounts (got ${pinned.join(', ')}).`);
  const instances = [...cluster.relays.map((relay) => relay.wsUrl), server.url.replace(/^http/, 'ws') + '/sync'];
  let next = 0;
  return {
    server,
    tokens,
    dataDir,
    get wsUrl() {
      return instances[next++ % instances.length]!;
    },
    reopenStore: () => openPostgresStore(cluster.databaseUrl),
    close: async () => {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
