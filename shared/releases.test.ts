/** Release rules from the page spec (Release Immediate / Release Pending) and the platform notes. */
import { describe, expect, test } from 'vitest';
import { fc } from '../test/support/fast-check.ts';
import { todayIn } from './dates.ts';
import type { PackInstance, Release, ReleaseSchedule, ReleaseStatus } from './model.ts';
import { derivePublications, type PublicationRow } from './publications.ts';
import {
  applyPendingUpdate,
  autoApplyAt,
  currentRelease,
  installableRelease,
  isDue,
  packReleaseState,
  pendingRelease,
  releaseDateShown,
  validateReleaseRequest,
} from './releases.ts';
import type { Result } from './result.ts';

const codeOf = (result: Result<unknown>) => (result.ok ? 'OK' : result.error.code);

function release(
  number: number,
  schedule: ReleaseSchedule,
  status: ReleaseStatus,
  releaseOnDate?: string,
  releasedAt = '2026-03-01T12:00:00.000Z',
): Release {
  return {
    packId: 'p',
    number,
    components: [],
    releaseSchedule: schedule,
    ...(releaseOnDate === undefined ? {} : { releaseOnDate }),
    status,
    releasedBy: 'ada',
    releasedAt,
    requestId: `r${number}`,
  };
}
const immediate = (number: number, releasedAt?: string) => release(number, 'IMMEDIATELY', 'SUCCESS', undefined, releasedAt);
const scheduled = (number: number, date: string) => release(number, 'RELEASE_ON_SPECIFIED_DATE', 'SCHEDULED', date);
const applied = (number: number, date: string) => release(number, 'RELEASE_ON_SPECIFIED_DATE', 'SUCCESS', date);

const catalog = new Map([['a', { id: 'a', name: 'Orders', type: 'PROCESS' as const, versions: [1, 2] }]]);
const somethingPending: PublicationRow[] = derivePublications({ componentIds: ['a'], currentRelease: undefined, catalog });
const nothingPending: PublicationRow[] = derivePublications({
  componentIds: ['a'],
  currentRelease: { components: [{ componentId: 'a', version: 2 }] },
  catalog,
});
const availableOnly: PublicationRow[] = derivePublications({
  componentIds: ['a'],
  currentRelease: { components: [{ componentId: 'a', version: 1 }] },
  catalog,
});

// 06:30 UTC on 2026-03-10 is still 2026-03-09 in Los Angeles and already 2026-03-10 in Tokyo.
const NOW = new Date('2026-03-10T06:30:00Z');

describe('validateReleaseRequest', () => {
  test.each([
    {
      why: 'nothing Pending or Available: Release Integration Pack is disabled',
      rows: nothingPending,
      request: { releaseSchedule: 'IMMEDIATELY' as const },
      code: 'NOTHING_TO_RELEASE',
    },
    {
      why: 'Release Immediate with a Pending version',
      rows: somethingPending,
      request: { releaseSchedule: 'IMMEDIATELY' as const },
      code: 'OK',
    },
    {
      why: 'Release Immediate with only an Available version',
      rows: availableOnly,
      request: { releaseSchedule: 'IMMEDIATELY' as const },
      code: 'OK',
    },
    {
      why: 'an unknown schedule',
      rows: somethingPending,
      request: { releaseSchedule: 'LATER' as unknown as ReleaseSchedule },
      code: 'SCHEDULE_INVALID',
    },
    {
      why: 'Release Pending without a Release Date',
      rows: somethingPending,
      request: { releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE' as const },
      code: 'RELEASE_DATE_REQUIRED',
    },
    {
      why: 'Release Pending with an impossible date',
      rows: somethingPending,
      request: { releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE' as const, releaseOnDate: '2026-02-30' },
      code: 'RELEASE_DATE_REQUIRED',
    },
    {
      why: 'Release Pending with a badly written date',
      rows: somethingPending,
      request: { releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE' as const, releaseOnDate: '3/11/2026' },
      code: 'RELEASE_DATE_REQUIRED',
    },
    {
      why: 'Release Pending for today (UTC)',
      rows: somethingPending,
      request: { releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE' as const, releaseOnDate: '2026-03-10' },
      code: 'RELEASE_DATE_NOT_FUTURE',
    },
    {
      why: 'Release Pending for yesterday',
      rows: somethingPending,
      request: { releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE' as const, releaseOnDate: '2026-03-09' },
      code: 'RELEASE_DATE_NOT_FUTURE',
    },
    {
      why: 'Release Pending for tomorrow',
      rows: somethingPending,
      request: { releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE' as const, releaseOnDate: '2026-03-11' },
      code: 'OK',
    },
  ])('$why → $code', ({ rows, request, code }) => {
    expect(codeOf(validateReleaseRequest(request, rows, [], 'UTC', NOW))).toBe(code);
  });

  test.each([
    { timeZone: 'UTC', date: '2026-03-10', code: 'RELEASE_DATE_NOT_FUTURE' },
    { timeZone: 'America/Los_Angeles', date: '2026-03-10', code: 'OK' },
    { timeZone: 'America/Los_Angeles', date: '2026-03-09', code: 'RELEASE_DATE_NOT_FUTURE' },
    { timeZone: 'Asia/Tokyo', date: '2026-03-10', code: 'RELEASE_DATE_NOT_FUTURE' },
    { timeZone: 'Asia/Tokyo', date: '2026-03-11', code: 'OK' },
  ])('the Release Date must be after today in the account’s time zone: $date in $timeZone → $code', ({ timeZone, date, code }) => {
    const request = { releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE' as const, releaseOnDate: date };
    expect(codeOf(validateReleaseRequest(request, somethingPending, [], timeZone, NOW))).toBe(code);
  });

  test('Release Immediate drops a stray date; Release Pending keeps its date', () => {
    expect(
      validateReleaseRequest({ releaseSchedule: 'IMMEDIATELY', releaseOnDate: '2026-04-01' }, somethingPending, [], 'UTC', NOW),
    ).toEqual({
      ok: true,
      value: { releaseSchedule: 'IMMEDIATELY' },
    });
    expect(
      validateReleaseRequest(
        { releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE', releaseOnDate: '2026-04-01' },
        somethingPending,
        [],
        'UTC',
        NOW,
      ),
    ).toEqual({
      ok: true,
      value: { releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE', releaseOnDate: '2026-04-01' },
    });
  });

  describe('"Only one update can be pending per pack. To ship a fix during the testing period, release immediately."', () => {
    const pendingUntil = [immediate(1), scheduled(2, '2026-03-20')];
    test.each([
      {
        why: 'a second pending update is refused',
        releases: pendingUntil,
        request: { releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE' as const, releaseOnDate: '2026-03-25' },
        code: 'UPDATE_ALREADY_PENDING',
      },
      {
        why: 'an immediate release during the testing period is allowed',
        releases: pendingUntil,
        request: { releaseSchedule: 'IMMEDIATELY' as const },
        code: 'OK',
      },
      {
        why: 'a scheduled release already applied does not block',
        releases: [immediate(1), applied(2, '2026-03-01')],
        request: { releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE' as const, releaseOnDate: '2026-03-25' },
        code: 'OK',
      },
    ])('$why → $code', ({ releases, request, code }) => {
      const result = validateReleaseRequest(request, somethingPending, releases, 'UTC', NOW);
      expect(codeOf(result)).toBe(code);
      if (!result.ok) expect(result.error.message).toContain('Mar 20, 2026 (UTC)');
    });
  });

  test('any date after today in the zone passes, any other fails', () => {
    const zones = fc.constantFrom('UTC', 'America/Los_Angeles', 'Asia/Tokyo', 'Pacific/Kiritimati', 'Pacific/Pago_Pago');
    const instants = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-01-01T00:00:00Z'), noInvalidDate: true });
    fc.assert(
      fc.property(zones, instants, fc.integer({ min: -3, max: 3 }), (timeZone, now, dayOffset) => {
        const date = new Date(now.getTime() + dayOffset * 86_400_000).toISOString().slice(0, 10);
        const result = validateReleaseRequest(
          { releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE', releaseOnDate: date },
          somethingPending,
          [],
          timeZone,
          now,
        );
        expect(result.ok).toBe(date > todayIn(timeZone, now));
      }),
    );
  });
});

describe('which release is current, pending, installable', () => {
  test.each([
    { why: 'no releases', releases: [], current: undefined, pending: undefined, installable: undefined },
    { why: 'one immediate release', releases: [immediate(1)], current: 1, pending: undefined, installable: 1 },
    {
      why: 'the newest by number, in any order',
      releases: [immediate(2), immediate(3), immediate(1)],
      current: 3,
      pending: undefined,
      installable: 3,
    },
    {
      why: 'a pending re-release is current, the one before stays installable',
      releases: [immediate(1), scheduled(2, '2026-03-20')],
      current: 2,
      pending: 2,
      installable: 1,
    },
    {
      why: 'a first release that is pending cannot be installed before its date',
      releases: [scheduled(1, '2026-03-20')],
      current: 1,
      pending: 1,
      installable: undefined,
    },
    {
      why: 'an applied scheduled release is no longer pending',
      releases: [immediate(1), applied(2, '2026-03-01')],
      current: 2,
      pending: undefined,
      installable: 2,
    },
  ])('$why', ({ releases, current, pending, installable }) => {
    expect(currentRelease(releases)?.number).toBe(current);
    expect(pendingRelease(releases)?.number).toBe(pending);
    expect(installableRelease(releases)?.number).toBe(installable);
  });
});

describe('the pack list: "needs release" is Release Integration Pack enabled; the pending release shows', () => {
  const releasedAt = (version: number): Release => ({ ...immediate(1), components: [{ componentId: 'a', version }] });
  test.each([
    { why: 'never released, with a component', ids: ['a'], releases: [], needsRelease: true, pending: undefined },
    { why: 'never released, empty', ids: [], releases: [], needsRelease: false, pending: undefined },
    { why: 'released at the latest version', ids: ['a'], releases: [releasedAt(2)], needsRelease: false, pending: undefined },
    { why: 'a newer version is Available', ids: ['a'], releases: [releasedAt(1)], needsRelease: true, pending: undefined },
    { why: 'a released component was removed (Deleted)', ids: [], releases: [releasedAt(2)], needsRelease: true, pending: undefined },
    {
      why: 'a pending release holding the latest version',
      ids: ['a'],
      releases: [releasedAt(1), { ...scheduled(2, '2026-03-20'), components: [{ componentId: 'a', version: 2 }] }],
      needsRelease: false,
      pending: '2026-03-20',
    },
  ])('$why', ({ ids, releases, needsRelease, pending }) => {
    const state = packReleaseState(ids, releases, catalog);
    expect(state.needsRelease).toBe(needsRelease);
    expect(state.needsRelease).toBe(
      validateReleaseRequest(
        { releaseSchedule: 'IMMEDIATELY' },
        derivePublications({ componentIds: ids, currentRelease: currentRelease(releases), catalog }),
        releases,
        'UTC',
        NOW,
      ).ok,
    );
    expect(state.pending?.releaseOnDate).toBe(pending);
  });
});

describe('Release date field', () => {
  test.each([
    { why: 'never released: empty', releases: [], timeZone: undefined, shown: undefined },
    {
      why: 'a pending release: the date its update is applied',
      releases: [immediate(1), scheduled(2, '2026-03-20')],
      timeZone: undefined,
      shown: '2026-03-20',
    },
    { why: 'an applied scheduled release: its date', releases: [applied(1, '2026-03-05')], timeZone: undefined, shown: '2026-03-05' },
    {
      why: 'an immediate release: the day it was released (UTC)',
      releases: [immediate(1, '2026-03-10T06:30:00.000Z')],
      timeZone: undefined,
      shown: '2026-03-10',
    },
    {
      why: 'an immediate release: the day it was released in the publisher’s time zone',
      releases: [immediate(1, '2026-03-10T06:30:00.000Z')],
      timeZone: 'America/Los_Angeles',
      shown: '2026-03-09',
    },
  ])('$why', ({ releases, timeZone, shown }) => {
    expect(releaseDateShown(releases, timeZone)).toBe(shown);
  });
});

describe('a scheduled release is applied at the start of its date in the publisher’s time zone', () => {
  const pending = scheduled(2, '2026-03-20');
  const start = new Date('2026-03-20T07:00:00.000Z'); // midnight PDT

  test('autoApplyAt is local midnight; an immediate release has none', () => {
    expect(autoApplyAt(pending, 'America/Los_Angeles')).toEqual(start);
    expect(autoApplyAt(immediate(1), 'America/Los_Angeles')).toBeUndefined();
  });

  test.each([
    { why: 'a millisecond before midnight', now: new Date(start.getTime() - 1), release: pending, due: false },
    { why: 'at midnight', now: start, release: pending, due: true },
    { why: 'the day after', now: new Date(start.getTime() + 86_400_000), release: pending, due: true },
    { why: 'already applied', now: start, release: applied(2, '2026-03-20'), due: false },
    { why: 'an immediate release', now: start, release: immediate(1), due: false },
  ])('isDue $why: $due', ({ now, release: candidate, due }) => {
    expect(isDue(candidate, 'America/Los_Angeles', now)).toBe(due);
  });
});

describe('"Apply Pending Updates" (it cannot be undone)', () => {
  const instance: PackInstance = {
    id: 'i1',
    packId: 'p',
    managedAccountId: 'm1',
    releaseNumber: 1,
    pendingReleaseNumber: 2,
    atomIds: ['atom'],
    environmentIds: [],
    installedAt: '2026-03-01T00:00:00.000Z',
    lastError: 'earlier failure',
  };

  test('the instance runs the pending release and no longer has a pending update or an error', () => {
    const result = applyPendingUpdate(instance);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({ releaseNumber: 2, atomIds: ['atom'] });
    expect(result.value).not.toHaveProperty('pendingReleaseNumber');
    expect(result.value).not.toHaveProperty('lastError');
  });

  test('an instance without a pending update has nothing to apply', () => {
    const { pendingReleaseNumber: _none, ...upToDate } = instance;
    expect(codeOf(applyPendingUpdate(upToDate))).toBe('NO_PENDING_UPDATE');
  });
});
