/**
 * Attack: updates that depend on structs nobody sends (a gap in a client's clocks, or an origin in
 * another client's future). Yjs would keep them as pending structs forever: in memory, in every new
 * client's sync answer and in the snapshot. They are refused before they touch the document; the
 * sender is told and asked to resync (the server's sync step 1), and a client that does have the
 * missing part gets its edit in with that answer.
 */
import * as encoding from 'lib0/encoding';
import { afterEach, beforeEach, expect, test } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { writeNewPack, writePackDescription, writePackName } from '../../shared/index.ts';
import { connectClient, synced, waitFor } from '../server/helpers.ts';
import {
  ACCOUNT,
  barrier,
  editOf,
  expectIntact,
  greeted,
  newPack,
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

/** Two consecutive updates of one hidden client: the second depends on the first. */
function pairOnTopOf(base: Y.Doc, id: string, filler: string): [Uint8Array, Uint8Array] {
  const hidden = new Y.Doc();
  Y.applyUpdate(hidden, Y.encodeStateAsUpdate(base));
  const updates: Uint8Array[] = [];
  hidden.on('update', (update: Uint8Array) => updates.push(update));
  writeNewPack(hidden, newPack(id));
  writePackDescription(hidden, id, filler);
  hidden.destroy();
  return [updates[0]!, updates[1]!];
}

/** The bytes a fresh stock client holds once synced: what every new client downloads. */
async function freshSyncBytes(): Promise<number> {
  const client = connectClient({ wsUrl: arena.wsUrl, accountId: ACCOUNT, token: arena.val });
  try {
    await synced(client);
    return Y.encodeStateAsUpdate(client.doc).byteLength;
  } finally {
    client.destroy();
  }
}

test('updates waiting on structs nobody sends are refused: not kept, not stored, not sent to new clients', async () => {
  const before = await freshSyncBytes();
  const owned = serverOwned(await arena.view());
  const base = await serverState(arena);
  const attacker = rawClient(arena, arena.ann);
  await greeted(attacker);
  const greetings = () => attacker.received.filter((r) => r.syncType === syncProtocol.messageYjsSyncStep1).length;
  let sent = 0;
  for (let i = 0; i < 40; i++) {
    const [, second] = pairOnTopOf(base, `orphan-${i}`, 'x'.repeat(300));
    attacker.sendUpdate(second); // a gap: clocks 0.. of this client are never sent
    sent += second.byteLength;
  }
  // An origin in another client's future: a struct that never comes.
  const ghost = new Y.Doc();
  ghost.clientID = 123_456;
  Y.applyUpdate(ghost, Y.encodeStateAsUpdate(base));
  writePackName(ghost, 'demo-p01', 'Ghost');
  const [later] = [editOf(ghost, (doc) => writePackName(doc, 'demo-p01', 'Depends On The Ghost'))];
  attacker.sendUpdate(later);
  await barrier(attacker);

  const room = arena.server.rooms.room(ACCOUNT);
  expect(room.doc.store.pendingStructs, 'pending structs on the server').toBeNull();
  const after = await freshSyncBytes();
  expect(after - before, `a new client's sync grew after ${sent} bytes of orphans`).toBeLessThan(1024);
  expect(attacker.notices().map((n) => n.code)).toContain('MISSING_DEPENDENCIES');
  expect(greetings(), 'the sender is asked to resync').toBeGreaterThan(1);
  expect(attacker.closed).toBeUndefined();
  await expectIntact(arena, owned, (packs) => {
    expect(Object.keys(packs).filter((id) => id.startsWith('orphan-'))).toEqual([]);
    expect(packs['demo-p01']?.map.name).not.toMatch(/Ghost/);
  });
});

test('a client whose update arrived without its predecessor resyncs: its answer carries what was missing', async () => {
  const base = await serverState(arena);
  const [first, second] = pairOnTopOf(base, 'late-pack', 'Sent out of order');
  const client = rawClient(arena, arena.ann);
  await greeted(client);
  client.sendUpdate(second);
  await waitFor([client], () => client.notices().some((n) => n.code === 'MISSING_DEPENDENCIES'), 'the client is told');
  // What a y-websocket client does with the server's step 1: answer with everything the server lacks.
  const step1 = client.received.filter((r) => r.syncType === syncProtocol.messageYjsSyncStep1).at(-1)!;
  const answer = Y.diffUpdate(Y.mergeUpdates([first, second]), step1.payload!);
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2);
  encoding.writeVarUint8Array(encoder, answer);
  client.send(encoding.toUint8Array(encoder));
  await barrier(client);
  const seen = await arena.view();
  expect(packsOf(seen)['late-pack']?.map.description).toBe('Sent out of order');
  await expectIntact(arena, serverOwned(seen), (packs) => expect(packs['late-pack']?.map.description).toBe('Sent out of order'));
});
