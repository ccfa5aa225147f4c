/**
 * The document → tables projection, incremental: a Yjs transaction tells which top-level entries of
 * which roots changed (transaction.changed, walked up to the root); only those are read from the
 * document (at the end of that transaction, so the snapshot matches the update exactly) and written.
 */
import * as Y from 'yjs';
import {
  ACCOUNT_KEY,
  readPack,
  Root,
  type HistoryRecord,
  type ManagedAccount,
  type PackTombstone,
  type PublishedComponent,
  type PublisherAccount,
  type Release,
  type RootName,
} from '../../shared/index.ts';
import type { RolloutSummary } from '../../shared/rollout.ts';
import type { PackDb, PackRow } from './db.ts';
import { CATALOG_COPY, nextStamp, PACKS_COPY } from './boot-copy.ts';

/** Root name → the top-level keys of that root that a transaction touched. */
export type ChangedKeys = Map<RootName, Set<string>>;

const ROOT_NAMES: ReadonlySet<string> = new Set(Object.values(Root));

/** The root name of a top-level type, or undefined for a type that is not one of our roots. */
function rootNameOf(doc: Y.Doc, type: Y.AbstractType<unknown>): RootName | undefined {
  for (const [name, shared] of doc.share) if (shared === type) return ROOT_NAMES.has(name) ? (name as RootName) : undefined;
  return undefined;
}

/** Which top-level entries of which roots a transaction changed (nested changes count for their entry). */
export function changedKeys(transaction: Y.Transaction): ChangedKeys {
  const result: ChangedKeys = new Map();
  const add = (root: RootName, key: string) => {
    let keys = result.get(root);
    if (!keys) result.set(root, (keys = new Set()));
    keys.add(key);
  };
  for (const [type, subs] of transaction.changed) {
    // Walk up to the root, remembering the key under which the top-level entry hangs.
    let current = type as Y.AbstractType<unknown>;
    let topKey: string | null | undefined;
    let fromRoot = true;
    while (current._item) {
      fromRoot = false;
      topKey = current._item.parentSub;
      current = current._item.parent as Y.AbstractType<unknown>;
    }
    const root = rootNameOf(transaction.doc, current);
    if (!root) continue;
    if (fromRoot) {
      for (const key of subs) if (key !== null) add(root, key);
    } else if (typeof topKey === 'string') add(root, topKey);
  }
  return result;
}

/** What the tables must say about the changed entries, read from the document now. */
export interface Snapshot {
  packs: Map<string, PackRow | undefined>;
  components: Map<string, PublishedComponent | undefined>;
  releases: Map<string, Release[]>;
  rollout: Map<string, RolloutSummary | undefined>;
  managedAccounts: Map<string, ManagedAccount | undefined>;
  history: Map<string, HistoryRecord | undefined>;
  account: Map<string, PublisherAccount | undefined>;
  tombstones: Map<string, PackTombstone | undefined>;
}

export const emptySnapshot = (): Snapshot => ({
  packs: new Map(),
  components: new Map(),
  releases: new Map(),
  rollout: new Map(),
  managedAccounts: new Map(),
  history: new Map(),
  account: new Map(),
  tombstones: new Map(),
});

const plainValue = <T>(doc: Y.Doc, root: RootName, key: string): T | undefined => {
  const value = doc.getMap<T>(root).get(key);
  return value === undefined || value === null || typeof value !== 'object' || value instanceof Y.AbstractType ? undefined : value;
};

export const packRow = (doc: Y.Doc, packId: string): PackRow | undefined => {
  const pack = readPack(doc, packId);
  return pack && { ...pack, nameKey: pack.name.toLowerCase() };
};

export function snapshot(doc: Y.Doc, changed: ChangedKeys): Snapshot {
  const result = emptySnapshot();
  for (const [root, keys] of changed) {
    for (const key of keys) {
      switch (root) {
        case Root.packs:
          result.packs.set(key, packRow(doc, key));
          break;
        case Root.catalog:
          result.components.set(key, plainValue<PublishedComponent>(doc, root, key));
          break;
        case Root.releases: {
          const releases = doc.getMap<Release[]>(root).get(key);
          result.releases.set(key, Array.isArray(releases) ? releases : []);
          break;
        }
        case Root.rollout:
          result.rollout.set(key, plainValue<RolloutSummary>(doc, root, key));
          break;
        case Root.managedAccounts:
          result.managedAccounts.set(key, plainValue<ManagedAccount>(doc, root, key));
          break;
        case Root.recentHistory:
          result.history.set(key, plainValue<HistoryRecord>(doc, root, key));
          break;
        case Root.account:
          if (key === ACCOUNT_KEY) result.account.set(key, plainValue<PublisherAccount>(doc, root, key));
          break;
        case Root.deletedPacks:
          result.tombstones.set(key, plainValue<PackTombstone>(doc, root, key));
          break;
      }
    }
  }
  return result;
}

/** Later snapshots win: merges `next` into `into` (entries are whole values, so per key the last one counts). */
export function mergeSnapshot(into: Snapshot, next: Snapshot): Snapshot {
  for (const field of Object.keys(next) as (keyof Snapshot)[]) {
    const target = into[field] as Map<string, unknown>;
    for (const [key, value] of next[field] as Map<string, unknown>) target.set(key, value);
  }
  return into;
}

export const snapshotSize = (s: Snapshot): number => Object.values(s).reduce((sum, map: Map<string, unknown>) => sum + map.size, 0);

const split = <T>(entries: Map<string, T | undefined>) => {
  const put: T[] = [];
  const remove: string[] = [];
  for (const [key, value] of entries) value === undefined ? remove.push(key) : put.push(value);
  return { put, remove };
};

/** Moves a table's stamp: its boot copy (boot-copy.ts) no longer holds the table's rows. */
async function moveStamp(db: PackDb, stampKey: string): Promise<void> {
  await db.meta.put({ key: stampKey, value: nextStamp((await db.meta.get(stampKey))?.value) });
}

/**
 * Writes a snapshot into the mirror tables. Call inside a rw transaction over MIRROR_TABLES and
 * meta: a write of the packs or components table moves that table's stamp with it.
 */
export async function writeSnapshot(db: PackDb, s: Snapshot): Promise<void> {
  const packs = split(s.packs);
  if (packs.remove.length) await db.packs.bulkDelete(packs.remove);
  if (packs.put.length) await db.packs.bulkPut(packs.put);
  if (s.packs.size) {
    await moveStamp(db, PACKS_COPY.stampKey);
    const ids = [...s.packs.keys()];
    await db.publications.where('packId').anyOf(ids).delete();
    const rows = packs.put.flatMap((pack) => pack.componentIds.map((componentId) => ({ packId: pack.id, componentId })));
    if (rows.length) await db.publications.bulkPut(rows);
  }

  const components = split(s.components);
  if (components.remove.length) await db.components.bulkDelete(components.remove);
  if (components.put.length)
    await db.components.bulkPut(components.put.map((component) => ({ ...component, nameKey: component.name.toLowerCase() })));
  if (s.components.size) await moveStamp(db, CATALOG_COPY.stampKey);

  if (s.releases.size) {
    await db.releases
      .where('packId')
      .anyOf([...s.releases.keys()])
      .delete();
    const rows = [...s.releases].flatMap(([packId, releases]) => releases.map((release) => ({ ...release, packId })));
    if (rows.length) await db.releases.bulkPut(rows);
  }

  const simple = [
    [db.rollout, split(s.rollout)],
    [db.managedAccounts, split(s.managedAccounts)],
    [db.history, split(s.history)],
    [db.tombstones, split(s.tombstones)],
  ] as const;
  for (const [table, { put, remove }] of simple) {
    if (remove.length) await table.bulkDelete(remove);
    if (put.length) await (table as { bulkPut(rows: unknown[]): Promise<unknown> }).bulkPut(put);
  }

  for (const [key, value] of s.account) {
    if (value === undefined) await db.account.delete(key);
    else await db.account.put({ key, value });
  }
}
