/**
 * The edit history of a pack's Name and Description: what changed between two states of a pack, and
 * how an entry reads. The server compares each pack an accepted client update touched before and
 * after it (the merged, repaired state, so concurrent edits are recorded as they came out) and keeps
 * one audit record per changed field (kind EDIT_PACK, served by GET /api/accounts/:id/history?kind=).
 */
import type { HistoryRecord } from './history.ts';
import type { IntegrationPack } from './model.ts';

/** The audit kind of a Name or Description edit. */
export const PACK_EDIT_KIND = 'EDIT_PACK';

export type EditedField = 'name' | 'description';

export const EDITED_FIELDS: readonly EditedField[] = ['name', 'description'];

/** One field's change: its value before and after. */
export interface PackFieldEdit {
  field: EditedField;
  oldValue: string;
  newValue: string;
}

/** An audit record of an edit (what `isPackEdit` finds). */
export type PackEditRecord = HistoryRecord & PackFieldEdit & { packId: string };

export const FIELD_LABEL: Readonly<Record<EditedField, string>> = { name: 'Name', description: 'Description' };

type Fields = Pick<IntegrationPack, EditedField>;

/**
 * The fields that differ between a pack before and after a change. A pack that did not exist before
 * (added) or does not after (deleted) has no edits: adding and deleting are recorded by themselves.
 */
export function packEdits(before: Fields | undefined, after: Fields | undefined): PackFieldEdit[] {
  if (!before || !after) return [];
  return EDITED_FIELDS.filter((field) => before[field] !== after[field]).map((field) => ({
    field,
    oldValue: before[field],
    newValue: after[field],
  }));
}

export function isPackEdit(record: HistoryRecord): record is PackEditRecord {
  return (
    record.kind === PACK_EDIT_KIND &&
    record.packId !== undefined &&
    (record.field === 'name' || record.field === 'description') &&
    typeof record.oldValue === 'string' &&
    typeof record.newValue === 'string'
  );
}

/** The audit record of one edit (before the records number it): who made it, when it was merged. */
export function editRecord(
  packId: string,
  edit: PackFieldEdit,
  by: { personId: string; personName: string },
  at: string,
): Omit<PackEditRecord, 'id' | 'seq'> {
  return {
    kind: PACK_EDIT_KIND,
    packId,
    actor: by.personName || by.personId,
    actorId: by.personId,
    at,
    summary: editSummary(edit),
    status: 'SUCCESS',
    ...edit,
  };
}

/** How long a value may get in a sentence before it is cut (the record keeps all of it). */
export const QUOTED_VALUE_CHARS = 80;

/** A value as a sentence quotes it: "(empty)" for nothing, cut with "…" past QUOTED_VALUE_CHARS characters. */
export function quoteValue(value: string): string {
  if (value === '') return '(empty)';
  const chars = [...value];
  return `“${chars.length > QUOTED_VALUE_CHARS ? `${chars.slice(0, QUOTED_VALUE_CHARS).join('')}…` : value}”`;
}

/** The record's sentence: 'Name changed from “Old” to “New”.' */
export function editSummary(edit: PackFieldEdit): string {
  return `${FIELD_LABEL[edit.field]} changed from ${quoteValue(edit.oldValue)} to ${quoteValue(edit.newValue)}.`;
}

/** The accessible name of an entry's Restore button: 'Restore name “Old”'. */
export function restoreLabel(edit: PackFieldEdit): string {
  return `Restore ${edit.field} ${quoteValue(edit.oldValue)}`;
}

/**
 * The fields to save when an entry is restored: its old value, the other field as the pack has it
 * now. Undefined when the pack already says that (nothing to restore).
 */
export function restoredFields(current: Fields, edit: PackFieldEdit): Fields | undefined {
  if (current[edit.field] === edit.oldValue) return undefined;
  return { ...current, [edit.field]: edit.oldValue } as Fields;
}
