import { describe, expect, test } from 'vitest';
import { admin, managedUser, run, seedAccount } from './testing.ts';

const now = new Date('2025-03-10T12:00:00Z');
const released = (installationType: 'SINGLE' | 'MULTI' = 'SINGLE') => {
  const doc = seedAccount({ packs: [{ id: 'orders', name: 'Orders', installationType, componentIds: ['c1'] }] });
  run(doc, admin, now, { type: 'RELEASE', packId: 'orders', releaseSchedule: 'IMMEDIATELY' });
  return doc;
};

describe('INSTALL', () => {
  test('single attachment: once per managed account', () => {
    const doc = released();
    const first = run(doc, managedUser('acme'), now, { type: 'INSTALL', packId: 'orders', managedAccountId: 'acme' }, 'install-key-1');
    expect(first).toMatchObject({ status: 'SUCCESS', instanceId: 'in_install-key-1', releaseNumber: 1 });
    expect(doc.instances()[0]).toEqual({
      id: 'in_install-key-1',
      packId: 'orders',
      managedAccountId: 'acme',
      releaseNumber: 1,
      atomIds: [],
      environmentIds: [],
      installedAt: now.toISOString(),
    });
    expect(run(doc, managedUser('acme'), now, { type: 'INSTALL', packId: 'orders', managedAccountId: 'acme' })).toMatchObject({
      status: 'ERROR',
      code: 'ALREADY_INSTALLED',
    });
    expect(run(doc, managedUser('globex'), now, { type: 'INSTALL', packId: 'orders', managedAccountId: 'globex' }).status).toBe('SUCCESS');
    expect(doc.instances()).toHaveLength(2);
  });

  test('multiple attachments: many instances, each with its own name', () => {
    const doc = released('MULTI');
    const user = managedUser('acme');
    const install = (name?: string) =>
      run(doc, user, now, {
        type: 'INSTALL',
        packId: 'orders',
        managedAccountId: 'acme',
        ...(name === undefined ? {} : { integrationPackOverrideName: name }),
      });
    expect(install('EU').status).toBe('SUCCESS');
    expect(install(' US ').status).toBe('SUCCESS');
    expect(install()).toMatchObject({ status: 'ERROR', code: 'OVERRIDE_NAME_REQUIRED' });
    expect(install('eu')).toMatchObject({ status: 'ERROR', code: 'OVERRIDE_NAME_TAKEN' });
    expect(
      doc
        .instances()
        .map((i) => i.overrideName)
        .sort(),
    ).toEqual(['EU', 'US']);
    // The same name in another account is fine.
    expect(
      run(doc, managedUser('globex'), now, {
        type: 'INSTALL',
        packId: 'orders',
        managedAccountId: 'globex',
        integrationPackOverrideName: 'EU',
      }).status,
    ).toBe('SUCCESS');
  });

  test('a managed user installs only into their own account; an admin into any', () => {
    const doc = released();
    expect(run(doc, managedUser('acme'), now, { type: 'INSTALL', packId: 'orders', managedAccountId: 'globex' })).toMatchObject({
      status: 'ERROR',
      code: 'FORBIDDEN',
    });
    expect(run(doc, admin, now, { type: 'INSTALL', packId: 'orders', managedAccountId: 'globex' }).status).toBe('SUCCESS');
    expect(doc.instances().map((i) => i.managedAccountId)).toEqual(['globex']);
  });

  test('unknown managed account, unknown pack, unreleased pack', () => {
    const doc = released();
    expect(run(doc, admin, now, { type: 'INSTALL', packId: 'orders', managedAccountId: 'nobody' }).code).toBe('MANAGED_ACCOUNT_UNKNOWN');
    expect(run(doc, admin, now, { type: 'INSTALL', packId: 'ghost', managedAccountId: 'acme' }).code).toBe('PACK_NOT_FOUND');
    const fresh = seedAccount();
    expect(run(fresh, admin, now, { type: 'INSTALL', packId: 'orders', managedAccountId: 'acme' }).code).toBe('NOT_RELEASED');
    expect(doc.instances()).toHaveLength(0);
  });

  test('installed during a testing period: runs the release in effect and gets the pending update too', () => {
    const doc = released();
    doc.records.putComponent({ id: 'c1', name: 'Component c1', type: 'PROCESS', versions: [1, 2] });
    run(doc, admin, now, { type: 'RELEASE', packId: 'orders', releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE', releaseOnDate: '2025-03-20' });
    const result = run(doc, managedUser('acme'), now, { type: 'INSTALL', packId: 'orders', managedAccountId: 'acme' });
    expect(result.message).toContain('Release 2 is pending');
    expect(doc.instances()[0]).toMatchObject({ releaseNumber: 1, pendingReleaseNumber: 2 });
  });
});
