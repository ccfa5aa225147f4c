/**
 * Attack: a stock client deletes a pack's map, or replaces its `components` map, directly (deleting
 * a pack is the DELETE_PACK command). A repair after the fact restores a fresh copy, and another
 * admin's concurrent edits, made to the old map, are lost. The update is refused instead: nothing of
 * it is applied, and the other admin's offline edits arrive intact.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import * as Y from 'yjs';
import { packsMap, readPack, writeAddComponents, writePackName } from '../../shared/index.ts';
import { covers, synced, waitFor } from '../server/helpers.ts';
import { ACCOUNT, expectIntact, packsOf, serverOwned, startArena, type Arena } from './support.ts';

let arena: Arena;
beforeEach(async () => {
  arena = await startArena();
});
afterEach(() => arena.close());

const PACK = 'demo-p03'; // HR Onboarding Suite, SINGLE
const EXTRA = 'demo-c01';

async function bobOfflineEdits() {
  const bob = arena.client(arena.bob);
  await synced(bob);
  bob.provider.disconnect();
  writePackName(bob.doc, PACK, 'Renamed Offline By Bob');
  writeAddComponents(bob.doc, PACK, [EXTRA]);
  return bob;
}

async function bobReconnects(bob: ReturnType<Arena['client']>) {
  const room = arena.server.rooms.room(ACCOUNT);
  bob.provider.connect();
  await synced(bob);
  const id = bob.doc.clientID;
  await waitFor([bob], () => Y.getState(room.doc.store, id) >= Y.getState(bob.doc.store, id), 'the server has bob’s edits');
}

/** The server has handled ann's update: she was told it was refused, or it is stored. */
async function annHandled(ann: ReturnType<Arena['client']>) {
  const mine = Y.encodeStateVector(ann.doc);
  await waitFor([ann], () => ann.notices.length > 0 || ann.stored.some((sv) => covers(sv, mine)), 'ann’s update is handled');
}

const bobsEditsKept = (packs: ReturnType<typeof packsOf>) => {
  expect(packs[PACK]?.map.name, 'bob’s rename').toBe('Renamed Offline By Bob');
  expect(Object.keys((packs[PACK]?.map.components as { map: object } | undefined)?.map ?? {}), 'bob’s component').toContain(EXTRA);
};

test("deleting a pack's map directly is refused; another admin's concurrent edits to the pack are kept", async () => {
  const owned = serverOwned(await arena.view());
  const bob = await bobOfflineEdits();
  const ann = arena.client(arena.ann, true);
  await synced(ann);
  packsMap(ann.doc).delete(PACK);
  await annHandled(ann);
  await bobReconnects(bob);
  const seen = await arena.view();
  bobsEditsKept(packsOf(seen));
  expect(ann.notices.map((n) => n.code)).toContain('DELETE_IS_A_COMMAND');
  await expectIntact(arena, owned, bobsEditsKept);
});

test("replacing a pack's components map is refused; another admin's concurrent component is kept", async () => {
  const owned = serverOwned(await arena.view());
  const bob = await bobOfflineEdits();
  const ann = arena.client(arena.ann, true);
  await synced(ann);
  const before = readPack(ann.doc, PACK)!.componentIds;
  (packsMap(ann.doc).get(PACK) as Y.Map<unknown>).set('components', new Y.Map());
  await annHandled(ann);
  await bobReconnects(bob);
  const seen = await arena.view();
  bobsEditsKept(packsOf(seen));
  expect(Object.keys((packsOf(seen)[PACK]?.map.components as { map: object } | undefined)?.map ?? {})).toEqual(
    expect.arrayContaining(before),
  );
  expect(ann.notices.map((n) => n.code)).toContain('COMPONENTS_REPLACED');
  await expectIntact(arena, owned, bobsEditsKept);
});
