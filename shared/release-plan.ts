/**
 * What a release does, as pure data: the pack's new list of releases and the instances it changes.
 * The server's RELEASE command and the scheduler apply these plans; the page's preview reads
 * the rollout counts (rollout.ts `summarizeRollout`). Built only on the rules in releases.ts and publications.ts.
 */
import {
  ReleaseSchedule,
  ReleaseStatus,
  type PackInstance,
  type PublishedComponent,
  type Release,
  type ReleasedComponent,
} from './model.ts';
import { nextReleaseContent, type PublicationRow } from './publications.ts';
import { isTimeZone } from './dates.ts';
import {
  autoApplyAt,
  currentRelease,
  isDue,
  pendingRelease,
  validateReleaseRequest,
  validateReleaseSchedule,
  type ReleaseRequest,
} from './releases.ts';
import { validateReleaseNotes } from './release-notes.ts';
import { fail, ok, okVoid, type Result } from './result.ts';

export interface ReleasePlanInput {
  packId: string;
  request: ReleaseRequest;
  rows: readonly PublicationRow[];
  /** The pack's releases so far. */
  releases: readonly Release[];
  catalog: ReadonlyMap<string, PublishedComponent>;
  timeZone: string;
  /** The account's locale, for the dates in messages (en-US when absent). */
  locale?: string;
  now: Date;
  releasedBy: string;
  requestId: string;
  /** Versions chosen for some of the pack's components (e.g. an older one, to roll back); the rest get what the table shows. */
  components?: readonly ReleasedComponent[] | undefined;
  /** Release notes as the admin wrote them. */
  notes?: string | undefined;
}

export interface ReleasePlan {
  release: Release;
  /** The pack's releases after this one: the new one appended, a superseded pending one marked. */
  releases: Release[];
  /** The pending release an immediate re-release replaced, as it is now stored. */
  superseded?: Release;
  /** What the release does to every installed instance of the pack (all of them await it). */
  effect: InstanceEffect;
}

/**
 * What a release does to the instances of its pack that await it (`awaits`), as one set-based change:
 * 'move' them to the release, give them the update as 'pend'ing, or mark it 'fail'ed with the reason.
 * The same for every such instance, so the store applies it as one statement (the auto-apply of a
 * date over 100,000 installations is one UPDATE); `applyEffect` is the same change on one instance.
 */
export type InstanceEffect = { packId: string; releaseNumber: number } & (
  | { change: 'move' | 'pend' }
  /** Why the update cannot be applied. */
  | { change: 'fail'; reason: string }
);

/** Whether an instance still awaits a release: of its pack, running an older one, and not failed to apply this one. */
export function awaits(instance: PackInstance, release: { packId: string; releaseNumber: number }): boolean {
  return (
    instance.packId === release.packId &&
    instance.releaseNumber < release.releaseNumber &&
    instance.failedReleaseNumber !== release.releaseNumber
  );
}

/** The effect on one instance that awaits it. */
export function applyEffect(instance: PackInstance, effect: InstanceEffect): PackInstance {
  switch (effect.change) {
    case 'move':
      return moveToRelease(instance, effect.releaseNumber);
    case 'pend':
      return withPendingUpdate(instance, effect.releaseNumber);
    case 'fail':
      return withFailedUpdate(instance, effect.releaseNumber, effect.reason);
  }
}

/** Applying a release to the instances that await it: moved, or marked failed when its components are not all published. */
export function applyReleaseEffect(
  release: Pick<Release, 'packId' | 'number' | 'components'>,
  catalog: ReadonlyMap<string, PublishedComponent>,
): InstanceEffect {
  const base = { packId: release.packId, releaseNumber: release.number };
  const published = releasedVersionsPublished(release, catalog);
  return published.ok ? { ...base, change: 'move' } : { ...base, change: 'fail', reason: published.error.message };
}

const zoneOf = (input: { timeZone: string; locale?: string | undefined }) =>
  input.locale === undefined ? input.timeZone : { timeZone: input.timeZone, locale: input.locale };

/** Release Immediate or Release Pending: the new release and what it does to installed instances. */
export function planRelease(input: ReleasePlanInput): Result<ReleasePlan> {
  const content = releaseContent(input.rows, input.components, input.catalog);
  if (!content.ok) return content;
  const checked =
    input.components === undefined
      ? validateReleaseRequest(input.request, input.rows, input.releases, zoneOf(input), input.now)
      : sameContent(content.value, currentRelease(input.releases)?.components)
        ? fail('NOTHING_TO_RELEASE', 'The release would hold the same versions as the current release.')
        : validateReleaseSchedule(input.request, input.releases, zoneOf(input), input.now);
  if (!checked.ok) return checked;
  const notes = validateReleaseNotes(input.notes);
  if (!notes.ok) return notes;
  const immediate = checked.value.releaseSchedule === ReleaseSchedule.IMMEDIATELY;
  const number = (currentRelease(input.releases)?.number ?? 0) + 1;
  const release: Release = {
    packId: input.packId,
    number,
    components: content.value,
    releaseSchedule: checked.value.releaseSchedule,
    ...(immediate ? {} : { releaseOnDate: checked.value.releaseOnDate! }),
    status: immediate ? ReleaseStatus.SUCCESS : ReleaseStatus.SCHEDULED,
    releasedBy: input.releasedBy,
    releasedAt: input.now.toISOString(),
    requestId: input.requestId,
    ...(notes.value === undefined ? {} : { notes: notes.value }),
  };

  const pending = immediate ? pendingRelease(input.releases) : undefined;
  const superseded: Release | undefined = pending && { ...pending, status: ReleaseStatus.SUCCESS, supersededBy: number };
  const releases = input.releases.map((existing) => (superseded && existing.number === superseded.number ? superseded : existing));
  releases.push(release);
  const effect: InstanceEffect = immediate
    ? applyReleaseEffect(release, input.catalog)
    : { packId: input.packId, releaseNumber: number, change: 'pend' };
  return ok({ release, releases, ...(superseded ? { superseded } : {}), effect });
}

/**
 * What a release holds: the table's Pending, Available and Current versions, with the versions chosen
 * for some components instead. A chosen component must be in the pack, once, with a published version.
 */
export function releaseContent(
  rows: readonly PublicationRow[],
  chosen: readonly ReleasedComponent[] | undefined,
  catalog: ReadonlyMap<string, PublishedComponent>,
): Result<ReleasedComponent[]> {
  const content = nextReleaseContent(rows);
  if (chosen === undefined) return ok(content);
  const versions = new Map(content.map((entry) => [entry.componentId, entry.version]));
  const seen = new Set<string>();
  for (const { componentId, version } of chosen) {
    const name = catalog.get(componentId)?.name ?? componentId;
    if (seen.has(componentId)) return fail('COMPONENT_DUPLICATED', `${name} is listed more than once.`, 'components');
    seen.add(componentId);
    if (!versions.has(componentId))
      return fail(
        'COMPONENT_NOT_IN_PACK',
        `${name} is not in this integration pack: add it to the pack before releasing it.`,
        'components',
      );
    if (!catalog.get(componentId)?.versions.includes(version))
      return fail('VERSION_NOT_PUBLISHED', `${name} has no published version ${version}.`, 'components');
    versions.set(componentId, version);
  }
  return ok(content.map(({ componentId }) => ({ componentId, version: versions.get(componentId)! })));
}

/** Whether two releases hold the same versions of the same components. */
export function sameContent(a: readonly ReleasedComponent[], b: readonly ReleasedComponent[] | undefined): boolean {
  if (!b || a.length !== b.length) return false;
  const versions = new Map(b.map((entry) => [entry.componentId, entry.version]));
  return a.every((entry) => versions.get(entry.componentId) === entry.version);
}

/**
 * A copy of the instance without its failure (and without its pending update unless `keepPending`).
 * A loop, not rest destructuring: V8 copies a rest with excluded keys in its runtime, slower, and a
 * set-based effect makes 100,000 of these at once.
 */
function withoutUpdateState(instance: PackInstance, keepPending: boolean): PackInstance {
  const copy: Record<string, unknown> = {};
  for (const key in instance)
    if (key !== 'lastError' && key !== 'failedReleaseNumber' && (keepPending || key !== 'pendingReleaseNumber'))
      copy[key] = instance[key as keyof PackInstance];
  return copy as unknown as PackInstance;
}

/** The instance runs `releaseNumber`, with no pending update and no failure left over. */
export function moveToRelease(instance: PackInstance, releaseNumber: number): PackInstance {
  const moved = withoutUpdateState(instance, false);
  moved.releaseNumber = releaseNumber;
  return moved;
}

export function withPendingUpdate(instance: PackInstance, releaseNumber: number): PackInstance {
  const pending = withoutUpdateState(instance, true);
  pending.pendingReleaseNumber = releaseNumber;
  return pending;
}

/** A failed update stays pending (a person may retry "Apply update"); the scheduler does not retry it. */
export function withFailedUpdate(instance: PackInstance, releaseNumber: number, reason: string): PackInstance {
  return { ...instance, pendingReleaseNumber: releaseNumber, lastError: reason, failedReleaseNumber: releaseNumber };
}

/**
 * Whether an instance can run a release: the release is its pack's, and every released component
 * version is published in the catalog. The second can only fail when the catalog lost a version
 * (e.g. restored from an older backup); that is what "failed to apply" means here.
 */
export function checkUpdateApplicable(
  instance: Pick<PackInstance, 'packId' | 'releaseNumber'>,
  release: Pick<Release, 'packId' | 'number' | 'components'>,
  catalog: ReadonlyMap<string, PublishedComponent>,
): Result<void> {
  if (release.packId !== instance.packId) return fail('WRONG_PACK', `Release ${release.number} belongs to another integration pack.`);
  if (release.number <= instance.releaseNumber)
    return fail('ALREADY_APPLIED', `This instance already runs release ${instance.releaseNumber}.`);
  return releasedVersionsPublished(release, catalog);
}

/** Every component version a release holds is published in the catalog. */
export function releasedVersionsPublished(
  release: Pick<Release, 'components'>,
  catalog: ReadonlyMap<string, PublishedComponent>,
): Result<void> {
  for (const { componentId, version } of release.components) {
    const component = catalog.get(componentId);
    if (!component?.versions.includes(version))
      return fail(
        'COMPONENT_VERSION_MISSING',
        `${component?.name ?? componentId} version ${version} is not published in the publisher's account.`,
      );
  }
  return okVoid;
}

/** The instances of a release's pack that still run an older release and have not failed to apply it. */
export function instancesAwaiting(release: Pick<Release, 'packId' | 'number'>, instances: Iterable<PackInstance>): PackInstance[] {
  const target = { packId: release.packId, releaseNumber: release.number };
  return [...instances].filter((instance) => awaits(instance, target)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The scheduled releases whose date has begun in the publisher's time zone, earliest first. */
export function dueReleases(releasesByPack: ReadonlyMap<string, readonly Release[]>, timeZone: string, now: Date): Release[] {
  const due: Release[] = [];
  for (const releases of releasesByPack.values()) for (const release of releases) if (isDue(release, timeZone, now)) due.push(release);
  return due.sort((a, b) => (a.releaseOnDate ?? '').localeCompare(b.releaseOnDate ?? '') || a.packId.localeCompare(b.packId));
}

/** The earliest instant a scheduled release of this account takes effect, if any is scheduled. */
export function nextAutoApplyAt(releasesByPack: ReadonlyMap<string, readonly Release[]>, timeZone: string): Date | undefined {
  let next: Date | undefined;
  for (const releases of releasesByPack.values())
    for (const release of releases) {
      if (release.status !== ReleaseStatus.SCHEDULED) continue;
      const at = autoApplyAt(release, timeZone);
      if (at && (!next || at.getTime() < next.getTime())) next = at;
    }
  return next;
}

/** A scheduled release whose update reached every instance: it is in effect from now on. */
export function markApplied(release: Release, now: Date): Release {
  return { ...release, status: ReleaseStatus.SUCCESS, appliedAt: now.toISOString() };
}

/** The publisher's time zone for release dates: the account's when it is a real zone, else UTC. */
export function publisherTimeZone(account: { timeZone?: unknown } | undefined): string {
  return isTimeZone(account?.timeZone) ? account.timeZone : 'UTC';
}
