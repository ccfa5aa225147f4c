/**
 * `npm run backup` while the server runs and a client keeps writing, then `npm run restore` into an
 * empty DATA_DIR: the restored database is one consistent moment (a prefix of the writes, nothing
 * torn), holds at least everything stored before the backup began, matches the live accounts,
 * people and tokens, and a server started on it signs the same tokens in. A non-empty DATA_DIR is
 * refused.
 */
import Database from 'better-sqlite3';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import * as Y from 'yjs';
import { readPacks, writeNewPack } from '../../shared/index.ts';
import { loadStoredDoc, readDemoTokens } from '../fault/support.ts';
import { connectClient, covers, synced, tempDir, waitFor, type TestClient } from '../server/helpers.ts';
import { exitWithin, launch, listening, type Launched } from './support.ts';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const pack = (id: string) => ({
  id,
  name: `Pack ${id}`,
  description: 'x'.repeat(200),
  installationType: 'SINGLE' as const,
  componentIds: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'test',
});

function run(command: string, args: string[], env: Record<string, string>): Launched {
  const launched = launch(command, args, { QUIET: '1', ...env });
  cleanup.push(() => launched.killGroup());
  return launched;
}

function client(wsUrl: string, token: string): TestClient {
  const c = connectClient({ wsUrl, accountId: 'demo', token, proto: true });
  cleanup.push(() => c.destroy());
  return c;
}

/** Rows of the tables that do not change while the test writes documents. */
function fixedTables(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true });
  try {
    return Object.fromEntries(
      ['accounts', 'people', 'tokens'].map((table) => [table, db.prepare(`SELECT * FROM ${table} ORDER BY 1`).all()]),
    );
  } finally {
    db.close();
  }
}

const writtenIndexes = (doc: Y.Doc) =>
  readPacks(doc)
    .map((p) => /^w-(\d+)$/.exec(p.id)?.[1])
    .filter((i) => i !== undefined)
    .map(Number)
    .sort((a, b) => a - b);

test('a backup taken while a client writes restores into an empty DATA_DIR as one consistent moment', async () => {
  const work = tempDir('ip-ops-backup-');
  cleanup.push(() => rmSync(work, { recursive: true, force: true }));
  const live = join(work, 'live');
  const restored = join(work, 'restored');
  const file = join(work, 'backup.db');

  const server = run(process.execPath, ['--import', 'tsx', 'sync-server/main.ts'], { PORT: '0', DATA_DIR: live });
  const { wsUrl } = await listening(server);
  const token = readDemoTokens(live).demo!.admin[0]!;
  const writer = client(wsUrl, token);
  await synced(writer);
  // Some bulk first, so the copy has pages to go through while writes go on.
  writer.doc.transact(() => {
    for (let i = 0; i < 2_000; i++) writeNewPack(writer.doc, pack(`bulk-${i}`));
  });
  // One large update: its check takes seconds on a loaded machine.
  const bulk = Y.encodeStateVector(writer.doc);
  await waitFor([writer], () => writer.stored.some((sv) => covers(sv, bulk)), 'the bulk stored', 90_000);

  let stored = 0;
  let stop = false;
  const writing = (async () => {
    for (let i = 0; !stop && i < 100_000; i++) {
      writeNewPack(writer.doc, pack(`w-${i}`));
      const mine = Y.encodeStateVector(writer.doc);
      await waitFor([writer], () => writer.stored.some((sv) => covers(sv, mine)), `w-${i} stored`);
      stored = i + 1;
    }
  })();
  await waitFor([writer], () => stored >= 5, 'the first writes stored');

  const storedBefore = stored;
  const backup = run('npm', ['run', '-s', 'backup', '--', file], { DATA_DIR: live });
  expect((await exitWithin(backup, 60_000)).code).toBe(0);
  const storedAfter = stored;
  expect(backup.output()).toContain(`to ${file} (2 account(s), 2 document(s)`);
  await waitFor([writer], () => stored >= storedAfter + 3, 'writes go on after the backup');
  stop = true;
  await writing;
  expect(statSync(file).mode & 0o777).toBe(0o600);

  // Restore into an empty DATA_DIR; the same again is refused, nothing touched.
  const restore = run('npm', ['run', '-s', 'restore', '--', file], { DATA_DIR: restored });
  expect((await exitWithin(restore, 60_000)).code).toBe(0);
  expect(restore.output()).toContain(`Restored ${file} into ${restored}`);
  const again = run('npm', ['run', '-s', 'restore', '--', file], { DATA_DIR: restored });
  expect((await exitWithin(again, 60_000)).code).toBe(1);
  expect(again.output()).toContain(`DATA_DIR ${restored} is not empty (it holds sync.db)`);

  process.kill(server.pid, 'SIGTERM');
  expect((await exitWithin(server)).code).toBe(0);

  // One moment: a prefix of the sequential writes, with everything stored before the backup began.
  const restoredDoc = await loadStoredDoc(restored, 'demo');
  const indexes = writtenIndexes(restoredDoc);
  expect(indexes).toEqual(Array.from({ length: indexes.length }, (_, i) => i));
  expect(indexes.length).toBeGreaterThanOrEqual(storedBefore);
  expect(indexes.length).toBeLessThanOrEqual(storedAfter + 1);
  expect(readPacks(restoredDoc).filter((p) => p.id.startsWith('bulk-'))).toHaveLength(2_000);
  const liveDoc = await loadStoredDoc(live, 'demo');
  expect(covers(Y.encodeStateVector(liveDoc), Y.encodeStateVector(restoredDoc))).toBe(true);
  expect(fixedTables(join(restored, 'sync.db'))).toEqual(fixedTables(join(live, 'sync.db')));

  // A server on the restored DATA_DIR takes the same tokens and shows the restored packs.
  const second = run(process.execPath, ['--import', 'tsx', 'sync-server/main.ts'], { PORT: '0', DATA_DIR: restored, QUIET: '' });
  const reopened = client((await listening(second)).wsUrl, token);
  await synced(reopened);
  expect(writtenIndexes(reopened.doc)).toEqual(indexes);
  expect(second.output()).not.toContain('First start');
}, 180_000);

test('restore refuses a file that is not a backup, and a DATA_DIR that holds anything', async () => {
  const work = tempDir('ip-ops-backup-');
  cleanup.push(() => rmSync(work, { recursive: true, force: true }));
  const notBackup = join(work, 'notes.txt');
  writeFileSync(notBackup, 'hello');
  const empty = join(work, 'empty');
  const bad = run('npm', ['run', '-s', 'restore', '--', notBackup], { DATA_DIR: empty });
  expect((await exitWithin(bad, 60_000)).code).toBe(1);
  expect(bad.output()).toContain(`${notBackup} is not a backup taken by npm run backup`);

  const occupied = join(work, 'occupied');
  mkdirSync(occupied);
  writeFileSync(join(occupied, 'keep.me'), '');
  const refused = run('npm', ['run', '-s', 'restore', '--', notBackup], { DATA_DIR: occupied });
  expect((await exitWithin(refused, 60_000)).code).toBe(1);
  expect(refused.output()).toContain(`DATA_DIR ${occupied} is not empty (it holds keep.me)`);
}, 120_000);
