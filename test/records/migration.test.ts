/**
 * A DATA_DIR written by the version before server-owned tables (test/fixtures/v1-data, made by that
 * version's own code) opens under this one with nothing lost: the server-owned roots of each account's
 * document become rows, the document is rewritten as the projection, and the account is moved once.
 * First in process (the fixture's own clock: exact comparison with what its documents held), then
 * through a real server process (`sync-server/main.ts`, what `npm start` runs) over HTTP and sync.
 */
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import * as Y from 'yjs';
import type { HistoryRecord } from '../../shared/history.ts';
import type { PackInstance, Release } from '../../shared/model.ts';
import { summarizeRollout } from '../../shared/rollout.ts';
import { readAccount, readCatalog, readPacks, readRecentHistory, readRollout, RETIRED_ROOTS, Root } from '../../shared/schema.ts';
import { MIGRATION_KIND } from '../../sync-server/records/migrate.ts';
import { createSyncServer, databaseFile } from '../../sync-server/server.ts';
import { openSqliteStore } from '../../sync-server/storage/sqlite.ts';
import { connectClient, synced, tempDir } from '../server/helpers.ts';
import { spawnServer } from '../server/process-helpers.ts';

const fixture = join(import.meta.dirname, '..', 'fixtures', 'v1-data');
interface Expected {
  account: unknown;
  packs: unknown[];
  catalog: unknown[];
  releases: Record<string, Release[]>;
  managedAccounts: unknown[];
  instances: PackInstance[];
  tombstones: Record<string, unknown>;
  history: (Omit<HistoryRecord, 'seq'> & { id: string })[];
}
const expected = JSON.parse(readFileSync(join(fixture, 'expected.json'), 'utf8')) as Record<'demo' | 'acme', Expected>;
const tokens = JSON.parse(readFileSync(join(fixture, 'demo-tokens.json'), 'utf8')) as { demo: { admin: string[] } };

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function copyOfFixture(): string {
  const dataDir = tempDir();
  cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
  copyFileSync(join(fixture, 'sync.db'), databaseFile(dataDir));
  return dataDir;
}

const byId = <T extends { id: string }>(items: Iterable<T>) => [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
/** A migrated record as the earlier version held it: its id was the idempotency key (or the release's). */
const asLegacy = ({ seq: _seq, id: _id, idempotencyKey: _key, ...record }: HistoryRecord) => record;
const withoutId = ({ id: _id, ...record }: Expected['history'][number]) => record;

async function storedDocBytes(dataDir: string, accountId: string): Promise<number> {
  const store = openSqliteStore(databaseFile(dataDir), { durability: 'normal' });
  try {
    const sizes = await store.docs.sizes(accountId);
    return sizes.snapshotBytes + sizes.logBytes;
  } finally {
    await store.close();
  }
}

test('each account of the fixture moves into the tables with nothing lost; the document becomes the projection', async () => {
  const dataDir = copyOfFixture();
  const bytesBefore = await storedDocBytes(dataDir, 'demo');
  const now = new Date('2026-12-21T12:00:01Z');
  const server = await createSyncServer({ port: 0, dataDir, quiet: true, clock: { now: () => now }, scheduler: false });
  cleanup.push(() => server.close());

  for (const accountId of ['demo', 'acme'] as const) {
    const want = expected[accountId];
    const loaded = await server.rooms.read(accountId, (doc) => ({
      packs: readPacks(doc),
      account: readAccount(doc),
      catalog: byId(readCatalog(doc).values()),
      retired: RETIRED_ROOTS.map((root) => doc.getMap(root).size),
      rollout: Object.keys(want.releases).map((packId) => readRollout(doc, packId)),
      recent: readRecentHistory(doc),
    }));
    await server.rooms.room(accountId).committed();
    const records = await server.store.records.load(accountId);

    // The tables hold what the document held.
    expect(byId(records.catalog)).toEqual(want.catalog);
    expect(byId(records.managedAccounts)).toEqual(want.managedAccounts);
    expect(byId(records.instances)).toEqual(want.instances);
    expect(Object.fromEntries(records.tombstones.map((tombstone) => [tombstone.packId, tombstone]))).toEqual(want.tombstones);
    const releases: Record<string, Release[]> = {};
    for (const release of [...records.releases].sort((a, b) => a.packId.localeCompare(b.packId) || a.number - b.number))
      (releases[release.packId] ??= []).push(release);
    expect(releases).toEqual(want.releases);
    const trail = (await server.store.records.history(accountId, { limit: 1_000 })).reverse();
    expect(trail.at(-1)).toMatchObject({ kind: MIGRATION_KIND, status: 'SUCCESS' });
    expect(trail.slice(0, -1).map(asLegacy)).toEqual(want.history.map(withoutId));
    // Commands keep their idempotency key; seq follows the order they ran in.
    for (const [i, record] of trail.slice(0, -1).entries()) {
      expect(record.seq).toBe(i + 1);
      if (record.kind !== 'AUTO_APPLY') expect(record.idempotencyKey).toBe(want.history[i]!.id);
    }

    // The document: the packs untouched, the projection from the tables, the retired roots emptied.
    expect(loaded.packs).toEqual(want.packs);
    expect(loaded.account).toEqual(want.account);
    expect(loaded.catalog).toEqual(want.catalog);
    expect(loaded.retired).toEqual([0, 0]);
    expect(loaded.rollout).toEqual(
      Object.keys(want.releases).map((packId) => {
        const summary = summarizeRollout(packId, want.instances);
        return summary.instances > 0 ? summary : undefined;
      }),
    );
    // Recent history: the records that changed something (refusals stay in the tables only).
    expect(loaded.recent.map(asLegacy)).toEqual(
      want.history.filter((record) => record.status === 'SUCCESS' || record.kind === 'AUTO_APPLY').map(withoutId),
    );
  }
  await server.close();
  cleanup.pop();

  // Loading again moves nothing twice: one MIGRATE record, the same rows.
  const again = await createSyncServer({ port: 0, dataDir, quiet: true, clock: { now: () => now }, scheduler: false });
  cleanup.push(() => again.close());
  await again.rooms.read('demo', () => undefined);
  await again.rooms.room('demo').committed();
  const trail = await again.store.records.history('demo', { limit: 1_000 });
  expect(trail.filter((record) => record.kind === MIGRATION_KIND)).toHaveLength(1);
  expect(trail).toHaveLength(expected.demo.history.length + 1);
  await again.close();
  cleanup.pop();
  console.info(
    `v1 fixture, account demo: stored document ${bytesBefore} B before the migration, ${await storedDocBytes(dataDir, 'demo')} B after`,
  );
});

test('a real server process opens the fixture: history and installations over HTTP, the projection over sync', async () => {
  const dataDir = copyOfFixture();
  const server = await spawnServer({ dataDir, via: 'node' });
  cleanup.push(async () => {
    server.child.kill('SIGTERM');
    await server.exited;
  });
  const token = tokens.demo.admin[0]!;
  const get = async (path: string) => {
    const response = await fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as { records?: HistoryRecord[]; rows?: { instanceId: string }[]; nextCursor?: string };
  };
  const history: HistoryRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await get(`/api/accounts/demo/history?limit=5${cursor ? `&cursor=${cursor}` : ''}`);
    history.push(...page.records!);
    cursor = page.nextCursor;
  } while (cursor);
  const oldest = history.reverse();
  expect(oldest.find((record) => record.kind === MIGRATION_KIND)).toBeDefined();
  // Every record the document held, in order (a release date reached since would add its own after).
  expect(
    oldest
      .filter((record) => record.kind !== MIGRATION_KIND)
      .slice(0, expected.demo.history.length)
      .map(asLegacy),
  ).toEqual(expected.demo.history.map(withoutId));
  const rows: string[] = [];
  cursor = undefined;
  do {
    const page = await get(`/api/accounts/demo/rollout?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
    rows.push(...page.rows!.map((row) => row.instanceId));
    cursor = page.nextCursor;
  } while (cursor);
  expect(rows.sort()).toEqual(expected.demo.instances.map((instance) => instance.id).sort());

  const client = connectClient({ wsUrl: server.wsUrl, accountId: 'demo', token, doc: new Y.Doc() });
  cleanup.push(() => client.destroy());
  await synced(client);
  expect(readPacks(client.doc)).toEqual(expected.demo.packs);
  expect(byId(readCatalog(client.doc).values())).toEqual(expected.demo.catalog);
  expect(client.doc.getMap(Root.retiredInstances).size).toBe(0);
  expect(client.doc.getMap(Root.retiredHistory).size).toBe(0);
  expect(readRollout(client.doc, 'demo-p01')?.instances).toBe(expected.demo.instances.filter((i) => i.packId === 'demo-p01').length);
});
