/** UPDATE_RELEASE and CANCEL_RELEASE on a release pending its date: the rules of shared/release-changes.ts, audited. */
import { expect, test } from 'vitest';
import type { Command } from '../../shared/commands.ts';
import { pendingRelease } from '../../shared/releases.ts';
import { admin, managedUser, run, seedAccount, viewer } from './testing.ts';

const march10 = new Date('2025-03-10T12:00:00Z');
const pendingOn = (releaseOnDate: string) =>
  ({ type: 'RELEASE', packId: 'orders', releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE', releaseOnDate }) as const;

/** Orders released (1) and installed in acme and globex, then release 2 pending until 2025-03-20. */
function withPendingRelease() {
  const doc = seedAccount({
    components: [
      { id: 'c1', versions: [1, 2, 3] },
      { id: 'c2', versions: [1, 2] },
    ],
  });
  run(doc, admin, march10, {
    type: 'RELEASE',
    packId: 'orders',
    releaseSchedule: 'IMMEDIATELY',
    components: [{ componentId: 'c1', version: 1 }],
  });
  const acme = run(doc, admin, march10, { type: 'INSTALL', packId: 'orders', managedAccountId: 'acme' }).instanceId!;
  run(doc, admin, march10, { type: 'INSTALL', packId: 'orders', managedAccountId: 'globex' });
  expect(run(doc, admin, march10, pendingOn('2025-03-20')).releaseNumber).toBe(2);
  return { doc, acme };
}

test('UPDATE_RELEASE moves the date and changes versions; the installations keep waiting for it; audited', () => {
  const { doc } = withPendingRelease();
  const moved = run(doc, admin, march10, { type: 'UPDATE_RELEASE', packId: 'orders', releaseOnDate: '2025-04-01' });
  expect(moved).toMatchObject({
    status: 'SUCCESS',
    message: 'Pack orders release 2 is pending until Apr 1, 2025 (UTC).',
    releaseNumber: 2,
  });
  const versions = run(doc, admin, march10, { type: 'UPDATE_RELEASE', packId: 'orders', components: [{ componentId: 'c1', version: 2 }] });
  expect(versions.status).toBe('SUCCESS');
  const pending = pendingRelease(doc.records.releases('orders'))!;
  expect(pending).toMatchObject({ number: 2, releaseOnDate: '2025-04-01', status: 'SCHEDULED' });
  expect(pending.components).toEqual([
    { componentId: 'c1', version: 2 },
    { componentId: 'c2', version: 2 },
  ]);
  expect(doc.instances().map((instance) => instance.pendingReleaseNumber)).toEqual([2, 2]);
  expect(doc.history.filter((record) => record.kind === 'UPDATE_RELEASE')).toHaveLength(2);
});

test('UPDATE_RELEASE refuses a past date, an unknown version, a component not in the release, and nothing pending', () => {
  const { doc } = withPendingRelease();
  const code = (command: Parameters<typeof run>[3], actor = admin) => run(doc, actor, march10, command).code;
  expect(code({ type: 'UPDATE_RELEASE', packId: 'orders', releaseOnDate: '2025-03-10' })).toBe('RELEASE_DATE_NOT_FUTURE');
  expect(code({ type: 'UPDATE_RELEASE', packId: 'orders', components: [{ componentId: 'c1', version: 9 }] })).toBe('VERSION_NOT_PUBLISHED');
  expect(code({ type: 'UPDATE_RELEASE', packId: 'orders', components: [{ componentId: 'c9', version: 1 }] })).toBe('COMPONENT_NOT_IN_PACK');
  expect(code({ type: 'UPDATE_RELEASE', packId: 'orders' })).toBe('NOTHING_TO_CHANGE');
  expect(code({ type: 'UPDATE_RELEASE', packId: 'orders', releaseOnDate: '2025-04-01' }, viewer)).toBe('FORBIDDEN');
  expect(code({ type: 'CANCEL_RELEASE', packId: 'orders' }, managedUser('acme'))).toBe('FORBIDDEN');
  // Release Immediate replaces the pending release (a fix during the testing period).
  const fix: Command = {
    type: 'RELEASE',
    packId: 'orders',
    releaseSchedule: 'IMMEDIATELY',
    components: [{ componentId: 'c1', version: 2 }],
  };
  expect(run(doc, admin, march10, fix).status).toBe('SUCCESS');
  expect(code({ type: 'UPDATE_RELEASE', packId: 'orders', releaseOnDate: '2025-04-01' })).toBe('NO_PENDING_RELEASE');
  expect(code({ type: 'CANCEL_RELEASE', packId: 'orders' })).toBe('NO_PENDING_RELEASE');
});

test('once an installation applied it early its versions are fixed and it cannot be cancelled; its date can still move', () => {
  const { doc, acme } = withPendingRelease();
  expect(run(doc, managedUser('acme'), march10, { type: 'APPLY_UPDATE', instanceId: acme }).status).toBe('SUCCESS');
  const versions = run(doc, admin, march10, { type: 'UPDATE_RELEASE', packId: 'orders', components: [{ componentId: 'c1', version: 3 }] });
  expect(versions).toMatchObject({ status: 'ERROR', code: 'APPLIED_EARLY' });
  expect(run(doc, admin, march10, { type: 'CANCEL_RELEASE', packId: 'orders' }).code).toBe('APPLIED_EARLY');
  expect(run(doc, admin, march10, { type: 'UPDATE_RELEASE', packId: 'orders', releaseOnDate: '2025-05-01' }).status).toBe('SUCCESS');
});

test('CANCEL_RELEASE removes the pending release; the installations stay on the release they run and no longer wait', () => {
  const { doc } = withPendingRelease();
  const requestId = pendingRelease(doc.records.releases('orders'))!.requestId;
  const cancelled = run(doc, admin, march10, { type: 'CANCEL_RELEASE', packId: 'orders' });
  expect(cancelled).toMatchObject({
    status: 'SUCCESS',
    requestId,
    message: 'Pack orders release 2, pending until Mar 20, 2025 (UTC), was cancelled. 2 installations no longer wait for it.',
  });
  expect(doc.records.releases('orders').map((release) => release.number)).toEqual([1]);
  expect(doc.instances().map(({ releaseNumber, pendingReleaseNumber }) => ({ releaseNumber, pendingReleaseNumber }))).toEqual([
    { releaseNumber: 1, pendingReleaseNumber: undefined },
    { releaseNumber: 1, pendingReleaseNumber: undefined },
  ]);
  expect(doc.history.at(-1)).toMatchObject({ kind: 'CANCEL_RELEASE', requestId, status: 'SUCCESS' });
  // A new release takes the next number again.
  expect(run(doc, admin, march10, pendingOn('2025-03-25')).releaseNumber).toBe(2);
});

test('UPDATE_RELEASE changes the notes of the pending release (also after an early apply), "" removes them; too long is refused', () => {
  const { doc, acme } = withPendingRelease();
  const notes = (command: Omit<Extract<Command, { type: 'UPDATE_RELEASE' }>, 'type' | 'packId'>) =>
    run(doc, admin, march10, { type: 'UPDATE_RELEASE', packId: 'orders', ...command });
  expect(notes({ notes: '  Retries NetSuite calls.  ' })).toMatchObject({
    status: 'SUCCESS',
    message: 'Pack orders release 2 is pending until Mar 20, 2025 (UTC). Its release notes changed.',
  });
  expect(pendingRelease(doc.records.releases('orders'))).toMatchObject({
    number: 2,
    releaseOnDate: '2025-03-20',
    notes: 'Retries NetSuite calls.',
  });
  expect(doc.history.at(-1)).toMatchObject({
    kind: 'UPDATE_RELEASE',
    summary: 'Change the release notes of the pending release of Pack orders',
  });
  // A date change alone keeps them.
  expect(notes({ releaseOnDate: '2025-04-01' }).status).toBe('SUCCESS');
  expect(pendingRelease(doc.records.releases('orders'))?.notes).toBe('Retries NetSuite calls.');
  expect(notes({ notes: 'x'.repeat(2001) }).code).toBe('RELEASE_NOTES_TOO_LONG');
  expect(run(doc, managedUser('acme'), march10, { type: 'APPLY_UPDATE', instanceId: acme }).status).toBe('SUCCESS');
  expect(notes({ notes: '' })).toMatchObject({ status: 'SUCCESS', message: expect.stringContaining('It has no release notes now.') });
  expect('notes' in pendingRelease(doc.records.releases('orders'))!).toBe(false);
});
