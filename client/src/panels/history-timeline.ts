/**
 * What History lists: the pack's command records, plus each release that has no record of its own
 * (releases made before records were kept, or seeded). Without them a pack on Release 2 would say
 * "no releases yet". Newest first.
 */
import { type DateStyle, formatDate } from '../../../shared/date-format.ts';
import type { HistoryRecord } from '../../../shared/history.ts';
import { ReleaseSchedule, type Release } from '../../../shared/model.ts';

export type TimelineEntry = Pick<HistoryRecord, 'id' | 'kind' | 'actor' | 'at' | 'summary' | 'status' | 'message'> & {
  /** The release notes of the release the entry made (found by its requestId). */
  notes?: string;
};

export function releaseSummary(release: Release, style: DateStyle): string {
  return release.releaseSchedule === ReleaseSchedule.IMMEDIATELY
    ? `Release ${release.number}: Release Immediate`
    : `Release ${release.number}: Release Pending on ${release.releaseOnDate ? formatDate(release.releaseOnDate, style) : '(no date)'}`;
}

export function historyTimeline(records: readonly HistoryRecord[], releases: readonly Release[], style: DateStyle): TimelineEntry[] {
  const recorded = new Set(records.filter((record) => record.requestId !== undefined).map((record) => record.requestId));
  const notesOf = new Map(releases.filter((release) => release.notes).map((release) => [release.requestId, release.notes!]));
  const entries: TimelineEntry[] = records.map((record) => {
    const notes = record.kind === 'RELEASE' && record.requestId !== undefined ? notesOf.get(record.requestId) : undefined;
    return notes === undefined ? record : { ...record, notes };
  });
  for (const release of releases) {
    if (recorded.has(release.requestId)) continue;
    entries.push({
      id: `release-${release.packId}-${release.number}`,
      kind: 'RELEASE',
      actor: release.releasedBy,
      at: release.releasedAt,
      summary: releaseSummary(release, style),
      status: 'SUCCESS',
      ...(release.notes ? { notes: release.notes } : {}),
    });
  }
  return entries.sort((a, b) => b.at.localeCompare(a.at) || b.id.localeCompare(a.id));
}
