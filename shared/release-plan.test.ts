import { describe, expect, test } from 'vitest';
import type { PackInstance, Release } from './model.ts';
import {
  checkUpdateApplicable,
  dueReleases,
  instancesAwaiting,
  markApplied,
  moveToRelease,
  nextAutoApplyAt,
  releaseContent,
  sameContent,
  withFailedUpdate,
} from './release-plan.ts';
import { derivePublications } from './publications.ts';
import { autoApplyAt, isDue } from './releases.ts';

const release = (over: Partial<Release>): Release => ({
  packId: 'orders',
  number: 2,
  components: [{ componentId: 'c1', version: 2 }],
  releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE',
  releaseOnDate: '2025-03-20',
  status: 'SCHEDULED',
  releasedBy: 'Ada',
  releasedAt: '2025-03-10T12:00:00.000Z',
  requestId: 'rq',
  ...over,
});
const instance = (over: Partial<PackInstance>): PackInstance => ({
  id: 'i1',
  packId: 'orders',
  managedAccountId: 'acme',
  releaseNumber: 1,
  atomIds: [],
  environmentIds: [],
  installedAt: '2025-03-01T00:00:00.000Z',
  ...over,
});

describe('the auto-apply instant: the start of the release date in the publisher time zone', () => {
  test('UTC midnight', () => {
    expect(autoApplyAt(release({}), 'UTC')?.toISOString()).toBe('2025-03-20T00:00:00.000Z');
  });
  test('New York midnight is 04:00Z in summer time and 05:00Z in winter', () => {
    expect(autoApplyAt(release({ releaseOnDate: '2025-03-20' }), 'America/New_York')?.toISOString()).toBe('2025-03-20T04:00:00.000Z');
    expect(autoApplyAt(release({ releaseOnDate: '2025-01-20' }), 'America/New_York')?.toISOString()).toBe('2025-01-20T05:00:00.000Z');
  });
  test('on the day clocks change (New York, 2025-03-09) the date still begins at local midnight', () => {
    expect(autoApplyAt(release({ releaseOnDate: '2025-03-09' }), 'America/New_York')?.toISOString()).toBe('2025-03-09T05:00:00.000Z');
  });
  test('isDue: not a millisecond before the date begins, from its first instant on', () => {
    const scheduled = release({});
    expect(isDue(scheduled, 'UTC', new Date('2025-03-19T23:59:59.999Z'))).toBe(false);
    expect(isDue(scheduled, 'UTC', new Date('2025-03-20T00:00:00.000Z'))).toBe(true);
    expect(isDue(scheduled, 'Asia/Tokyo', new Date('2025-03-19T14:59:59.999Z'))).toBe(false);
    expect(isDue(scheduled, 'Asia/Tokyo', new Date('2025-03-19T15:00:00.000Z'))).toBe(true);
    expect(isDue(release({ status: 'SUCCESS' }), 'UTC', new Date('2025-04-01T00:00:00Z'))).toBe(false);
  });
});

describe('the schedule', () => {
  const byPack = new Map([
    ['orders', [release({ number: 1, status: 'SUCCESS', releaseSchedule: 'IMMEDIATELY', releaseOnDate: undefined }), release({})]],
    ['billing', [release({ packId: 'billing', number: 1, releaseOnDate: '2025-03-15' })]],
  ]);
  test('dueReleases: the scheduled ones whose date has begun, earliest first', () => {
    expect(dueReleases(byPack, 'UTC', new Date('2025-03-14T23:00:00Z'))).toEqual([]);
    expect(dueReleases(byPack, 'UTC', new Date('2025-03-15T00:00:00Z')).map((r) => r.packId)).toEqual(['billing']);
    expect(dueReleases(byPack, 'UTC', new Date('2025-05-01T00:00:00Z')).map((r) => r.packId)).toEqual(['billing', 'orders']);
  });
  test('nextAutoApplyAt: the earliest scheduled date, none when nothing is scheduled', () => {
    expect(nextAutoApplyAt(byPack, 'UTC')?.toISOString()).toBe('2025-03-15T00:00:00.000Z');
    expect(nextAutoApplyAt(new Map([['x', [release({ status: 'SUCCESS' })]]]), 'UTC')).toBeUndefined();
  });
  test('markApplied: SUCCESS with the instant', () => {
    expect(markApplied(release({}), new Date('2025-03-20T00:00:05Z'))).toMatchObject({
      status: 'SUCCESS',
      appliedAt: '2025-03-20T00:00:05.000Z',
    });
  });
});

describe('instances', () => {
  test('instancesAwaiting: older release, same pack, not failed on this release; sorted by id', () => {
    const all = [
      instance({ id: 'b', pendingReleaseNumber: 2 }),
      instance({ id: 'a', pendingReleaseNumber: 2 }),
      instance({ id: 'early', releaseNumber: 2 }),
      instance({ id: 'failed', pendingReleaseNumber: 2, failedReleaseNumber: 2, lastError: 'x' }),
      instance({ id: 'failed-before', pendingReleaseNumber: 2, failedReleaseNumber: 1, lastError: 'x' }),
      instance({ id: 'other', packId: 'billing' }),
    ];
    expect(instancesAwaiting(release({}), all).map((i) => i.id)).toEqual(['a', 'b', 'failed-before']);
  });
  test('moveToRelease clears pending and failure; withFailedUpdate keeps the update pending', () => {
    const failed = withFailedUpdate(instance({}), 2, 'boom');
    expect(failed).toMatchObject({ releaseNumber: 1, pendingReleaseNumber: 2, failedReleaseNumber: 2, lastError: 'boom' });
    expect(moveToRelease(failed, 2)).toEqual(instance({ releaseNumber: 2 }));
  });
  test('checkUpdateApplicable', () => {
    const catalog = new Map([['c1', { id: 'c1', name: 'Sync', type: 'PROCESS' as const, versions: [1, 2] }]]);
    expect(checkUpdateApplicable(instance({}), release({}), catalog).ok).toBe(true);
    expect(checkUpdateApplicable(instance({ releaseNumber: 2 }), release({}), catalog)).toMatchObject({
      ok: false,
      error: { code: 'ALREADY_APPLIED' },
    });
    expect(checkUpdateApplicable(instance({ packId: 'billing' }), release({}), catalog)).toMatchObject({
      ok: false,
      error: { code: 'WRONG_PACK' },
    });
    expect(checkUpdateApplicable(instance({}), release({ components: [{ componentId: 'c1', version: 3 }] }), catalog)).toMatchObject({
      ok: false,
      error: { code: 'COMPONENT_VERSION_MISSING', message: "Sync version 3 is not published in the publisher's account." },
    });
  });
});

describe('releaseContent: chosen versions for some components, the table for the rest', () => {
  const catalog = new Map([
    ['c1', { id: 'c1', name: 'Orders', type: 'PROCESS' as const, versions: [1, 2, 3] }],
    ['c2', { id: 'c2', name: 'Invoices', type: 'PROCESS' as const, versions: [1] }],
  ]);
  const rows = derivePublications({ componentIds: ['c1', 'c2'], currentRelease: release({ components: [] }), catalog });
  const codeOf = (result: { ok: boolean; error?: { code: string } }) => (result.ok ? 'OK' : result.error?.code);

  test('none chosen: what the table shows (the latest versions)', () => {
    expect(releaseContent(rows, undefined, catalog)).toEqual({
      ok: true,
      value: [
        { componentId: 'c2', version: 1 },
        { componentId: 'c1', version: 3 },
      ],
    });
  });
  test('an older version chosen for one component (a rollback), the rest from the table', () => {
    expect(releaseContent(rows, [{ componentId: 'c1', version: 1 }], catalog)).toEqual({
      ok: true,
      value: [
        { componentId: 'c2', version: 1 },
        { componentId: 'c1', version: 1 },
      ],
    });
  });
  test('refused: a component not in the pack, a version never published, a component listed twice', () => {
    expect(codeOf(releaseContent(rows, [{ componentId: 'zz', version: 1 }], catalog))).toBe('COMPONENT_NOT_IN_PACK');
    expect(codeOf(releaseContent(rows, [{ componentId: 'c2', version: 4 }], catalog))).toBe('VERSION_NOT_PUBLISHED');
    const twice = [
      { componentId: 'c1', version: 1 },
      { componentId: 'c1', version: 2 },
    ];
    expect(codeOf(releaseContent(rows, twice, catalog))).toBe('COMPONENT_DUPLICATED');
  });
  test('sameContent ignores order', () => {
    const a = [
      { componentId: 'c1', version: 1 },
      { componentId: 'c2', version: 1 },
    ];
    expect(sameContent(a, [...a].reverse())).toBe(true);
    expect(sameContent(a, [a[0]!])).toBe(false);
    expect(sameContent(a, undefined)).toBe(false);
  });
});
