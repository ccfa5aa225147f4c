/** Release rules: what may be released, when, and what a release does to installed instances. */
import { type DateStyle, DEFAULT_LOCALE, formatDate } from './date-format.ts';
import { isCalendarDate, startOfDateIn, todayIn } from './dates.ts';
import { ReleaseSchedule, ReleaseStatus, type PackInstance, type PublishedComponent, type Release } from './model.ts';
import { canRelease, derivePublications, type PublicationRow } from './publications.ts';
import { fail, ok, type Result } from './result.ts';

/** The pack's current release: the newest one, pending or not. */
export function currentRelease(releases: readonly Release[]): Release | undefined {
  let newest: Release | undefined;
  for (const release of releases) if (!newest || release.number > newest.number) newest = release;
  return newest;
}

/** The release whose date has not come yet, if any ("only one update can be pending per pack"). */
export function pendingRelease(releases: readonly Release[]): Release | undefined {
  return releases.find(
    (release) => release.releaseSchedule === ReleaseSchedule.RELEASE_ON_SPECIFIED_DATE && release.status === ReleaseStatus.SCHEDULED,
  );
}

/** What the pack list says of a pack's releases: whether Release Integration Pack is enabled, and its pending release. */
export interface PackReleaseState {
  /** Release Integration Pack is enabled: some version is Pending or Available. */
  needsRelease: boolean;
  pending: Release | undefined;
}

export function packReleaseState(
  componentIds: readonly string[],
  releases: readonly Release[],
  catalog: ReadonlyMap<string, PublishedComponent>,
): PackReleaseState {
  const rows = derivePublications({ componentIds, currentRelease: currentRelease(releases), catalog });
  return { needsRelease: canRelease(rows), pending: pendingRelease(releases) };
}

/**
 * The Release date field: the date a scheduled release (or its update) is applied; otherwise the
 * date of the newest release, in the publisher's time zone when given (else UTC).
 */
export function releaseDateShown(releases: readonly Release[], timeZone?: string): string | undefined {
  const pending = pendingRelease(releases);
  if (pending) return pending.releaseOnDate;
  const current = currentRelease(releases);
  if (!current) return undefined;
  if (current.releaseOnDate) return current.releaseOnDate;
  return timeZone ? todayIn(timeZone, new Date(current.releasedAt)) : current.releasedAt.slice(0, 10);
}

export interface ReleaseRequest {
  releaseSchedule: ReleaseSchedule;
  releaseOnDate?: string | undefined;
}

/** Checks a Release Integration Pack request against the Publications table and the pack's releases. */
export function validateReleaseRequest(
  request: ReleaseRequest,
  rows: readonly PublicationRow[],
  releases: readonly Release[],
  zone: Zone,
  now: Date,
): Result<ReleaseRequest> {
  if (!canRelease(rows)) return fail('NOTHING_TO_RELEASE', 'There are no Pending or Available versions to release.');
  return validateReleaseSchedule(request, releases, zone, now);
}

/**
 * The publisher's time zone, or its whole date style: messages write dates in the style's locale
 * (shared/date-format.ts), a bare zone in en-US.
 */
export type Zone = string | DateStyle;
const styleOf = (zone: Zone): DateStyle => (typeof zone === 'string' ? { timeZone: zone, locale: DEFAULT_LOCALE } : zone);

/** The Release Date of a pending release: a real date after today in the publisher's time zone. */
export function validateReleaseDate(releaseOnDate: unknown, zone: Zone, now: Date): Result<string> {
  const style = styleOf(zone);
  if (!isCalendarDate(releaseOnDate))
    return fail('RELEASE_DATE_REQUIRED', 'Release Pending needs a Release Date (yyyy-MM-dd).', 'releaseOnDate');
  const today = todayIn(style.timeZone, now);
  if (releaseOnDate <= today)
    return fail('RELEASE_DATE_NOT_FUTURE', `The Release Date must be after today (${formatDate(today, style)}).`, 'releaseOnDate');
  return ok(releaseOnDate);
}

/** The schedule of a new release (whatever it holds): Immediate, or Pending on a future date while no other update is pending. */
export function validateReleaseSchedule(
  request: ReleaseRequest,
  releases: readonly Release[],
  zone: Zone,
  now: Date,
): Result<ReleaseRequest> {
  if (request.releaseSchedule === ReleaseSchedule.IMMEDIATELY) return ok({ releaseSchedule: ReleaseSchedule.IMMEDIATELY });
  if (request.releaseSchedule !== ReleaseSchedule.RELEASE_ON_SPECIFIED_DATE)
    return fail('SCHEDULE_INVALID', 'Choose Release Immediate or Release Pending.', 'releaseSchedule');
  const date = validateReleaseDate(request.releaseOnDate, zone, now);
  if (!date.ok) return date;
  const pending = pendingRelease(releases);
  if (pending)
    return fail(
      'UPDATE_ALREADY_PENDING',
      `Only one update can be pending per integration pack: release ${pending.number} is pending until ${formatDate(pending.releaseOnDate ?? '', styleOf(zone))}. Release immediately to ship a fix now.`,
      'releaseSchedule',
    );
  return ok({ releaseSchedule: ReleaseSchedule.RELEASE_ON_SPECIFIED_DATE, releaseOnDate: date.value });
}

/** When a scheduled release takes effect (its update is auto-applied). */
export function autoApplyAt(release: Pick<Release, 'releaseOnDate'>, timeZone: string): Date | undefined {
  return release.releaseOnDate ? startOfDateIn(release.releaseOnDate, timeZone) : undefined;
}

/** Whether a scheduled release's date has begun in the publisher's time zone. */
export function isDue(release: Pick<Release, 'releaseOnDate' | 'status'>, timeZone: string, now: Date): boolean {
  if (release.status !== ReleaseStatus.SCHEDULED) return false;
  const at = autoApplyAt(release, timeZone);
  return at !== undefined && at.getTime() <= now.getTime();
}

/** The release a managed account can install: the newest one in effect (a first pending release counts from its date). */
export function installableRelease(releases: readonly Release[]): Release | undefined {
  let best: Release | undefined;
  for (const release of releases) {
    if (release.status === ReleaseStatus.SCHEDULED) continue;
    if (!best || release.number > best.number) best = release;
  }
  return best;
}

/** Applying an update (early, or on the date): the instance runs the pending release; it cannot be undone. */
export function applyPendingUpdate(instance: PackInstance): Result<PackInstance> {
  if (instance.pendingReleaseNumber === undefined) return fail('NO_PENDING_UPDATE', 'This instance has no pending update to apply.');
  const { pendingReleaseNumber, lastError: _dropped, failedReleaseNumber: _failed, ...rest } = instance;
  return ok({ ...rest, releaseNumber: pendingReleaseNumber });
}
