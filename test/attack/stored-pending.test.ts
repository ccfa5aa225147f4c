/**
 * Data stored before updates were checked: a snapshot or log may already hold structs waiting on
 * clocks nobody sends, and a pending delete over future clocks. Loading the account drops both
 * (guard.ts dropPending), so they reach no new client, delete nothing written later, and are gone
 * from the store once the room is compacted.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import * as Y from 'yjs';
import { readPacks, writeNewPack, writePackDescription, writePackName } from '../../shared/index.ts';
import { databaseFile } from '../../sync-server/server.ts';
import { openSqliteStore } from '../../sync-server/storage/sqlite.ts';
import { connectClient, covers, synced, waitFor, type TestClient } from '../server/helpers.ts';
import { ACCOUNT, barrier, deleteOnlyUpdate, editOf, greeted, newPack, rawClient, serverState, startArena, type Arena } from './support.ts';

let arena: Arena;
beforeEach(async () => {
  arena = await startArena();
});
afterEach(() => arena.close());

/** The server said it stored everything this client has written. */
const allStored = (client: TestClient) => {
  const last = client.stored.at(-1);
  return last !== undefined && covers(last, Y.encodeStateVector(client.doc));
};

/** What the server's document holds pending, read in process. */
const pendingOnServer = () =>
  arena.server.rooms.read(ACCOUNT, (doc) => ({ structs: doc.store.pendingStructs !== null, deletes: doc.store.pendingDs !== null }));

test('pending structs and deletes already in the store are dropped at load: not sent, not applied to later writes, not kept', async () => {
  const base = await serverState(arena);
  // A hidden client's two updates, of which only the second is stored: it waits on the first for ever.
  const hidden = new Y.Doc();
  Y.applyUpdate(hidden, Y.encodeStateAsUpdate(base));
  const updates: Uint8Array[] = [];
  hidden.on('update', (update: Uint8Array) => updates.push(update));
  writeNewPack(hidden, newPack('orphan'));
  writePackDescription(hidden, 'orphan', 'x'.repeat(20_000));
  const orphan = updates[1]!;
  // Ann's client id, from her edit through the server, and a delete over her next million clocks.
  const ann = connectClient({ wsUrl: arena.wsUrl, accountId: ACCOUNT, token: arena.ann, proto: true });
  await synced(ann);
  writeNewPack(ann.doc, newPack('from-ann'));
  await waitFor([ann], () => allStored(ann), 'Ann’s pack is stored');
  const annId = ann.doc.clientID;
  const futureDelete = deleteOnlyUpdate([[annId, Y.getState(ann.doc.store, annId), 1_000_000]]);
  ann.destroy();

  // Written behind the server's back while the account is not loaded, as an earlier version stored them.
  await arena.unload();
  const store = openSqliteStore(databaseFile(arena.dataDir), { durability: 'normal' });
  await store.docs.append(ACCOUNT, [orphan, futureDelete]);
  await store.close();

  const again = connectClient({ wsUrl: arena.wsUrl, accountId: ACCOUNT, token: arena.val });
  await synced(again);
  expect(await pendingOnServer()).toEqual({ structs: false, deletes: false });
  expect(again.doc.store.pendingStructs).toBeNull();
  expect(Y.encodeStateAsUpdate(again.doc).byteLength).toBeLessThan(Y.encodeStateAsUpdate(base).byteLength + 10_000);
  again.destroy();
  // Ann's next edit under her id (her device sends it with its next clock) is not deleted by the stored pending delete.
  const rename = editOf(await serverState(arena), (doc) => writePackName(doc, 'from-ann', 'Renamed after the load'), annId);
  const device = arena.track(rawClient(arena, arena.ann));
  await greeted(device);
  device.sendUpdate(rename);
  await barrier(device);

  const viewer = connectClient({ wsUrl: arena.wsUrl, accountId: ACCOUNT, token: arena.val });
  await synced(viewer);
  expect(readPacks(viewer.doc).find((pack) => pack.id === 'from-ann')?.name).toBe('Renamed after the load');
  expect(readPacks(viewer.doc).some((pack) => pack.id === 'orphan')).toBe(false);
  viewer.destroy();

  // Compacted at the idle unload: what the store holds loads with nothing pending, after a restart too.
  await arena.unload();
  await arena.restart();
  const reopened = openSqliteStore(databaseFile(arena.dataDir), { durability: 'normal' });
  const stored = await reopened.docs.load(ACCOUNT);
  await reopened.close();
  const fromStore = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(fromStore, stored.snapshot);
  for (const update of stored.updates) Y.applyUpdate(fromStore, update);
  expect({ structs: fromStore.store.pendingStructs, deletes: fromStore.store.pendingDs }).toEqual({ structs: null, deletes: null });
  expect(readPacks(fromStore).find((pack) => pack.id === 'from-ann')?.name).toBe('Renamed after the load');
});
