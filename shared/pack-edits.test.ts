import { describe, expect, test } from 'vitest';
import type { HistoryRecord } from './history.ts';
import {
  editSummary,
  isPackEdit,
  PACK_EDIT_KIND,
  packEdits,
  QUOTED_VALUE_CHARS,
  quoteValue,
  restoredFields,
  restoreLabel,
} from './pack-edits.ts';

const pack = (name: string, description: string) => ({ name, description });

describe('packEdits', () => {
  test('one entry per changed field, in the order Name, Description', () => {
    expect(packEdits(pack('A', 'x'), pack('B', 'y'))).toEqual([
      { field: 'name', oldValue: 'A', newValue: 'B' },
      { field: 'description', oldValue: 'x', newValue: 'y' },
    ]);
    expect(packEdits(pack('A', 'x'), pack('A', ''))).toEqual([{ field: 'description', oldValue: 'x', newValue: '' }]);
  });

  test('nothing when nothing changed, when the pack is new or when it is gone', () => {
    expect(packEdits(pack('A', 'x'), pack('A', 'x'))).toEqual([]);
    expect(packEdits(undefined, pack('A', 'x'))).toEqual([]);
    expect(packEdits(pack('A', 'x'), undefined)).toEqual([]);
  });

  test('values that differ only by Unicode form or space are changes (what is stored is what is shown)', () => {
    expect(packEdits(pack('Café', ''), pack('Cafe\u0301', ''))).toHaveLength(1);
    expect(packEdits(pack('A', ''), pack('A ', ''))).toHaveLength(1);
  });
});

describe('wording', () => {
  test('the summary quotes both values, says (empty) for nothing', () => {
    expect(editSummary({ field: 'name', oldValue: 'Old', newValue: 'New' })).toBe('Name changed from “Old” to “New”.');
    expect(editSummary({ field: 'description', oldValue: '', newValue: 'Text' })).toBe('Description changed from (empty) to “Text”.');
  });

  test('long values are cut by characters, not bytes or UTF-16 units', () => {
    const long = '😀'.repeat(QUOTED_VALUE_CHARS + 5);
    expect(quoteValue(long)).toBe(`“${'😀'.repeat(QUOTED_VALUE_CHARS)}…”`);
    expect(quoteValue('😀'.repeat(QUOTED_VALUE_CHARS))).toBe(`“${'😀'.repeat(QUOTED_VALUE_CHARS)}”`);
  });

  test('the Restore button names the field and the value it puts back', () => {
    expect(restoreLabel({ field: 'name', oldValue: 'Old', newValue: 'New' })).toBe('Restore name “Old”');
    expect(restoreLabel({ field: 'description', oldValue: '', newValue: 'x' })).toBe('Restore description (empty)');
  });
});

describe('restoredFields', () => {
  test('puts the old value back and keeps the other field as it is now', () => {
    expect(restoredFields(pack('Newest', 'Now'), { field: 'name', oldValue: 'First', newValue: 'Second' })).toEqual(pack('First', 'Now'));
    expect(restoredFields(pack('N', 'Now'), { field: 'description', oldValue: '', newValue: 'Now' })).toEqual(pack('N', ''));
  });

  test('nothing to restore when the pack already says it', () => {
    expect(restoredFields(pack('First', 'Now'), { field: 'name', oldValue: 'First', newValue: 'Second' })).toBeUndefined();
  });
});

test('isPackEdit: only complete edit records', () => {
  const base: HistoryRecord = {
    id: '1',
    seq: 1,
    kind: PACK_EDIT_KIND,
    packId: 'p',
    actor: 'ann',
    at: '2026-12-02T09:00:00.000Z',
    summary: '',
    status: 'SUCCESS',
  };
  expect(isPackEdit({ ...base, field: 'name', oldValue: 'a', newValue: 'b' })).toBe(true);
  expect(isPackEdit(base)).toBe(false);
  expect(isPackEdit({ ...base, kind: 'RELEASE', field: 'name', oldValue: 'a', newValue: 'b' })).toBe(false);
  const { packId: _packId, ...withoutPack } = base;
  expect(isPackEdit({ ...withoutPack, field: 'name', oldValue: 'a', newValue: 'b' })).toBe(false);
});
