/**
 * The truth survives whatever happens to the document: its server-owned roots are a projection of
 * the tables. An update written straight into the store behind the server's back corrupts every part
 * of the projection (and the retired roots); after a restart every client, one that kept the old
 * document and a new one, sees the projection rebuilt from the tables.
 */
import { rmSync } from 'node:fs';
import { afterEach, expect, test } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { readRollout, Root } from '../../shared/index.ts';
import { createSyncServer, databaseFile } from '../../sync-server/server.ts';
import { openSqliteStore } from '../../sync-server/storage/sqlite.ts';
import { connectClient, startTestServer, synced, tempDir, waitFor, type TestClient } from '../server/helpers.ts';
import { projectionOf, seedRecords } from './support.ts';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

test('a projection corrupted in the store is rebuilt from the tables on restart, for every client', async () => {
  const dataDir = tempDir();
  cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const t = await startTestServer({ dataDir, scheduler: false });
  await seedRecords(t);
  const before = connectClient({ wsUrl: t.wsUrl, accountId: 'demo', token: t.tokens.admin });
  await synced(before);
  await waitFor([before], () => readRollout(before.doc, 'orders')?.instances === 3, 'the projection of the seeded records');
  const truth = projectionOf(before.doc);
  expect(Object.keys((truth[Root.recentHistory] as { map: object }).map).length).toBeGreaterThan(0);
  expect(Object.keys((truth[Root.deletedPacks] as { map: object }).map)).toEqual(['billing']);
  const kept = new Y.Doc();
  Y.applyUpdate(kept, Y.encodeStateAsUpdate(before.doc));
  before.destroy();
  await t.server.close();

  // Behind the server's back: an update that rewrites, deletes and adds in every projection root.
  const store = openSqliteStore(databaseFile(dataDir), { durability: 'normal' });
  const stored = await store.docs.load('demo');
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const update of stored.updates) Y.applyUpdate(doc, update);
  const bad: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => bad.push(update));
  doc.transact(() => {
    doc.getMap(Root.account).set('settings', { id: 'demo', name: 'Hijacked', multiInstallEnabled: false, timeZone: 'Mars/Olympus' });
    doc.getMap(Root.catalog).delete('c1');
    doc.getMap(Root.catalog).set('c-evil', { id: 'c-evil', name: 'Evil', type: 'PROCESS', versions: [1] });
    doc.getMap(Root.releases).set('orders', []);
    doc.getMap(Root.managedAccounts).set('m1', { id: 'm1', name: 'Renamed' });
    doc.getMap(Root.deletedPacks).delete('billing');
    doc.getMap(Root.rollout).set('orders', { packId: 'orders', instances: 999, accounts: 9, byRelease: [], pending: 0, failed: 0 });
    for (const key of doc.getMap(Root.recentHistory).keys()) doc.getMap(Root.recentHistory).delete(key);
    doc
      .getMap(Root.recentHistory)
      .set('forged', { id: 'forged', seq: 1_000, kind: 'RELEASE', actor: 'Mallory', at: 'x', summary: 'forged', status: 'SUCCESS' });
    doc.getMap(Root.retiredInstances).set('i-ghost', { id: 'i-ghost', packId: 'orders' });
    doc.getMap(Root.retiredHistory).set('h-ghost', { id: 'h-ghost' });
  });
  await store.docs.append('demo', bad);
  await store.close();

  const restarted = await createSyncServer({ port: 0, dataDir, quiet: true, scheduler: false });
  cleanup.push(() => restarted.close());
  const wsUrl = `${restarted.url.replace(/^http/, 'ws')}/sync`;
  const fresh = connectClient({ wsUrl, accountId: 'demo', token: t.tokens.admin });
  const returning = connectClient({ wsUrl, accountId: 'demo', token: t.tokens.admin2, doc: kept });
  const stock = new Y.Doc();
  const stockProvider = new WebsocketProvider(wsUrl, 'demo', stock, {
    params: { token: t.tokens.viewer },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  cleanup.push(() => stockProvider.destroy());
  const clients: TestClient[] = [fresh, returning];
  for (const client of clients) cleanup.push(() => client.destroy());
  await Promise.all(clients.map(synced));
  await new Promise<void>((resolve) => (stockProvider.synced ? resolve() : stockProvider.once('sync', () => resolve())));
  for (const client of clients)
    await waitFor([client], () => JSON.stringify(projectionOf(client.doc)) === JSON.stringify(truth), 'the rebuilt projection');
  await waitFor(clients, () => JSON.stringify(projectionOf(stock)) === JSON.stringify(truth), 'the stock client sees it too');
  expect(projectionOf(fresh.doc)).toEqual(truth);
  expect(projectionOf(returning.doc)).toEqual(truth);
  // The server's own copy says the same, and the store holds the fix for the next load.
  expect(await restarted.rooms.read('demo', (serverDoc) => projectionOf(serverDoc))).toEqual(truth);
});
