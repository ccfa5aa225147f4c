/**
 * A managed account's person's copy on the device: a Dexie database named `ipm:<accountId>:<personId>`
 * with the last view the server sent (meta 'view') and the commands waiting for the server (outbox,
 * the same rows as the publisher's outbox).
 */
import Dexie, { type EntityTable } from 'dexie';
import type { ManagedView } from '../../shared/rollout.ts';
import type { IndexedDbDeps, MetaRow, OutboxRow } from './db.ts';

/** The last view received, and when (ISO time). */
export interface StoredView {
  view: ManagedView;
  at: string;
}

export type ManagedDb = Dexie & {
  meta: EntityTable<MetaRow, 'key'>;
  outbox: EntityTable<OutboxRow, 'idempotencyKey'>;
};

export function openManagedDb(name: string, deps: IndexedDbDeps = {}): ManagedDb {
  const options = deps.indexedDB ? { indexedDB: deps.indexedDB, IDBKeyRange: deps.IDBKeyRange } : undefined;
  // liveQuery() checks Dexie's global dependencies (see db.ts openPackDb).
  if (deps.indexedDB && !Dexie.dependencies.indexedDB) {
    Dexie.dependencies.indexedDB = deps.indexedDB;
    if (deps.IDBKeyRange) Dexie.dependencies.IDBKeyRange = deps.IDBKeyRange;
  }
  const db = new Dexie(name, options) as ManagedDb;
  db.version(1).stores({ meta: 'key', outbox: 'idempotencyKey, createdAt' });
  return db;
}
