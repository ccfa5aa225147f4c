/**
 * The publisher account's settings an admin changes on the page: its time zone (release dates begin
 * at midnight there, and every date and time is written in it) and its locale (how dates and times
 * are written, shared/date-format.ts). The SET_ACCOUNT_SETTINGS command checks with these rules.
 */
import { isLocale } from './date-format.ts';
import { isTimeZone } from './dates.ts';
import { fail, ok, type Result } from './result.ts';

export interface AccountSettings {
  timeZone?: string;
  locale?: string;
}

/** Locales offered on the page; any valid BCP 47 locale is accepted through the API. */
export const LOCALE_CHOICES: readonly { locale: string; label: string }[] = [
  { locale: 'en-US', label: 'English (United States)' },
  { locale: 'en-GB', label: 'English (United Kingdom)' },
  { locale: 'de-DE', label: 'Deutsch (Deutschland)' },
  { locale: 'fr-FR', label: 'Français (France)' },
  { locale: 'es-ES', label: 'Español (España)' },
  { locale: 'it-IT', label: 'Italiano (Italia)' },
  { locale: 'nl-NL', label: 'Nederlands (Nederland)' },
  { locale: 'pt-BR', label: 'Português (Brasil)' },
  { locale: 'ja-JP', label: '日本語 (日本)' },
  { locale: 'zh-CN', label: '中文 (中国)' },
];

export function validateAccountSettings(input: { timeZone?: unknown; locale?: unknown }): Result<AccountSettings> {
  if (input.timeZone === undefined && input.locale === undefined)
    return fail('NOTHING_TO_CHANGE', 'Name a timeZone or a locale to change.');
  if (input.timeZone !== undefined && !isTimeZone(input.timeZone))
    return fail('TIME_ZONE_INVALID', `"${String(input.timeZone)}" is not a time zone: use an IANA name such as Europe/Paris.`, 'timeZone');
  if (input.locale !== undefined && !isLocale(input.locale))
    return fail('LOCALE_INVALID', `"${String(input.locale)}" is not a locale: use a BCP 47 tag such as en-GB.`, 'locale');
  return ok({
    ...(input.timeZone !== undefined ? { timeZone: input.timeZone as string } : {}),
    ...(input.locale !== undefined ? { locale: Intl.getCanonicalLocales(input.locale as string)[0]! } : {}),
  });
}
