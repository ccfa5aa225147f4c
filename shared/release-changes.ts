/**
 * Changing a pending (scheduled) release before its date: a new date, other versions of its
 * components, or cancelling it. The platform allows updating a scheduled release; cancelling is
 * ours (comparable push-upgrade tools let a scheduled upgrade be canceled). Once an installation
 * applied the release early ("it cannot be undone") its content is fixed: it may still move to
 * another date, but its versions cannot change and it cannot be cancelled.
 */
import type { PackInstance, PublishedComponent, Release, ReleasedComponent } from './model.ts';
import { validateReleaseNotes } from './release-notes.ts';
import { pendingRelease, validateReleaseDate } from './releases.ts';
import { fail, ok, type Result } from './result.ts';
import type { RolloutSummary } from './rollout.ts';

export interface ScheduledChangeInput {
  /** The pack's releases. */
  releases: readonly Release[];
  /** The pack's rollout counts (what the document carries; the server computes them from its records). */
  rollout: Pick<RolloutSummary, 'byRelease'> | undefined;
  catalog: ReadonlyMap<string, PublishedComponent>;
  timeZone: string;
  /** The account's locale, for the dates in messages (en-US when absent). */
  locale?: string;
  now: Date;
}

function scheduled(releases: readonly Release[]): Result<Release> {
  const pending = pendingRelease(releases);
  return pending
    ? ok(pending)
    : fail(
        'NO_PENDING_RELEASE',
        'This integration pack has no scheduled release: only a release pending its date can be changed or cancelled.',
      );
}

/** Installations that run the scheduled release already: they applied it early. */
const appliedEarly = (release: Release, rollout: ScheduledChangeInput['rollout']) =>
  rollout?.byRelease.find((entry) => entry.releaseNumber === release.number)?.instances ?? 0;

export interface ReleaseUpdate {
  releaseOnDate?: string | undefined;
  /** New versions for some of the release's components; the others keep theirs. */
  components?: readonly ReleasedComponent[] | undefined;
  /** New release notes (blank removes them); undefined keeps them. They may change also after an early apply. */
  notes?: string | undefined;
}

/** The scheduled release with a new date or versions, and the pack's releases with it. */
export function planReleaseUpdate(input: ScheduledChangeInput, update: ReleaseUpdate): Result<{ release: Release; releases: Release[] }> {
  const found = scheduled(input.releases);
  if (!found.ok) return found;
  const pending = found.value;
  if (update.releaseOnDate === undefined && update.components === undefined && update.notes === undefined)
    return fail('NOTHING_TO_CHANGE', 'Name a new releaseOnDate, new versions of its components, or new release notes.');
  let releaseOnDate = pending.releaseOnDate;
  if (update.releaseOnDate !== undefined) {
    const date = validateReleaseDate(
      update.releaseOnDate,
      input.locale === undefined ? input.timeZone : { timeZone: input.timeZone, locale: input.locale },
      input.now,
    );
    if (!date.ok) return date;
    releaseOnDate = date.value;
  }
  let components = pending.components;
  if (update.components !== undefined) {
    const early = appliedEarly(pending, input.rollout);
    if (early > 0)
      return fail(
        'APPLIED_EARLY',
        `${early} installation(s) already applied release ${pending.number} early, so its versions can no longer change (its date still can). Release again to ship other versions.`,
        'components',
      );
    const changed = changeVersions(pending.components, update.components, input.catalog);
    if (!changed.ok) return changed;
    components = changed.value;
  }
  let notes = pending.notes;
  if (update.notes !== undefined) {
    const checked = validateReleaseNotes(update.notes);
    if (!checked.ok) return checked;
    notes = checked.value;
  }
  const { notes: _old, ...rest } = pending;
  const release: Release = {
    ...rest,
    components,
    ...(releaseOnDate === undefined ? {} : { releaseOnDate }),
    ...(notes === undefined ? {} : { notes }),
  };
  return ok({ release, releases: input.releases.map((existing) => (existing.number === pending.number ? release : existing)) });
}

function changeVersions(
  current: readonly ReleasedComponent[],
  chosen: readonly ReleasedComponent[],
  catalog: ReadonlyMap<string, PublishedComponent>,
): Result<ReleasedComponent[]> {
  const versions = new Map(current.map((entry) => [entry.componentId, entry.version]));
  const seen = new Set<string>();
  for (const { componentId, version } of chosen) {
    const name = catalog.get(componentId)?.name ?? componentId;
    if (seen.has(componentId)) return fail('COMPONENT_DUPLICATED', `${name} is listed more than once.`, 'components');
    seen.add(componentId);
    if (!versions.has(componentId))
      return fail('COMPONENT_NOT_IN_PACK', `${name} is not in this release: only the versions of its components can change.`, 'components');
    if (!catalog.get(componentId)?.versions.includes(version))
      return fail('VERSION_NOT_PUBLISHED', `${name} has no published version ${version}.`, 'components');
    versions.set(componentId, version);
  }
  return ok(current.map(({ componentId }) => ({ componentId, version: versions.get(componentId)! })));
}

/** Cancelling the scheduled release: it goes (the installations waiting for it: `withoutPendingRelease`). */
export function planReleaseCancel(
  input: Pick<ScheduledChangeInput, 'releases' | 'rollout'>,
): Result<{ release: Release; releases: Release[] }> {
  const found = scheduled(input.releases);
  if (!found.ok) return found;
  const pending = found.value;
  const early = appliedEarly(pending, input.rollout);
  if (early > 0)
    return fail(
      'APPLIED_EARLY',
      `${early} installation(s) already applied release ${pending.number} early, and that cannot be undone: it can no longer be cancelled. Release again to replace it.`,
    );
  return ok({ release: pending, releases: input.releases.filter((release) => release.number !== pending.number) });
}

/** An installation once the release it waited for is cancelled (undefined: it did not wait for it). */
export function withoutPendingRelease(instance: PackInstance, release: Pick<Release, 'packId' | 'number'>): PackInstance | undefined {
  if (instance.packId !== release.packId || instance.pendingReleaseNumber !== release.number) return undefined;
  const { pendingReleaseNumber: _pending, ...rest } = instance;
  const { lastError: _error, failedReleaseNumber: _failed, ...clean } = rest;
  return instance.failedReleaseNumber === release.number ? clean : rest;
}
