// Writes server-owned record changes (sync-server/records/changes.ts) into the SQLite tables of
// sqlite-schema.ts, inside the caller's transaction. Plain JS because the writer thread
// (sqlite-writer.mjs) runs it too; sqlite.ts calls the same function on its own thread. Types in
// sqlite-records-write.d.mts. Each change means what applyChange gives it in memory; the storage
// contract (contract.ts) checks that both agree.

/** @param {import('better-sqlite3').Database} db */
export function createRecordWriter(db) {
  const q = {
    account: db.prepare(
      'INSERT INTO accounts (id, name, multi_install, time_zone, locale) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, multi_install = excluded.multi_install, time_zone = excluded.time_zone, locale = excluded.locale',
    ),
    component: db.prepare(
      'INSERT INTO components (account_id, id, name, type) VALUES (?, ?, ?, ?) ON CONFLICT (account_id, id) DO UPDATE SET name = excluded.name, type = excluded.type',
    ),
    deleteVersions: db.prepare('DELETE FROM component_versions WHERE account_id = ? AND component_id = ?'),
    version: db.prepare('INSERT INTO component_versions (account_id, component_id, version) VALUES (?, ?, ?)'),
    managedAccount: db.prepare(
      'INSERT INTO managed_accounts (account_id, id, name) VALUES (?, ?, ?) ON CONFLICT (account_id, id) DO UPDATE SET name = excluded.name',
    ),
    deleteReleases: db.prepare('DELETE FROM releases WHERE account_id = ? AND pack_id = ?'),
    deleteReleaseComponents: db.prepare('DELETE FROM release_components WHERE account_id = ? AND pack_id = ?'),
    deleteSchedule: db.prepare('DELETE FROM schedule WHERE account_id = ? AND pack_id = ?'),
    release: db.prepare(
      'INSERT INTO releases (account_id, pack_id, number, release_schedule, release_on_date, status, released_by, released_at, request_id, superseded_by, applied_at, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    releaseComponent: db.prepare(
      'INSERT INTO release_components (account_id, pack_id, number, position, component_id, version) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    schedule: db.prepare('INSERT INTO schedule (account_id, pack_id, release_number, applies_at) VALUES (?, ?, ?, ?)'),
    // An instance moved to another pack leaves its release row under the old one (keyed by pack).
    leaveOtherPack: db.prepare(
      'DELETE FROM instance_releases WHERE account_id = @account AND pack_id = (SELECT pack_id FROM instances WHERE account_id = @account AND id = @id) AND id = @id AND pack_id <> @pack',
    ),
    instance: db.prepare(
      'INSERT INTO instances (account_id, id, pack_id, managed_account_id, override_name, installed_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (account_id, id) DO UPDATE SET pack_id = excluded.pack_id, managed_account_id = excluded.managed_account_id, override_name = excluded.override_name, installed_at = excluded.installed_at',
    ),
    instanceRelease: db.prepare(
      'INSERT INTO instance_releases (account_id, pack_id, id, release_number, pending_release_number, last_error, failed_release_number) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account_id, pack_id, id) DO UPDATE SET release_number = excluded.release_number, pending_release_number = excluded.pending_release_number, last_error = excluded.last_error, failed_release_number = excluded.failed_release_number',
    ),
    deleteAttachments: db.prepare('DELETE FROM instance_attachments WHERE account_id = ? AND instance_id = ?'),
    attachment: db.prepare(
      'INSERT INTO instance_attachments (account_id, instance_id, kind, position, attachment_id) VALUES (?, ?, ?, ?, ?)',
    ),
    deleteInstanceRelease: db.prepare(
      'DELETE FROM instance_releases WHERE account_id = @account AND pack_id = (SELECT pack_id FROM instances WHERE account_id = @account AND id = @id) AND id = @id',
    ),
    deleteInstance: db.prepare('DELETE FROM instances WHERE account_id = ? AND id = ?'),
    deleteAttachmentsOfPack: db.prepare(
      'DELETE FROM instance_attachments WHERE account_id = @account AND instance_id IN (SELECT id FROM instances WHERE account_id = @account AND pack_id = @pack)',
    ),
    deleteInstancesOfPack: db.prepare('DELETE FROM instances WHERE account_id = ? AND pack_id = ?'),
    deleteReleasesOfPackInstances: db.prepare('DELETE FROM instance_releases WHERE account_id = ? AND pack_id = ?'),
    // One statement per effect, over every instance of the pack that awaits the release (shared/release-plan.ts `awaits`):
    // one key range of instance_releases.
    move: db.prepare(
      'UPDATE instance_releases SET release_number = @release, pending_release_number = NULL, last_error = NULL, failed_release_number = NULL WHERE account_id = @account AND pack_id = @pack AND release_number < @release AND (failed_release_number IS NULL OR failed_release_number <> @release)',
    ),
    pend: db.prepare(
      'UPDATE instance_releases SET pending_release_number = @release, last_error = NULL, failed_release_number = NULL WHERE account_id = @account AND pack_id = @pack AND release_number < @release AND (failed_release_number IS NULL OR failed_release_number <> @release)',
    ),
    fail: db.prepare(
      'UPDATE instance_releases SET pending_release_number = @release, last_error = @reason, failed_release_number = @release WHERE account_id = @account AND pack_id = @pack AND release_number < @release AND (failed_release_number IS NULL OR failed_release_number <> @release)',
    ),
    tombstone: db.prepare(
      'INSERT INTO tombstones (account_id, pack_id, name, deleted_at, deleted_by) VALUES (?, ?, ?, ?, ?) ON CONFLICT (account_id, pack_id) DO UPDATE SET name = excluded.name, deleted_at = excluded.deleted_at, deleted_by = excluded.deleted_by',
    ),
    audit: db.prepare(
      'INSERT INTO audit (account_id, seq, pack_id, managed_account_id, kind, at, projected, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
  };
  const orNull = (value) => (value === undefined ? null : value);

  const writeInstance = (accountId, instance) => {
    q.leaveOtherPack.run({ account: accountId, id: instance.id, pack: instance.packId });
    q.instance.run(accountId, instance.id, instance.packId, instance.managedAccountId, orNull(instance.overrideName), instance.installedAt);
    q.instanceRelease.run(
      accountId,
      instance.packId,
      instance.id,
      instance.releaseNumber,
      orNull(instance.pendingReleaseNumber),
      orNull(instance.lastError),
      orNull(instance.failedReleaseNumber),
    );
    q.deleteAttachments.run(accountId, instance.id);
    instance.atomIds.forEach((id, position) => void q.attachment.run(accountId, instance.id, 'atom', position, id));
    instance.environmentIds.forEach((id, position) => void q.attachment.run(accountId, instance.id, 'environment', position, id));
  };

  /** @param {string} accountId @param {readonly import('../records/changes.ts').RecordChange[]} changes */
  return function writeRecords(accountId, changes) {
    for (const change of changes) {
      switch (change.op) {
        case 'account': {
          const a = change.account;
          q.account.run(a.id, a.name, a.multiInstallEnabled ? 1 : 0, a.timeZone || 'UTC', a.locale ?? null);
          break;
        }
        case 'component': {
          const c = change.component;
          q.component.run(accountId, c.id, c.name, c.type);
          q.deleteVersions.run(accountId, c.id);
          for (const version of new Set(c.versions)) q.version.run(accountId, c.id, version);
          break;
        }
        case 'managedAccount':
          q.managedAccount.run(accountId, change.managedAccount.id, change.managedAccount.name);
          break;
        case 'releases':
          q.deleteReleases.run(accountId, change.packId);
          q.deleteReleaseComponents.run(accountId, change.packId);
          q.deleteSchedule.run(accountId, change.packId);
          for (const r of change.releases) {
            q.release.run(
              accountId,
              change.packId,
              r.number,
              r.releaseSchedule,
              orNull(r.releaseOnDate),
              r.status,
              r.releasedBy,
              r.releasedAt,
              r.requestId,
              orNull(r.supersededBy),
              orNull(r.appliedAt),
              orNull(r.notes),
            );
            r.components.forEach(
              (c, position) => void q.releaseComponent.run(accountId, change.packId, r.number, position, c.componentId, c.version),
            );
          }
          for (const entry of change.schedule) q.schedule.run(accountId, change.packId, entry.releaseNumber, entry.appliesAt);
          break;
        case 'instance':
          writeInstance(accountId, change.instance);
          break;
        case 'deleteInstance':
          q.deleteAttachments.run(accountId, change.instanceId);
          q.deleteInstanceRelease.run({ account: accountId, id: change.instanceId });
          q.deleteInstance.run(accountId, change.instanceId);
          break;
        case 'deleteInstancesOfPack':
          q.deleteAttachmentsOfPack.run({ account: accountId, pack: change.packId });
          q.deleteReleasesOfPackInstances.run(accountId, change.packId);
          q.deleteInstancesOfPack.run(accountId, change.packId);
          break;
        case 'effect': {
          const e = change.effect;
          const target = { account: accountId, pack: e.packId, release: e.releaseNumber };
          if (e.change === 'fail') q.fail.run({ ...target, reason: e.reason });
          else q[e.change].run(target);
          break;
        }
        case 'tombstone': {
          const t = change.tombstone;
          q.tombstone.run(accountId, t.packId, t.name, t.deletedAt, t.deletedBy);
          break;
        }
        case 'audit': {
          const r = change.record;
          q.audit.run(
            accountId,
            r.seq,
            orNull(r.packId),
            orNull(r.managedAccountId),
            r.kind,
            r.at,
            change.projected ? 1 : 0,
            JSON.stringify(r),
          );
          break;
        }
        default:
          throw new Error(`Unknown record change ${change.op}`);
      }
    }
  };
}
