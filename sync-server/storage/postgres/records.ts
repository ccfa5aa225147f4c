/**
 * The server-owned records in PostgreSQL: the tables of migration 3, the same as SQLite's
 * (sqlite-schema.ts), read here and written only by DocStore.append (`writeRecords`, in the
 * transaction of their document update). Each change means what `applyChange` gives it in memory;
 * the storage contract (contract.ts) checks that they agree.
 */
import type { Sql, TransactionSql } from 'postgres';
import { RECENT_HISTORY_PER_PACK, type HistoryRecord } from '../../../shared/history.ts';
import type { CommandResult, PackInstance, PackTombstone, PublishedComponent } from '../../../shared/index.ts';
import type { ComponentType } from '../../../shared/model.ts';
import { checkChanges, type RecordChange } from '../../records/changes.ts';
import type { RecordStore } from '../types.ts';
import { toAccount, type AccountRow } from './accounts.ts';

import { type AttachmentRow, groupBy, type InstanceRow, type ReleaseRow, toInstance, toRelease } from '../record-rows.ts';

const orNull = <T>(value: T | undefined): T | null => (value === undefined ? null : value);

async function writeInstance(tx: TransactionSql, accountId: string, i: PackInstance): Promise<void> {
  await tx`INSERT INTO instances (account_id, id, pack_id, managed_account_id, override_name, release_number, pending_release_number,
      installed_at, last_error, failed_release_number)
    VALUES (${accountId}, ${i.id}, ${i.packId}, ${i.managedAccountId}, ${orNull(i.overrideName)}, ${i.releaseNumber},
      ${orNull(i.pendingReleaseNumber)}, ${i.installedAt}, ${orNull(i.lastError)}, ${orNull(i.failedReleaseNumber)})
    ON CONFLICT (account_id, id) DO UPDATE SET pack_id = excluded.pack_id, managed_account_id = excluded.managed_account_id,
      override_name = excluded.override_name, release_number = excluded.release_number,
      pending_release_number = excluded.pending_release_number, installed_at = excluded.installed_at,
      last_error = excluded.last_error, failed_release_number = excluded.failed_release_number`;
  await tx`DELETE FROM instance_attachments WHERE account_id = ${accountId} AND instance_id = ${i.id}`;
  for (const [position, id] of i.atomIds.entries())
    await tx`INSERT INTO instance_attachments VALUES (${accountId}, ${i.id}, 'atom', ${position}, ${id})`;
  for (const [position, id] of i.environmentIds.entries())
    await tx`INSERT INTO instance_attachments VALUES (${accountId}, ${i.id}, 'environment', ${position}, ${id})`;
}

/** Applies the changes in order, in the caller's transaction (an unknown one throws before anything is written). */
export async function writeRecords(tx: TransactionSql, accountId: string, changes: readonly RecordChange[]): Promise<void> {
  checkChanges(changes);
  for (const change of changes) {
    switch (change.op) {
      case 'account': {
        const a = change.account;
        await tx`INSERT INTO accounts (id, name, multi_install, time_zone, locale)
          VALUES (${a.id}, ${a.name}, ${a.multiInstallEnabled}, ${a.timeZone || 'UTC'}, ${a.locale ?? null})
          ON CONFLICT (id) DO UPDATE SET name = excluded.name, multi_install = excluded.multi_install,
            time_zone = excluded.time_zone, locale = excluded.locale`;
        break;
      }
      case 'component': {
        const c = change.component;
        await tx`INSERT INTO components (account_id, id, name, type) VALUES (${accountId}, ${c.id}, ${c.name}, ${c.type})
          ON CONFLICT (account_id, id) DO UPDATE SET name = excluded.name, type = excluded.type`;
        await tx`DELETE FROM component_versions WHERE account_id = ${accountId} AND component_id = ${c.id}`;
        for (const version of new Set(c.versions)) await tx`INSERT INTO component_versions VALUES (${accountId}, ${c.id}, ${version})`;
        break;
      }
      case 'managedAccount':
        await tx`INSERT INTO managed_accounts (account_id, id, name) VALUES (${accountId}, ${change.managedAccount.id}, ${change.managedAccount.name})
          ON CONFLICT (account_id, id) DO UPDATE SET name = excluded.name`;
        break;
      case 'releases':
        await tx`DELETE FROM releases WHERE account_id = ${accountId} AND pack_id = ${change.packId}`;
        await tx`DELETE FROM release_components WHERE account_id = ${accountId} AND pack_id = ${change.packId}`;
        await tx`DELETE FROM schedule WHERE account_id = ${accountId} AND pack_id = ${change.packId}`;
        for (const r of change.releases) {
          await tx`INSERT INTO releases (account_id, pack_id, number, release_schedule, release_on_date, status, released_by, released_at,
              request_id, superseded_by, applied_at, notes)
            VALUES (${accountId}, ${change.packId}, ${r.number}, ${r.releaseSchedule}, ${orNull(r.releaseOnDate)}, ${r.status},
              ${r.releasedBy}, ${r.releasedAt}, ${r.requestId}, ${orNull(r.supersededBy)}, ${orNull(r.appliedAt)}, ${orNull(r.notes)})`;
          for (const [position, c] of r.components.entries())
            await tx`INSERT INTO release_components VALUES (${accountId}, ${change.packId}, ${r.number}, ${position}, ${c.componentId}, ${c.version})`;
        }
        for (const entry of change.schedule)
          await tx`INSERT INTO schedule VALUES (${accountId}, ${change.packId}, ${entry.releaseNumber}, ${entry.appliesAt})`;
        break;
      case 'instance':
        await writeInstance(tx, accountId, change.instance);
        break;
      case 'deleteInstance':
        await tx`DELETE FROM instance_attachments WHERE account_id = ${accountId} AND instance_id = ${change.instanceId}`;
        await tx`DELETE FROM instances WHERE account_id = ${accountId} AND id = ${change.instanceId}`;
        break;
      case 'deleteInstancesOfPack':
        await tx`DELETE FROM instance_attachments WHERE account_id = ${accountId}
          AND instance_id IN (SELECT id FROM instances WHERE account_id = ${accountId} AND pack_id = ${change.packId})`;
        await tx`DELETE FROM instances WHERE account_id = ${accountId} AND pack_id = ${change.packId}`;
        break;
      case 'effect': {
        // One statement over every instance of the pack that awaits the release (shared/release-plan.ts `awaits`).
        const e = change.effect;
        const awaiting = tx`account_id = ${accountId} AND pack_id = ${e.packId} AND release_number < ${e.releaseNumber}
          AND (failed_release_number IS NULL OR failed_release_number <> ${e.releaseNumber})`;
        if (e.change === 'move')
          await tx`UPDATE instances SET release_number = ${e.releaseNumber}, pending_release_number = NULL, last_error = NULL,
            failed_release_number = NULL WHERE ${awaiting}`;
        else if (e.change === 'pend')
          await tx`UPDATE instances SET pending_release_number = ${e.releaseNumber}, last_error = NULL, failed_release_number = NULL
            WHERE ${awaiting}`;
        else if (e.change === 'fail')
          await tx`UPDATE instances SET pending_release_number = ${e.releaseNumber}, last_error = ${e.reason},
            failed_release_number = ${e.releaseNumber} WHERE ${awaiting}`;
        break;
      }
      case 'tombstone': {
        const t = change.tombstone;
        await tx`INSERT INTO tombstones VALUES (${accountId}, ${t.packId}, ${t.name}, ${t.deletedAt}, ${t.deletedBy})
          ON CONFLICT (account_id, pack_id) DO UPDATE SET name = excluded.name, deleted_at = excluded.deleted_at, deleted_by = excluded.deleted_by`;
        break;
      }
      case 'audit': {
        const r = change.record;
        await tx`INSERT INTO audit VALUES (${accountId}, ${r.seq}, ${orNull(r.packId)}, ${orNull(r.managedAccountId)}, ${r.kind}, ${r.at},
          ${change.projected}, ${JSON.stringify(r)})`;
        break;
      }
    }
  }
}

export function postgresRecords(sql: Sql): RecordStore {
  return {
    async getCommandResult(accountId, key) {
      const [row] = await sql<{ result: CommandResult; fingerprint: string | null }[]>`
        SELECT result, fingerprint FROM command_results WHERE account_id = ${accountId} AND idempotency_key = ${key}`;
      return row && { result: row.result, fingerprint: row.fingerprint ?? undefined };
    },
    async clientIdBindings(accountId) {
      const rows = await sql<{ client_id: number; person_id: string }[]>`
        SELECT client_id, person_id FROM client_ids WHERE account_id = ${accountId}`;
      return rows.map((row) => ({ accountId, clientId: row.client_id, personId: row.person_id }));
    },
    load(accountId) {
      return sql.begin('ISOLATION LEVEL REPEATABLE READ READ ONLY', async (tx) => {
        const [accountRow] = await tx<AccountRow[]>`SELECT * FROM accounts WHERE id = ${accountId}`;
        const versions = groupBy(
          await tx<{ component_id: string; version: number }[]>`
            SELECT component_id, version FROM component_versions WHERE account_id = ${accountId} ORDER BY component_id, version`,
          (row) => row.component_id,
        );
        const catalog: PublishedComponent[] = (
          await tx<{ id: string; name: string; type: ComponentType }[]>`
            SELECT id, name, type FROM components WHERE account_id = ${accountId} ORDER BY id`
        ).map((row) => ({ id: row.id, name: row.name, type: row.type, versions: (versions.get(row.id) ?? []).map((v) => v.version) }));
        const components = groupBy(
          await tx<{ pack_id: string; number: number; component_id: string; version: number }[]>`
            SELECT pack_id, number, component_id, version FROM release_components WHERE account_id = ${accountId}
            ORDER BY pack_id, number, position`,
          (row) => `${row.pack_id}\u0000${row.number}`,
        );
        const releases = (await tx<ReleaseRow[]>`SELECT * FROM releases WHERE account_id = ${accountId} ORDER BY pack_id, number`).map(
          (row) =>
            toRelease(
              row,
              (components.get(`${row.pack_id}\u0000${row.number}`) ?? []).map((c) => ({ componentId: c.component_id, version: c.version })),
            ),
        );
        const attachments = groupBy(
          await tx<AttachmentRow[]>`SELECT instance_id, kind, attachment_id FROM instance_attachments WHERE account_id = ${accountId}
            ORDER BY instance_id, kind, position`,
          (row) => row.instance_id,
        );
        const instances = (await tx<InstanceRow[]>`SELECT * FROM instances WHERE account_id = ${accountId} ORDER BY id`).map((row) =>
          toInstance(row, attachments.get(row.id) ?? []),
        );
        const tombstones: PackTombstone[] = (
          await tx<{ pack_id: string; name: string; deleted_at: string; deleted_by: string }[]>`
            SELECT pack_id, name, deleted_at, deleted_by FROM tombstones WHERE account_id = ${accountId} ORDER BY pack_id`
        ).map((row) => ({ packId: row.pack_id, name: row.name, deletedAt: row.deleted_at, deletedBy: row.deleted_by }));
        const recent = await tx<{ record: string }[]>`
          SELECT record FROM (SELECT record, row_number() OVER (PARTITION BY pack_id ORDER BY seq DESC) AS rank
            FROM audit WHERE account_id = ${accountId} AND projected) ranked WHERE rank <= ${RECENT_HISTORY_PER_PACK}`;
        const [last] = await tx<{ seq: number | null }[]>`SELECT max(seq) AS seq FROM audit WHERE account_id = ${accountId}`;
        return {
          account: accountRow && toAccount(accountRow),
          catalog,
          managedAccounts: await tx<{ id: string; name: string }[]>`
            SELECT id, name FROM managed_accounts WHERE account_id = ${accountId} ORDER BY id`,
          releases,
          instances,
          tombstones,
          recentHistory: recent.map((row) => JSON.parse(row.record) as HistoryRecord),
          lastAuditSeq: last?.seq ?? 0,
        };
      });
    },
    async history(accountId, query) {
      const rows = await sql<{ record: string }[]>`
        SELECT record FROM audit WHERE account_id = ${accountId}
          AND (${query.packId ?? null}::text IS NULL OR pack_id = ${query.packId ?? null})
          AND (${query.managedAccountId ?? null}::text IS NULL OR managed_account_id = ${query.managedAccountId ?? null})
          AND (${query.kind ?? null}::text IS NULL OR kind = ${query.kind ?? null})
          AND seq < ${query.before ?? Number.MAX_SAFE_INTEGER}
        ORDER BY seq DESC LIMIT ${query.limit}`;
      return rows.map((row) => JSON.parse(row.record) as HistoryRecord);
    },
    async instances(accountId, query) {
      const after = query.after ?? { managedAccountId: '', id: '' };
      const rows = await sql<InstanceRow[]>`
        SELECT * FROM instances WHERE account_id = ${accountId}
          AND (${query.packId ?? null}::text IS NULL OR pack_id = ${query.packId ?? null})
          AND (${query.managedAccountId ?? null}::text IS NULL OR managed_account_id = ${query.managedAccountId ?? null})
          AND (managed_account_id, id) > (${after.managedAccountId}, ${after.id})
        ORDER BY managed_account_id, id LIMIT ${query.limit}`;
      if (rows.length === 0) return [];
      const attachments = groupBy(
        await sql<AttachmentRow[]>`SELECT instance_id, kind, attachment_id FROM instance_attachments
          WHERE account_id = ${accountId} AND instance_id IN ${sql(rows.map((row) => row.id))} ORDER BY instance_id, kind, position`,
        (row) => row.instance_id,
      );
      return rows.map((row) => toInstance(row, attachments.get(row.id) ?? []));
    },
    async schedule(through) {
      const at = through.toISOString();
      const due = await sql<{ account_id: string; pack_id: string; release_number: number; applies_at: string }[]>`
        SELECT account_id, pack_id, release_number, applies_at FROM schedule WHERE applies_at <= ${at}
        ORDER BY applies_at, account_id, pack_id`;
      const [next] = await sql<
        { applies_at: string | null }[]
      >`SELECT min(applies_at) AS applies_at FROM schedule WHERE applies_at > ${at}`;
      return {
        due: due.map((row) => ({
          accountId: row.account_id,
          packId: row.pack_id,
          releaseNumber: row.release_number,
          appliesAt: row.applies_at,
        })),
        ...(next?.applies_at ? { next: next.applies_at } : {}),
      };
    },
  };
}
