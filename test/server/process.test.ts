/**
 * The server as `npm start` runs it, over loopback: stock providers converge, a SIGTERM stores and
 * closes with 1012, and the state is there after a restart.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { writeNewPack, writePackDescription, readPacks } from '../../shared/index.ts';
import type { DemoTokens } from '../../sync-server/seed.ts';
import { connectClient, packJson, sameState, synced, tempDir, waitFor, type TestClient } from './helpers.ts';
import { spawnServer, type ServerProcess } from './process-helpers.ts';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const newPack = (id: string, name: string) => ({
  id,
  name,
  description: '',
  installationType: 'SINGLE' as const,
  componentIds: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'test',
});

test("two stock y-websocket providers converge through `npm start`'s server, and the state survives a restart", async () => {
  const dataDir = tempDir();
  cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
  let server: ServerProcess = await spawnServer({ dataDir });
  cleanup.push(() => server.child.kill('SIGKILL'));
  const tokens = JSON.parse(readFileSync(join(dataDir, 'demo-tokens.json'), 'utf8')) as DemoTokens;
  expect(tokens.demo?.admin).toHaveLength(2);
  expect(tokens.demo?.viewer).toHaveLength(1);
  expect(Object.keys(tokens.demo?.managed ?? {})).toHaveLength(3);

  const clients: TestClient[] = [];
  cleanup.push(() => {
    for (const c of clients) c.destroy();
  });
  const a = connectClient({ wsUrl: server.wsUrl, accountId: 'demo', token: tokens.demo!.admin[0]! });
  const b = connectClient({ wsUrl: server.wsUrl, accountId: 'demo', token: tokens.demo!.admin[1]! });
  clients.push(a, b);
  await Promise.all([synced(a), synced(b)]);
  const seeded = readPacks(a.doc).length;
  expect(seeded).toBeGreaterThanOrEqual(3);
  expect(a.doc.getMap('catalog').size).toBeGreaterThanOrEqual(30);

  writeNewPack(a.doc, newPack('from-a', 'Pack From A'));
  writeNewPack(b.doc, newPack('from-b', 'Pack From B'));
  writePackDescription(b.doc, 'from-b', 'Written by B');
  await waitFor([a, b], () => sameState(a.doc, b.doc) && readPacks(a.doc).length === seeded + 2, 'a and b converge');

  const closed = waitFor(
    [a, b],
    () => a.closes.some((c) => c.code === 1012) && b.closes.some((c) => c.code === 1012),
    'both closed with 1012',
  );
  server.child.kill('SIGTERM');
  expect(await server.exited).toEqual({ code: 0, signal: null });
  await closed;

  server = await spawnServer({ dataDir });
  const c = connectClient({ wsUrl: server.wsUrl, accountId: 'demo', token: tokens.demo!.viewer[0]! });
  clients.push(c);
  await synced(c);
  expect(packJson(c.doc)).toMatchObject({
    'from-a': { name: 'Pack From A' },
    'from-b': { name: 'Pack From B', description: 'Written by B' },
  });
  expect(server.output()).not.toContain('First start');
  server.child.kill('SIGTERM');
  expect((await server.exited).code).toBe(0);
}, 60_000);

test('`npm run token` mints a working token into DATA_DIR and prints it once', async () => {
  const { execFileSync } = await import('node:child_process');
  const { createSyncServer, databaseFile } = await import('../../sync-server/server.ts');
  const { openSqliteStore } = await import('../../sync-server/storage/sqlite.ts');
  const dataDir = tempDir();
  cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const tsx = join(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'tsx');
  const cli = join(import.meta.dirname, '..', '..', 'sync-server', 'cli', 'token.ts');
  const run = (...args: string[]) =>
    execFileSync(tsx, [cli, ...args], { env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  expect(() => run('--account', 'demo', '--role', 'admin')).toThrow(/No account "demo"/);
  const admin = run('--account', 'demo', '--role', 'admin', '--name', 'Ann', '--create', '--multi-install').trim();
  const managed = run('--account', 'demo', '--role', 'managed', '--managed', 'demo-m1').trim();
  expect(admin).toMatch(/^ipt_[\w-]{43}$/);

  const server = await createSyncServer({ port: 0, dataDir, quiet: true, store: openSqliteStore(databaseFile(dataDir)), scheduler: false });
  cleanup.push(() => server.close());
  const me = async (token: string) => (await fetch(`${server.url}/api/me`, { headers: { Authorization: `Bearer ${token}` } })).json();
  expect(await me(admin)).toMatchObject({ accountId: 'demo', role: 'admin', personName: 'Ann' });
  expect(await me(managed)).toMatchObject({ accountId: 'demo', role: 'managed', managedAccountId: 'demo-m1' });
  expect(await server.store.accounts.getAccount('demo')).toMatchObject({ multiInstallEnabled: true, timeZone: 'UTC' });
}, 60_000);
