import { describe, expect, it } from 'vitest';
import { agree, countOf, Noun } from './words.ts';

describe('countOf', () => {
  it('uses the singular only for one', () => {
    expect(countOf(0, Noun.pack)).toBe('0 packs');
    expect(countOf(1, Noun.pack)).toBe('1 pack');
    expect(countOf(2, Noun.managedAccount)).toBe('2 managed accounts');
    expect(countOf(1, Noun.installation)).toBe('1 installation');
  });
  it('agrees a verb with the count', () => {
    expect(`${countOf(1, Noun.pack)} ${agree(1, { one: 'needs', other: 'need' })}`).toBe('1 pack needs');
    expect(`${countOf(3, Noun.pack)} ${agree(3, { one: 'needs', other: 'need' })}`).toBe('3 packs need');
  });
});
