import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from 'vitest';
import type { Release } from '../../shared/model.ts';
import { describeStoreContract } from './contract.ts';
import { SCHEMA_VERSION } from './sqlite-schema.ts';
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
  const first = openSqliteStore(file);
  await first.docs.append('a', [], { records: [{ op: 'releases', packId: 'p1', releases: [old], schedule: [] }] });
  await first.close();
  // The file as the version before step 5 left it: the releases table without its notes column.
  const db = new Database(file);
  expect(SCHEMA_VERSION).toBe(5);
  db.exec('ALTER TABLE releases DROP COLUMN notes');
  db.pragma('user_version = 4');
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
