/**
 * The steps of the auto-apply, each run inside an account's room. `awaitingIds` lists, once, the
 * instances a due release has to reach; `applyDueStep` applies it to one chunk of them (looked up by
 * id, so a step costs its chunk, not the whole document), and a last step without ids scans for any
 * left (installed meanwhile), then marks the release SUCCESS and completes its history record. Every
 * step checks each instance afresh, so commands that ran between steps (an early apply, an install,
 * an uninstall) are taken into account, and a step repeated after a crash finds only what is left:
 * each instance moves to the release once.
 */
import type * as Y from 'yjs';
import type { HistoryRecord } from '../shared/history.ts';
import { ReleaseStatus, type PackInstance, type Release } from '../shared/model.ts';
import {
  checkUpdateApplicable,
  dueReleases,
  instancesAwaiting,
  markApplied,
  moveToRelease,
  nextAutoApplyAt,
  publisherTimeZone,
  withFailedUpdate,
} from '../shared/release-plan.ts';
import { isDue } from '../shared/releases.ts';
import {
  catalogView,
  readAccount,
  readAllReleases,
  readInstances,
  readPack,
  readReleases,
  Root,
  writeHistory,
  writeInstance,
  writeReleases,
} from '../shared/schema.ts';

export const SCHEDULER_ACTOR = 'Scheduler';

export interface DueRelease {
  packId: string;
  number: number;
}

/** The account's due releases and, after them, when its next scheduled one takes effect. */
export function readSchedule(doc: Y.Doc, now: Date): { due: DueRelease[]; nextAt: Date | undefined } {
  const timeZone = publisherTimeZone(readAccount(doc));
  const releases = readAllReleases(doc);
  const due = dueReleases(releases, timeZone, now).map(({ packId, number }) => ({ packId, number }));
  const dueKeys = new Set(due.map((release) => `${release.packId}\u0000${release.number}`));
  const later = new Map<string, Release[]>();
  for (const [packId, list] of releases)
    later.set(
      packId,
      list.filter((release) => !dueKeys.has(`${packId}\u0000${release.number}`)),
    );
  return { due, nextAt: nextAutoApplyAt(later, timeZone) };
}

export interface StepResult {
  done: boolean;
  updated: number;
  failed: number;
}

export const historyIdOf = (release: DueRelease): string => `auto-apply:${release.packId}:${release.number}`;

/** The release to apply, if it is still scheduled and due (not superseded, deleted or completed meanwhile). */
function stillDue(doc: Y.Doc, target: DueRelease, now: Date): { release: Release; releases: Release[] } | undefined {
  const releases = readReleases(doc, target.packId);
  const release = releases.find((candidate) => candidate.number === target.number);
  if (!release || release.status !== ReleaseStatus.SCHEDULED) return undefined;
  if (!isDue(release, publisherTimeZone(readAccount(doc)), now)) return undefined;
  return { release, releases };
}

/** The ids of the instances the release has to reach, in a stable order. */
export function awaitingIds(doc: Y.Doc, target: DueRelease, now: Date): string[] {
  const due = stillDue(doc, target, now);
  return due ? instancesAwaiting(due.release, readInstances(doc)).map((instance) => instance.id) : [];
}

/**
 * Applies the release to the instances `ids` names that still await it; without `ids`, to the first
 * `chunkSize` awaiting instances found by a full scan, marking the release done when that was all.
 */
export function applyDueStep(
  doc: Y.Doc,
  origin: unknown,
  target: DueRelease,
  now: Date,
  chunkSize: number,
  ids?: readonly string[],
): StepResult {
  const due = stillDue(doc, target, now);
  if (!due) return { done: true, updated: 0, failed: 0 };
  const { release, releases } = due;

  let chunk: PackInstance[];
  let done = false;
  if (ids) {
    const instances = doc.getMap<PackInstance>(Root.instances);
    chunk = instancesAwaiting(
      release,
      ids.flatMap((id) => instances.get(id) ?? []),
    );
  } else {
    const awaiting = instancesAwaiting(release, readInstances(doc));
    chunk = awaiting.slice(0, chunkSize);
    done = awaiting.length <= chunkSize;
  }
  const catalog = catalogView(doc);
  let updated = 0;
  let failed = 0;
  doc.transact(() => {
    for (const instance of chunk) {
      const applicable = checkUpdateApplicable(instance, release, catalog);
      if (applicable.ok) {
        writeInstance(doc, moveToRelease(instance, release.number), origin);
        updated += 1;
      } else {
        writeInstance(doc, withFailedUpdate(instance, release.number, applicable.error.message), origin);
        failed += 1;
      }
    }
    if (done)
      writeReleases(
        doc,
        release.packId,
        releases.map((r) => (r.number === release.number ? markApplied(r, now) : r)),
        origin,
      );
    if (chunk.length > 0 || done) writeHistory(doc, progressRecord(doc, release, now, updated, failed, done), origin);
  }, origin);
  return { done, updated, failed };
}

/** One record per release, its counts summed over the steps (kept in the document, so a restart continues them). */
function progressRecord(doc: Y.Doc, release: Release, now: Date, updated: number, failed: number, done: boolean): HistoryRecord {
  const id = historyIdOf(release);
  const before = doc.getMap<HistoryRecord>(Root.history).get(id);
  const totalUpdated = (before?.instancesUpdated ?? 0) + updated;
  const totalFailed = (before?.instancesFailed ?? 0) + failed;
  const name = readPack(doc, release.packId)?.name ?? release.packId;
  const failures = totalFailed > 0 ? `; ${totalFailed} failed to apply (see the rollout for the reasons)` : '';
  return {
    id,
    packId: release.packId,
    kind: 'AUTO_APPLY',
    actor: SCHEDULER_ACTOR,
    at: before?.at ?? now.toISOString(),
    summary: `Apply release ${release.number} of ${name} on its release date ${release.releaseOnDate}`,
    status: totalFailed > 0 ? 'ERROR' : 'SUCCESS',
    message: `${done ? 'Applied' : 'Applying'}: ${totalUpdated} instance${totalUpdated === 1 ? '' : 's'} updated${failures}.`,
    releaseNumber: release.number,
    instancesUpdated: totalUpdated,
    instancesFailed: totalFailed,
  };
}
