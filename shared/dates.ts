/** Calendar dates (yyyy-MM-dd) in a publisher's time zone. Pure: "now" is always passed in. */
import { fromZonedTime } from 'date-fns-tz';

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE_PATTERN.test(value)) return false;
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

export function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** The calendar date it is at `now` in `timeZone`. */
export function todayIn(timeZone: string, now: Date): string {
  // Intl rather than date-fns-tz's formatInTimeZone: same answer (dates-intl.test.ts checks every
  // zone against it), and it keeps date-fns's formatter out of the PWA's initial bundle.
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`;
}

/** No time zone has ever skipped more than a day at once. */
const SEARCH_WINDOW_MS = 48 * 60 * 60 * 1000;

/** The instant a release date begins in the publisher's time zone: when a pending update is applied. */
export function startOfDateIn(date: string, timeZone: string): Date {
  const midnight = fromZonedTime(`${date}T00:00:00`, timeZone);
  if (todayIn(timeZone, midnight) >= date) return midnight;
  // Where clocks jump forward at midnight (e.g. America/Santiago, Asia/Beirut) 00:00 never happens and
  // the instant above is still the day before: the date begins at the jump. Bisect for the first instant
  // whose date is not before `date` (~28 steps; for a date a zone skipped whole, as Samoa did
  // 2011-12-30, that is when the next date begins).
  let before = midnight.getTime();
  let after = before + SEARCH_WINDOW_MS;
  while (after - before > 1) {
    const middle = Math.floor((before + after) / 2);
    if (todayIn(timeZone, new Date(middle)) >= date) after = middle;
    else before = middle;
  }
  return new Date(after);
}
