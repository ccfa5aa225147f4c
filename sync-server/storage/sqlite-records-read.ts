/**
 * Reads of the server-owned record tables (sqlite-schema.ts): everything a room loads, history and
 * installations page by page, and the schedule. Rows become the shared model's objects, with absent
 * values left out (as the in-memory store gives them back).
 */
import type Database from 'better-sqlite3';
import { RECENT_HISTORY_PER_PACK, type HistoryRecord } from '../../shared/history.ts';
import type {
  ComponentType,
  ManagedAccount,
  PackInstance,
  PackTombstone,
  PublishedComponent,
  PublisherAccount,
} from '../../shared/model.ts';
import type { AccountRecordsData } from '../records/changes.ts';
import type { DueRelease, HistoryQuery, InstanceQuery, ScheduleAnswer } from './types.ts';

import { type AttachmentRow, groupBy, type InstanceRow, type ReleaseRow, toInstance, toRelease } from './record-rows.ts';

interface PageParams {
  account: string;
  pack: string | null;
  managed: string | null;
  limit: number;
}
const pageParams = (account: string, query: { packId?: string; managedAccountId?: string; limit: number }): PageParams => ({
  account,
  pack: query.packId ?? null,
  managed: query.managedAccountId ?? null,
  limit: query.limit,
});

/** An instance's row: what it is (instances) with the release it runs (instance_releases). */
const INSTANCE_ROWS =
  'SELECT i.id, i.pack_id, i.managed_account_id, i.override_name, i.installed_at, r.release_number, r.pending_release_number, r.last_error, r.failed_release_number FROM instances i JOIN instance_releases r ON r.account_id = i.account_id AND r.pack_id = i.pack_id AND r.id = i.id';

export function createRecordReader(db: Database.Database) {
  const q = {
    account: db.prepare<[string], { id: string; name: string; multi_install: number; time_zone: string; locale: string | null }>(
      'SELECT * FROM accounts WHERE id = ?',
    ),
    components: db.prepare<[string], { id: string; name: string; type: ComponentType }>(
      'SELECT id, name, type FROM components WHERE account_id = ? ORDER BY id',
    ),
    versions: db.prepare<[string], { component_id: string; version: number }>(
      'SELECT component_id, version FROM component_versions WHERE account_id = ? ORDER BY component_id, version',
    ),
    managedAccounts: db.prepare<[string], ManagedAccount>('SELECT id, name FROM managed_accounts WHERE account_id = ? ORDER BY id'),
    releases: db.prepare<[string], ReleaseRow>('SELECT * FROM releases WHERE account_id = ? ORDER BY pack_id, number'),
    releaseComponents: db.prepare<[string], { pack_id: string; number: number; component_id: string; version: number }>(
      'SELECT pack_id, number, component_id, version FROM release_components WHERE account_id = ? ORDER BY pack_id, number, position',
    ),
    instances: db.prepare<[string], InstanceRow>(`${INSTANCE_ROWS} WHERE i.account_id = ? ORDER BY i.id`),
    attachments: db.prepare<[string], AttachmentRow>(
      'SELECT instance_id, kind, attachment_id FROM instance_attachments WHERE account_id = ? ORDER BY instance_id, kind, position',
    ),
    tombstones: db.prepare<[string], { pack_id: string; name: string; deleted_at: string; deleted_by: string }>(
      'SELECT pack_id, name, deleted_at, deleted_by FROM tombstones WHERE account_id = ? ORDER BY pack_id',
    ),
    recentHistory: db.prepare<[string, number], { record: string }>(
      'SELECT record FROM (SELECT record, row_number() OVER (PARTITION BY pack_id ORDER BY seq DESC) AS rank FROM audit WHERE account_id = ? AND projected = 1) WHERE rank <= ?',
    ),
    lastSeq: db.prepare<[string], { seq: number | null }>('SELECT max(seq) AS seq FROM audit WHERE account_id = ?'),
    history: db.prepare<[PageParams & { before: number; kind: string | null }], { record: string }>(
      'SELECT record FROM audit WHERE account_id = @account AND (@pack IS NULL OR pack_id = @pack) AND (@managed IS NULL OR managed_account_id = @managed) AND (@kind IS NULL OR kind = @kind) AND seq < @before ORDER BY seq DESC LIMIT @limit',
    ),
    instancePage: db.prepare<[PageParams & { afterManaged: string; afterId: string }], InstanceRow>(
      `${INSTANCE_ROWS} WHERE i.account_id = @account AND (@pack IS NULL OR i.pack_id = @pack) AND (@managed IS NULL OR i.managed_account_id = @managed) AND (i.managed_account_id, i.id) > (@afterManaged, @afterId) ORDER BY i.managed_account_id, i.id LIMIT @limit`,
    ),
    attachmentsOf: db.prepare<[string, string], AttachmentRow>(
      'SELECT instance_id, kind, attachment_id FROM instance_attachments WHERE account_id = ? AND instance_id = ? ORDER BY kind, position',
    ),
    due: db.prepare<[string], { account_id: string; pack_id: string; release_number: number; applies_at: string }>(
      'SELECT account_id, pack_id, release_number, applies_at FROM schedule WHERE applies_at <= ? ORDER BY applies_at, account_id, pack_id',
    ),
    next: db.prepare<[string], { applies_at: string | null }>('SELECT min(applies_at) AS applies_at FROM schedule WHERE applies_at > ?'),
  };

  return {
    load(accountId: string): AccountRecordsData {
      const accountRow = q.account.get(accountId);
      const account: PublisherAccount | undefined = accountRow && {
        id: accountRow.id,
        name: accountRow.name,
        multiInstallEnabled: accountRow.multi_install === 1,
        timeZone: accountRow.time_zone,
        ...(accountRow.locale ? { locale: accountRow.locale } : {}),
      };
      const versions = groupBy(q.versions.all(accountId), (row) => row.component_id);
      const catalog: PublishedComponent[] = q.components
        .all(accountId)
        .map((row) => ({ id: row.id, name: row.name, type: row.type, versions: (versions.get(row.id) ?? []).map((v) => v.version) }));
      const components = groupBy(q.releaseComponents.all(accountId), (row) => `${row.pack_id}\u0000${row.number}`);
      const releases = q.releases.all(accountId).map((row) =>
        toRelease(
          row,
          (components.get(`${row.pack_id}\u0000${row.number}`) ?? []).map((c) => ({ componentId: c.component_id, version: c.version })),
        ),
      );
      const attachments = groupBy(q.attachments.all(accountId), (row) => row.instance_id);
      const instances = q.instances.all(accountId).map((row) => toInstance(row, attachments.get(row.id) ?? []));
      const tombstones: PackTombstone[] = q.tombstones
        .all(accountId)
        .map((row) => ({ packId: row.pack_id, name: row.name, deletedAt: row.deleted_at, deletedBy: row.deleted_by }));
      const recentHistory = q.recentHistory.all(accountId, RECENT_HISTORY_PER_PACK).map((row) => JSON.parse(row.record) as HistoryRecord);
      return {
        account,
        catalog,
        managedAccounts: q.managedAccounts.all(accountId),
        releases,
        instances,
        tombstones,
        recentHistory,
        lastAuditSeq: q.lastSeq.get(accountId)?.seq ?? 0,
      };
    },
    history(accountId: string, query: HistoryQuery): HistoryRecord[] {
      return q.history
        .all({ ...pageParams(accountId, query), before: query.before ?? Number.MAX_SAFE_INTEGER, kind: query.kind ?? null })
        .map((row) => JSON.parse(row.record) as HistoryRecord);
    },
    instances(accountId: string, query: InstanceQuery): PackInstance[] {
      const after = query.after ?? { managedAccountId: '', id: '' };
      return q.instancePage
        .all({ ...pageParams(accountId, query), afterManaged: after.managedAccountId, afterId: after.id })
        .map((row) => toInstance(row, q.attachmentsOf.all(accountId, row.id)));
    },
    schedule(through: Date): ScheduleAnswer {
      const at = through.toISOString();
      const due: DueRelease[] = q.due
        .all(at)
        .map((row) => ({ accountId: row.account_id, packId: row.pack_id, releaseNumber: row.release_number, appliesAt: row.applies_at }));
      const next = q.next.get(at)?.applies_at ?? undefined;
      return { due, ...(next ? { next } : {}) };
    },
  };
}
