import { describe, expect, test } from 'vitest';
import { parseMe, ROLES } from './identity.ts';

describe('parseMe', () => {
  test('takes a /api/me body and drops other keys', () => {
    expect(parseMe({ accountId: 'a', role: 'managed', personId: 'p', personName: 'P', managedAccountId: 'm', token: 'x' })).toEqual({
      accountId: 'a',
      role: 'managed',
      personId: 'p',
      personName: 'P',
      managedAccountId: 'm',
    });
    expect(parseMe({ accountId: 'a', role: 'admin', personId: 'p', personName: 'P' })).toEqual({
      accountId: 'a',
      role: 'admin',
      personId: 'p',
      personName: 'P',
    });
  });

  test('refuses what is not one', () => {
    expect(parseMe(undefined)).toBeUndefined();
    expect(parseMe('me')).toBeUndefined();
    expect(parseMe({ accountId: 'a', role: 'owner', personId: 'p', personName: 'P' })).toBeUndefined();
    expect(parseMe({ accountId: 'a', role: 'admin', personId: 'p' })).toBeUndefined();
    expect(parseMe({ accountId: 'a', role: 'admin', personId: 'p', personName: 'P', managedAccountId: 7 })).toBeUndefined();
    expect(ROLES).toEqual(['admin', 'viewer', 'managed']);
  });
});
