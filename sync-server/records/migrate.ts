/**
 * Migration of an account written by the version before server-owned tables: its document held the
 * server's truth (catalog, releases, managed accounts, every installation, tombstones, the whole
 * history). On the first load under this version those roots become rows, in the commit that rewrites
 * the document as the projection; a MIGRATE audit record marks the account as moved, so a later
 * document (corrupted, or written behind the server's back) is never taken for truth again.
 */
import * as v from 'valibot';
import * as Y from 'yjs';
import type { HistoryRecord } from '../../shared/history.ts';
import { Root, type RootName } from '../../shared/schema.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../storage/types.ts';
import type { AccountRecords } from './account-records.ts';
import type { AccountRecordsData } from './changes.ts';

const text = v.string();
const count = v.pipe(v.number(), v.safeInteger(), v.minValue(0));

const ComponentSchema = v.object({
  id: text,
  name: text,
  type: v.picklist(['PROCESS', 'API_SERVICE']),
  versions: v.array(count),
});
const ManagedAccountSchema = v.object({ id: text, name: text });
const ReleaseSchema = v.object({
  packId: text,
  number: count,
  components: v.array(v.object({ componentId: text, version: count })),
  releaseSchedule: v.picklist(['IMMEDIATELY', 'RELEASE_ON_SPECIFIED_DATE']),
  releaseOnDate: v.optional(text),
  status: v.picklist(['IN_PROGRESS', 'SCHEDULED', 'SUCCESS', 'ERROR']),
  releasedBy: text,
  releasedAt: text,
  requestId: text,
  supersededBy: v.optional(count),
  appliedAt: v.optional(text),
  notes: v.optional(text),
});
const InstanceSchema = v.object({
  id: text,
  packId: text,
  managedAccountId: text,
  overrideName: v.optional(text),
  releaseNumber: count,
  pendingReleaseNumber: v.optional(count),
  atomIds: v.array(text),
  environmentIds: v.array(text),
  installedAt: text,
  lastError: v.optional(text),
  failedReleaseNumber: v.optional(count),
});
const TombstoneSchema = v.object({ packId: text, name: text, deletedAt: text, deletedBy: text });
/** Loose: a record keeps every field it had; `seq` and a numeric `id` are given anew. */
const LegacyHistorySchema = v.looseObject({
  id: text,
  kind: text,
  actor: text,
  at: text,
  summary: text,
  status: v.picklist(['SUCCESS', 'ERROR']),
  packId: v.optional(text),
});

/** The roots the earlier version kept the server's truth in. */
const LEGACY_ROOTS: readonly RootName[] = [
  Root.catalog,
  Root.releases,
  Root.managedAccounts,
  Root.deletedPacks,
  Root.retiredInstances,
  Root.retiredHistory,
];

export const MIGRATION_KIND = 'MIGRATE';

/**
 * An account needs moving when its tables hold nothing of it yet (no rows, no audit record: not even
 * a MIGRATE one) while its document holds something in the roots the earlier version wrote.
 */
export function needsMigration(data: AccountRecordsData, doc: Y.Doc): boolean {
  return recordsEmpty(data) && LEGACY_ROOTS.some((root) => doc.getMap(root).size > 0);
}

function recordsEmpty(data: AccountRecordsData): boolean {
  return (
    data.lastAuditSeq === 0 &&
    data.catalog.length === 0 &&
    data.managedAccounts.length === 0 &&
    data.releases.length === 0 &&
    data.instances.length === 0 &&
    data.tombstones.length === 0
  );
}

export interface MigrationReport {
  components: number;
  managedAccounts: number;
  releases: number;
  instances: number;
  tombstones: number;
  history: number;
  /** Entries that were not of their root's shape (kept out, and counted in the MIGRATE record). */
  skipped: number;
}

function entries<T>(doc: Y.Doc, root: RootName, schema: v.GenericSchema<unknown, T>, report: MigrationReport): T[] {
  const valid: T[] = [];
  for (const value of doc.getMap<unknown>(root).values()) {
    const parsed = v.safeParse(schema, value);
    if (parsed.success) valid.push(parsed.output);
    else report.skipped++;
  }
  return valid;
}

/** Moves the legacy roots' content into the records (as changes the room then commits). */
export function migrateLegacyRoots(doc: Y.Doc, records: AccountRecords, now: Date): MigrationReport {
  const report: MigrationReport = { components: 0, managedAccounts: 0, releases: 0, instances: 0, tombstones: 0, history: 0, skipped: 0 };
  for (const component of entries(doc, Root.catalog, ComponentSchema, report)) {
    records.putComponent({ ...component, versions: [...new Set(component.versions)].sort((a, b) => a - b) });
    report.components++;
  }
  for (const account of entries(doc, Root.managedAccounts, ManagedAccountSchema, report)) {
    records.putManagedAccount(account);
    report.managedAccounts++;
  }
  for (const [packId, value] of doc.getMap<unknown>(Root.releases)) {
    const parsed = v.safeParse(v.array(ReleaseSchema), value);
    if (!parsed.success || parsed.output.some((release) => release.packId !== packId)) {
      report.skipped++;
      continue;
    }
    records.putReleases(packId, parsed.output);
    report.releases += parsed.output.length;
  }
  for (const instance of entries(doc, Root.retiredInstances, InstanceSchema, report)) {
    records.putInstance(instance);
    report.instances++;
  }
  for (const tombstone of entries(doc, Root.deletedPacks, TombstoneSchema, report)) {
    records.putTombstone(tombstone);
    report.tombstones++;
  }
  const history = entries(doc, Root.retiredHistory, LegacyHistorySchema, report).sort(
    (a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id),
  );
  for (const { id, seq: _seq, ...record } of history) {
    // Commands were recorded under their idempotency key; an automatic apply under its release.
    const idempotencyKey =
      typeof record.idempotencyKey === 'string' ? record.idempotencyKey : record.kind === 'AUTO_APPLY' ? undefined : id;
    const changedSomething = record.status === 'SUCCESS' || record.kind === 'AUTO_APPLY';
    records.audit(
      { ...(record as Omit<HistoryRecord, 'id' | 'seq'>), ...(idempotencyKey ? { idempotencyKey } : {}) },
      { projected: changedSomething },
    );
    report.history++;
  }
  const { skipped, ...moved } = report;
  const what = Object.entries(moved)
    .map(([part, n]) => `${n} ${part}`)
    .join(', ');
  records.audit(
    {
      kind: MIGRATION_KIND,
      actor: 'Server',
      at: now.toISOString(),
      summary: 'Move the server-owned records from the document into tables',
      status: 'SUCCESS',
      message: `Moved ${what}${skipped > 0 ? `; ${skipped} malformed entries were left out` : ''}.`,
    },
    { projected: false },
  );
  return report;
}

export interface StartupMigrationDeps {
  store: Pick<Store, 'accounts' | 'docs' | 'records'>;
  /** Loads an account's room (the room migrates it on load) and resolves once what it wrote is stored. */
  loadAndSettle(accountId: string): Promise<void>;
  log: Logger;
}

/**
 * Before the server answers anyone: every account still in the earlier shape is loaded once, so its
 * records are in the tables the HTTP pages and the scheduler read (not only once someone opens it).
 * Only accounts whose tables hold nothing and whose stored document is not empty are read, and only
 * those `needsMigration` names are loaded.
 */
export async function migrateStoredAccounts(deps: StartupMigrationDeps): Promise<string[]> {
  const moved: string[] = [];
  for (const account of await deps.store.accounts.listAccounts()) {
    if ((await deps.store.records.history(account.id, { limit: 1 })).length > 0) continue;
    const records = await deps.store.records.load(account.id);
    if (!recordsEmpty(records)) continue;
    const sizes = await deps.store.docs.sizes(account.id);
    if (sizes.snapshotBytes + sizes.logBytes === 0) continue;
    const stored = await deps.store.docs.load(account.id);
    const doc = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
    for (const update of stored.updates) Y.applyUpdate(doc, update);
    const legacy = needsMigration(records, doc);
    doc.destroy();
    if (!legacy) continue;
    await deps.loadAndSettle(account.id);
    moved.push(account.id);
  }
  if (moved.length > 0) deps.log.info(`Accounts checked for records in the document's earlier shape: ${moved.join(', ')}.`);
  return moved;
}
