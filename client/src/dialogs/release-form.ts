/**
 * What the Integration Pack Release dialog may offer, checked as the person chooses, with the same
 * shared rules the server applies (validateReleaseRequest): whether Release Pending can be chosen
 * at all (only one update can be pending), the first possible Release Date, the error of the date
 * typed so far, and the pending release that Release Immediate would replace.
 */
import { todayIn } from '../../../shared/dates.ts';
import { ReleaseSchedule, type Release } from '../../../shared/model.ts';
import type { PublicationRow } from '../../../shared/publications.ts';
import { pendingRelease, validateReleaseRequest } from '../../../shared/releases.ts';
import type { RuleError } from '../../../shared/result.ts';
import { nextCalendarDay } from '../format.ts';

export interface ReleaseFormInput {
  schedule: ReleaseSchedule;
  /** yyyy-MM-dd as typed ('' while empty). */
  date: string;
  rows: readonly PublicationRow[];
  releases: readonly Release[];
  timeZone: string;
  now: Date;
}

export interface ReleaseFormState {
  /** yyyy-MM-dd: tomorrow in the publisher's time zone. */
  firstDate: string;
  /** Why Release Pending cannot be chosen now (a pending update exists), if so. */
  pendingBlocked?: string;
  /** The problem with what is chosen, once there is something to check (not for an empty date). */
  error?: RuleError;
  /** OK may be pressed. */
  canRelease: boolean;
  /** The pending release Release Immediate would replace. */
  replaces?: Release;
}

export function releaseFormState(input: ReleaseFormInput): ReleaseFormState {
  const { rows, releases, timeZone, now } = input;
  const firstDate = nextCalendarDay(todayIn(timeZone, now));
  const asPending = validateReleaseRequest(
    { releaseSchedule: ReleaseSchedule.RELEASE_ON_SPECIFIED_DATE, releaseOnDate: firstDate },
    rows,
    releases,
    timeZone,
    now,
  );
  const pendingBlocked = !asPending.ok && asPending.error.code === 'UPDATE_ALREADY_PENDING' ? asPending.error.message : undefined;
  const replaces = pendingRelease(releases);
  const base = { firstDate, ...(pendingBlocked ? { pendingBlocked } : {}), ...(replaces ? { replaces } : {}) };

  if (input.schedule === ReleaseSchedule.RELEASE_ON_SPECIFIED_DATE && input.date === '') return { ...base, canRelease: false };
  const checked = validateReleaseRequest(
    input.schedule === ReleaseSchedule.IMMEDIATELY
      ? { releaseSchedule: ReleaseSchedule.IMMEDIATELY }
      : { releaseSchedule: input.schedule, releaseOnDate: input.date },
    rows,
    releases,
    timeZone,
    now,
  );
  return checked.ok ? { ...base, canRelease: true } : { ...base, error: checked.error, canRelease: false };
}
