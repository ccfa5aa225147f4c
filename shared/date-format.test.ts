import { describe, expect, it } from 'vitest';
import { dateStyleOf, formatDate, formatDateTime, formatTime, isLocale, zoneLabel } from './date-format.ts';

const paris = { timeZone: 'Europe/Paris', locale: 'en-US' };

describe('formatDate', () => {
  it('writes a calendar date in the account locale and names the zone', () => {
    expect(formatDate('2026-12-20', paris)).toBe('Dec 20, 2026 (Europe/Paris)');
    expect(formatDate('2026-12-20', { timeZone: 'UTC', locale: 'en-GB' })).toBe('20 Dec 2026 (UTC)');
    expect(formatDate('2026-12-20', { timeZone: 'Europe/Berlin', locale: 'de-DE' })).toBe('20.12.2026 (Europe/Berlin)');
  });
  it('keeps the day whatever zone the date belongs to (no shift across midnight)', () => {
    expect(formatDate('2026-01-01', { timeZone: 'Pacific/Kiritimati', locale: 'en-US' })).toBe('Jan 1, 2026 (Pacific/Kiritimati)');
    expect(formatDate('2026-01-01', { timeZone: 'Pacific/Pago_Pago', locale: 'en-US' })).toBe('Jan 1, 2026 (Pacific/Pago_Pago)');
  });
  it('leaves anything that is not a date as it is', () => {
    expect(formatDate('soon', paris)).toBe('soon');
  });
});

describe('formatDateTime and formatTime', () => {
  it('write the instant in the account zone, with the zone', () => {
    const at = '2026-12-02T14:04:00.000Z';
    expect(formatDateTime(at, paris)).toBe('Dec 2, 2026, 3:04 PM (Europe/Paris)');
    expect(formatDateTime(at, { timeZone: 'UTC', locale: 'en-GB' })).toBe('2 Dec 2026, 14:04 (UTC)');
    expect(formatDateTime(new Date(at), { timeZone: 'Asia/Tokyo', locale: 'ja-JP' })).toBe('2026/12/02 23:04 (Asia/Tokyo)');
    expect(formatTime(at, { timeZone: 'UTC', locale: 'en-GB' })).toBe('14:04 (UTC)');
  });
  it('names the day of the zone, not of UTC', () => {
    expect(formatDateTime('2026-12-31T23:30:00.000Z', { timeZone: 'Europe/Berlin', locale: 'en-US' })).toBe(
      'Jan 1, 2027, 12:30 AM (Europe/Berlin)',
    );
  });
});

describe('dateStyleOf', () => {
  it('takes the account zone and locale, else UTC and en-US', () => {
    expect(dateStyleOf({ timeZone: 'Europe/Berlin', locale: 'de-DE' })).toEqual({ timeZone: 'Europe/Berlin', locale: 'de-DE' });
    expect(dateStyleOf({ timeZone: 'Mars/Olympus', locale: '!!' })).toEqual({ timeZone: 'UTC', locale: 'en-US' });
    expect(dateStyleOf(undefined)).toEqual({ timeZone: 'UTC', locale: 'en-US' });
  });
  it('knows locales and labels UTC once', () => {
    expect(isLocale('fr-CA')).toBe(true);
    expect(isLocale('not a locale')).toBe(false);
    expect(zoneLabel('Etc/UTC')).toBe('UTC');
  });
});
