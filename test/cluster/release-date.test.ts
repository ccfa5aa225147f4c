/**
 * A release date passes while two instances run on one PostgreSQL; both see it at the same moment
 * (their injected clocks move together); the one that applies it is killed (kill -9) in the middle.
 * The apply is one set-based write with its audit and projection, so the store holds it whole or not
 * at all; the other takes the account over once the lease lapses and finishes: every installation
 * moves to the release, the release is marked applied, and it is audited once.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { writeNewPack } from '../../shared/index.ts';
import { mintToken } from '../../sync-server/auth.ts';
import { createSyncServer } from '../../sync-server/server.ts';
import { openPostgresStore } from '../../sync-server/storage/postgres/index.ts';
import { tempDir } from '../server/helpers.ts';
import { freshDatabase } from '../support/postgres-db.ts';

const ACCOUNT = 'pub';
const MANAGED = ['m1', 'm2', 'm3'];
const PER_ACCOUNT = 4;
const children: ChildProcess[] = [];
const dirs: string[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function post(url: string, token: string, command: unknown, key: string) {
  const response = await fetch(`${url}/api/accounts/${ACCOUNT}/commands`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ idempotencyKey: key, command }),
  });
  const result = (await response.json()) as { status: string; message: string };
  expect(result.status, result.message).toBe('SUCCESS');
}

/** Release 1 installed 12 times (4 per managed account), release 2 scheduled for 2025-03-20. */
async function seed(databaseUrl: string): Promise<void> {
  const store = await openPostgresStore(databaseUrl);
  const clock = { now: () => new Date('2025-03-10T12:00:00Z') };
  const server = await createSyncServer({ port: 0, dataDir: tempDir(), quiet: true, store, clock, scheduler: false, cluster: {} });
  try {
    await store.accounts.putAccount({ id: ACCOUNT, name: 'Pub', multiInstallEnabled: true, timeZone: 'UTC' });
    const admin = await mintToken(store.accounts, { id: 'ada', accountId: ACCOUNT, name: 'Ada', role: 'admin' });
    await server.rooms.mutate(ACCOUNT, (doc, origin, records) => {
      for (const id of MANAGED) records.putManagedAccount({ id, name: id });
      records.putComponent({ id: 'c1', name: 'Sync', type: 'PROCESS', versions: [1] });
      writeNewPack(
        doc,
        { id: 'fleet', name: 'Fleet', description: '', installationType: 'MULTI', componentIds: ['c1'], createdAt: 'x', createdBy: 'ada' },
        origin,
      );
    });
    await post(server.url, admin, { type: 'RELEASE', packId: 'fleet', releaseSchedule: 'IMMEDIATELY' }, 'release-one-0001');
    for (const id of MANAGED) {
      const token = await mintToken(store.accounts, { id: `u-${id}`, accountId: ACCOUNT, name: id, role: 'managed', managedAccountId: id });
      for (let n = 0; n < PER_ACCOUNT; n++)
        await post(
          server.url,
          token,
          { type: 'INSTALL', packId: 'fleet', managedAccountId: id, integrationPackOverrideName: `Fleet ${id} ${n}` },
          `install-${id}-${n}-0001`,
        );
    }
    await fetch(`${server.url}/api/accounts/${ACCOUNT}/components/c1/versions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${admin}` },
    });
    await post(
      server.url,
      admin,
      { type: 'RELEASE', packId: 'fleet', releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE', releaseOnDate: '2025-03-20' },
      'release-two-0001',
    );
  } finally {
    await server.close();
  }
}

function startInstance(env: Record<string, string>): Promise<ChildProcess> {
  const child = fork(join(import.meta.dirname, 'instance-entry.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code, signal) => reject(new Error(`instance exited (${code ?? signal}) before listening`)));
  });
}

/** The stored records: installations, the pack's releases, and the AUTO_APPLY audit rows. */
async function stored(databaseUrl: string) {
  const store = await openPostgresStore(databaseUrl);
  try {
    const records = await store.records.load(ACCOUNT);
    const autoApply = await store.records.history(ACCOUNT, { kind: 'AUTO_APPLY', limit: 100 });
    return { instances: records.instances, releases: records.releases.filter((r) => r.packId === 'fleet'), autoApply };
  } finally {
    await store.close();
  }
}

test('two instances see a release date at once, the applying one is killed mid-run: every installation moves exactly once', async () => {
  const databaseUrl = await freshDatabase();
  await seed(databaseUrl);
  const dir = tempDir('ip-kill-marker-');
  dirs.push(dir);
  const marker = join(dir, 'killed');
  const env = {
    DATABASE_URL: databaseUrl,
    LEASE_TTL_MS: '1500',
    CLOCK_START: '2025-03-19T23:59:00Z',
    KILL_MARKER: marker,
    KILL_AFTER_COMMITS: '1',
  };
  const [a, b] = await Promise.all([startInstance(env), startInstance(env)]);
  const exits = [a, b].map(
    (child) => new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal))),
  );
  const before = await stored(databaseUrl);
  expect(before.instances.filter((i) => i.releaseNumber === 1)).toHaveLength(MANAGED.length * PER_ACCOUNT);

  // The date begins for both at the same moment.
  for (const child of [a, b]) child.send({ type: 'now', iso: '2025-03-20T00:00:01Z' });
  const killedSignal = await Promise.race(exits);
  expect(killedSignal).toBe('SIGKILL');
  expect(existsSync(marker)).toBe(true);
  const midway = await stored(databaseUrl);
  const movedMidway = midway.instances.filter((i) => i.releaseNumber === 2).length;
  expect([0, MANAGED.length * PER_ACCOUNT], 'the apply is stored whole or not at all').toContain(movedMidway);

  // The survivor takes the account over when the lease lapses and finishes the release (bounded wait).
  let after = midway;
  for (let i = 0; i < 150 && after.releases.find((r) => r.number === 2)?.status !== 'SUCCESS'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    after = await stored(databaseUrl);
  }
  const { instances } = after;
  expect(instances).toHaveLength(MANAGED.length * PER_ACCOUNT);
  expect(instances.every((i) => i.releaseNumber === 2)).toBe(true);
  expect([...after.releases].sort((x, y) => x.number - y.number).map((r) => [r.number, r.status])).toEqual([
    [1, 'SUCCESS'],
    [2, 'SUCCESS'],
  ]);
  expect(after.autoApply).toEqual([expect.objectContaining({ instancesUpdated: MANAGED.length * PER_ACCOUNT, instancesFailed: 0 })]);
}, 120_000);
