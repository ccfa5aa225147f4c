import { describe, expect, test } from 'vitest';
import type { PackInstance, Release } from './model.ts';
import { attachTo, canActForManagedAccount, detachFrom, instanceLabel, planInstall } from './release-instances.ts';

const now = new Date('2025-03-10T00:00:00Z');
const rel = (number: number, status: Release['status'], releaseOnDate?: string): Release => ({
  packId: 'p',
  number,
  components: [],
  releaseSchedule: releaseOnDate ? 'RELEASE_ON_SPECIFIED_DATE' : 'IMMEDIATELY',
  ...(releaseOnDate ? { releaseOnDate } : {}),
  status,
  releasedBy: 'a',
  releasedAt: now.toISOString(),
  requestId: 'r',
});
const base = { instanceId: 'new', managedAccountId: 'acme', overrideName: undefined, instances: [], now };
const single = { id: 'p', name: 'Orders', installationType: 'SINGLE' as const };

describe('canActForManagedAccount', () => {
  test('admin any, managed own only, viewer none', () => {
    expect(canActForManagedAccount({ role: 'admin' }, 'acme').ok).toBe(true);
    expect(canActForManagedAccount({ role: 'managed', managedAccountId: 'acme' }, 'acme').ok).toBe(true);
    expect(canActForManagedAccount({ role: 'managed', managedAccountId: 'acme' }, 'globex').ok).toBe(false);
    expect(canActForManagedAccount({ role: 'managed' }, 'acme').ok).toBe(false);
    expect(canActForManagedAccount({ role: 'viewer' }, 'acme').ok).toBe(false);
  });
});

describe('planInstall', () => {
  test('runs the newest release in effect, and gets a pending one as its update', () => {
    const installed = planInstall({ ...base, pack: single, releases: [rel(1, 'SUCCESS'), rel(2, 'SCHEDULED', '2025-03-20')] });
    expect(installed).toMatchObject({ ok: true, value: { releaseNumber: 1, pendingReleaseNumber: 2, installedAt: now.toISOString() } });
  });
  test('a superseded release is not pending', () => {
    const releases = [rel(1, 'SUCCESS'), { ...rel(2, 'SUCCESS', '2025-03-20'), supersededBy: 3 }, rel(3, 'SUCCESS')];
    const installed = planInstall({ ...base, pack: single, releases });
    expect(installed.ok && installed.value).toMatchObject({ releaseNumber: 3 });
    expect(installed.ok && installed.value.pendingReleaseNumber).toBeUndefined();
  });
  test('not before the first release is in effect', () => {
    expect(planInstall({ ...base, pack: single, releases: [] })).toMatchObject({ ok: false, error: { code: 'NOT_RELEASED' } });
    expect(planInstall({ ...base, pack: single, releases: [rel(1, 'SCHEDULED', '2025-03-20')] })).toMatchObject({
      ok: false,
      error: { code: 'NOT_RELEASED_YET', message: 'Orders can be installed from 2025-03-20, its release date.' },
    });
  });
  test("only this pack's instances count against single attachment", () => {
    const other: PackInstance = {
      id: 'o',
      packId: 'other',
      managedAccountId: 'acme',
      releaseNumber: 1,
      atomIds: [],
      environmentIds: [],
      installedAt: '',
    };
    expect(planInstall({ ...base, pack: single, releases: [rel(1, 'SUCCESS')], instances: [other] }).ok).toBe(true);
    expect(planInstall({ ...base, pack: single, releases: [rel(1, 'SUCCESS')], instances: [{ ...other, packId: 'p' }] }).ok).toBe(false);
  });
});

describe('attachments', () => {
  const instance: PackInstance = {
    id: 'i',
    packId: 'p',
    managedAccountId: 'acme',
    releaseNumber: 1,
    atomIds: ['b'],
    environmentIds: [],
    installedAt: '',
  };
  test('attach once (trimmed, sorted), detach what is attached', () => {
    expect(attachTo(instance, 'atom', ' a ')).toMatchObject({ ok: true, value: { atomIds: ['a', 'b'] } });
    expect(attachTo(instance, 'atom', 'b')).toMatchObject({ ok: false, error: { code: 'ALREADY_ATTACHED' } });
    expect(attachTo(instance, 'environment', '  ')).toMatchObject({ ok: false, error: { code: 'ATTACHMENT_ID_REQUIRED' } });
    expect(detachFrom(instance, 'atom', 'b')).toMatchObject({ ok: true, value: { atomIds: [] } });
    expect(detachFrom(instance, 'environment', 'prod')).toMatchObject({
      ok: false,
      error: { code: 'NOT_ATTACHED', message: 'Environment prod is not attached to this installation.' },
    });
  });
  test('instanceLabel', () => {
    expect(instanceLabel({}, 'Orders')).toBe('Orders');
    expect(instanceLabel({ overrideName: 'EU' }, 'Orders')).toBe('Orders (EU)');
  });
});
