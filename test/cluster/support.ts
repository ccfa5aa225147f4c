/**
 * Several real server processes (sync-server/main.ts, as `npm start` runs it) on one PostgreSQL
 * database of the test run's server: DATABASE_URL selects the shared store, each instance's
 * INSTANCE_URL defaults to the loopback address it listens on.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DemoTokens } from '../../sync-server/seed.ts';
import { freshDatabase } from '../support/postgres-db.ts';
import { spawnServer, type ServerProcess } from '../server/process-helpers.ts';
import { tempDir } from '../server/helpers.ts';

export interface Cluster {
  databaseUrl: string;
  dataDir: string;
  instances: ServerProcess[];
  tokens: DemoTokens;
  /** Starts one more instance on the same database. */
  add(): Promise<ServerProcess>;
  stop(): Promise<void>;
}

export async function startCluster(count: number, env: Record<string, string> = {}): Promise<Cluster> {
  const databaseUrl = await freshDatabase();
  const dataDir = tempDir('ip-cluster-');
  const spawnOne = () => spawnServer({ dataDir, via: 'node', env: { DATABASE_URL: databaseUrl, ...env }, startTimeoutMs: 120_000 });
  // All at once: migrations and the demo seed must cope with instances starting together.
  const instances = await Promise.all(Array.from({ length: count }, spawnOne));
  const tokens = JSON.parse(readFileSync(join(dataDir, 'demo-tokens.json'), 'utf8')) as DemoTokens;
  return {
    databaseUrl,
    dataDir,
    instances,
    tokens,
    add: async () => {
      const instance = await spawnOne();
      instances.push(instance);
      return instance;
    },
    stop: async () => {
      for (const instance of instances) instance.child.kill('SIGKILL');
      await Promise.all(instances.map((instance) => instance.exited));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
