import { expect, test } from 'vitest';
import { fc } from '../test/support/fast-check.ts';
import { packIdOfSegment, packSegment } from './pack-route.ts';

test.each([
  ['a nanoid', 'V1StGXR8_Z5jdHi6B-myT', 'V1StGXR8_Z5jdHi6B-myT'],
  ['an empty id (stored before the rule)', '', '~'],
  ['an id with a slash', 'a/b', '~612f62'],
  ["a pack called 'new'", 'new', '~6e6577'],
  ['a percent sign', '100%', '~31303025'],
])('%s: %j ↔ %j', (_what, id, segment) => {
  expect(packSegment(id)).toBe(segment);
  expect(packIdOfSegment(segment)).toBe(id);
});

test("'new' is the new-pack form, and a segment no pack could have names none", () => {
  expect(packIdOfSegment('new')).toBeUndefined();
  expect(packIdOfSegment(undefined)).toBeUndefined();
  expect(packIdOfSegment('~zz')).toBeUndefined();
});

test('every id goes there and back, and its segment has no character a URL path would change', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (id) => {
      const segment = packSegment(id);
      return /^[A-Za-z0-9_.~-]+$/.test(segment) && packIdOfSegment(segment) === id;
    }),
  );
});
