/**
 * Boot copies: a whole table the page needs at once (the packs for the list, the catalog for the
 * list's badges and a selected pack's Publications), kept in list order as ONE value in the meta
 * table, so a page that starts reads one value instead of the table row by row. With 10,000 packs
 * the table read took ~150 ms in IndexedDB and ~80 ms (~240 ms in a new renderer) turning the rows
 * into objects on the main thread before the list could show; the one value of tuples takes ~5 ms.
 *
 * A copy never shows what the table does not hold: every write of the table (projection.ts) moves
 * its stamp (a meta row) in the same transaction, a copy carries the stamp of the rows it was made
 * from, and a copy whose stamp is not the current one is ignored (the table is read instead).
 */
import type { IntegrationPack, PublishedComponent } from '../../shared/model.ts';

export interface CopySpec<T> {
  /** The meta key of the table's stamp. */
  stampKey: string;
  /** The meta key of the copy. */
  copyKey: string;
  /** Changes whenever the tuple does: a copy of another format is ignored. */
  format: number;
  /** Arrays of fields, not objects: they deserialize several times faster. */
  toTuple(row: T): unknown[];
  fromTuple(tuple: unknown[]): T;
}

/** The stored value. */
export interface StoredCopy {
  format: number;
  stamp: number;
  rows: unknown[][];
}

// Field by field (not Object.values): a field added to the type fails the type check of fromTuple
// until it is added here too, instead of being dropped from the copy.
export const PACKS_COPY: CopySpec<IntegrationPack> = {
  stampKey: 'packsStamp',
  copyKey: 'packsCopy',
  format: 1,
  toTuple: (pack) => [pack.id, pack.name, pack.description, pack.installationType, pack.componentIds, pack.createdAt, pack.createdBy],
  fromTuple: ([id, name, description, installationType, componentIds, createdAt, createdBy]) => ({
    id: id as string,
    name: name as string,
    description: description as string,
    installationType: installationType as IntegrationPack['installationType'],
    componentIds: componentIds as string[],
    createdAt: createdAt as string,
    createdBy: createdBy as string,
  }),
};

export const CATALOG_COPY: CopySpec<PublishedComponent> = {
  stampKey: 'componentsStamp',
  copyKey: 'componentsCopy',
  format: 1,
  toTuple: (component) => [component.id, component.name, component.type, component.versions],
  fromTuple: ([id, name, type, versions]) => ({
    id: id as string,
    name: name as string,
    type: type as PublishedComponent['type'],
    versions: versions as number[],
  }),
};

/** The stamp after `previous` (undefined before the table's first write with a stamp). */
export const nextStamp = (previous: unknown): number => (typeof previous === 'number' ? previous + 1 : 1);

/** A stamp read from meta: only a number is one (no stamp: the table was never written with one). */
export const knownStamp = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

export function makeCopy<T>(spec: CopySpec<T>, stamp: number, rows: readonly T[]): StoredCopy {
  return { format: spec.format, stamp, rows: rows.map(spec.toTuple) };
}

/** The rows of a stored copy when it was made from the table's rows at `stamp`; otherwise undefined (read the table). */
export function rowsOfCopy<T>(spec: CopySpec<T>, value: unknown, stamp: number | undefined): T[] | undefined {
  if (stamp === undefined || typeof value !== 'object' || value === null) return undefined;
  const copy = value as Partial<StoredCopy>;
  if (copy.format !== spec.format || copy.stamp !== stamp || !Array.isArray(copy.rows)) return undefined;
  return copy.rows.map(spec.fromTuple);
}
