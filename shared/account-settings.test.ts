import { describe, expect, it } from 'vitest';
import { LOCALE_CHOICES, validateAccountSettings } from './account-settings.ts';
import { isLocale } from './date-format.ts';

describe('validateAccountSettings', () => {
  it('takes an IANA time zone and a BCP 47 locale, canonical', () => {
    expect(validateAccountSettings({ timeZone: 'Europe/Paris', locale: 'en-gb' })).toEqual({
      ok: true,
      value: { timeZone: 'Europe/Paris', locale: 'en-GB' },
    });
    expect(validateAccountSettings({ locale: 'de-DE' })).toEqual({ ok: true, value: { locale: 'de-DE' } });
  });
  it('refuses what is not a zone or a locale, with the field', () => {
    expect(validateAccountSettings({ timeZone: 'Mars/Olympus' })).toMatchObject({
      ok: false,
      error: { code: 'TIME_ZONE_INVALID', field: 'timeZone' },
    });
    expect(validateAccountSettings({ locale: 'not a locale' })).toMatchObject({
      ok: false,
      error: { code: 'LOCALE_INVALID', field: 'locale' },
    });
    expect(validateAccountSettings({})).toMatchObject({ ok: false, error: { code: 'NOTHING_TO_CHANGE' } });
  });
  it('offers only valid locales', () => {
    expect(LOCALE_CHOICES.every(({ locale }) => isLocale(locale))).toBe(true);
  });
});
