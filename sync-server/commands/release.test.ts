import { describe, expect, test } from 'vitest';
import { validateReleaseNotes } from '../../shared/release-notes.ts';
import { installableRelease, pendingRelease } from '../../shared/releases.ts';
import { readReleases, writeRemoveComponent } from '../../shared/schema.ts';
import { admin, managedUser, run, SERVER, seedAccount } from './testing.ts';

const march10 = new Date('2025-03-10T12:00:00Z');
const immediate = { type: 'RELEASE', packId: 'orders', releaseSchedule: 'IMMEDIATELY' } as const;
const pendingOn = (releaseOnDate: string) =>
  ({ type: 'RELEASE', packId: 'orders', releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE', releaseOnDate }) as const;

function releasedAndInstalled(accounts = ['acme', 'globex']) {
  const doc = seedAccount();
  expect(run(doc, admin, march10, immediate).status).toBe('SUCCESS');
  for (const id of accounts)
    expect(run(doc, managedUser(id), march10, { type: 'INSTALL', packId: 'orders', managedAccountId: id }).status).toBe('SUCCESS');
  return doc;
}

describe('first release', () => {
  test('Release Immediate: release 1 holds the pending versions and is installable now', () => {
    const doc = seedAccount();
    const result = run(doc, admin, march10, immediate, 'first-release-key');
    expect(result).toMatchObject({ status: 'SUCCESS', releaseNumber: 1, requestId: 'rq_first-release-key' });
    const [release] = doc.records.releases('orders');
    expect(release).toMatchObject({
      number: 1,
      status: 'SUCCESS',
      releaseSchedule: 'IMMEDIATELY',
      releasedBy: 'Ada Admin',
      releasedAt: march10.toISOString(),
      components: [
        { componentId: 'c1', version: 1 },
        { componentId: 'c2', version: 2 },
      ],
    });
    expect(installableRelease(doc.records.releases('orders'))?.number).toBe(1);
  });

  test('Release Pending: release 1 is SCHEDULED and cannot be installed before its date', () => {
    const doc = seedAccount();
    expect(run(doc, admin, march10, pendingOn('2025-03-12'))).toMatchObject({ status: 'SUCCESS', releaseNumber: 1 });
    const [release] = doc.records.releases('orders');
    expect(release).toMatchObject({ status: 'SCHEDULED', releaseOnDate: '2025-03-12' });
    expect(installableRelease(doc.records.releases('orders'))).toBeUndefined();
    const install = run(doc, managedUser('acme'), march10, { type: 'INSTALL', packId: 'orders', managedAccountId: 'acme' });
    expect(install).toMatchObject({ status: 'ERROR', code: 'NOT_RELEASED_YET' });
    expect(install.message).toContain('2025-03-12');
  });

  test('nothing Pending or Available: refused', () => {
    const doc = seedAccount();
    run(doc, admin, march10, immediate);
    expect(run(doc, admin, march10, immediate)).toMatchObject({ status: 'ERROR', code: 'NOTHING_TO_RELEASE' });
    expect(doc.records.releases('orders')).toHaveLength(1);
  });
});

describe('release date', () => {
  test('must be after today in the publisher time zone', () => {
    const doc = seedAccount();
    expect(run(doc, admin, march10, pendingOn('2025-03-10'))).toMatchObject({ status: 'ERROR', code: 'RELEASE_DATE_NOT_FUTURE' });
    expect(run(doc, admin, march10, pendingOn('2025-03-09'))).toMatchObject({ status: 'ERROR', code: 'RELEASE_DATE_NOT_FUTURE' });
    expect(run(doc, admin, march10, pendingOn('2025-03-11')).status).toBe('SUCCESS');
  });

  test('"today" is the publisher\'s: 23:30 UTC is already tomorrow in Tokyo', () => {
    const lateUtc = new Date('2025-03-10T23:30:00Z');
    const utc = seedAccount();
    expect(run(utc, admin, lateUtc, pendingOn('2025-03-11')).status).toBe('SUCCESS');
    const tokyo = seedAccount({ timeZone: 'Asia/Tokyo' });
    expect(run(tokyo, admin, lateUtc, pendingOn('2025-03-11'))).toMatchObject({ status: 'ERROR', code: 'RELEASE_DATE_NOT_FUTURE' });
    expect(run(tokyo, admin, lateUtc, pendingOn('2025-03-12')).status).toBe('SUCCESS');
  });

  test('an unknown stored time zone falls back to UTC', () => {
    const doc = seedAccount();
    doc.records.putAccount({ id: 'pub', name: 'P', multiInstallEnabled: true, timeZone: 'Mars/Olympus' });
    expect(run(doc, admin, new Date('2025-03-10T23:30:00Z'), pendingOn('2025-03-11')).status).toBe('SUCCESS');
  });

  test('Release Pending without a date, or with an impossible one, is refused', () => {
    const doc = seedAccount();
    expect(run(doc, admin, march10, { type: 'RELEASE', packId: 'orders', releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE' }).code).toBe(
      'RELEASE_DATE_REQUIRED',
    );
    expect(run(doc, admin, march10, pendingOn('2025-02-30')).code).toBe('RELEASE_DATE_REQUIRED');
  });
});

describe('re-release', () => {
  test('Release Immediate moves every installed instance to the new release at once', () => {
    const doc = releasedAndInstalled();
    writeRemoveComponent(doc.doc, 'orders', 'c1', SERVER);
    expect(run(doc, admin, march10, immediate)).toMatchObject({ status: 'SUCCESS', releaseNumber: 2 });
    expect(doc.records.releases('orders')[1]?.components).toEqual([{ componentId: 'c2', version: 2 }]);
    expect(doc.instances().map((i) => [i.managedAccountId, i.releaseNumber, i.pendingReleaseNumber])).toEqual(
      expect.arrayContaining([
        ['acme', 2, undefined],
        ['globex', 2, undefined],
      ]),
    );
  });

  test('Release Pending gives every installed instance a pending update; a second one is refused', () => {
    const doc = releasedAndInstalled();
    writeRemoveComponent(doc.doc, 'orders', 'c1', SERVER);
    expect(run(doc, admin, march10, pendingOn('2025-03-20'))).toMatchObject({ status: 'SUCCESS', releaseNumber: 2 });
    for (const instance of doc.instances()) expect(instance).toMatchObject({ releaseNumber: 1, pendingReleaseNumber: 2 });
    expect(pendingRelease(doc.records.releases('orders'))?.number).toBe(2);
    expect(installableRelease(doc.records.releases('orders'))?.number).toBe(1);

    writeRemoveComponent(doc.doc, 'orders', 'c2', SERVER);
    const second = run(doc, admin, march10, pendingOn('2025-03-25'));
    expect(second).toMatchObject({ status: 'ERROR', code: 'UPDATE_ALREADY_PENDING' });
    expect(second.message).toContain('Mar 20, 2025 (UTC)');
    expect(doc.records.releases('orders')).toHaveLength(2);
  });

  test('Release Immediate supersedes a pending release: everyone runs the new one now', () => {
    const doc = releasedAndInstalled();
    writeRemoveComponent(doc.doc, 'orders', 'c1', SERVER);
    run(doc, admin, march10, pendingOn('2025-03-20'));
    run(doc, managedUser('acme'), march10, {
      type: 'APPLY_UPDATE',
      instanceId: doc.instances().find((i) => i.managedAccountId === 'acme')!.id,
    });
    run(doc, admin, march10, { type: 'INSTALL', packId: 'orders', managedAccountId: 'initech' }); // release 1, 2 pending
    doc.records.putComponent({ id: 'c2', name: 'Component c2', type: 'PROCESS', versions: [1, 2, 3] }); // the fix
    const result = run(doc, admin, march10, immediate);
    expect(result).toMatchObject({ status: 'SUCCESS', releaseNumber: 3 });
    expect(doc.records.releases('orders')[2]?.components).toEqual([{ componentId: 'c2', version: 3 }]);
    expect(result.message).toContain('supersedes pending release 2');
    const releases = doc.records.releases('orders');
    expect(releases[1]).toMatchObject({ number: 2, status: 'SUCCESS', supersededBy: 3 });
    expect(pendingRelease(releases)).toBeUndefined();
    for (const instance of doc.instances()) {
      expect(instance.releaseNumber).toBe(3);
      expect(instance.pendingReleaseNumber).toBeUndefined();
    }
  });

  test('a first pending release superseded by Release Immediate is installable at once', () => {
    const doc = seedAccount();
    run(doc, admin, march10, pendingOn('2025-04-01'));
    writeRemoveComponent(doc.doc, 'orders', 'c1', SERVER);
    expect(run(doc, admin, march10, immediate).releaseNumber).toBe(2);
    expect(installableRelease(doc.records.releases('orders'))?.number).toBe(2);
    expect(run(doc, managedUser('acme'), march10, { type: 'INSTALL', packId: 'orders', managedAccountId: 'acme' })).toMatchObject({
      status: 'SUCCESS',
      releaseNumber: 2,
    });
  });

  test('only instances of the released pack change', () => {
    const doc = seedAccount({
      packs: [
        { id: 'orders', componentIds: ['c1'] },
        { id: 'billing', componentIds: ['c2'] },
      ],
    });
    run(doc, admin, march10, immediate);
    run(doc, admin, march10, { ...immediate, packId: 'billing' });
    run(doc, admin, march10, { type: 'INSTALL', packId: 'billing', managedAccountId: 'acme' });
    run(doc, admin, march10, { type: 'INSTALL', packId: 'orders', managedAccountId: 'acme' });
    run(doc, admin, march10, { type: 'RELEASE', packId: 'orders', releaseSchedule: 'IMMEDIATELY' }); // nothing new: refused
    writeRemoveComponent(doc.doc, 'orders', 'c1', SERVER);
    run(doc, admin, march10, pendingOn('2025-03-20'));
    const billing = doc.instances().find((i) => i.packId === 'billing')!;
    expect(billing.pendingReleaseNumber).toBeUndefined();
    expect(doc.instances().find((i) => i.packId === 'orders')!.pendingReleaseNumber).toBe(2);
  });
});

test('RELEASE with chosen versions: an older version rolls back one component; the same versions again are refused', () => {
  const doc = seedAccount({ packs: [{ id: 'orders', componentIds: ['c1', 'c2'] }] });
  const at = new Date('2025-03-10T12:00:00Z');
  expect(run(doc, admin, at, { type: 'RELEASE', packId: 'orders', releaseSchedule: 'IMMEDIATELY' }).releaseNumber).toBe(1);
  const rollback = run(doc, admin, at, {
    type: 'RELEASE',
    packId: 'orders',
    releaseSchedule: 'IMMEDIATELY',
    components: [{ componentId: 'c2', version: 1 }],
  });
  expect(rollback).toMatchObject({ status: 'SUCCESS', releaseNumber: 2 });
  expect(doc.records.releases('orders').at(-1)?.components).toEqual([
    { componentId: 'c1', version: 1 },
    { componentId: 'c2', version: 1 },
  ]);
  const again = run(doc, admin, at, { type: 'RELEASE', packId: 'orders', releaseSchedule: 'IMMEDIATELY', components: [] });
  expect(again).toMatchObject({ status: 'SUCCESS', releaseNumber: 3 });
  expect(doc.records.releases('orders').at(-1)?.components).toEqual([
    { componentId: 'c1', version: 1 },
    { componentId: 'c2', version: 2 },
  ]);
  const same = run(doc, admin, at, { type: 'RELEASE', packId: 'orders', releaseSchedule: 'IMMEDIATELY', components: [] });
  expect(same.code).toBe('NOTHING_TO_RELEASE');
  const unknown = run(doc, admin, at, {
    type: 'RELEASE',
    packId: 'orders',
    releaseSchedule: 'IMMEDIATELY',
    components: [{ componentId: 'c2', version: 9 }],
  });
  expect(unknown.code).toBe('VERSION_NOT_PUBLISHED');
});

describe('release notes', () => {
  test('kept with the release, trimmed, and projected into the document; blank is none', () => {
    const doc = seedAccount();
    const result = run(doc, admin, march10, { ...pendingOn('2025-03-20'), notes: '  Retries NetSuite calls.\n' });
    expect(result.status).toBe('SUCCESS');
    expect(pendingRelease(doc.records.releases('orders'))?.notes).toBe('Retries NetSuite calls.');
    expect(readReleases(doc.doc, 'orders')[0]?.notes).toBe('Retries NetSuite calls.');
    const releases = doc.changes.filter((change) => change.op === 'releases');
    expect(releases.at(-1)).toMatchObject({ releases: [{ number: 1, notes: 'Retries NetSuite calls.' }] });
    const blank = seedAccount();
    expect(run(blank, admin, march10, { ...immediate, notes: ' \n ' }).status).toBe('SUCCESS');
    expect('notes' in blank.records.releases('orders')[0]!).toBe(false);
  });

  test('past 2,000 characters: refused with the notes field, and nothing is released', () => {
    const doc = seedAccount();
    const tooLong = run(doc, admin, march10, { ...pendingOn('2025-03-20'), notes: 'x'.repeat(2001) });
    expect(tooLong).toMatchObject({ status: 'ERROR', code: 'RELEASE_NOTES_TOO_LONG' });
    expect(tooLong.message).toBe('Release notes can contain up to 2000 characters (these have 2001).');
    expect(validateReleaseNotes('x'.repeat(2001))).toMatchObject({ ok: false, error: { field: 'notes' } });
    expect(doc.records.releases('orders')).toEqual([]);
    expect(doc.history.at(-1)).toMatchObject({ kind: 'RELEASE', status: 'ERROR' });
    // 2,000 characters counted as characters, not UTF-16 units.
    expect(run(doc, admin, march10, { ...immediate, notes: '🇪'.repeat(2000) }).status).toBe('SUCCESS');
  });
});
