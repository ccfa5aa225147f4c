import { expect, test } from 'vitest';
import type { IntegrationPack, PackInstance, Release } from './model.ts';
import { deriveManagedView, deriveRollout, summarizeRollout } from './rollout.ts';

const rel = (number: number, status: Release['status'], releaseOnDate?: string): Release => ({
  packId: 'orders',
  number,
  components: [],
  releaseSchedule: releaseOnDate ? 'RELEASE_ON_SPECIFIED_DATE' : 'IMMEDIATELY',
  ...(releaseOnDate ? { releaseOnDate } : {}),
  status,
  releasedBy: 'a',
  releasedAt: '',
  requestId: 'r',
});
const inst = (id: string, managedAccountId: string, over: Partial<PackInstance> = {}): PackInstance => ({
  id,
  packId: 'orders',
  managedAccountId,
  releaseNumber: 1,
  atomIds: [],
  environmentIds: [],
  installedAt: '2025-03-01T00:00:00.000Z',
  ...over,
});
const accounts = [
  { id: 'acme', name: 'Acme' },
  { id: 'globex', name: 'Globex' },
  { id: 'initech', name: 'Initech' },
];

test('deriveRollout: per account, the release it runs, pending with its date, failures with the reason', () => {
  const releases = [rel(1, 'SUCCESS'), rel(2, 'SCHEDULED', '2025-03-20')];
  const instances = [
    inst('3', 'initech', { pendingReleaseNumber: 2, failedReleaseNumber: 2, lastError: 'Sync version 2 is not published.' }),
    inst('1', 'acme', { releaseNumber: 2 }),
    inst('2', 'globex', { pendingReleaseNumber: 2 }),
    inst('x', 'acme', { packId: 'billing' }),
  ];
  const rollout = deriveRollout('orders', releases, instances, accounts);
  expect(rollout.rows).toEqual([
    { instanceId: '1', managedAccountId: 'acme', accountName: 'Acme', releaseNumber: 2, state: 'CURRENT' },
    {
      instanceId: '2',
      managedAccountId: 'globex',
      accountName: 'Globex',
      releaseNumber: 1,
      pendingReleaseNumber: 2,
      pendingDate: '2025-03-20',
      state: 'PENDING',
    },
    {
      instanceId: '3',
      managedAccountId: 'initech',
      accountName: 'Initech',
      releaseNumber: 1,
      pendingReleaseNumber: 2,
      pendingDate: '2025-03-20',
      state: 'FAILED',
      error: 'Sync version 2 is not published.',
    },
  ]);
  expect(rollout.byRelease).toEqual([
    { releaseNumber: 2, instances: 1 },
    { releaseNumber: 1, instances: 2 },
  ]);
  expect([rollout.pending, rollout.failed]).toEqual([1, 1]);
});

test('deriveRollout: an instance on an older release with nothing pending is BEHIND', () => {
  const rollout = deriveRollout('orders', [rel(1, 'SUCCESS'), rel(2, 'SUCCESS')], [inst('1', 'acme')], accounts);
  expect(rollout.rows[0]?.state).toBe('BEHIND');
});

test('deriveManagedView: own instances with Version and Pending Version; installable packs, single ones once', () => {
  const packs: IntegrationPack[] = [
    { id: 'orders', name: 'Orders', description: 'd', installationType: 'SINGLE', componentIds: [], createdAt: '', createdBy: '' },
    { id: 'multi', name: 'Multi', description: '', installationType: 'MULTI', componentIds: [], createdAt: '', createdBy: '' },
    { id: 'draft', name: 'Draft', description: '', installationType: 'SINGLE', componentIds: [], createdAt: '', createdBy: '' },
  ];
  const releases = new Map<string, Release[]>([
    ['orders', [rel(1, 'SUCCESS'), rel(2, 'SCHEDULED', '2025-03-20')]],
    ['multi', [{ ...rel(1, 'SUCCESS'), packId: 'multi' }]],
    ['draft', [{ ...rel(1, 'SCHEDULED', '2025-04-01'), packId: 'draft' }]],
  ]);
  const instances = [
    inst('1', 'acme', { pendingReleaseNumber: 2, atomIds: ['atom'] }),
    inst('2', 'acme', { packId: 'multi', overrideName: 'EU' }),
    inst('3', 'globex'),
  ];
  const view = deriveManagedView('acme', packs, releases, instances, accounts);
  expect(view.managedAccountName).toBe('Acme');
  expect(view.instances.map((i) => [i.packName, i.overrideName, i.releaseNumber, i.pendingReleaseNumber, i.pendingDate])).toEqual([
    ['Multi', 'EU', 1, undefined, undefined],
    ['Orders', undefined, 1, 2, '2025-03-20'],
  ]);
  expect(view.instances[1]?.atomIds).toEqual(['atom']);
  expect(view.installable.map((p) => [p.name, p.releaseNumber, p.canInstall])).toEqual([
    ['Multi', 1, true],
    ['Orders', 1, false],
  ]);
});

test('summarizeRollout: the counts the document carries for a pack (instances, distinct accounts, per release, pending, failed)', () => {
  const instances = [
    inst('1', 'acme', { releaseNumber: 2 }),
    inst('2', 'acme', { pendingReleaseNumber: 2 }),
    inst('3', 'globex', { pendingReleaseNumber: 2, lastError: 'Missing', failedReleaseNumber: 2 }),
    inst('4', 'initech', { packId: 'billing' }),
  ];
  expect(summarizeRollout('orders', instances)).toEqual({
    packId: 'orders',
    instances: 3,
    accounts: 2,
    byRelease: [
      { releaseNumber: 2, instances: 1 },
      { releaseNumber: 1, instances: 2 },
    ],
    pending: 1,
    pendingByRelease: [{ releaseNumber: 2, instances: 2 }],
    failed: 1,
  });
  expect(summarizeRollout('none', instances)).toEqual({
    packId: 'none',
    instances: 0,
    accounts: 0,
    byRelease: [],
    pending: 0,
    pendingByRelease: [],
    failed: 0,
  });
  const derived = deriveRollout('orders', [rel(1, 'SUCCESS'), rel(2, 'SCHEDULED', '2025-04-01')], instances, accounts);
  expect([derived.pending, derived.failed, derived.byRelease]).toEqual([1, 1, summarizeRollout('orders', instances).byRelease]);
});

test('deriveManagedView: the pending update carries its release notes, an installable pack those of the release an install gets', () => {
  const packs: IntegrationPack[] = [
    { id: 'orders', name: 'Orders', description: '', installationType: 'SINGLE', componentIds: [], createdAt: '', createdBy: '' },
  ];
  const releases = new Map<string, Release[]>([
    [
      'orders',
      [
        { ...rel(1, 'SUCCESS'), notes: 'First cut.' },
        { ...rel(2, 'SCHEDULED', '2025-03-20'), notes: 'Retries.' },
      ],
    ],
  ]);
  const acme = deriveManagedView('acme', packs, releases, [inst('1', 'acme', { pendingReleaseNumber: 2 })], accounts);
  expect(acme.instances[0]).toMatchObject({ pendingReleaseNumber: 2, pendingReleaseNotes: 'Retries.' });
  expect(acme.installable[0]).toMatchObject({ releaseNumber: 1, releaseNotes: 'First cut.' });
  const globex = deriveManagedView('globex', packs, new Map([['orders', [rel(1, 'SUCCESS')]]]), [inst('3', 'globex')], accounts);
  expect('pendingReleaseNotes' in globex.instances[0]!).toBe(false);
  expect('releaseNotes' in globex.installable[0]!).toBe(false);
});
