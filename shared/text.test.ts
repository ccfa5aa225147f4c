import { describe, expect, test } from 'vitest';
import { fc } from '../test/support/fast-check.ts';
import { graphemeCount, matchesFilter } from './text.ts';

describe('graphemeCount: characters as a person counts them', () => {
  test.each([
    { text: '', count: 0, why: 'empty' },
    { text: 'Orders', count: 6, why: 'ASCII letters' },
    { text: 'a\r\nb', count: 3, why: 'CR LF is one line break' },
    { text: 'a\nb', count: 3, why: 'LF alone' },
    { text: '👍', count: 1, why: 'an emoji (two UTF-16 units)' },
    { text: '👍🏽', count: 1, why: 'an emoji with a skin tone modifier' },
    { text: '👨‍👩‍👧‍👦', count: 1, why: 'a ZWJ family emoji (11 UTF-16 units)' },
    { text: '🇫🇷', count: 1, why: 'a flag (two regional indicators)' },
    { text: 'é', count: 1, why: 'a precomposed accented letter' },
    { text: 'e\u0301', count: 1, why: 'a letter with a combining accent' },
    { text: '한국어', count: 3, why: 'Hangul syllables' },
    { text: '注文', count: 2, why: 'CJK ideographs' },
    { text: 'Ünïcode 🚀!', count: 10, why: 'mixed' },
  ])('$why: "$text" has $count', ({ text, count }) => {
    expect(graphemeCount(text)).toBe(count);
  });

  test('the ASCII shortcut counts exactly as the segmenter does', () => {
    const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    const asciiText = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', '\r', '\n', '\t', '~', '\x00') });
    fc.assert(fc.property(asciiText, (text) => graphemeCount(text) === [...segmenter.segment(text)].length));
  });

  test('non-empty text counts at least 1 and never more than its UTF-16 length', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const count = graphemeCount(text);
        return count <= text.length && (text === '' ? count === 0 : count >= 1);
      }),
    );
  });
});

describe('matchesFilter: Filter Components matches names partially or completely', () => {
  test.each([
    { name: 'Customer Sync', filter: '', matches: true, why: 'no filter lists everything' },
    { name: 'Customer Sync', filter: '   ', matches: true, why: 'blank filter is no filter' },
    { name: 'Customer Sync', filter: 'Customer Sync', matches: true, why: 'complete match' },
    { name: 'Customer Sync', filter: 'tomer', matches: true, why: 'partial match inside the name' },
    { name: 'Customer Sync', filter: 'SYNC', matches: true, why: 'case does not matter' },
    { name: 'Customer Sync', filter: ' sync ', matches: true, why: 'surrounding spaces in the filter are ignored' },
    { name: 'Customer Sync', filter: 'invoice', matches: false, why: 'no match' },
    { name: 'Customer Sync', filter: 'Customer  Sync', matches: false, why: 'inner spaces count' },
  ])('$why', ({ name, filter, matches }) => {
    expect(matchesFilter(name, filter)).toBe(matches);
  });

  test('every substring of a name matches it', () => {
    fc.assert(
      fc.property(fc.string(), fc.nat(), fc.nat(), (name, a, b) => {
        const [from, to] = [Math.min(a, b) % (name.length + 1), Math.max(a, b) % (name.length + 1)];
        return matchesFilter(name, name.slice(Math.min(from, to), Math.max(from, to)));
      }),
    );
  });
});
