/**
 * kill -9 of the server while two clients write continuously: every update the server reported as
 * stored (type 100) is in the database after the crash, and after a restart the clients reconnect,
 * send what the server lost or never got, and converge with nothing lost.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import * as Y from 'yjs';
import { readPacks, writeNewPack } from '../../shared/index.ts';
import type { DemoTokens } from '../../sync-server/seed.ts';
import { databaseFile } from '../../sync-server/server.ts';
import { openSqliteStore } from '../../sync-server/storage/sqlite.ts';
import { connectClient, covers, sameState, synced, tempDir, waitFor, type TestClient } from './helpers.ts';
import { spawnServer, type ServerProcess } from './process-helpers.ts';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** Writes one new pack every `everyMs` until stopped; remembers the ids it wrote. */
function writer(client: TestClient, prefix: string, everyMs = 3) {
  const written: string[] = [];
  const timer = setInterval(() => {
    const id = `${prefix}-${written.length + 1}`;
    writeNewPack(client.doc, {
      id,
      name: `Pack ${id}`,
      description: 'x'.repeat(written.length % 50),
      installationType: 'SINGLE',
      componentIds: [],
      createdAt: new Date(0).toISOString(),
      createdBy: prefix,
    });
    written.push(id);
    client.events.emit('change');
  }, everyMs);
  return { written, stop: () => clearInterval(timer) };
}

async function loadStoredDoc(dataDir: string): Promise<Y.Doc> {
  const store = openSqliteStore(databaseFile(dataDir));
  try {
    const stored = await store.docs.load('demo');
    const doc = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
    for (const update of stored.updates) Y.applyUpdate(doc, update);
    return doc;
  } finally {
    await store.close();
  }
}

test('kill -9 during a write storm loses nothing that was reported stored; clients converge after restart', async () => {
  const dataDir = tempDir();
  cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
  let server: ServerProcess = await spawnServer({ dataDir, via: 'node' });
  cleanup.push(() => server.child.kill('SIGKILL'));
  const tokens = JSON.parse(readFileSync(join(dataDir, 'demo-tokens.json'), 'utf8')) as DemoTokens;
  const port = server.port;

  const a = connectClient({ wsUrl: server.wsUrl, accountId: 'demo', token: tokens.demo!.admin[0]!, proto: true });
  const b = connectClient({ wsUrl: server.wsUrl, accountId: 'demo', token: tokens.demo!.admin[1]!, proto: true });
  cleanup.push(() => (a.destroy(), b.destroy()));
  await Promise.all([synced(a), synced(b)]);
  const writeA = writer(a, 'a');
  const writeB = writer(b, 'b');
  cleanup.push(() => (writeA.stop(), writeB.stop()));

  await waitFor([a, b], () => a.stored.length >= 30 && b.stored.length >= 30 && writeA.written.length >= 40, 'a storm of stored edits');
  server.child.kill('SIGKILL');
  await server.exited;
  const reported = [...a.stored, ...b.stored];
  const lastA = a.stored.at(-1)!;
  const lastB = b.stored.at(-1)!;

  const onDisk = await loadStoredDoc(dataDir);
  const diskState = Y.encodeStateVector(onDisk);
  expect(reported.every((sv) => covers(diskState, sv))).toBe(true);
  expect(covers(diskState, lastA) && covers(diskState, lastB)).toBe(true);

  // The clients keep writing while the server is down, then reconnect to the restarted server.
  await waitFor([a, b], () => !a.provider.wsconnected && !b.provider.wsconnected, 'clients notice the crash');
  const offlineFrom = writeA.written.length;
  await waitFor([a], () => writeA.written.length >= offlineFrom + 5, 'offline edits');
  server = await spawnServer({ dataDir, port, via: 'node' });
  const storedBefore = [a.stored.length, b.stored.length];
  await waitFor(
    [a, b],
    () => a.stored.length > storedBefore[0]! + 5 && b.stored.length > storedBefore[1]! + 5,
    'writing again after the restart',
    20_000,
  );
  writeA.stop();
  writeB.stop();

  const c = connectClient({ wsUrl: server.wsUrl, accountId: 'demo', token: tokens.demo!.viewer[0]! });
  cleanup.push(() => c.destroy());
  await synced(c);
  await waitFor([a, b, c], () => sameState(a.doc, b.doc) && sameState(a.doc, c.doc), 'a, b and a fresh client converge', 20_000);
  const ids = new Set(readPacks(c.doc).map((p) => p.id));
  const missing = [...writeA.written, ...writeB.written].filter((id) => !ids.has(id));
  expect(missing).toEqual([]);
  // Everything a reported stored is still covered by what the restarted server says it stores.
  expect(covers(a.stored.at(-1)!, lastA)).toBe(true);
  server.child.kill('SIGTERM');
  expect((await server.exited).code).toBe(0);
}, 60_000);
