import { describe, expect, it } from 'vitest';
import type { Release } from '../../../shared/model.ts';
import type { PublicationRow } from '../../../shared/publications.ts';
import { releaseFormState } from './release-form.ts';

const rows: PublicationRow[] = [
  { componentId: 'c1', componentName: 'Orders', componentType: 'PROCESS', inPack: true, currentVersion: 1, availableVersion: 2 },
] as PublicationRow[];
const now = new Date('2026-12-02T23:30:00.000Z');
const pending: Release = {
  packId: 'p',
  number: 2,
  components: [],
  releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE',
  releaseOnDate: '2026-12-20',
  status: 'SCHEDULED',
  releasedBy: 'Avery',
  releasedAt: '2026-12-01T10:00:00.000Z',
  requestId: 'rq',
};

describe('releaseFormState', () => {
  it('starts the Release Date tomorrow in the publisher time zone', () => {
    expect(releaseFormState({ schedule: 'IMMEDIATELY', date: '', rows, releases: [], timeZone: 'UTC', now }).firstDate).toBe('2026-12-03');
    // 00:30 on Dec 3 in Berlin already.
    expect(releaseFormState({ schedule: 'IMMEDIATELY', date: '', rows, releases: [], timeZone: 'Europe/Berlin', now }).firstDate).toBe(
      '2026-12-04',
    );
  });

  it('refuses a past or today date as it is typed, and waits for an empty one', () => {
    const base = { schedule: 'RELEASE_ON_SPECIFIED_DATE' as const, rows, releases: [], timeZone: 'UTC', now };
    expect(releaseFormState({ ...base, date: '' })).toMatchObject({ canRelease: false });
    expect(releaseFormState({ ...base, date: '' }).error).toBeUndefined();
    expect(releaseFormState({ ...base, date: '2026-12-02' })).toMatchObject({
      canRelease: false,
      error: { code: 'RELEASE_DATE_NOT_FUTURE' },
    });
    expect(releaseFormState({ ...base, date: '2026-12-03' })).toMatchObject({ canRelease: true });
  });

  it('blocks Release Pending while an update is pending, and says what Release Immediate replaces', () => {
    const state = releaseFormState({ schedule: 'IMMEDIATELY', date: '', rows, releases: [pending], timeZone: 'UTC', now });
    expect(state.pendingBlocked).toMatch(
      /Only one update can be pending per integration pack: release 2 is pending until Dec 20, 2026 \(UTC\)/,
    );
    expect(state.replaces?.number).toBe(2);
    expect(state.canRelease).toBe(true);
    expect(
      releaseFormState({ schedule: 'RELEASE_ON_SPECIFIED_DATE', date: '2026-12-10', rows, releases: [pending], timeZone: 'UTC', now }),
    ).toMatchObject({ canRelease: false, error: { code: 'UPDATE_ALREADY_PENDING' } });
  });

  it('refuses when there is nothing to release', () => {
    const nothing = [{ ...rows[0]!, availableVersion: undefined }] as PublicationRow[];
    expect(releaseFormState({ schedule: 'IMMEDIATELY', date: '', rows: nothing, releases: [], timeZone: 'UTC', now })).toMatchObject({
      canRelease: false,
      error: { code: 'NOTHING_TO_RELEASE' },
    });
  });
});
