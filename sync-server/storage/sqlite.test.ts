import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Release } from '../../shared/model.ts';
import { describeStoreContract } from './contract.ts';
import { migrateSchema } from './sqlite-schema.ts';
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

test('a file from before release notes (schema step 5) opens: its releases load as they were, new ones keep their notes', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'ip-store-')), 'sync.db');
  const old: Release = {
    packId: 'p1',
    number: 1,
    components: [{ componentId: 'c1', version: 1 }],
    releaseSchedule: 'IMMEDIATELY',
    status: 'SUCCESS',
    releasedBy: 'Ann',
    releasedAt: '2025-03-01T00:00:00.000Z',
    requestId: 'rq-1',
  };
  // The file as the version before step 5 left it: the releases table without its notes column.
  const db = new Database(file);
  migrateSchema(db, 4);
  db.prepare(
    "INSERT INTO releases (account_id, pack_id, number, release_schedule, status, released_by, released_at, request_id) VALUES ('a', 'p1', 1, 'IMMEDIATELY', 'SUCCESS', 'Ann', '2025-03-01T00:00:00.000Z', 'rq-1')",
  ).run();
  db.prepare(
    "INSERT INTO release_components (account_id, pack_id, number, position, component_id, version) VALUES ('a', 'p1', 1, 0, 'c1', 1)",
  ).run();
  db.close();

  const store = openSqliteStore(file);
  try {
    expect((await store.records.load('a')).releases).toStrictEqual([old]);
    const next: Release = { ...old, number: 2, requestId: 'rq-2', notes: 'Retries NetSuite calls.' };
    await store.docs.append('a', [], { records: [{ op: 'releases', packId: 'p1', releases: [old, next], schedule: [] }] });
    expect((await store.records.load('a')).releases).toStrictEqual([old, next]);
  } finally {
    await store.close();
  }
});

describe('sqlite schema step 6 (instance_releases)', () => {
  test("a file written before it keeps each instance's release, pending update and failure", async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ip-store-')), 'sync.db');
    const old = new Database(file);
    migrateSchema(old, 4);
    const insert = old.prepare(
      'INSERT INTO instances (account_id, id, pack_id, managed_account_id, override_name, release_number, pending_release_number, installed_at, last_error, failed_release_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    insert.run('a', 'i1', 'p1', 'm1', 'EU', 2, 3, '2025-03-01T00:00:00.000Z', 'Missing', 3);
    insert.run('a', 'i2', 'p2', 'm1', null, 1, null, '2025-03-01T00:00:00.000Z', null, null);
    old.close();

    const store = openSqliteStore(file);
    const base = { managedAccountId: 'm1', atomIds: [], environmentIds: [], installedAt: '2025-03-01T00:00:00.000Z' };
    expect((await store.records.load('a')).instances).toEqual([
      {
        ...base,
        id: 'i1',
        packId: 'p1',
        overrideName: 'EU',
        releaseNumber: 2,
        pendingReleaseNumber: 3,
        lastError: 'Missing',
        failedReleaseNumber: 3,
      },
      { ...base, id: 'i2', packId: 'p2', releaseNumber: 1 },
    ]);
    await store.docs.append('a', [], { records: [{ op: 'effect', effect: { packId: 'p2', releaseNumber: 2, change: 'move' } }] });
    expect((await store.records.instances('a', { packId: 'p2', limit: 5 })).map((i) => i.releaseNumber)).toEqual([2]);
    await store.close();
  });
});
