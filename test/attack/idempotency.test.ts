/**
 * Attack: an idempotency key reused for another command or another pack. Before, the stored result
 * of the first command answered SUCCESS and nothing ran, so a reuse looked like it worked; a key
 * bound to the fingerprint of its command (commands/path.ts) answers IDEMPOTENCY_KEY_REUSED instead.
 * Sent as an attacker would: raw frames over the socket (type 102) by the sender and by another
 * admin, POST /api/accounts/:id/commands and the REST API, with the first result read back from
 * SQLite (the first run finished, so nothing of it is in flight), and again after a restart.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { encodeCommand, writeNewPack, type CommandEnvelope, type IntegrationPack } from '../../shared/index.ts';
import { waitFor } from '../server/helpers.ts';
import { ACCOUNT, expectIntact, greeted, packsOf, rawClient, serverOwned, startArena, type Arena, type RawClient } from './support.ts';

let arena: Arena;
beforeEach(async () => {
  arena = await startArena();
});
afterEach(() => arena.close());

const KEY = 'attack-reused-key-1';
const pack = (id: string): IntegrationPack => ({
  id,
  name: `Victim ${id}`,
  description: '',
  installationType: 'SINGLE',
  componentIds: [],
  createdAt: '2026-06-01T00:00:00.000Z',
  createdBy: 'Avery Admin',
});

/** Sends the envelopes as raw type-102 frames and waits for one result each. */
async function sendCommands(socket: RawClient, envelopes: CommandEnvelope[]) {
  const before = socket.results().length;
  for (const envelope of envelopes) socket.send(encodeCommand(envelope));
  await waitFor([socket], () => socket.results().length >= before + envelopes.length, 'a result per command');
  return socket.results().slice(before);
}

const post = (token: string, envelope: CommandEnvelope) =>
  fetch(`${arena.server.url}/api/accounts/${ACCOUNT}/commands`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(envelope),
  });

const restDelete = (token: string, packId: string) =>
  fetch(`${arena.server.url}/api/rest/v1/${ACCOUNT}/PublisherIntegrationPack/${packId}`, {
    method: 'DELETE',
    headers: { Authorization: `Bearer ${token}`, 'Idempotency-Key': KEY },
  });

test('a key reused for another pack or another command is refused everywhere, and nothing runs; a plain retry gets the first result', async () => {
  await arena.server.rooms.mutate(ACCOUNT, (doc, origin) => {
    for (const id of ['victim-a', 'victim-b', 'victim-c']) writeNewPack(doc, pack(id), origin);
  });
  const ann = rawClient(arena, arena.ann);
  const bob = rawClient(arena, arena.bob);
  await Promise.all([greeted(ann), greeted(bob)]);

  const first: CommandEnvelope = { idempotencyKey: KEY, command: { type: 'DELETE_PACK', packId: 'victim-a' } };
  const [firstResult] = await sendCommands(ann, [first]);
  expect(firstResult).toMatchObject({ idempotencyKey: KEY, status: 'SUCCESS' });

  const otherPack: CommandEnvelope = { idempotencyKey: KEY, command: { type: 'DELETE_PACK', packId: 'victim-b' } };
  const otherCommand: CommandEnvelope = {
    idempotencyKey: KEY,
    command: { type: 'CREATE_PACK', name: 'Sneaky', installationType: 'SINGLE' },
  };
  const reuse = { idempotencyKey: KEY, status: 'ERROR', code: 'IDEMPOTENCY_KEY_REUSED' };
  expect(await sendCommands(ann, [otherPack, otherCommand])).toEqual([expect.objectContaining(reuse), expect.objectContaining(reuse)]);
  // The key belongs to the account: another admin reusing it is refused the same way.
  expect(await sendCommands(bob, [otherPack])).toEqual([expect.objectContaining(reuse)]);

  const overHttp = await post(arena.bob, { idempotencyKey: KEY, command: { type: 'DELETE_PACK', packId: 'victim-c' } });
  expect(overHttp.status).toBe(422);
  expect(((await overHttp.json()) as { error: { code: string } }).error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  const overRest = await restDelete(arena.bob, 'victim-c');
  expect(overRest.status).toBe(422);
  expect(((await overRest.json()) as { error: { code: string } }).error.code).toBe('IDEMPOTENCY_KEY_REUSED');

  // The same command again is a retry: it gets the first result and does not run twice.
  expect(await sendCommands(ann, [first])).toEqual([firstResult]);
  expect(await (await post(arena.ann, first)).json()).toEqual(firstResult);

  const seen = await arena.view();
  const stays = (packs: ReturnType<typeof packsOf>) => {
    expect(Object.keys(packs)).not.toContain('victim-a');
    expect(Object.keys(packs)).toEqual(expect.arrayContaining(['victim-b', 'victim-c']));
    expect(Object.values(packs).map((p) => p.map.name)).not.toContain('Sneaky');
  };
  stays(packsOf(seen));
  await expectIntact(arena, serverOwned(seen), stays);

  // After the restart the binding of the key comes from the store alone.
  const again = rawClient(arena, arena.ann);
  await greeted(again);
  expect(await sendCommands(again, [otherPack, first])).toEqual([expect.objectContaining(reuse), firstResult]);
  expect((await restDelete(arena.ann, 'victim-b')).status).toBe(422);
  stays(packsOf(await arena.view()));
});
