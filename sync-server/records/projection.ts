/**
 * The document's server-owned roots as a projection of the account's records (shared/schema.ts says
 * what each root holds). `rebuildProjection` makes every projection root equal what the records say,
 * writing only the entries that differ and deleting the ones the records do not have (whatever a
 * stored document held there is never trusted); the retired roots are emptied. `projectChanges`
 * rewrites only the entries a batch of changes touched. Both write in the caller's transaction.
 */
import type * as Y from 'yjs';
import { summarizeRollout, type RolloutSummary } from '../../shared/rollout.ts';
import { ACCOUNT_KEY, PROJECTION_ROOTS, RETIRED_ROOTS, Root, writeProjected, type RootName } from '../../shared/schema.ts';
import type { AccountRecords, DirtyParts } from './account-records.ts';

function rolloutOf(records: AccountRecords, packId: string): RolloutSummary | undefined {
  const summary = summarizeRollout(packId, records.packInstances(packId));
  return summary.instances > 0 ? summary : undefined;
}

/** Every entry each projection root should hold. */
function desiredEntries(records: AccountRecords): Map<RootName, Map<string, unknown>> {
  const desired = new Map<RootName, Map<string, unknown>>(PROJECTION_ROOTS.map((root) => [root, new Map()]));
  const put = (root: RootName, key: string, value: unknown) => desired.get(root)!.set(key, value);
  if (records.account) put(Root.account, ACCOUNT_KEY, records.account);
  for (const [id, component] of records.catalog) put(Root.catalog, id, component);
  for (const [id, account] of records.managedAccounts) put(Root.managedAccounts, id, account);
  for (const [packId, releases] of records.allReleases) put(Root.releases, packId, releases);
  for (const [packId, tombstone] of records.tombstones) put(Root.deletedPacks, packId, tombstone);
  const installed = new Set<string>();
  for (const instance of records.instances()) installed.add(instance.packId);
  for (const packId of installed) put(Root.rollout, packId, rolloutOf(records, packId));
  for (const record of records.allRecentHistory()) put(Root.recentHistory, record.id, record);
  return desired;
}

/** Makes the projection equal the records. Returns how many entries it had to write or delete. */
export function rebuildProjection(doc: Y.Doc, records: AccountRecords, origin: unknown): number {
  let written = 0;
  doc.transact(() => {
    for (const [root, entries] of desiredEntries(records)) {
      const map = doc.getMap<unknown>(root);
      for (const key of [...map.keys()]) if (!entries.has(key) && writeProjected(doc, root, key, undefined, origin)) written++;
      for (const [key, value] of entries) if (writeProjected(doc, root, key, value, origin)) written++;
    }
    for (const root of RETIRED_ROOTS) {
      const map = doc.getMap<unknown>(root);
      for (const key of [...map.keys()]) if (writeProjected(doc, root, key, undefined, origin)) written++;
    }
  }, origin);
  return written;
}

/** Rewrites the entries the changes touched (`records.takeDirty()`). */
export function projectChanges(doc: Y.Doc, records: AccountRecords, dirty: DirtyParts, origin: unknown): void {
  doc.transact(() => {
    if (dirty.account) writeProjected(doc, Root.account, ACCOUNT_KEY, records.account, origin);
    for (const id of dirty.components) writeProjected(doc, Root.catalog, id, records.catalog.get(id), origin);
    for (const id of dirty.managedAccounts) writeProjected(doc, Root.managedAccounts, id, records.managedAccounts.get(id), origin);
    for (const packId of dirty.releasePacks) {
      const releases = records.releases(packId);
      writeProjected(doc, Root.releases, packId, releases.length > 0 ? releases : undefined, origin);
    }
    for (const packId of dirty.tombstones) writeProjected(doc, Root.deletedPacks, packId, records.tombstones.get(packId), origin);
    for (const packId of dirty.rolloutPacks) writeProjected(doc, Root.rollout, packId, rolloutOf(records, packId), origin);
    for (const id of dirty.historyIds) writeProjected(doc, Root.recentHistory, id, records.recentRecord(id), origin);
  }, origin);
}
