import { describe, expect, test } from 'vitest';
import { releaseKey, releasesAutoAppliedSoon, summarizeAttention, type AttentionState, type PendingReleaseSummary } from './attention.ts';
import type { IntegrationPack, PackInstance, PublishedComponent, Release } from './model.ts';

const now = new Date('2026-12-01T10:00:00Z');

const component = (id: string, versions: number[]): PublishedComponent => ({
  id,
  name: `Component ${id}`,
  type: 'PROCESS',
  versions,
});

const pack = (id: string, name: string, componentIds: string[]): IntegrationPack => ({
  id,
  name,
  description: '',
  installationType: 'SINGLE',
  componentIds,
  createdAt: '2026-01-01T00:00:00Z',
  createdBy: 'p1',
});

const release = (packId: string, number: number, components: [string, number][], releaseOnDate?: string): Release => ({
  packId,
  number,
  components: components.map(([componentId, version]) => ({ componentId, version })),
  releaseSchedule: releaseOnDate ? 'RELEASE_ON_SPECIFIED_DATE' : 'IMMEDIATELY',
  ...(releaseOnDate ? { releaseOnDate } : {}),
  status: releaseOnDate ? 'SCHEDULED' : 'SUCCESS',
  releasedBy: 'p1',
  releasedAt: '2026-11-01T00:00:00Z',
  requestId: `r-${packId}-${number}`,
});

const instance = (id: string, packId: string, managedAccountId: string, releaseNumber: number, pending?: number): PackInstance => ({
  id,
  packId,
  managedAccountId,
  releaseNumber,
  ...(pending !== undefined ? { pendingReleaseNumber: pending } : {}),
  atomIds: [],
  environmentIds: [],
  installedAt: '2026-11-01T00:00:00Z',
});

function state(overrides: Partial<AttentionState>): AttentionState {
  return {
    accountId: 'demo',
    accountName: 'Demo Publisher',
    timeZone: 'UTC',
    packs: [],
    catalog: new Map([
      ['c1', component('c1', [1, 2, 3])],
      ['c2', component('c2', [1])],
      ['c3', component('c3', [1, 2])],
    ]),
    releases: new Map(),
    instances: [],
    managedAccounts: [],
    ...overrides,
  };
}

describe('which packs need attention, and why', () => {
  const cases: {
    name: string;
    pack: IntegrationPack;
    releases: Release[];
    needsAttention: boolean;
    reasons?: string[];
  }[] = [
    {
      name: 'never released, with components: all Pending',
      pack: pack('p', 'Orders', ['c1', 'c2']),
      releases: [],
      needsAttention: true,
      reasons: ['2 Pending'],
    },
    {
      name: 'never released, no components: nothing to release',
      pack: pack('p', 'Empty', []),
      releases: [],
      needsAttention: false,
    },
    {
      name: 'released with the latest versions: nothing to do',
      pack: pack('p', 'Orders', ['c1', 'c2']),
      releases: [
        release('p', 1, [
          ['c1', 3],
          ['c2', 1],
        ]),
      ],
      needsAttention: false,
    },
    {
      name: 'a newer version published since the release: Available',
      pack: pack('p', 'Orders', ['c1', 'c2']),
      releases: [
        release('p', 1, [
          ['c1', 2],
          ['c2', 1],
        ]),
      ],
      needsAttention: true,
      reasons: ['1 Available'],
    },
    {
      name: 'a component added and one removed since the release: 2 Pending (one "Deleted")',
      pack: pack('p', 'Orders', ['c1', 'c3']),
      releases: [
        release('p', 1, [
          ['c1', 2],
          ['c2', 1],
        ]),
      ],
      needsAttention: true,
      reasons: ['2 Pending, 1 Available'],
    },
    {
      name: 'a re-release pending: the current release is the pending one',
      pack: pack('p', 'Orders', ['c1']),
      releases: [release('p', 1, [['c1', 2]]), release('p', 2, [['c1', 3]], '2026-12-03')],
      needsAttention: true,
      reasons: ['Update pending until Dec 3, 2026 (UTC)'],
    },
    {
      name: 'a first release pending, and a version published since',
      pack: pack('p', 'Orders', ['c1']),
      releases: [release('p', 1, [['c1', 2]], '2026-12-24')],
      needsAttention: true,
      reasons: ['1 Available', 'Release pending until Dec 24, 2026 (UTC)'],
    },
  ];

  test.each(cases)('$name', ({ pack: p, releases, needsAttention, reasons }) => {
    const summary = summarizeAttention(state({ packs: [p], releases: new Map([[p.id, releases]]) }), now);
    expect(summary.badgeCount).toBe(needsAttention ? 1 : 0);
    expect(summary.packs.map((entry) => entry.packId)).toEqual(needsAttention ? [p.id] : []);
    if (reasons) expect(summary.packs[0]?.reasons).toEqual(reasons);
  });
});

describe('pending releases', () => {
  test('carry the release date and the instant it is auto-applied in the publisher time zone, soonest first', () => {
    const packs = [pack('a', 'Alpha', ['c1']), pack('b', 'Beta', ['c1'])];
    const releases = new Map([
      ['a', [release('a', 1, [['c1', 2]]), release('a', 2, [['c1', 3]], '2026-12-10')]],
      ['b', [release('b', 1, [['c1', 3]], '2026-12-03')]],
    ]);
    const instances = [instance('i1', 'a', 'm1', 1, 2), instance('i2', 'a', 'm2', 2), instance('i3', 'a', 'm3', 1, 2)];
    const summary = summarizeAttention(state({ packs, releases, instances, timeZone: 'America/New_York' }), now);
    expect(summary.pendingReleases).toEqual([
      {
        packId: 'b',
        packName: 'Beta',
        releaseNumber: 1,
        releaseOnDate: '2026-12-03',
        autoApplyAt: '2026-12-03T05:00:00.000Z',
        isUpdate: false,
        instancesPending: 0,
      },
      {
        packId: 'a',
        packName: 'Alpha',
        releaseNumber: 2,
        releaseOnDate: '2026-12-10',
        autoApplyAt: '2026-12-10T05:00:00.000Z',
        isUpdate: true,
        instancesPending: 2,
      },
    ]);
  });

  test('the reminder window: auto-applied within the next 24 hours, not past, once keyed per release', () => {
    const at = (iso: string, packId: string): PendingReleaseSummary => ({
      packId,
      packName: packId,
      releaseNumber: 2,
      releaseOnDate: iso.slice(0, 10),
      autoApplyAt: iso,
      isUpdate: true,
      instancesPending: 1,
    });
    const releases = [
      at('2026-12-01T09:59:59.000Z', 'past'),
      at('2026-12-01T10:00:00.000Z', 'now'),
      at('2026-12-02T00:00:00.000Z', 'tonight'),
      at('2026-12-02T10:00:00.000Z', 'exactly-a-day'),
      at('2026-12-02T10:00:00.001Z', 'later'),
    ];
    expect(releasesAutoAppliedSoon(releases, now).map((r) => r.packId)).toEqual(['tonight', 'exactly-a-day']);
    expect(releaseKey(at('2026-12-02T00:00:00.000Z', 'tonight'))).toBe('tonight#2');
  });
});

test('managed accounts with pending updates, by name, with the date and any failure', () => {
  const packs = [pack('a', 'Alpha', ['c1'])];
  const releases = new Map([['a', [release('a', 1, [['c1', 2]]), release('a', 2, [['c1', 3]], '2026-12-10')]]]);
  const failed = { ...instance('i3', 'a', 'm1', 1, 2), overrideName: 'East', lastError: 'Atom offline' };
  const instances = [instance('i1', 'a', 'm2', 1, 2), instance('i2', 'a', 'm3', 2), failed, instance('gone', 'deleted', 'm1', 1, 2)];
  const managedAccounts = [
    { id: 'm1', name: 'Zeta Corp' },
    { id: 'm2', name: 'Acme Retail' },
    { id: 'm3', name: 'Up To Date Inc' },
  ];
  const summary = summarizeAttention(state({ packs, releases, instances, managedAccounts }), now);
  expect(summary.managedAccounts).toEqual([
    {
      managedAccountId: 'm2',
      name: 'Acme Retail',
      pendingUpdates: [
        { instanceId: 'i1', packId: 'a', packName: 'Alpha', releaseNumber: 1, pendingReleaseNumber: 2, releaseOnDate: '2026-12-10' },
      ],
    },
    {
      managedAccountId: 'm1',
      name: 'Zeta Corp',
      pendingUpdates: [
        {
          instanceId: 'i3',
          packId: 'a',
          packName: 'Alpha',
          overrideName: 'East',
          releaseNumber: 1,
          pendingReleaseNumber: 2,
          releaseOnDate: '2026-12-10',
          lastError: 'Atom offline',
        },
      ],
    },
  ]);
});

test('the summary is plain JSON and the badge counts the packs listed', () => {
  const packs = [pack('b', 'Beta', ['c2']), pack('a', 'Alpha', ['c1']), pack('c', 'Gamma', [])];
  const summary = summarizeAttention(state({ packs }), now);
  expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
  expect(summary.packs.map((p) => p.packName)).toEqual(['Alpha', 'Beta']);
  expect(summary.badgeCount).toBe(2);
  expect(summary.generatedAt).toBe(now.toISOString());
});
