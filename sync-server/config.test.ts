import { describe, expect, test } from 'vitest';
import { defaultLimits, limitVariable, limitsFromEnv } from './config.ts';

describe('limits from the environment', () => {
  test('each limit has its variable', () => {
    expect(limitVariable('maxConnectionsPerPerson')).toBe('LIMIT_MAX_CONNECTIONS_PER_PERSON');
    expect(limitVariable('syncStep1Burst')).toBe('LIMIT_SYNC_STEP1_BURST');
    expect(new Set(Object.keys(defaultLimits).map((name) => limitVariable(name as keyof typeof defaultLimits))).size).toBe(
      Object.keys(defaultLimits).length,
    );
  });

  test('set ones override, others keep their defaults, empty ones are unset', () => {
    expect(
      limitsFromEnv({ LIMIT_MAX_CONNECTIONS_PER_PERSON: '3', LIMIT_SYNC_STEP1_PER_SECOND: '0.25', LIMIT_REST_PAGE_SIZE: '', PATH: '/bin' }),
    ).toEqual({ maxConnectionsPerPerson: 3, syncStep1PerSecond: 0.25 });
    expect(limitsFromEnv({})).toEqual({});
  });

  test('a typo or a value that is not a positive number is an error naming the variable', () => {
    expect(() => limitsFromEnv({ LIMIT_MAX_CONECTIONS_PER_PERSON: '3' })).toThrow(
      /LIMIT_MAX_CONECTIONS_PER_PERSON is not a limit\. The limits are: .*LIMIT_MAX_CONNECTIONS_PER_PERSON/,
    );
    expect(() => limitsFromEnv({ LIMIT_MAX_MESSAGE_BYTES: 'lots' })).toThrow(
      'LIMIT_MAX_MESSAGE_BYTES must be a positive number (default 8388608), not "lots".',
    );
    expect(() => limitsFromEnv({ LIMIT_MESSAGE_BURST: '0' })).toThrow(/LIMIT_MESSAGE_BURST must be a positive number/);
  });
});
