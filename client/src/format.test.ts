import { describe, expect, it } from 'vitest';
import { groupNotices, initials, nextCalendarDay, outcomeText, QUEUED_MESSAGE, queuedText, reachText, syncStatusText } from './format.ts';

describe('syncStatusText', () => {
  it('says Offline, Connecting, Syncing with the unstored count, or Saved', () => {
    expect(syncStatusText({ state: 'offline', unstored: 0 })).toBe('Offline');
    expect(syncStatusText({ state: 'offline', unstored: 1 })).toBe('Offline — 1 change not yet synced');
    expect(syncStatusText({ state: 'connecting', unstored: 2 })).toBe('Connecting — 2 changes not yet synced');
    expect(syncStatusText({ state: 'syncing', unstored: 3 })).toBe('Syncing — 3 changes not yet synced');
    expect(syncStatusText({ state: 'saved', unstored: 0 })).toBe('Saved');
  });
});

describe('initials', () => {
  it('takes the first letters of the first and last words', () => {
    expect(initials('Avery Admin')).toBe('AA');
    expect(initials('  grace  brewster murray hopper ')).toBe('GH');
    expect(initials('Cher')).toBe('CH');
    expect(initials('')).toBe('?');
    expect(initials('Élodie Ünal')).toBe('ÉÜ');
  });
});

describe('nextCalendarDay', () => {
  it('crosses month, year and leap-day boundaries', () => {
    expect(nextCalendarDay('2026-11-27')).toBe('2026-11-28');
    expect(nextCalendarDay('2026-11-30')).toBe('2026-12-01');
    expect(nextCalendarDay('2026-12-31')).toBe('2027-01-01');
    expect(nextCalendarDay('2028-02-28')).toBe('2028-02-29');
    expect(nextCalendarDay('2027-02-28')).toBe('2027-03-01');
  });
});

describe('reachText and queuedText', () => {
  it('use singular and plural', () => {
    expect(reachText(1, 1)).toBe('1 instance in 1 managed account');
    expect(reachText(3, 2)).toBe('3 instances in 2 managed accounts');
    expect(queuedText(1)).toBe('1 command queued');
    expect(queuedText(2)).toBe('2 commands queued');
  });
});

describe('outcomeText', () => {
  it('reports a queued command, a success and the server’s reason for a failure', () => {
    expect(outcomeText({ queued: true, idempotencyKey: 'k1234567' })).toEqual({ ok: true, kind: 'queued', text: QUEUED_MESSAGE });
    expect(outcomeText({ queued: false, result: { idempotencyKey: 'k', status: 'SUCCESS', message: 'Released.' } })).toEqual({
      ok: true,
      kind: 'done',
      text: 'Released.',
    });
    expect(outcomeText({ queued: false, result: { idempotencyKey: 'k', status: 'ERROR', message: 'Nothing to release.' } })).toEqual({
      ok: false,
      kind: 'refused',
      text: 'Nothing to release.',
    });
  });
});

describe('groupNotices', () => {
  it('shows repeats once, remembering every index so one Dismiss clears them all', () => {
    const reverted = { level: 'error' as const, code: 'REVERTED', message: 'Your edit was reverted.' };
    const other = { level: 'warning' as const, code: 'X', message: 'Something else.' };
    expect(groupNotices([reverted, other, reverted])).toEqual([
      { notice: reverted, indexes: [0, 2] },
      { notice: other, indexes: [1] },
    ]);
    expect(groupNotices([])).toEqual([]);
  });
});
