import { describe, expect, test } from 'vitest';
import { fc } from '../test/support/fast-check.ts';
import { isCalendarDate, isTimeZone, startOfDateIn, todayIn } from './dates.ts';

describe('calendar dates and time zones', () => {
  test.each([
    { value: '2026-03-10', valid: true },
    { value: '2028-02-29', valid: true },
    { value: '2026-02-29', valid: false },
    { value: '2026-02-30', valid: false },
    { value: '2026-13-01', valid: false },
    { value: '2026-3-1', valid: false },
    { value: '2026-03-10T00:00', valid: false },
    { value: '', valid: false },
    { value: 20260310, valid: false },
    { value: undefined, valid: false },
  ])('isCalendarDate($value) is $valid', ({ value, valid }) => expect(isCalendarDate(value)).toBe(valid));

  test.each([
    { value: 'America/Los_Angeles', valid: true },
    { value: 'UTC', valid: true },
    { value: 'Mars/Olympus_Mons', valid: false },
    { value: '', valid: false },
    { value: 3, valid: false },
  ])('isTimeZone($value) is $valid', ({ value, valid }) => expect(isTimeZone(value)).toBe(valid));

  test.each([
    { timeZone: 'UTC', today: '2026-03-10' },
    { timeZone: 'America/Los_Angeles', today: '2026-03-09' },
    { timeZone: 'Asia/Tokyo', today: '2026-03-10' },
    { timeZone: 'Pacific/Kiritimati', today: '2026-03-10' },
    { timeZone: 'Pacific/Pago_Pago', today: '2026-03-09' },
  ])('at 2026-03-10T06:30Z it is $today in $timeZone', ({ timeZone, today }) => {
    expect(todayIn(timeZone, new Date('2026-03-10T06:30:00Z'))).toBe(today);
  });

  test.each([
    { date: '2026-03-10', timeZone: 'UTC', start: '2026-03-10T00:00:00.000Z' },
    { date: '2026-03-10', timeZone: 'America/Los_Angeles', start: '2026-03-10T07:00:00.000Z', why: 'PDT' },
    {
      date: '2026-03-08',
      timeZone: 'America/Los_Angeles',
      start: '2026-03-08T08:00:00.000Z',
      why: 'DST starts at 2 AM, midnight is still PST',
    },
    { date: '2026-03-10', timeZone: 'Asia/Tokyo', start: '2026-03-09T15:00:00.000Z' },
    { date: '2026-03-10', timeZone: 'Asia/Kolkata', start: '2026-03-09T18:30:00.000Z', why: 'half-hour offset' },
    {
      date: '2022-09-11',
      timeZone: 'America/Santiago',
      start: '2022-09-11T04:00:00.000Z',
      why: 'clocks jump from 00:00 to 01:00: the date begins at the jump',
    },
    { date: '2023-03-26', timeZone: 'Asia/Beirut', start: '2023-03-25T22:00:00.000Z', why: 'clocks jump at midnight' },
  ])('the release date $date begins at $start in $timeZone', ({ date, timeZone, start }) => {
    expect(startOfDateIn(date, timeZone).toISOString()).toBe(start);
  });

  const zones = fc.constantFrom(
    'UTC',
    'America/Los_Angeles',
    'America/Santiago',
    'America/Havana',
    'America/Asuncion',
    'Asia/Beirut',
    'Africa/Cairo',
    'Asia/Tehran',
    'Australia/Lord_Howe',
    'Pacific/Kiritimati',
    'Pacific/Chatham',
    'America/St_Johns',
  );
  const dates = fc
    .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2037-12-31T00:00:00Z'), noInvalidDate: true })
    .map((date) => date.toISOString().slice(0, 10));

  const beginsOnItsDate = (date: string, timeZone: string) => {
    const start = startOfDateIn(date, timeZone);
    expect(todayIn(timeZone, start)).toBe(date);
    expect(todayIn(timeZone, new Date(start.getTime() - 1)) < date).toBe(true);
  };

  test('a date begins on that date in its zone, and the instant before is the day before', () => {
    fc.assert(fc.property(dates, zones, beginsOnItsDate));
  });

  test('so does every date of a whole year (DST changes at midnight included)', () => {
    const years = fc.integer({ min: 2000, max: 2037 });
    fc.assert(
      fc.property(years, zones, (year, timeZone) => {
        for (let day = Date.UTC(year, 0, 1); day < Date.UTC(year + 1, 0, 1); day += 86_400_000)
          beginsOnItsDate(new Date(day).toISOString().slice(0, 10), timeZone);
      }),
      { numRuns: 12 },
    );
  });
});
