import { describe, expect, it } from 'vitest';
import { nameKey } from './names.ts';

describe('nameKey', () => {
  it('reads names the same whatever the case, blanks or compatibility forms', () => {
    expect(nameKey('FINANCE CLOSE TOOLKIT')).toBe(nameKey('finance  close toolkit '));
    expect(nameKey('Ｏｒｄｅｒｓ')).toBe(nameKey('Orders'));
    expect(nameKey('  A\u00a0 b ')).toBe('a b');
    expect(nameKey('Orders v2')).not.toBe(nameKey('Orders'));
  });
});
