/**
 * A release date passes while two instances run on one PostgreSQL; both see it at the same moment
 * (their injected clocks move together); the one that applies it is killed (kill -9) in the middle.
 * The other takes the account over once the lease lapses and finishes: every installation moves to
 * the release exactly once, and the release is marked applied once.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import * as Y from 'yjs';
import { readHistory, readInstances, readReleases, Root, writeComponent, writeManagedAccount, writeNewPack } from '../../shared/index.ts';
import type { PackInstance } from '../../shared/model.ts';
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
    await server.rooms.mutate(ACCOUNT, (doc, origin) => {
      for (const id of MANAGED) writeManagedAccount(doc, { id, name: id }, origin);
      writeComponent(doc, { id: 'c1', name: 'Sync', type: 'PROCESS', versions: [1] }, origin);
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

/** The stored document, and for each instance how many stored updates moved it to release 2. */
async function stored(databaseUrl: string) {
  const store = await openPostgresStore(databaseUrl);
  try {
    const { snapshot, updates } = await store.docs.load(ACCOUNT);
    const doc = new Y.Doc();
    const moves = new Map<string, number>();
    doc.getMap<PackInstance>(Root.instances).observe((event) => {
      for (const key of event.keysChanged) {
        const after = doc.getMap<PackInstance>(Root.instances).get(key);
        const before = event.changes.keys.get(key)?.oldValue as PackInstance | undefined;
        if (after?.releaseNumber === 2 && before?.releaseNumber !== 2) moves.set(key, (moves.get(key) ?? 0) + 1);
      }
    });
    if (snapshot) Y.applyUpdate(doc, snapshot);
    for (const update of updates) Y.applyUpdate(doc, update);
    return { doc, moves };
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
    KILL_AFTER_COMMITS: '2',
    CHUNK_SIZE: '3',
  };
  const [a, b] = await Promise.all([startInstance(env), startInstance(env)]);
  const exits = [a, b].map(
    (child) => new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal))),
  );
  const before = await stored(databaseUrl);
  expect(readInstances(before.doc).filter((i) => i.releaseNumber === 1)).toHaveLength(MANAGED.length * PER_ACCOUNT);

  // The date begins for both at the same moment.
  for (const child of [a, b]) child.send({ type: 'now', iso: '2025-03-20T00:00:01Z' });
  const killedSignal = await Promise.race(exits);
  expect(killedSignal).toBe('SIGKILL');
  expect(existsSync(marker)).toBe(true);
  const midway = await stored(databaseUrl);
  const movedMidway = readInstances(midway.doc).filter((i) => i.releaseNumber === 2).length;
  expect(movedMidway, 'the killed instance stopped in the middle').toBeGreaterThan(0);
  expect(movedMidway).toBeLessThan(MANAGED.length * PER_ACCOUNT);

  // The survivor takes the account over when the lease lapses and finishes the release (bounded wait).
  let after = midway;
  for (let i = 0; i < 150 && readReleases(after.doc, 'fleet').find((r) => r.number === 2)?.status !== 'SUCCESS'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    after = await stored(databaseUrl);
  }
  const instances = readInstances(after.doc);
  expect(instances).toHaveLength(MANAGED.length * PER_ACCOUNT);
  expect(instances.every((i) => i.releaseNumber === 2)).toBe(true);
  expect(readReleases(after.doc, 'fleet').map((r) => [r.number, r.status])).toEqual([
    [1, 'SUCCESS'],
    [2, 'SUCCESS'],
  ]);
  expect([...after.moves.values()].every((count) => count === 1)).toBe(true);
  expect(after.moves.size).toBe(MANAGED.length * PER_ACCOUNT);
  const autoApply = readHistory(after.doc).filter((record) => record.kind === 'AUTO_APPLY');
  expect(autoApply).toEqual([expect.objectContaining({ instancesUpdated: MANAGED.length * PER_ACCOUNT, instancesFailed: 0 })]);
}, 120_000);
