/**
 * kill -9 of the server (`node sync-server/main.ts`, as npm start runs it: SQLite with fsync on its
 * writer thread) during a write storm on two accounts: six clients that speak proto=1 write in a
 * closed loop (new packs, descriptions of their own packs) and a stock client writes on a timer.
 * After the crash, a fresh SQLite connection must find every edit a client had been told was stored
 * (type 100), down to each pack's last stored description. The clients keep editing offline; after a
 * restart on the same port they reconnect, everything they wrote arrives, each account's replicas
 * converge, nothing crosses between accounts, and every pack keeps the rules.
 * (test/server/crash.test.ts is the two-client version of this.)
 */
import { rmSync } from 'node:fs';
import { afterEach, expect, test } from 'vitest';
import * as Y from 'yjs';
import { readAccount, readCatalog, readPack, readPacks, validatePack, writeNewPack, writePackDescription } from '../../shared/index.ts';
import { connectClient, covers, sameState, synced, tempDir, waitFor, type TestClient } from '../server/helpers.ts';
import { spawnServer, type ServerProcess } from '../server/process-helpers.ts';
import { loadStoredDoc, readDemoTokens } from './support.ts';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

interface Edit {
  packId: string;
  description: string;
  /** The writer's own clock after the edit: stored once a stored vector reaches it. */
  clock: number;
}

/** A proto client that writes a burst of edits at start and after every stored report, until stopped. */
function closedLoopWriter(client: TestClient, prefix: string) {
  const edits: Edit[] = [];
  const packIds: string[] = [];
  let running = true;
  let n = 0;
  const own = () => Y.getState(client.doc.store, client.doc.clientID);
  const burst = () => {
    if (!running) return;
    for (let k = 0; k < 2; k++) {
      n++;
      if (n % 3 === 1 || packIds.length === 0) {
        const packId = `${prefix}-${packIds.length + 1}`;
        writeNewPack(client.doc, {
          id: packId,
          name: `Storm ${packId}`,
          description: `created ${n}`,
          installationType: 'SINGLE',
          componentIds: [],
          createdAt: new Date(0).toISOString(),
          createdBy: prefix,
        });
        packIds.push(packId);
        edits.push({ packId, description: `created ${n}`, clock: own() });
      } else {
        const packId = packIds[n % packIds.length]!;
        const description = `edit ${n} by ${prefix}`;
        writePackDescription(client.doc, packId, description);
        edits.push({ packId, description, clock: own() });
      }
    }
  };
  client.events.on('change', () => {
    if (client.stored.length > reportsSeen) {
      reportsSeen = client.stored.length;
      burst();
    }
  });
  let reportsSeen = 0;
  return {
    edits,
    packIds,
    start: burst,
    burst,
    stop: () => void (running = false),
  };
}

/**
 * Every edit this writer made up to what `storedVector` covers is in `doc`: each such pack exists and
 * shows its last stored description or a later one (the server may have stored more than it could
 * report before it died). Returns how many packs were checked.
 */
function expectStoredEditsIn(doc: Y.Doc, client: TestClient, edits: readonly Edit[], storedVector: Uint8Array): number {
  const upTo = Y.decodeStateVector(storedVector).get(client.doc.clientID) ?? 0;
  const lastStored = new Map<string, number>();
  edits.forEach((edit, index) => {
    if (edit.clock <= upTo) lastStored.set(edit.packId, index);
  });
  for (const [packId, index] of lastStored) {
    const allowed = edits
      .slice(index)
      .filter((edit) => edit.packId === packId)
      .map((edit) => edit.description);
    expect(allowed, `${packId} as stored`).toContain(readPack(doc, packId)?.description);
  }
  return lastStored.size;
}

test('kill -9 during a several-client write storm on two accounts loses nothing reported stored; all converge after restart', async () => {
  const dataDir = tempDir('ip-fault-crash-');
  cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
  let server: ServerProcess = await spawnServer({ dataDir, via: 'node' });
  cleanup.push(() => server.child.kill('SIGKILL'));
  const tokens = readDemoTokens(dataDir);
  const port = server.port;
  const accounts = ['demo', 'acme'] as const;

  const writers = accounts.flatMap((accountId) =>
    Array.from({ length: 3 }, (_, i) => {
      const client = connectClient({ wsUrl: server.wsUrl, accountId, token: tokens[accountId]!.admin[i % 2]!, proto: true });
      return { accountId, client, loop: closedLoopWriter(client, `${accountId}-w${i}`) };
    }),
  );
  const stock = connectClient({ wsUrl: server.wsUrl, accountId: 'demo', token: tokens.demo!.admin[1]! });
  const clients = [...writers.map((w) => w.client), stock];
  cleanup.push(() => {
    for (const c of clients) c.destroy();
  });
  await Promise.all(clients.map(synced));

  // The stock client writes on a timer (it cannot hear what is stored).
  const stockPacks: string[] = [];
  const stockTimer = setInterval(() => {
    const id = `demo-stock-${stockPacks.length + 1}`;
    writeNewPack(stock.doc, {
      id,
      name: `Stock ${id}`,
      description: '',
      installationType: 'SINGLE',
      componentIds: [],
      createdAt: new Date(0).toISOString(),
      createdBy: 'stock',
    });
    stockPacks.push(id);
    stock.events.emit('change');
  }, 4);
  cleanup.push(() => clearInterval(stockTimer));
  for (const writer of writers) writer.loop.start();

  await waitFor(
    clients,
    () => writers.every((w) => w.client.stored.length >= 25) && stockPacks.length >= 30,
    'a storm of stored edits',
    30_000,
  );
  // Kill right after a burst, with edits in flight.
  writers[0]!.loop.burst();
  server.child.kill('SIGKILL');
  clearInterval(stockTimer);
  expect((await server.exited).signal).toBe('SIGKILL');

  // Everything reported stored is in the file.
  let checked = 0;
  for (const accountId of accounts) {
    const onDisk = await loadStoredDoc(dataDir, accountId);
    const diskVector = Y.encodeStateVector(onDisk);
    for (const writer of writers.filter((w) => w.accountId === accountId)) {
      expect(
        writer.client.stored.every((sv) => covers(diskVector, sv)),
        `${writer.loop.packIds[0]}: every stored vector is on disk`,
      ).toBe(true);
      checked += expectStoredEditsIn(onDisk, writer.client, writer.loop.edits, writer.client.stored.at(-1)!);
    }
    onDisk.destroy();
  }
  expect(checked).toBeGreaterThan(50);

  // Offline edits while the server is down, then a restart on the same port.
  await waitFor(clients, () => clients.every((c) => !c.provider.wsconnected), 'clients notice the crash');
  for (const writer of writers) writer.loop.burst();
  server = await spawnServer({ dataDir, port, via: 'node' });
  const reports = writers.map((w) => w.client.stored.length);
  await waitFor(
    clients,
    () => writers.every((w, i) => w.client.stored.length >= reports[i]! + 5),
    'writing again after the restart',
    30_000,
  );
  for (const writer of writers) writer.loop.stop();

  // Each writer hears that all it wrote is stored; each account's replicas converge.
  await waitFor(
    clients,
    () => writers.every((w) => covers(w.client.stored.at(-1)!, Y.encodeStateVector(w.client.doc))),
    'every writer sees all its edits stored',
    30_000,
  );
  for (const accountId of accounts) {
    const replicas =
      accountId === 'demo'
        ? [...writers.filter((w) => w.accountId === 'demo').map((w) => w.client), stock]
        : writers.filter((w) => w.accountId === 'acme').map((w) => w.client);
    const fresh = connectClient({ wsUrl: server.wsUrl, accountId, token: tokens[accountId]!.viewer[0]! });
    cleanup.push(() => fresh.destroy());
    await synced(fresh);
    await waitFor([...replicas, fresh], () => replicas.every((r) => sameState(r.doc, fresh.doc)), `${accountId} replicas converge`, 30_000);

    const packs = readPacks(fresh.doc);
    const ids = new Set(packs.map((p) => p.id));
    const written = [
      ...writers.filter((w) => w.accountId === accountId).flatMap((w) => w.loop.packIds),
      ...(accountId === 'demo' ? stockPacks : []),
    ];
    expect(
      written.filter((id) => !ids.has(id)),
      `${accountId}: packs lost`,
    ).toEqual([]);
    const other = accountId === 'demo' ? 'acme-' : 'demo-';
    expect(
      packs.filter((p) => p.id.startsWith(other)),
      `${accountId}: packs of the other account`,
    ).toEqual([]);
    for (const writer of writers.filter((w) => w.accountId === accountId))
      for (const packId of writer.loop.packIds) {
        const last = writer.loop.edits.filter((e) => e.packId === packId).at(-1)!;
        expect(readPack(fresh.doc, packId)?.description).toBe(last.description);
      }
    const account = readAccount(fresh.doc)!;
    const catalog = readCatalog(fresh.doc);
    for (const pack of packs) expect(validatePack(pack, account, catalog), pack.id).toMatchObject({ ok: true });
  }

  server.child.kill('SIGTERM');
  expect((await server.exited).code).toBe(0);
}, 90_000);
