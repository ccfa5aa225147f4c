/** todayIn (Intl) agrees with date-fns-tz's formatInTimeZone in every time zone the runtime knows. */
import { formatInTimeZone } from 'date-fns-tz';
import { describe, expect, test } from 'vitest';
import { fc } from '../test/support/fast-check.ts';
import { startOfDateIn, todayIn } from './dates.ts';

const zones = Intl.supportedValuesOf('timeZone');
const MIN = Date.UTC(1970, 0, 1);
const MAX = Date.UTC(2100, 0, 1);

describe('todayIn', () => {
  test('matches formatInTimeZone(…, "yyyy-MM-dd") for random instants in every zone', () => {
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: MIN, max: MAX }), (timeZone, ms) => {
        const now = new Date(ms);
        expect(todayIn(timeZone, now)).toBe(formatInTimeZone(now, timeZone, 'yyyy-MM-dd'));
      }),
      { numRuns: 2000 },
    );
  });

  test('matches at local midnight ± 1 ms on DST change days, in every zone', () => {
    for (const timeZone of zones)
      for (const date of ['2026-03-08', '2026-03-29', '2026-10-25', '2026-11-01']) {
        const midnight = startOfDateIn(date, timeZone).getTime();
        for (const probe of [midnight - 1, midnight, midnight + 1]) {
          const now = new Date(probe);
          expect(todayIn(timeZone, now), `${timeZone} at ${now.toISOString()}`).toBe(formatInTimeZone(now, timeZone, 'yyyy-MM-dd'));
        }
      }
  });
});
