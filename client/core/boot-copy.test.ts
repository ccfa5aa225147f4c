/** Boot copies as values: they round-trip their rows and are taken only at the stamp they were made at. */
import { describe, expect, test } from 'vitest';
import type { IntegrationPack, PublishedComponent } from '../../shared/model.ts';
import { CATALOG_COPY, knownStamp, makeCopy, nextStamp, PACKS_COPY, rowsOfCopy } from './boot-copy.ts';

const pack = (id: string, name: string, overrides: Partial<IntegrationPack> = {}): IntegrationPack => ({
  id,
  name,
  description: `About ${name}`,
  installationType: 'SINGLE',
  componentIds: ['c1', 'c2'],
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'Ada',
  ...overrides,
});

describe('boot copies', () => {
  test('give back every field of every row, in the order kept', () => {
    const packs = [pack('b', 'Billing', { installationType: 'MULTI', componentIds: [] }), pack('o', 'Orders', { description: '' })];
    expect(rowsOfCopy(PACKS_COPY, makeCopy(PACKS_COPY, 7, packs), 7)).toEqual(packs);
    const catalog: PublishedComponent[] = [
      { id: 'c2', name: 'Invoice Export', type: 'API_SERVICE', versions: [1] },
      { id: 'c1', name: 'Orders Sync', type: 'PROCESS', versions: [1, 2, 3] },
    ];
    expect(rowsOfCopy(CATALOG_COPY, makeCopy(CATALOG_COPY, 2, catalog), 2)).toEqual(catalog);
  });

  test('survive the structured clone IndexedDB stores them with', () => {
    const packs = [pack('a', 'Äpfel & Birnen'), pack('-x', '')];
    expect(rowsOfCopy(PACKS_COPY, structuredClone(makeCopy(PACKS_COPY, 3, packs)), 3)).toEqual(packs);
  });

  test('are not taken at another stamp, with no stamp, or of another format', () => {
    const copy = makeCopy(PACKS_COPY, 4, [pack('a', 'A')]);
    expect(rowsOfCopy(PACKS_COPY, copy, 5)).toBeUndefined();
    expect(rowsOfCopy(PACKS_COPY, copy, undefined)).toBeUndefined();
    expect(rowsOfCopy(PACKS_COPY, { ...copy, format: PACKS_COPY.format + 1 }, 4)).toBeUndefined();
    expect(rowsOfCopy(CATALOG_COPY, { ...copy, format: CATALOG_COPY.format + 1 }, 4)).toBeUndefined();
    expect(rowsOfCopy(PACKS_COPY, { stamp: 4 }, 4)).toBeUndefined();
    expect(rowsOfCopy(PACKS_COPY, undefined, 4)).toBeUndefined();
    expect(rowsOfCopy(PACKS_COPY, 'copy', 4)).toBeUndefined();
  });

  test('stamps: the first is 1, each next one more; only a number is a stamp', () => {
    expect(nextStamp(undefined)).toBe(1);
    expect(nextStamp(1)).toBe(2);
    expect(nextStamp('1')).toBe(1);
    expect(knownStamp(3)).toBe(3);
    expect(knownStamp('3')).toBeUndefined();
    expect(knownStamp(undefined)).toBeUndefined();
  });
});
