import { describe, expect, test } from 'vitest';
import { createTypeAhead, TYPE_AHEAD_RESET_MS, typeAheadIndex } from './type-ahead.ts';

const names = ['Billing Sync', 'Catalog Export', 'Customer Sync', 'Finance Close Toolkit', 'Finance Reports', 'Order Fulfillment'].map(
  (name) => name.toLowerCase(),
);
const jump = (from: number, prefix: string) => typeAheadIndex((i) => names[i]!, names.length, from, prefix);

describe('type-to-jump', () => {
  test('a letter moves to the next name starting with it, wrapping around', () => {
    expect(jump(-1, 'c')).toBe(1);
    expect(jump(1, 'c')).toBe(2);
    expect(jump(2, 'c')).toBe(1);
    expect(jump(5, 'b')).toBe(0);
  });

  test('the same letter typed again cycles; a longer prefix stays on a matching option', () => {
    expect(jump(1, 'cc')).toBe(2);
    expect(jump(3, 'fi')).toBe(3);
    expect(jump(3, 'finance r')).toBe(4);
    expect(jump(0, 'cu')).toBe(2);
  });

  test('no match, no names, or nothing typed: -1', () => {
    expect(jump(0, 'z')).toBe(-1);
    expect(typeAheadIndex(() => '', 0, -1, 'a')).toBe(-1);
    expect(jump(0, '')).toBe(-1);
  });

  test('characters typed in quick succession form one prefix; a pause starts a new one', () => {
    const typeAhead = createTypeAhead();
    expect(typeAhead.type('F', 1_000)).toBe('f');
    expect(typeAhead.type('i', 1_100)).toBe('fi');
    expect(typeAhead.typing(1_100 + TYPE_AHEAD_RESET_MS)).toBe(true);
    expect(typeAhead.typing(1_101 + TYPE_AHEAD_RESET_MS)).toBe(false);
    expect(typeAhead.type('o', 1_101 + TYPE_AHEAD_RESET_MS)).toBe('o');
    typeAhead.reset();
    expect(typeAhead.typing(1_102 + TYPE_AHEAD_RESET_MS)).toBe(false);
    expect(typeAhead.type('r', 1_103 + TYPE_AHEAD_RESET_MS)).toBe('r');
  });
});
