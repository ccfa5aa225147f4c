/**
 * Attack: fields bounded in graphemes only. A 500-grapheme description weighing 200 KB (combining
 * marks), a name that is one cluster of 60,000 code units, a name made only of invisible characters,
 * a new pack's createdBy/createdAt chosen by the client. Fields are bounded as stored (graphemes, bytes
 * and one cluster's length; shared/limits.ts), a blank-looking name counts as missing, and the server
 * stamps createdAt and createdBy. Ordinary text (CJK, emoji, flags, family emoji) never meets a cap.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import * as Y from 'yjs';
import { limits, readPack, writeNewPack, writePackDescription, writePackName } from '../../shared/index.ts';
import { covers, synced, waitFor, type TestClient } from '../server/helpers.ts';
import { ACCOUNT, expectIntact, newPack as pack, packsOf, serverOwned, startArena, type Arena } from './support.ts';

const NOW = new Date('2026-06-02T08:30:00.000Z');
let arena: Arena;
let ann: TestClient;
beforeEach(async () => {
  arena = await startArena({ clock: { now: () => NOW } });
  ann = arena.client(arena.ann, true);
  await synced(ann);
});
afterEach(() => arena.close());

const PACK = 'demo-p01';

/** Waits until the server has handled everything ann sent (stored, or refused with a notice). */
async function handled(before: number): Promise<void> {
  const mine = Y.encodeStateVector(ann.doc);
  await waitFor([ann], () => ann.notices.length > before || ann.stored.some((sv) => covers(sv, mine)), 'ann’s edit is handled');
}
const serverPack = (id: string) => readPack(arena.server.rooms.room(ACCOUNT).doc, id);

test('a 500-grapheme description weighing 200 KB is not stored', async () => {
  const owned = serverOwned(await arena.view());
  const before = serverPack(PACK)!.description;
  const heavy = `a${'\u0301'.repeat(200)}`.repeat(limits.descriptionMaxLength);
  expect(new TextEncoder().encode(heavy).byteLength).toBeGreaterThan(200_000);
  const notices = ann.notices.length;
  writePackDescription(ann.doc, PACK, heavy);
  await handled(notices);
  await waitFor([ann], () => serverPack(PACK)?.description === before, 'the description is as before');
  expect(ann.notices.map((n) => n.code)).toContain('DESCRIPTION_TOO_LARGE');
  await expectIntact(arena, owned, (packs) => expect(packs[PACK]?.map.description).toBe(before));
});

test('a name that is one cluster of 60,000 code units is not stored', async () => {
  const before = serverPack(PACK)!.name;
  const cluster = `a${'\u0301'.repeat(59_999)}`;
  const notices = ann.notices.length;
  writePackName(ann.doc, PACK, cluster);
  await handled(notices);
  await waitFor([ann], () => serverPack(PACK)?.name === before, 'the name is as before');
  expect(ann.notices.map((n) => n.code)).toEqual(expect.arrayContaining([expect.stringMatching(/^NAME_/)]));
  expect(packsOf(await arena.view())[PACK]?.map.name).toBe(before);
});

test.each([
  ['zero-width spaces', '\u200B\u200B'],
  ['a Braille blank', '\u2800'],
  ['Hangul fillers', '\u3164\u115F\uFFA0'],
  ['a word joiner and a soft hyphen', '\u2060\u00AD'],
])('a name made only of %s counts as missing', async (_what, blank) => {
  const notices = ann.notices.length;
  writeNewPack(ann.doc, pack('blank-name', { name: blank }));
  await handled(notices);
  await waitFor([ann], () => ann.notices.some((n) => n.code === 'NAME_REQUIRED'), 'NAME_REQUIRED');
  expect(serverPack('blank-name')).toBeUndefined();
  const before = serverPack(PACK)!.name;
  writePackName(ann.doc, PACK, blank);
  await waitFor([ann], () => ann.notices.filter((n) => n.code === 'NAME_REQUIRED').length >= 2, 'NAME_REQUIRED again');
  expect(packsOf(await arena.view())[PACK]?.map.name).toBe(before);
});

test("a new pack's createdAt and createdBy are the server's, whatever the client wrote", async () => {
  writeNewPack(ann.doc, pack('stamped', { createdAt: '1999-01-01T00:00:00.000Z', createdBy: 'Blake Admin' }));
  await waitFor([ann], () => serverPack('stamped')?.createdBy === 'Avery Admin', 'the server stamps the pack');
  const seen = await arena.view();
  expect(packsOf(seen).stamped?.map).toMatchObject({ createdAt: NOW.toISOString(), createdBy: 'Avery Admin' });
  await waitFor([ann], () => readPack(ann.doc, 'stamped')?.createdAt === NOW.toISOString(), 'the author gets the stamp');
  await expectIntact(arena, serverOwned(seen), (packs) =>
    expect(packs.stamped?.map).toMatchObject({ createdAt: NOW.toISOString(), createdBy: 'Avery Admin' }),
  );
});

test('ordinary text never meets a byte cap: CJK, emoji, flags and family emoji at the grapheme limits', async () => {
  const cases = [
    ['漢字かな交じり文'.repeat(13).slice(0, limits.nameMaxLength), '中文描述'.repeat(125)],
    ['👨‍👩‍👧‍👦'.repeat(limits.nameMaxLength), '👩🏽‍❤️‍💋‍👨🏿'.repeat(limits.descriptionMaxLength)],
    ['🇩🇪🇯🇵'.repeat(limits.nameMaxLength / 2), '🏴󠁧󠁢󠁳󠁣󠁴󠁿'.repeat(limits.descriptionMaxLength)],
  ] as const;
  for (const [i, [name, description]] of cases.entries()) {
    writeNewPack(ann.doc, pack(`ordinary-${i}`, { name, description }));
    await waitFor([ann], () => serverPack(`ordinary-${i}`)?.description === description, `ordinary text ${i} is stored`);
    expect(serverPack(`ordinary-${i}`)?.name).toBe(name);
  }
  expect(ann.notices).toEqual([]);
});
