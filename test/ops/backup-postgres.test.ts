/**
 * The PostgreSQL store (DATABASE_URL) as an operator runs it: `npm run backup` (pg_dump) while a
 * client keeps writing, `npm run restore` (pg_restore) into an empty database — one consistent
 * moment, the same accounts, people and tokens, a server on it signs the same token in — a database
 * that is not empty refused; and /readyz says 503 with the reason once PostgreSQL stops answering.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterEach, expect, test } from 'vitest';
import * as Y from 'yjs';
import { readPacks, writeNewPack } from '../../shared/index.ts';
import { readDemoTokens } from '../fault/support.ts';
import { connectClient, covers, synced, tempDir, waitFor, type TestClient } from '../server/helpers.ts';
import { freshDatabase } from '../support/postgres-db.ts';
import { startPostgres } from '../support/postgres.ts';
import { exitWithin, launch, listening, metricSample, type Launched } from './support.ts';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const pack = (id: string) => ({
  id,
  name: `Pack ${id}`,
  description: '',
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

function server(databaseUrl: string, dataDir: string): Launched {
  return run(process.execPath, ['--import', 'tsx', 'sync-server/main.ts'], { PORT: '0', DATABASE_URL: databaseUrl, DATA_DIR: dataDir });
}

function client(wsUrl: string, token: string): TestClient {
  const c = connectClient({ wsUrl, accountId: 'demo', token, proto: true });
  cleanup.push(() => c.destroy());
  return c;
}

async function rows(databaseUrl: string, tables: readonly string[]): Promise<Record<string, unknown[]>> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const result: Record<string, unknown[]> = {};
    for (const table of tables) result[table] = [...(await sql.unsafe(`SELECT * FROM ${table} ORDER BY 1`))];
    return result;
  } finally {
    await sql.end();
  }
}

const writtenIndexes = (doc: Y.Doc) =>
  readPacks(doc)
    .map((p) => /^w-(\d+)$/.exec(p.id)?.[1])
    .filter((i) => i !== undefined)
    .map(Number)
    .sort((a, b) => a - b);

test('pg_dump while a client writes, pg_restore into an empty database: one consistent moment, same tokens', async () => {
  const work = tempDir('ip-ops-pgbackup-');
  cleanup.push(() => rmSync(work, { recursive: true, force: true }));
  const file = join(work, 'backup.dump');
  const live = await freshDatabase();
  const restored = await freshDatabase();

  const first = server(live, join(work, 'live'));
  const { wsUrl, url } = await listening(first);
  const token = readDemoTokens(join(work, 'live')).demo!.admin[0]!;
  const writer = client(wsUrl, token);
  await synced(writer);
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
  const backup = run('npm', ['run', '-s', 'backup', '--', file], { DATABASE_URL: live });
  expect((await exitWithin(backup, 90_000)).code).toBe(0);
  const storedAfter = stored;
  expect(backup.output()).toMatch(/Backed up postgres:\/\/postgres@127\.0\.0\.1:\d+\/t_\w+ to .*backup\.dump \(pg_dump, \d+ tables/);
  stop = true;
  await writing;

  // The same metrics as on SQLite: the commits were timed, the account's bytes measured.
  const metrics = await (await fetch(`${url}/metrics`)).text();
  expect(metricSample(metrics, 'ipack_commit_duration_seconds_count')).toBeGreaterThanOrEqual(stored);
  expect(metricSample(metrics, 'ipack_account_stored_bytes', '{account="demo"}')).toBeGreaterThan(1000);

  const restore = run('npm', ['run', '-s', 'restore', '--', file], { DATABASE_URL: restored });
  expect((await exitWithin(restore, 90_000)).code).toBe(0);
  const again = run('npm', ['run', '-s', 'restore', '--', file], { DATABASE_URL: restored });
  expect((await exitWithin(again, 90_000)).code).toBe(1);
  expect(again.output()).toMatch(/The database postgres:\/\/\S+ is not empty \(it has the tables .*accounts/);

  process.kill(first.pid, 'SIGTERM');
  expect((await exitWithin(first)).code).toBe(0);
  const fixed = ['accounts', 'people', 'tokens'];
  expect(await rows(restored, fixed)).toEqual(await rows(live, fixed));
  expect(await rows(restored, ['account_leases'])).toEqual({ account_leases: [] });

  const second = server(restored, join(work, 'restored'));
  const reader = client((await listening(second)).wsUrl, token);
  await synced(reader);
  const indexes = writtenIndexes(reader.doc);
  expect(indexes).toEqual(Array.from({ length: indexes.length }, (_, i) => i));
  expect(indexes.length).toBeGreaterThanOrEqual(storedBefore);
  expect(indexes.length).toBeLessThanOrEqual(storedAfter + 1);
  expect(second.output()).not.toContain('First start');
}, 240_000);

test('restoring an SQLite backup with DATABASE_URL set says which kind it is', async () => {
  const work = tempDir('ip-ops-pgbackup-');
  cleanup.push(() => rmSync(work, { recursive: true, force: true }));
  const sqliteFile = join(work, 'sqlite.db');
  const seeded = server('', join(work, 'sqlite'));
  await listening(seeded);
  const backup = run('npm', ['run', '-s', 'backup', '--', sqliteFile], { DATA_DIR: join(work, 'sqlite'), DATABASE_URL: '' });
  expect((await exitWithin(backup, 90_000)).code).toBe(0);
  const restore = run('npm', ['run', '-s', 'restore', '--', sqliteFile], { DATABASE_URL: await freshDatabase() });
  expect((await exitWithin(restore, 90_000)).code).toBe(1);
  expect(restore.output()).toContain(`${sqliteFile} is an SQLite backup: unset DATABASE_URL and restore it into an empty DATA_DIR.`);
}, 120_000);

test('/readyz answers 503 with the reason once PostgreSQL stops answering', async () => {
  const pg = await startPostgres();
  cleanup.push(() => pg.stop());
  const dataDir = tempDir('ip-ops-pgready-');
  cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const instance = server(await pg.createDatabase(), dataDir);
  const { url } = await listening(instance);
  expect((await fetch(`${url}/readyz`)).status).toBe(200);

  await pg.stop();
  const answer = await fetch(`${url}/readyz`);
  expect(answer.status).toBe(503);
  expect(await answer.json()).toMatchObject({
    ready: false,
    store: 'unreachable',
    reason: expect.stringMatching(/^the store did not answer/),
  });
  expect((await fetch(`${url}/healthz`)).status).toBe(200);

  // Nothing was pending: a stop with the database gone still ends cleanly (the store's close is bounded).
  process.kill(instance.pid, 'SIGTERM');
  expect((await exitWithin(instance, 45_000)).code).toBe(0);
}, 120_000);
