import { expect, test } from 'vitest';
import { readAccount } from '../../shared/schema.ts';
import { admin, managedUser, run, seedAccount, viewer } from './testing.ts';

const now = new Date('2026-12-02T12:00:00Z');

test('SET_ACCOUNT_SETTINGS changes the time zone and locale, audited; refused for others and for bad values', () => {
  const doc = seedAccount();
  const result = run(doc, admin, now, { type: 'SET_ACCOUNT_SETTINGS', timeZone: 'Europe/Paris', locale: 'en-gb' });
  expect(result).toMatchObject({ status: 'SUCCESS' });
  expect(result.message).toBe(
    'Saved: the time zone is Europe/Paris (was UTC); pending releases are applied at the start of their date there; dates are written as in en-GB (was en-US).',
  );
  expect(readAccount(doc.doc)).toMatchObject({ timeZone: 'Europe/Paris', locale: 'en-GB', name: 'Publisher' });
  expect(doc.history.at(-1)).toMatchObject({
    kind: 'SET_ACCOUNT_SETTINGS',
    actor: 'Ada Admin',
    status: 'SUCCESS',
    summary: 'Account settings: time zone Europe/Paris, locale en-gb',
  });

  expect(run(doc, admin, now, { type: 'SET_ACCOUNT_SETTINGS', timeZone: 'Mars/Olympus' })).toMatchObject({
    status: 'ERROR',
    code: 'TIME_ZONE_INVALID',
  });
  expect(run(doc, viewer, now, { type: 'SET_ACCOUNT_SETTINGS', timeZone: 'UTC' }).code).toBe('FORBIDDEN');
  expect(run(doc, managedUser('acme'), now, { type: 'SET_ACCOUNT_SETTINGS', timeZone: 'UTC' }).code).toBe('FORBIDDEN');
  expect(readAccount(doc.doc)?.timeZone).toBe('Europe/Paris');
});
