/**
 * Issue 5, "what it must show", against the real sync server over loopback.
 */
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
// Solid's reactive browser build: under Node, 'solid-js' resolves to its non-reactive server build.
// @ts-expect-error the build file itself has no type declarations
vi.mock('solid-js', async () => await import('../../node_modules/solid-js/dist/solid.js'));
import {
  encodeCommand,
  readAccount,
  readCatalog,
  readPack,
  readPacks,
  readReleases,
  validatePack,
  type PublishedComponent,
} from '../../shared/index.ts';
import type { LocalWorkspace } from '../../client/core/workspace.ts';
import { connectClient, waitFor as waitForClient } from '../server/helpers.ts';
import { isSaved, openClient, startLoopbackServer, waitFor, type LoopbackServer } from './loopback-support.ts';
import { documentView, tableView } from './support.ts';

let server: LoopbackServer;
let orders: PublishedComponent;
let invoices: PublishedComponent;
let customers: PublishedComponent;
const workspaces: LocalWorkspace[] = [];

beforeAll(async () => {
  server = await startLoopbackServer();
  orders = await server.publish('Orders Export');
  invoices = await server.publish('Invoice Sync');
  customers = await server.publish('Customer Lookup API', 'API_SERVICE');
});

afterAll(async () => {
  for (const workspace of workspaces) await workspace.close();
  await server.close();
});

async function client(token: string, options: Parameters<typeof openClient>[1] = {}) {
  const handle = await openClient(await server.session(token), options);
  workspaces.push(handle.workspace);
  return handle;
}

async function mirrorMatches(workspace: LocalWorkspace) {
  await workspace.settled();
  expect(await tableView(workspace.db)).toEqual(documentView(workspace.doc));
}

describe('the client core against the real server', () => {
  test('edits made offline reach the server and a second client after a reconnect', async () => {
    const { workspace: ann } = await client(server.tokens.admin);
    await waitFor(() => isSaved(ann) && readCatalog(ann.doc).size >= 3, 'Ann online with the catalog', [ann.doc]);
    ann.disconnect();
    expect(ann.status().state).toBe('offline');

    const added = await ann.addPack({ name: 'Offline pack', description: 'made on a plane', installationType: 'MULTI' });
    expect(added.ok).toBe(true);
    const packId = added.ok ? added.value : '';
    expect((await ann.addComponents(packId, [orders.id, invoices.id])).ok).toBe(true);
    expect((await ann.savePack(packId, { name: 'Offline pack', description: 'made on a plane, edited on a train' })).ok).toBe(true);
    expect((await ann.removeComponent(packId, invoices.id)).ok).toBe(true);
    expect(ann.status()).toEqual({ state: 'offline', unstored: 4 });

    const { workspace: bob } = await client(server.tokens.admin2);
    await waitFor(() => isSaved(bob), 'Bob online', [bob.doc]);
    expect(readPack(bob.doc, packId)).toBeUndefined();

    ann.connect();
    await waitFor(() => isSaved(ann), 'Ann saved after the reconnect', [ann.doc]);
    const expected = readPack(ann.doc, packId);
    expect(expected).toMatchObject({ description: 'made on a plane, edited on a train', componentIds: [orders.id] });
    expect((await server.storedPacks()).find((pack) => pack.id === packId)).toEqual(expected);
    await waitFor(async () => (await bob.db.packs.get(packId))?.description === expected?.description, 'the pack in Bob’s tables', [
      bob.doc,
    ]);
    expect(readPack(bob.doc, packId)).toEqual(expected);
    await mirrorMatches(bob);
    await mirrorMatches(ann);
  });

  test('two clients offline on the same pack converge after reconnecting, every rule holding', async () => {
    const { workspace: ann } = await client(server.tokens.admin);
    const { workspace: bob } = await client(server.tokens.admin2);
    await waitFor(() => isSaved(ann) && isSaved(bob), 'both online', [ann.doc, bob.doc]);
    const added = await ann.addPack({ name: 'Shared pack', description: 'v1', installationType: 'SINGLE' });
    const packId = added.ok ? added.value : '';
    await ann.addComponents(packId, [orders.id, invoices.id, customers.id]);
    await waitFor(() => readPack(bob.doc, packId)?.componentIds.length === 3, 'Bob has the pack', [bob.doc]);

    ann.disconnect();
    bob.disconnect();
    expect((await ann.savePack(packId, { name: 'Shared pack (renamed by Ann)', description: 'v1' })).ok).toBe(true);
    expect((await bob.savePack(packId, { name: 'Shared pack', description: 'v2 by Bob' })).ok).toBe(true);
    expect((await bob.removeComponent(packId, invoices.id)).ok).toBe(true);

    ann.connect();
    bob.connect();
    await waitFor(
      () => isSaved(ann) && isSaved(bob) && JSON.stringify(readPack(ann.doc, packId)) === JSON.stringify(readPack(bob.doc, packId)),
      'both saved and equal',
      [ann.doc, bob.doc],
    );
    const merged = readPack(ann.doc, packId)!;
    expect(merged).toMatchObject({
      name: 'Shared pack (renamed by Ann)',
      description: 'v2 by Bob',
      componentIds: [orders.id, customers.id].sort(),
    });
    const rules = validatePack(merged, readAccount(ann.doc)!, readCatalog(ann.doc));
    expect(rules).toEqual({ ok: true, value: undefined });
    expect((await server.storedPacks()).find((pack) => pack.id === packId)).toEqual(merged);
    await mirrorMatches(ann);
    await mirrorMatches(bob);
  });

  test('a reload keeps the packs and the queue; a queued command sent twice is applied once', async () => {
    const first = await client(server.tokens.admin);
    const ann = first.workspace;
    await waitFor(() => isSaved(ann), 'Ann online', [ann.doc]);
    const added = await ann.addPack({ name: 'Release me', description: '', installationType: 'SINGLE' });
    const packId = added.ok ? added.value : '';
    await ann.addComponents(packId, [orders.id]);
    await waitFor(() => isSaved(ann), 'the pack stored', [ann.doc]);
    ann.disconnect();
    const queued = await ann.release(packId, { releaseSchedule: 'IMMEDIATELY' });
    expect(queued).toMatchObject({ ok: true, value: { queued: true } });
    const key = queued.ok && queued.value.queued ? queued.value.idempotencyKey : '';
    const packsBefore = readPacks(ann.doc);
    const outboxBefore = await ann.db.outbox.toArray();
    await ann.close();

    // The reload: a new Dexie instance on the same database, offline first.
    const reloaded = (await client(server.tokens.admin, { factory: first.factory, connect: false })).workspace;
    expect(readPacks(reloaded.doc)).toEqual(packsBefore);
    expect(await reloaded.db.outbox.toArray()).toEqual(outboxBefore);
    expect(reloaded.packs().map((pack) => pack.id)).toContain(packId);

    reloaded.connect();
    await waitFor(
      async () => (await reloaded.db.outbox.count()) === 0 && readReleases(reloaded.doc, packId).length === 1,
      'the release ran',
      [reloaded.doc],
    );
    expect(server.executions.get(key)).toBe(1);

    // The same envelope again (a retry after a lost answer): the server answers with the first result.
    const stock = connectClient({ wsUrl: server.wsUrl, accountId: 'demo', token: server.tokens.admin, proto: true });
    await waitForClient([stock], () => stock.provider.synced, 'stock client synced');
    stock.provider.ws!.send(encodeCommand({ idempotencyKey: key, command: { type: 'RELEASE', packId, releaseSchedule: 'IMMEDIATELY' } }));
    await waitForClient([stock], () => stock.results.length === 1, 'the answer to the retry');
    expect(stock.results[0]).toMatchObject({ idempotencyKey: key, status: 'SUCCESS', releaseNumber: 1 });
    stock.destroy();
    expect(server.executions.get(key)).toBe(1);
    expect(readReleases(reloaded.doc, packId)).toHaveLength(1);
    await waitFor(async () => (await reloaded.db.releases.where('packId').equals(packId).count()) === 1, 'the release in the tables', [
      reloaded.doc,
    ]);
    await mirrorMatches(reloaded);
  });

  test('dataKnown: false on a new device until its first sync, then true, also when reopened offline', async () => {
    const first = await client(server.tokens.admin, { connect: false });
    expect(first.workspace.dataKnown()).toBe(false);
    first.workspace.connect();
    await waitFor(() => first.workspace.dataKnown(), 'the first sync', [first.workspace.doc]);
    await first.workspace.settled();
    await first.workspace.close();
    const reopened = (await client(server.tokens.admin, { factory: first.factory, connect: false })).workspace;
    expect(reopened.dataKnown()).toBe(true);
  });
});
