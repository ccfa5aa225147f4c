/**
 * A release date passes while two instances run on one PostgreSQL; both see it at the same moment
 * (their injected clocks move together). The one that applies it is killed (kill -9) in the middle of
 * its auto-apply: its transaction has written the document update and is held at the set-based
 * UPDATE of the installations (the test holds a lock on that table). Nothing of it is stored; the
 * other instance takes the account over once the lease lapses and applies the release: every
 * installation moves to it, by exactly one AUTO_APPLY, once.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import postgres from 'postgres';
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
const INSTALLED = MANAGED.length * PER_ACCOUNT;
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
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
    const published = await fetch(`${server.url}/api/accounts/${ACCOUNT}/components/c1/versions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${admin}` },
    });
    expect(published.status).toBeLessThan(300);
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

function startInstance(env: Record<string, string>): Promise<{ child: ChildProcess; id: string }> {
  const child = fork(join(import.meta.dirname, 'instance-entry.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('message', (message: { id: string }) => resolve({ child, id: message.id }));
    child.once('exit', (code, signal) => reject(new Error(`instance exited (${code ?? signal}) before listening`)));
  });
}

/** What PostgreSQL holds of the release: the installations' releases, release 2's status, the AUTO_APPLY records. */
async function stored(databaseUrl: string) {
  const store = await openPostgresStore(databaseUrl);
  try {
    const records = await store.records.load(ACCOUNT);
    return {
      onRelease: (number: number) => records.instances.filter((instance) => instance.releaseNumber === number).length,
      status: records.releases.find((release) => release.packId === 'fleet' && release.number === 2)?.status,
      autoApplies: await store.records.history(ACCOUNT, { kind: 'AUTO_APPLY', limit: 10 }),
    };
  } finally {
    await store.close();
  }
}

test('two instances see a release date at once, the applying one is killed mid-apply: every installation moves exactly once', async () => {
  const databaseUrl = await freshDatabase();
  await seed(databaseUrl);
  const before = await stored(databaseUrl);
  expect(before.onRelease(1)).toBe(INSTALLED);
  expect(before.status).toBe('SCHEDULED');

  const env = { DATABASE_URL: databaseUrl, LEASE_TTL_MS: '1500', CLOCK_START: '2025-03-19T23:59:00Z' };
  const instances = await Promise.all([startInstance(env), startInstance(env)]);
  const sql = postgres(databaseUrl, { max: 3, onnotice: () => {} });
  try {
    // Hold the installations table: the auto-apply that gets there first waits inside its transaction.
    let unlock!: () => void;
    const released = new Promise<void>((resolve) => (unlock = resolve));
    let locked!: () => void;
    const holding = new Promise<void>((resolve) => (locked = resolve));
    const lock = sql.begin(async (tx) => {
      await tx`LOCK TABLE instances IN SHARE MODE`;
      locked();
      await released;
    });
    await holding;

    // The date begins for both at the same moment.
    for (const { child } of instances) child.send({ type: 'now', iso: '2025-03-20T00:00:01Z' });
    let waiting = false;
    for (let i = 0; i < 600 && !waiting; i++) {
      waiting = (await sql`SELECT 1 FROM pg_locks WHERE relation = 'instances'::regclass AND NOT granted`).length > 0;
      if (!waiting) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(waiting, "an instance's auto-apply waits at the installations' UPDATE").toBe(true);
    const [lease] = await sql<{ owner_id: string }[]>`SELECT owner_id FROM account_leases WHERE account_id = ${ACCOUNT}`;
    const applying = instances.find((instance) => instance.id === lease?.owner_id);
    expect(applying, 'the instance applying it holds the lease').toBeDefined();
    const exited = new Promise<NodeJS.Signals | null>((resolve) => applying!.child.once('exit', (_code, signal) => resolve(signal)));
    applying!.child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    unlock();
    await lock;

    // Its transaction never committed: nothing of its apply is stored.
    const midway = await stored(databaseUrl);
    expect(midway.onRelease(2)).toBe(0);
    expect(midway.autoApplies).toEqual([]);

    // The survivor takes the account over when the lease lapses and applies the release (bounded wait).
    let after = midway;
    for (let i = 0; i < 300 && after.status !== 'SUCCESS'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = await stored(databaseUrl);
    }
    expect(after.status).toBe('SUCCESS');
    expect(after.onRelease(2)).toBe(INSTALLED);
    expect(after.autoApplies).toEqual([expect.objectContaining({ instancesUpdated: INSTALLED, instancesFailed: 0 })]);
    const [survivor] = await sql<
      { owner_id: string; fence: number }[]
    >`SELECT owner_id, fence FROM account_leases WHERE account_id = ${ACCOUNT}`;
    expect(survivor?.owner_id).not.toBe(applying!.id);
    // Passes after it find nothing due: still one AUTO_APPLY.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await stored(databaseUrl)).autoApplies).toHaveLength(1);
  } finally {
    await sql.end();
  }
}, 150_000);
