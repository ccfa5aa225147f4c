/**
 * The record tables' rows and their mapping to domain values, one copy for both SQL stores
 * (SQLite and PostgreSQL share the column names).
 */
import type { PackInstance, Release, ReleaseSchedule, ReleaseStatus } from '../../shared/model.ts';

export interface ReleaseRow {
  pack_id: string;
  number: number;
  release_schedule: ReleaseSchedule;
  release_on_date: string | null;
  status: ReleaseStatus;
  released_by: string;
  released_at: string;
  request_id: string;
  superseded_by: number | null;
  applied_at: string | null;
  notes: string | null;
}
export interface InstanceRow {
  id: string;
  pack_id: string;
  managed_account_id: string;
  override_name: string | null;
  release_number: number;
  pending_release_number: number | null;
  installed_at: string;
  last_error: string | null;
  failed_release_number: number | null;
}
export interface AttachmentRow {
  instance_id: string;
  kind: 'atom' | 'environment';
  attachment_id: string;
}

export const present = <K extends string, V>(key: K, value: V | null): { [P in K]?: V } =>
  (value === null ? {} : { [key]: value }) as { [P in K]?: V };

export function toRelease(row: ReleaseRow, components: Release['components']): Release {
  return {
    packId: row.pack_id,
    number: row.number,
    components,
    releaseSchedule: row.release_schedule,
    ...present('releaseOnDate', row.release_on_date),
    status: row.status,
    releasedBy: row.released_by,
    releasedAt: row.released_at,
    requestId: row.request_id,
    ...present('supersededBy', row.superseded_by),
    ...present('appliedAt', row.applied_at),
    ...present('notes', row.notes),
  };
}

export function toInstance(row: InstanceRow, attachments: readonly AttachmentRow[]): PackInstance {
  return {
    id: row.id,
    packId: row.pack_id,
    managedAccountId: row.managed_account_id,
    ...present('overrideName', row.override_name),
    releaseNumber: row.release_number,
    ...present('pendingReleaseNumber', row.pending_release_number),
    atomIds: attachments.filter((a) => a.kind === 'atom').map((a) => a.attachment_id),
    environmentIds: attachments.filter((a) => a.kind === 'environment').map((a) => a.attachment_id),
    installedAt: row.installed_at,
    ...present('lastError', row.last_error),
    ...present('failedReleaseNumber', row.failed_release_number),
  };
}

export function groupBy<T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}
