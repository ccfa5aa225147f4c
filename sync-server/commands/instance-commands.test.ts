import { describe, expect, test } from 'vitest';
import { admin, managedUser, run, seedAccount } from './testing.ts';

const now = new Date('2025-03-10T12:00:00Z');

/** Orders released (1), installed in acme and globex, release 2 pending until 2025-03-20. */
function withPendingUpdate() {
  const doc = seedAccount({
    components: [{ id: 'c1', name: 'Sync orders', versions: [1] }],
    packs: [{ id: 'orders', name: 'Orders', componentIds: ['c1'] }],
  });
  run(doc, admin, now, { type: 'RELEASE', packId: 'orders', releaseSchedule: 'IMMEDIATELY' });
  const acme = run(doc, admin, now, { type: 'INSTALL', packId: 'orders', managedAccountId: 'acme' }).instanceId!;
  const globex = run(doc, admin, now, { type: 'INSTALL', packId: 'orders', managedAccountId: 'globex' }).instanceId!;
  doc.records.putComponent({ id: 'c1', name: 'Sync orders', type: 'PROCESS', versions: [1, 2] });
  run(doc, admin, now, { type: 'RELEASE', packId: 'orders', releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE', releaseOnDate: '2025-03-20' });
  const instance = (id: string) => doc.instances().find((i) => i.id === id);
  return { doc, acme, globex, instance };
}

describe('APPLY_UPDATE', () => {
  test('applies the pending update early, only to that instance; a second apply has nothing to do', () => {
    const { doc, acme, globex, instance } = withPendingUpdate();
    expect(run(doc, managedUser('acme'), now, { type: 'APPLY_UPDATE', instanceId: acme })).toMatchObject({
      status: 'SUCCESS',
      releaseNumber: 2,
      // The managed account's word (its page's Version column), not the publisher's "release".
      message: expect.stringMatching(/ now runs version 2\.$/),
    });
    expect(instance(acme)).toMatchObject({ releaseNumber: 2 });
    expect(instance(acme)?.pendingReleaseNumber).toBeUndefined();
    expect(instance(globex)).toMatchObject({ releaseNumber: 1, pendingReleaseNumber: 2 });
    expect(run(doc, managedUser('acme'), now, { type: 'APPLY_UPDATE', instanceId: acme })).toMatchObject({
      status: 'ERROR',
      code: 'NO_PENDING_UPDATE',
    });
  });

  test("a managed user cannot apply another account's update", () => {
    const { doc, globex, instance } = withPendingUpdate();
    expect(run(doc, managedUser('acme'), now, { type: 'APPLY_UPDATE', instanceId: globex }).code).toBe('FORBIDDEN');
    expect(instance(globex)?.releaseNumber).toBe(1);
  });

  test('fails with the reason when a released version is missing from the catalog; the update stays pending', () => {
    const { doc, acme, instance } = withPendingUpdate();
    doc.records.putComponent({ id: 'c1', name: 'Sync orders', type: 'PROCESS', versions: [1] }); // catalog restored from an old backup
    const result = run(doc, managedUser('acme'), now, { type: 'APPLY_UPDATE', instanceId: acme });
    expect(result).toMatchObject({ status: 'ERROR', code: 'COMPONENT_VERSION_MISSING' });
    expect(result.message).toBe("Sync orders version 2 is not published in the publisher's account.");
    expect(instance(acme)).toMatchObject({ releaseNumber: 1, pendingReleaseNumber: 2, failedReleaseNumber: 2, lastError: result.message });
    // Once the version is back, a retry succeeds and clears the failure.
    doc.records.putComponent({ id: 'c1', name: 'Sync orders', type: 'PROCESS', versions: [1, 2] });
    expect(run(doc, managedUser('acme'), now, { type: 'APPLY_UPDATE', instanceId: acme }).status).toBe('SUCCESS');
    expect(instance(acme)?.lastError).toBeUndefined();
    expect(instance(acme)?.failedReleaseNumber).toBeUndefined();
  });
});

describe('attachments', () => {
  test('attach and detach Atoms and environments, once each', () => {
    const { doc, acme, instance } = withPendingUpdate();
    const user = managedUser('acme');
    expect(run(doc, user, now, { type: 'ATTACH_ATOM', instanceId: acme, atomId: 'atom-b' }).status).toBe('SUCCESS');
    expect(run(doc, user, now, { type: 'ATTACH_ATOM', instanceId: acme, atomId: 'atom-a' }).status).toBe('SUCCESS');
    expect(run(doc, user, now, { type: 'ATTACH_ATOM', instanceId: acme, atomId: 'atom-a' }).code).toBe('ALREADY_ATTACHED');
    expect(run(doc, user, now, { type: 'ATTACH_ENVIRONMENT', instanceId: acme, environmentId: 'prod' }).status).toBe('SUCCESS');
    expect(instance(acme)).toMatchObject({ atomIds: ['atom-a', 'atom-b'], environmentIds: ['prod'] });
    expect(run(doc, user, now, { type: 'DETACH_ATOM', instanceId: acme, atomId: 'atom-b' }).status).toBe('SUCCESS');
    expect(run(doc, user, now, { type: 'DETACH_ENVIRONMENT', instanceId: acme, environmentId: 'test' }).code).toBe('NOT_ATTACHED');
    expect(run(doc, user, now, { type: 'DETACH_ENVIRONMENT', instanceId: acme, environmentId: 'prod' }).status).toBe('SUCCESS');
    expect(instance(acme)).toMatchObject({ atomIds: ['atom-a'], environmentIds: [] });
  });

  test("a managed user cannot touch another account's attachments; an admin can", () => {
    const { doc, globex, instance } = withPendingUpdate();
    expect(run(doc, managedUser('acme'), now, { type: 'ATTACH_ATOM', instanceId: globex, atomId: 'x' }).code).toBe('FORBIDDEN');
    expect(run(doc, admin, now, { type: 'ATTACH_ATOM', instanceId: globex, atomId: 'x' }).status).toBe('SUCCESS');
    expect(instance(globex)?.atomIds).toEqual(['x']);
  });
});

describe('UNINSTALL', () => {
  test('removes the instance with its attachments; an unknown instance is refused', () => {
    const { doc, acme, globex } = withPendingUpdate();
    run(doc, admin, now, { type: 'ATTACH_ATOM', instanceId: acme, atomId: 'atom-1' });
    expect(run(doc, managedUser('acme'), now, { type: 'UNINSTALL', instanceId: globex }).code).toBe('FORBIDDEN');
    const result = run(doc, managedUser('acme'), now, { type: 'UNINSTALL', instanceId: acme });
    expect(result.status).toBe('SUCCESS');
    expect(result.message).toContain('1 Atom and 0 environments were detached');
    expect(doc.instances().map((i) => i.id)).toEqual([globex]);
    expect(run(doc, managedUser('acme'), now, { type: 'UNINSTALL', instanceId: acme }).code).toBe('INSTANCE_NOT_FOUND');
    // Single attachment: after uninstalling, the account may install again.
    expect(run(doc, managedUser('acme'), now, { type: 'INSTALL', packId: 'orders', managedAccountId: 'acme' }).status).toBe('SUCCESS');
    expect(doc.history.filter((record) => record.kind === 'UNINSTALL').map((r) => r.status)).toEqual(['ERROR', 'SUCCESS', 'ERROR']);
  });
});
