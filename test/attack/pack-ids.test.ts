/**
 * Attack: packs that can never be deleted. A pack id outside the one rule (shared/rules.ts
 * `validatePackId`: what DELETE_PACK and the other commands accept) is refused in the document; a
 * pack already stored under such an id (written before the rule) stays deletable by DELETE_PACK.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { packsMap, readPack, writeNewPack, type IntegrationPack } from '../../shared/index.ts';
import { synced, waitFor } from '../server/helpers.ts';
import { ACCOUNT, expectIntact, packsOf, serverOwned, startArena, type Arena } from './support.ts';

let arena: Arena;
beforeEach(async () => {
  arena = await startArena();
});
afterEach(() => arena.close());

const pack = (id: string): IntegrationPack => ({
  id,
  name: `Odd ${id.length}`,
  description: '',
  installationType: 'SINGLE',
  componentIds: [],
  createdAt: '2026-06-01T00:00:00.000Z',
  createdBy: 'Avery Admin',
});
const LONG = 'x'.repeat(301);

test.each([
  ['an empty id', ''],
  ['a 301-character id', LONG],
  ['an id with a slash', 'a/b'],
])('a new pack with %s is refused', async (_name, id) => {
  const owned = serverOwned(await arena.view());
  const ann = arena.client(arena.ann, true);
  await synced(ann);
  writeNewPack(ann.doc, pack(id));
  writeNewPack(ann.doc, pack('fine-id'));
  await waitFor([ann], () => ann.notices.some((n) => n.code === 'PACK_ID_INVALID'), 'ann is told');
  await waitFor([ann], () => readPack(arena.server.rooms.room(ACCOUNT).doc, 'fine-id') !== undefined, 'the valid pack arrives');
  await expectIntact(arena, owned, (packs) => {
    expect(Object.keys(packs)).not.toContain(id);
    expect(Object.keys(packs)).toContain('fine-id');
  });
});

test.each([
  ['an empty id', ''],
  ['a 301-character id', LONG],
])('a pack stored with %s before the rule is deleted by DELETE_PACK', async (_name, id) => {
  await arena.server.rooms.mutate(ACCOUNT, (doc, origin) => writeNewPack(doc, pack(id), origin));
  expect(Object.keys(packsOf(await arena.view()))).toContain(id);
  const response = await fetch(`${arena.server.url}/api/accounts/${ACCOUNT}/commands`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${arena.ann}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ idempotencyKey: `delete-odd-${id.length}`, command: { type: 'DELETE_PACK', packId: id } }),
  });
  const body = (await response.json()) as { status?: string };
  expect({ http: response.status, status: body.status }).toEqual({ http: 200, status: 'SUCCESS' });
  const seen = await arena.view();
  expect(Object.keys(packsOf(seen))).not.toContain(id);
  await expectIntact(arena, serverOwned(seen), (packs) => expect(Object.keys(packs)).not.toContain(id));
  expect(packsMap(arena.server.rooms.room(ACCOUNT).doc).has(id)).toBe(false);
});
