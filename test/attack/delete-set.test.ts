/**
 * Attack: an update with no structs and one delete range over clocks the server does not have yet.
 * Kept as a pending delete set, it would delete whatever the server (or another admin) writes next.
 * It is refused before it touches the document: the sender is told, the connection stays usable,
 * and what is written afterwards is seen by everyone — now, after the idle unload and after a restart.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import * as Y from 'yjs';
import { readPack, writePackName } from '../../shared/index.ts';
import { synced, waitFor } from '../server/helpers.ts';
import {
  ACCOUNT,
  barrier,
  deleteOnlyUpdate,
  expectIntact,
  greeted,
  packsOf,
  rawClient,
  serverOwned,
  startArena,
  type Arena,
} from './support.ts';

let arena: Arena;
beforeEach(async () => {
  arena = await startArena();
});
afterEach(() => arena.close());

async function publishComponent(name: string): Promise<string> {
  const response = await fetch(`${arena.server.url}/api/accounts/${ACCOUNT}/components`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${arena.ann}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name, type: 'PROCESS' }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

/** A command through the HTTP command path, which must succeed. */
async function run(command: Record<string, unknown>): Promise<{ releaseNumber?: number }> {
  const response = await fetch(`${arena.server.url}/api/accounts/${ACCOUNT}/commands`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${arena.ann}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ idempotencyKey: `after-the-attack-${String(command.type)}`, command }),
  });
  const body = (await response.json()) as { status: string; releaseNumber?: number };
  expect(body, JSON.stringify(body)).toMatchObject({ status: 'SUCCESS' });
  return body;
}

test("a 12-byte delete range over the server's future clocks is refused; what the server writes next is kept", async () => {
  const attacker = rawClient(arena, arena.ann);
  await greeted(attacker);
  const room = arena.server.rooms.room(ACCOUNT);
  const serverClient = room.doc.clientID;
  const update = deleteOnlyUpdate([[serverClient, Y.getState(room.doc.store, serverClient), 1_000_000]]);
  expect(update.byteLength).toBeLessThanOrEqual(12);
  attacker.sendUpdate(update);
  await barrier(attacker);

  const componentId = await publishComponent('Published After The Attack');
  // A release (with its history record) and a delete (its tombstone) the server writes after the attack.
  const packs = packsOf(await arena.view());
  const [released, deleted] = Object.keys(packs).filter((id) => Object.keys((packs[id]!.map.components as { map: object }).map).length > 0);
  const { releaseNumber } = await run({ type: 'RELEASE', packId: released, releaseSchedule: 'IMMEDIATELY' });
  await run({ type: 'DELETE_PACK', packId: deleted });
  const seen = await arena.view();
  expect(Object.keys((seen.catalog as { map: object }).map), 'the component published after the attack').toContain(componentId);
  const releases = (seen.releases as { map: Record<string, { number: number }[]> }).map[released!];
  expect(
    releases?.map((release) => release.number),
    'the release made after the attack',
  ).toContain(releaseNumber);
  expect(Object.keys((seen.deletedPacks as { map: object }).map), 'the tombstone written after the attack').toContain(deleted);
  const history = Object.values((seen.recentHistory as { map: Record<string, { kind: string; packId?: string }> }).map);
  expect(
    history.some((record) => record.kind === 'RELEASE' && record.packId === released),
    'its history record',
  ).toBe(true);
  expect(room.doc.store.pendingDs).toBeNull();
  expect(attacker.notices()[0]).toMatchObject({ level: 'error', code: 'DELETE_REFUSED' });
  expect(attacker.closed).toBeUndefined();
  await expectIntact(arena, serverOwned(seen));
});

test("a delete range over another admin's future clocks is refused; that admin's next edits are kept", async () => {
  const bob = arena.client(arena.bob);
  await synced(bob);
  const packId = 'demo-p01';
  writePackName(bob.doc, packId, 'Renamed By Bob');
  await waitFor([bob], () => bob.provider.synced, 'bob synced');
  const attacker = rawClient(arena, arena.ann);
  await greeted(attacker);
  const room = arena.server.rooms.room(ACCOUNT);
  await waitFor([bob], () => readPack(room.doc, packId)?.name === 'Renamed By Bob', 'the server has bob’s edit');
  const bobClock = Y.getState(room.doc.store, bob.doc.clientID);
  attacker.sendUpdate(deleteOnlyUpdate([[bob.doc.clientID, bobClock, 1_000_000]]));
  await barrier(attacker);

  writePackName(bob.doc, packId, 'Renamed Again By Bob');
  await waitFor([bob], () => Y.getState(room.doc.store, bob.doc.clientID) > bobClock, 'the server receives bob’s next edit');
  const seen = await arena.view();
  expect(packsOf(seen)[packId]?.map.name, 'bob’s edit after the attack').toBe('Renamed Again By Bob');
  expect(attacker.notices().map((n) => n.code)).toContain('DELETE_REFUSED');
  await expectIntact(arena, serverOwned(seen), (packs) => expect(packs[packId]?.map.name).toBe('Renamed Again By Bob'));
});
