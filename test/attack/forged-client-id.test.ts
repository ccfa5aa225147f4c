/**
 * Attack: structs under another person's Yjs client id, at that person's next clock. Accepted, they
 * would make the victim's own offline edit a "duplicate" that Yjs drops when the victim reconnects.
 * Each client id belongs to the person who first used it (stored, so it holds after a restart), and
 * nobody may use the server's own; such updates are refused whole, and the victim's edit gets in.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import * as Y from 'yjs';
import { readPack, writePackDescription, writePackName, type HistoryPage } from '../../shared/index.ts';
import { synced, waitFor } from '../server/helpers.ts';
import {
  ACCOUNT,
  barrier,
  editOf,
  expectIntact,
  greeted,
  packsOf,
  rawClient,
  serverOwned,
  serverState,
  startArena,
  type Arena,
} from './support.ts';

let arena: Arena;
beforeEach(async () => {
  arena = await startArena();
});
afterEach(() => arena.close());

const PACK = 'demo-p02';

test("a struct under another admin's client id at their next clock is refused; their offline edit is kept", async () => {
  const bob = arena.client(arena.bob);
  await synced(bob);
  writePackName(bob.doc, PACK, 'Bob Online');
  const room = arena.server.rooms.room(ACCOUNT);
  await waitFor([bob], () => readPack(room.doc, PACK)?.name === 'Bob Online', 'the server has bob’s edit');
  bob.provider.disconnect();
  writePackName(bob.doc, PACK, 'Bob Offline');

  const attacker = rawClient(arena, arena.ann);
  await greeted(attacker);
  const base = await serverState(arena);
  attacker.sendUpdate(editOf(base, (doc) => writePackDescription(doc, PACK, 'Forged as Bob'), bob.doc.clientID));
  await barrier(attacker);

  bob.provider.connect();
  await synced(bob);
  const bobId = bob.doc.clientID;
  await waitFor([bob], () => Y.getState(room.doc.store, bobId) >= Y.getState(bob.doc.store, bobId), 'the server has bob’s clocks');
  const seen = await arena.view();
  expect(packsOf(seen)[PACK]?.map.name, 'bob’s offline edit').toBe('Bob Offline');
  expect(packsOf(seen)[PACK]?.map.description).not.toBe('Forged as Bob');
  expect(attacker.notices().map((n) => n.code)).toContain('CLIENT_ID_TAKEN');
  await expectIntact(arena, serverOwned(seen), (packs) => {
    expect(packs[PACK]?.map.name).toBe('Bob Offline');
    expect(packs[PACK]?.map.description).not.toBe('Forged as Bob');
  });
});

test('a client id stays bound after a restart', async () => {
  const bob = arena.client(arena.bob);
  await synced(bob);
  writePackName(bob.doc, PACK, 'Bob Before The Restart');
  const bobId = bob.doc.clientID;
  await waitFor([bob], () => readPack(arena.server.rooms.room(ACCOUNT).doc, PACK)?.name === 'Bob Before The Restart', 'stored');
  await arena.restart();
  const attacker = rawClient(arena, arena.ann);
  await greeted(attacker);
  attacker.sendUpdate(editOf(await serverState(arena), (doc) => writePackDescription(doc, PACK, 'Forged after restart'), bobId));
  await barrier(attacker);
  expect(packsOf(await arena.view())[PACK]?.map.description).not.toBe('Forged after restart');
  expect(attacker.notices().map((n) => n.code)).toContain('CLIENT_ID_TAKEN');
});

test("nobody may write under the server's own client id", async () => {
  const attacker = rawClient(arena, arena.ann);
  await greeted(attacker);
  const owned = serverOwned(await arena.view());
  const serverId = arena.server.rooms.room(ACCOUNT).doc.clientID;
  attacker.sendUpdate(editOf(await serverState(arena), (doc) => writePackDescription(doc, PACK, 'Written as the server'), serverId));
  await barrier(attacker);
  const room = arena.server.rooms.room(ACCOUNT);
  expect(readPack(room.doc, PACK)?.description).not.toBe('Written as the server');
  expect(attacker.notices().map((n) => n.code)).toContain('CLIENT_ID_TAKEN');
  await expectIntact(arena, owned, (packs) => expect(packs[PACK]?.map.description).not.toBe('Written as the server'));
});

test('an edit under another admin’s client id is not recorded in the edit history as theirs (nor at all)', async () => {
  const bob = arena.client(arena.bob);
  await synced(bob);
  writePackName(bob.doc, PACK, 'Bob’s name');
  const room = arena.server.rooms.room(ACCOUNT);
  await waitFor([bob], () => readPack(room.doc, PACK)?.name === 'Bob’s name', 'the server has bob’s edit');
  await room.committed();

  const attacker = rawClient(arena, arena.ann);
  await greeted(attacker);
  attacker.sendUpdate(editOf(await serverState(arena), (doc) => writePackName(doc, PACK, 'Forged as Bob'), bob.doc.clientID));
  await barrier(attacker);
  await room.committed();

  expect(attacker.notices().map((n) => n.code)).toContain('CLIENT_ID_TAKEN');
  const response = await fetch(`${arena.server.url}/api/accounts/${ACCOUNT}/history?packId=${PACK}&kind=EDIT_PACK`, {
    headers: { Authorization: `Bearer ${arena.ann}` },
  });
  const { records } = (await response.json()) as HistoryPage;
  const me = (token: string) =>
    fetch(`${arena.server.url}/api/me`, { headers: { Authorization: `Bearer ${token}` } }).then(
      async (r) => ((await r.json()) as { personId: string }).personId,
    );
  const [annId, bobId] = [await me(arena.ann), await me(arena.bob)];
  expect(annId).not.toBe(bobId);
  // Only Bob's own edit, as his: the forged one changed nothing and is recorded as nobody's.
  expect(records.map(({ actorId, field, newValue }) => ({ actorId, field, newValue }))).toEqual([
    { actorId: bobId, field: 'name', newValue: 'Bob’s name' },
  ]);
  expect(readPack(room.doc, PACK)?.name).toBe('Bob’s name');
});
