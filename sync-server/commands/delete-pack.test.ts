import { expect, test } from 'vitest';
import { readPacks } from '../../shared/schema.ts';
import { admin, managedUser, run, seedAccount } from './testing.ts';

const now = new Date('2025-03-10T12:00:00Z');

test('DELETE_PACK uninstalls it from every managed account, detaches Atoms and environments, leaves a tombstone', () => {
  const doc = seedAccount({
    packs: [
      { id: 'orders', name: 'Orders', installationType: 'MULTI', componentIds: ['c1'] },
      { id: 'billing', name: 'Billing', componentIds: ['c2'] },
    ],
  });
  run(doc, admin, now, { type: 'RELEASE', packId: 'orders', releaseSchedule: 'IMMEDIATELY' });
  run(doc, admin, now, { type: 'RELEASE', packId: 'billing', releaseSchedule: 'IMMEDIATELY' });
  const eu = run(doc, admin, now, { type: 'INSTALL', packId: 'orders', managedAccountId: 'acme', integrationPackOverrideName: 'EU' })
    .instanceId!;
  run(doc, admin, now, { type: 'INSTALL', packId: 'orders', managedAccountId: 'acme', integrationPackOverrideName: 'US' });
  run(doc, admin, now, { type: 'INSTALL', packId: 'orders', managedAccountId: 'globex', integrationPackOverrideName: 'Main' });
  run(doc, admin, now, { type: 'INSTALL', packId: 'billing', managedAccountId: 'acme' });
  run(doc, admin, now, { type: 'ATTACH_ATOM', instanceId: eu, atomId: 'atom-1' });
  run(doc, admin, now, { type: 'ATTACH_ENVIRONMENT', instanceId: eu, environmentId: 'prod' });

  expect(run(doc, managedUser('acme'), now, { type: 'DELETE_PACK', packId: 'orders' }).code).toBe('FORBIDDEN');
  const result = run(doc, admin, now, { type: 'DELETE_PACK', packId: 'orders' });
  expect(result.status).toBe('SUCCESS');
  expect(result.message).toBe(
    'Orders was deleted. It was uninstalled from 3 instances in 2 managed accounts; 1 Atom and 1 environment were detached.',
  );
  expect(readPacks(doc.doc).map((p) => p.id)).toEqual(['billing']);
  expect(doc.records.releases('orders')).toEqual([]);
  expect(doc.instances().map((i) => i.packId)).toEqual(['billing']);
  expect(doc.records.tombstones.get('orders')).toEqual({
    packId: 'orders',
    name: 'Orders',
    deletedAt: now.toISOString(),
    deletedBy: 'Ada Admin',
  });

  // Later commands about the deleted pack are refused with a sentence naming it.
  const late = run(doc, admin, now, { type: 'RELEASE', packId: 'orders', releaseSchedule: 'IMMEDIATELY' });
  expect(late).toMatchObject({ status: 'ERROR', code: 'PACK_DELETED' });
  expect(late.message).toBe('Integration pack "Orders" was deleted on Mar 10, 2025, 12:00 PM (UTC) by Ada Admin.');
  expect(run(doc, admin, now, { type: 'ATTACH_ATOM', instanceId: eu, atomId: 'atom-2' }).code).toBe('INSTANCE_NOT_FOUND');
  // Its history stays for the audit.
  expect(doc.history.filter((r) => r.packId === 'orders').length).toBeGreaterThanOrEqual(5);
});
