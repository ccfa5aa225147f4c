/**
 * The one way dates and times are written, wherever they are shown (the page, its dialogs, History,
 * Rollout, the managed page, the extension): in the publisher account's time zone and locale, and
 * always saying which zone it is ("Dec 20, 2026 (Europe/Paris)", "Dec 2, 2026, 3:04 PM (UTC)").
 * Pure: the instant is always passed in.
 */
import { isCalendarDate, isTimeZone } from './dates.ts';

/** How an account writes dates: its IANA time zone and its BCP 47 locale. */
export interface DateStyle {
  timeZone: string;
  locale: string;
}

export const DEFAULT_LOCALE = 'en-US';

export function isLocale(value: unknown): value is string {
  if (typeof value !== 'string' || value === '') return false;
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}

/** The account's style; a missing or unknown zone is UTC, a missing or unknown locale en-US. */
export function dateStyleOf(account: { timeZone?: unknown; locale?: unknown } | undefined): DateStyle {
  return {
    timeZone: isTimeZone(account?.timeZone) ? account.timeZone : 'UTC',
    locale: isLocale(account?.locale) ? account.locale : DEFAULT_LOCALE,
  };
}

/** The zone as written after a date: the IANA name the admin chose ("Etc/UTC" and "UTC" both read "UTC"). */
export function zoneLabel(timeZone: string): string {
  return timeZone === 'Etc/UTC' || timeZone === 'Etc/GMT' || timeZone === 'UTC' ? 'UTC' : timeZone;
}

/** A calendar date (yyyy-MM-dd, a day in the account's zone): "Dec 20, 2026 (Europe/Paris)". */
export function formatDate(date: string, style: DateStyle): string {
  if (!isCalendarDate(date)) return date;
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  // The date is already a day of the account's zone: write that day, not the instant's day elsewhere.
  const text = new Intl.DateTimeFormat(style.locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
  return `${plainSpaces(text)} (${zoneLabel(style.timeZone)})`;
}

/** ICU versions differ on the space before AM/PM (narrow no-break or plain): one text everywhere. */
const plainSpaces = (text: string) => text.replace(/[\u202f\u00a0]/g, ' ');

const toDate = (at: string | Date): Date | undefined => {
  const date = typeof at === 'string' ? new Date(at) : at;
  return Number.isNaN(date.getTime()) ? undefined : date;
};

/** An instant in the account's zone: "Dec 2, 2026, 3:04 PM (UTC)". */
export function formatDateTime(at: string | Date, style: DateStyle): string {
  const date = toDate(at);
  if (!date) return String(at);
  const text = new Intl.DateTimeFormat(style.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: style.timeZone }).format(date);
  return `${plainSpaces(text)} (${zoneLabel(style.timeZone)})`;
}

/** The time of an instant today, in the account's zone: "3:04 PM (UTC)". */
export function formatTime(at: string | Date, style: DateStyle): string {
  const date = toDate(at);
  if (!date) return String(at);
  const text = new Intl.DateTimeFormat(style.locale, { timeStyle: 'short', timeZone: style.timeZone }).format(date);
  return `${plainSpaces(text)} (${zoneLabel(style.timeZone)})`;
}
