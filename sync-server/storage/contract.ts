/**
 * The storage contract, one numbered rule per test, run against every Store implementation
 * (memory.test.ts, sqlite.test.ts; a PostgreSQL store would add one more file calling this).
 */
import { afterEach, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import type { CommandResult, HistoryRecord, PackInstance, Release } from '../../shared/index.ts';
import { applyEffect, awaits, type InstanceEffect } from '../../shared/release-plan.ts';
import type { AccountRecordsData, RecordChange } from '../records/changes.ts';
import type { Store } from './types.ts';

export interface StoreHarness {
  store: Store;
  /** Closes and opens the same data again, when the implementation is durable. */
  reopen?: () => Promise<Store>;
}

const bytes = (...values: number[]) => new Uint8Array(values);

function yUpdate(key: string, value: string, doc = new Y.Doc()): Uint8Array {
  let update: Uint8Array | undefined;
  const listen = (u: Uint8Array) => (update = u);
  doc.on('update', listen);
  doc.getMap('packs').set(key, value);
  doc.off('update', listen);
  return update!;
}

const result = (key: string, message: string): CommandResult => ({ idempotencyKey: key, status: 'SUCCESS', message });

const instance = (id: string, packId: string, managedAccountId: string, extra: Partial<PackInstance> = {}): PackInstance => ({
  id,
  packId,
  managedAccountId,
  releaseNumber: 1,
  atomIds: [],
  environmentIds: [],
  installedAt: '2025-03-01T00:00:00.000Z',
  ...extra,
});
const release = (packId: string, number: number, extra: Partial<Release> = {}): Release => ({
  packId,
  number,
  components: [{ componentId: 'c1', version: number }],
  releaseSchedule: 'IMMEDIATELY',
  status: 'SUCCESS',
  releasedBy: 'Ann',
  releasedAt: '2025-03-01T00:00:00.000Z',
  requestId: `rq-${packId}-${number}`,
  ...extra,
});
const audit = (seq: number, extra: Partial<HistoryRecord> = {}): HistoryRecord => ({
  id: String(seq),
  seq,
  kind: 'INSTALL',
  actor: 'Ann',
  at: new Date(Date.UTC(2025, 2, 1, 0, 0, seq)).toISOString(),
  summary: `record ${seq}`,
  status: 'SUCCESS',
  ...extra,
});
const byId = <T extends { id: string }>(items: readonly T[]) => [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
/** What a load says, in one order whatever the store's. */
function normalized(data: AccountRecordsData) {
  return {
    ...data,
    catalog: byId(data.catalog),
    managedAccounts: byId(data.managedAccounts),
    releases: [...data.releases].sort((a, b) => a.packId.localeCompare(b.packId) || a.number - b.number),
    instances: byId(data.instances),
    tombstones: [...data.tombstones].sort((a, b) => a.packId.localeCompare(b.packId)),
    recentHistory: [...data.recentHistory].sort((a, b) => a.seq - b.seq),
  };
}

export function describeStoreContract(name: string, setup: () => Promise<StoreHarness>): void {
  describe(`storage contract: ${name}`, () => {
    let harness: StoreHarness;
    let open: Store[] = [];
    const start = async () => {
      harness = await setup();
      open.push(harness.store);
      return harness.store;
    };
    afterEach(async () => {
      for (const store of open) await store.close();
      open = [];
    });

    test('1. an unknown document loads empty with lastSeq 0', async () => {
      const store = await start();
      expect(await store.docs.load('nobody')).toEqual({ snapshot: undefined, updates: [], lastSeq: 0 });
      expect(await store.docs.sizes('nobody')).toEqual({ snapshotBytes: 0, logBytes: 0, logCount: 0 });
    });

    test('2. appended updates load back in order, byte for byte, and lastSeq grows by one per update', async () => {
      const store = await start();
      expect(await store.docs.append('a', [bytes(1), bytes(2, 2)])).toBe(2);
      expect(await store.docs.append('a', [bytes(3, 3, 3)])).toBe(3);
      const loaded = await store.docs.load('a');
      expect(loaded.updates).toEqual([bytes(1), bytes(2, 2), bytes(3, 3, 3)]);
      expect(loaded.lastSeq).toBe(3);
    });

    test('3. documents are independent', async () => {
      const store = await start();
      await store.docs.append('a', [bytes(1)]);
      await store.docs.append('b', [bytes(9), bytes(8)]);
      expect((await store.docs.load('a')).updates).toEqual([bytes(1)]);
      expect((await store.docs.load('b')).lastSeq).toBe(2);
    });

    test('4. compaction keeps the snapshot and only the updates after throughSeq', async () => {
      const store = await start();
      await store.docs.append('a', [bytes(1), bytes(2)]);
      await store.docs.append('a', [bytes(3)]);
      await store.docs.compact('a', bytes(7, 7), 2);
      const loaded = await store.docs.load('a');
      expect(loaded.snapshot).toEqual(bytes(7, 7));
      expect(loaded.updates).toEqual([bytes(3)]);
      expect(loaded.lastSeq).toBe(3);
    });

    test('5. sequence numbers keep growing after every update was compacted away', async () => {
      const store = await start();
      await store.docs.append('a', [bytes(1), bytes(2)]);
      await store.docs.compact('a', bytes(5), 2);
      expect(await store.docs.append('a', [bytes(3)])).toBe(3);
      await store.docs.compact('a', bytes(6), 3);
      expect((await store.docs.load('a')).lastSeq).toBe(3);
      expect(await store.docs.append('a', [bytes(4)])).toBe(4);
    });

    test('6. sizes count snapshot bytes and log bytes', async () => {
      const store = await start();
      await store.docs.append('a', [bytes(1, 2, 3), bytes(4)]);
      expect(await store.docs.sizes('a')).toEqual({ snapshotBytes: 0, logBytes: 4, logCount: 2 });
      await store.docs.compact('a', bytes(1, 2, 3, 4, 5), 1);
      expect(await store.docs.sizes('a')).toEqual({ snapshotBytes: 5, logBytes: 1, logCount: 1 });
    });

    test('7. stored bytes are copies: changing what was passed in or loaded changes nothing stored', async () => {
      const store = await start();
      const update = bytes(1, 2);
      await store.docs.append('a', [update]);
      update[0] = 99;
      const loaded = await store.docs.load('a');
      loaded.updates[0]![1] = 99;
      expect((await store.docs.load('a')).updates[0]).toEqual(bytes(1, 2));
    });

    test('8. a snapshot plus the log rebuilds the Yjs document', async () => {
      const store = await start();
      const source = new Y.Doc();
      await store.docs.append('a', [yUpdate('p1', 'one', source), yUpdate('p2', 'two', source)]);
      const before = await store.docs.load('a');
      await store.docs.compact('a', Y.mergeUpdates(before.updates), before.lastSeq);
      await store.docs.append('a', [yUpdate('p3', 'three', source)]);
      const loaded = await store.docs.load('a');
      const doc = new Y.Doc();
      Y.applyUpdate(doc, loaded.snapshot!);
      for (const update of loaded.updates) Y.applyUpdate(doc, update);
      expect(doc.getMap('packs').toJSON()).toEqual({ p1: 'one', p2: 'two', p3: 'three' });
    });

    test('9. command results appended with updates are stored with them; the first result of a key wins, with its fingerprint', async () => {
      const store = await start();
      await store.docs.append('a', [bytes(1)], {
        commandResults: [{ accountId: 'a', idempotencyKey: 'key-0001', fingerprint: 'f1', result: result('key-0001', 'first') }],
      });
      await store.docs.append('a', [bytes(2)], {
        commandResults: [{ accountId: 'a', idempotencyKey: 'key-0001', fingerprint: 'f2', result: result('key-0001', 'second') }],
      });
      expect(await store.records.getCommandResult('a', 'key-0001')).toEqual({ fingerprint: 'f1', result: result('key-0001', 'first') });
      expect(await store.records.getCommandResult('b', 'key-0001')).toBeUndefined();
      await store.docs.append('b', [], {
        commandResults: [{ accountId: 'b', idempotencyKey: 'key-0001', fingerprint: 'f3', result: result('key-0001', 'other account') }],
      });
      expect((await store.records.getCommandResult('b', 'key-0001'))?.result.message).toBe('other account');
      expect((await store.docs.load('b')).lastSeq).toBe(0);
    });

    test('10. accounts are stored, updated, listed; the time zone defaults to UTC', async () => {
      const store = await start();
      await store.accounts.putAccount({ id: 'demo', name: 'Demo', multiInstallEnabled: true, timeZone: 'Europe/Paris' });
      await store.accounts.putAccount({ id: 'acme', name: 'Acme', multiInstallEnabled: false, timeZone: '' });
      await store.accounts.putAccount({ id: 'demo', name: 'Demo Co', multiInstallEnabled: true, timeZone: 'Europe/Paris' });
      expect(await store.accounts.getAccount('demo')).toEqual({
        id: 'demo',
        name: 'Demo Co',
        multiInstallEnabled: true,
        timeZone: 'Europe/Paris',
      });
      expect((await store.accounts.getAccount('acme'))?.timeZone).toBe('UTC');
      expect((await store.accounts.listAccounts()).map((a) => a.id)).toEqual(['acme', 'demo']);
      expect(await store.accounts.getAccount('nobody')).toBeUndefined();
    });

    test('11. a token hash finds its person; an unknown hash finds nobody', async () => {
      const store = await start();
      await store.accounts.putPerson({ id: 'p1', accountId: 'demo', name: 'Ann', role: 'admin' });
      await store.accounts.putPerson({ id: 'p2', accountId: 'demo', name: 'Max', role: 'managed', managedAccountId: 'm1' });
      await store.accounts.putToken('h1', 'p1');
      await store.accounts.putToken('h2', 'p2');
      expect(await store.accounts.findPersonByTokenHash('h1')).toEqual({ id: 'p1', accountId: 'demo', name: 'Ann', role: 'admin' });
      expect((await store.accounts.findPersonByTokenHash('h2'))?.managedAccountId).toBe('m1');
      expect(await store.accounts.findPersonByTokenHash('nope')).toBeUndefined();
      expect((await store.accounts.listPeople('demo')).map((p) => p.name)).toEqual(['Ann', 'Max']);
    });

    test('12. everything survives closing and opening again (durable stores)', async () => {
      const store = await start();
      if (!harness.reopen) return;
      await store.docs.append('a', [bytes(1), bytes(2)], {
        commandResults: [{ accountId: 'a', idempotencyKey: 'key-0002', fingerprint: 'f', result: result('key-0002', 'kept') }],
      });
      await store.docs.compact('a', bytes(5), 1);
      await store.accounts.putAccount({ id: 'a', name: 'A', multiInstallEnabled: false, timeZone: 'UTC' });
      await store.accounts.putPerson({ id: 'p1', accountId: 'a', name: 'Ann', role: 'viewer' });
      await store.accounts.putToken('h1', 'p1');
      await store.docs.append('a', [], {
        records: [
          { op: 'instance', instance: instance('i1', 'p1', 'm1', { atomIds: ['a1'] }) },
          { op: 'audit', record: audit(1, { packId: 'p1' }), projected: true },
        ],
      });
      const again = await harness.reopen();
      open.push(again);
      expect(await again.docs.load('a')).toEqual({ snapshot: bytes(5), updates: [bytes(2)], lastSeq: 2 });
      expect((await again.records.getCommandResult('a', 'key-0002'))?.result.message).toBe('kept');
      expect((await again.accounts.findPersonByTokenHash('h1'))?.role).toBe('viewer');
      expect(await again.records.load('a')).toMatchObject({
        instances: [instance('i1', 'p1', 'm1', { atomIds: ['a1'] })],
        lastAuditSeq: 1,
      });
    });

    test('15. record changes appended with an update are stored with it and load back as they were written', async () => {
      const store = await start();
      const changes: RecordChange[] = [
        { op: 'account', account: { id: 'a', name: 'A', multiInstallEnabled: true, timeZone: 'Europe/Berlin' } },
        { op: 'component', component: { id: 'c1', name: 'Orders', type: 'PROCESS', versions: [1, 2] } },
        { op: 'component', component: { id: 'c2', name: 'Lookup', type: 'API_SERVICE', versions: [1] } },
        { op: 'component', component: { id: 'c1', name: 'Orders sync', type: 'PROCESS', versions: [1, 2, 3] } },
        { op: 'managedAccount', managedAccount: { id: 'm1', name: 'Acme' } },
        {
          op: 'releases',
          packId: 'p1',
          releases: [
            release('p1', 1, {
              components: [
                { componentId: 'c2', version: 1 },
                { componentId: 'c1', version: 2 },
              ],
            }),
            release('p1', 2, {
              releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE',
              releaseOnDate: '2025-04-01',
              status: 'SCHEDULED',
              supersededBy: 3,
            }),
            release('p1', 3, { appliedAt: '2025-03-02T00:00:00.000Z' }),
          ],
          schedule: [],
        },
        {
          op: 'instance',
          instance: instance('i1', 'p1', 'm1', { overrideName: 'EU', atomIds: ['z-atom', 'a-atom'], environmentIds: ['prod'] }),
        },
        { op: 'instance', instance: instance('i2', 'p1', 'm1', { pendingReleaseNumber: 2, lastError: 'Missing', failedReleaseNumber: 2 }) },
        { op: 'instance', instance: instance('i3', 'p1', 'm1') },
        { op: 'deleteInstance', instanceId: 'i3' },
        { op: 'tombstone', tombstone: { packId: 'gone', name: 'Gone', deletedAt: '2025-03-01T00:00:00.000Z', deletedBy: 'Ann' } },
        { op: 'audit', record: audit(1, { packId: 'p1' }), projected: true },
      ];
      await store.docs.append('a', [bytes(1)], { records: changes });
      expect(await store.docs.load('a')).toMatchObject({ updates: [bytes(1)], lastSeq: 1 });
      expect(normalized(await store.records.load('a'))).toEqual({
        account: { id: 'a', name: 'A', multiInstallEnabled: true, timeZone: 'Europe/Berlin' },
        catalog: [
          { id: 'c1', name: 'Orders sync', type: 'PROCESS', versions: [1, 2, 3] },
          { id: 'c2', name: 'Lookup', type: 'API_SERVICE', versions: [1] },
        ],
        managedAccounts: [{ id: 'm1', name: 'Acme' }],
        releases: (changes[5] as Extract<RecordChange, { op: 'releases' }>).releases,
        instances: [(changes[6] as { instance: PackInstance }).instance, (changes[7] as { instance: PackInstance }).instance],
        tombstones: [{ packId: 'gone', name: 'Gone', deletedAt: '2025-03-01T00:00:00.000Z', deletedBy: 'Ann' }],
        recentHistory: [audit(1, { packId: 'p1' })],
        lastAuditSeq: 1,
      });
      expect(await store.accounts.getAccount('a')).toMatchObject({ timeZone: 'Europe/Berlin' });
      expect(normalized(await store.records.load('b'))).toMatchObject({ catalog: [], instances: [], lastAuditSeq: 0 });
    });

    test('16. an effect changes, in one operation, exactly the instances of its pack that await the release, as applyEffect does', async () => {
      const store = await start();
      const before = [
        instance('i1', 'p1', 'm1', { releaseNumber: 1, pendingReleaseNumber: 2 }),
        instance('i2', 'p1', 'm2', { releaseNumber: 1, lastError: 'Old', failedReleaseNumber: 1, atomIds: ['x'] }),
        instance('i3', 'p1', 'm1', { releaseNumber: 2, pendingReleaseNumber: 3, lastError: 'Missing', failedReleaseNumber: 3 }),
        instance('i4', 'p1', 'm2', { releaseNumber: 3 }),
        instance('i5', 'p2', 'm1', { releaseNumber: 1 }),
      ];
      await store.docs.append('a', [], { records: before.map((i): RecordChange => ({ op: 'instance', instance: i })) });
      let expected = before;
      const effects: InstanceEffect[] = [
        { packId: 'p1', releaseNumber: 3, change: 'pend' },
        { packId: 'p1', releaseNumber: 3, change: 'fail', reason: 'Orders version 3 is not published.' },
        { packId: 'p1', releaseNumber: 4, change: 'move' },
        { packId: 'p2', releaseNumber: 2, change: 'move' },
      ];
      for (const effect of effects) {
        await store.docs.append('a', [], { records: [{ op: 'effect', effect }] });
        expected = expected.map((i) => (awaits(i, effect) ? applyEffect(i, effect) : i));
        expect(byId((await store.records.load('a')).instances)).toEqual(expected);
      }
      await store.docs.append('a', [], { records: [{ op: 'deleteInstancesOfPack', packId: 'p1' }] });
      expect((await store.records.load('a')).instances.map((i) => i.id)).toEqual(['i5']);
    });

    test("17. history pages newest first, by pack or managed account, from a cursor; a load carries each pack's newest projected records", async () => {
      const store = await start();
      const records: RecordChange[] = [];
      for (let seq = 1; seq <= 30; seq++)
        records.push({
          op: 'audit',
          record: audit(seq, {
            packId: seq % 3 === 0 ? 'p2' : 'p1',
            ...(seq % 2 === 0 ? { managedAccountId: 'm1' } : {}),
            ...(seq % 5 === 0 ? { kind: 'INSTALL' } : { kind: 'RELEASE' }),
          }),
          projected: seq !== 29,
        });
      await store.docs.append('a', [], { records });
      const seqs = (list: HistoryRecord[]) => list.map((r) => r.seq);
      expect(seqs(await store.records.history('a', { limit: 3 }))).toEqual([30, 29, 28]);
      expect(seqs(await store.records.history('a', { limit: 3, before: 28 }))).toEqual([27, 26, 25]);
      expect(seqs(await store.records.history('a', { limit: 4, packId: 'p2' }))).toEqual([30, 27, 24, 21]);
      expect(seqs(await store.records.history('a', { limit: 3, managedAccountId: 'm1', before: 20 }))).toEqual([18, 16, 14]);
      expect(seqs(await store.records.history('a', { limit: 3, packId: 'p2', managedAccountId: 'm1' }))).toEqual([30, 24, 18]);
      expect(seqs(await store.records.history('a', { limit: 2, kind: 'INSTALL', packId: 'p2' }))).toEqual([30, 15]);
      expect(await store.records.history('a', { limit: 3, before: 1 })).toEqual([]);
      expect(await store.records.history('b', { limit: 3 })).toEqual([]);
      const loaded = await store.records.load('a');
      expect(loaded.lastAuditSeq).toBe(30);
      const recent = normalized(loaded).recentHistory;
      // p1 holds 20 records (two thirds of 30), p2 ten; #29 (p1) was not projected.
      expect(seqs(recent.filter((r) => r.packId === 'p2'))).toEqual([3, 6, 9, 12, 15, 18, 21, 24, 27, 30]);
      expect(seqs(recent.filter((r) => r.packId === 'p1'))).toEqual([1, 2, 4, 5, 7, 8, 10, 11, 13, 14, 16, 17, 19, 20, 22, 23, 25, 26, 28]);
    });

    test('16b. an instance written again under another pack is of that pack only: effects follow it, deleting either pack is exact', async () => {
      const store = await start();
      const moved = instance('i1', 'p1', 'm1', { releaseNumber: 1, pendingReleaseNumber: 2 });
      await store.docs.append('a', [], {
        records: [
          { op: 'instance', instance: moved },
          { op: 'instance', instance: instance('i2', 'p1', 'm1') },
          { op: 'instance', instance: { ...moved, packId: 'p2', releaseNumber: 1, pendingReleaseNumber: 3 } },
          { op: 'effect', effect: { packId: 'p1', releaseNumber: 5, change: 'move' } },
        ],
      });
      expect(byId((await store.records.load('a')).instances)).toEqual([
        { ...moved, packId: 'p2', releaseNumber: 1, pendingReleaseNumber: 3 },
        instance('i2', 'p1', 'm1', { releaseNumber: 5 }),
      ]);
      expect((await store.records.instances('a', { packId: 'p2', limit: 10 })).map((i) => [i.id, i.releaseNumber])).toEqual([['i1', 1]]);
      await store.docs.append('a', [], { records: [{ op: 'effect', effect: { packId: 'p2', releaseNumber: 3, change: 'move' } }] });
      expect((await store.records.instances('a', { packId: 'p2', limit: 10 }))[0]).toEqual(
        instance('i1', 'p2', 'm1', { releaseNumber: 3 }),
      );
      await store.docs.append('a', [], { records: [{ op: 'deleteInstancesOfPack', packId: 'p1' }] });
      expect((await store.records.load('a')).instances.map((i) => i.id)).toEqual(['i1']);
      await store.docs.append('a', [], { records: [{ op: 'deleteInstance', instanceId: 'i1' }] });
      await store.docs.append('a', [], { records: [{ op: 'instance', instance: instance('i1', 'p1', 'm1') }] });
      expect((await store.records.load('a')).instances).toEqual([instance('i1', 'p1', 'm1')]);
    });

    test('18. installations page in (managed account, id) order, by pack or managed account, after a cursor', async () => {
      const store = await start();
      const all = [
        instance('i9', 'p1', 'm1'),
        instance('i1', 'p1', 'm2'),
        instance('i2', 'p2', 'm1'),
        instance('i5', 'p1', 'm1', { atomIds: ['a1'] }),
        instance('i3', 'p1', 'm3'),
      ];
      await store.docs.append('a', [], { records: all.map((i): RecordChange => ({ op: 'instance', instance: i })) });
      const ids = (list: PackInstance[]) => list.map((i) => i.id);
      expect(ids(await store.records.instances('a', { limit: 10 }))).toEqual(['i2', 'i5', 'i9', 'i1', 'i3']);
      expect(ids(await store.records.instances('a', { limit: 2, packId: 'p1' }))).toEqual(['i5', 'i9']);
      expect(ids(await store.records.instances('a', { limit: 2, packId: 'p1', after: { managedAccountId: 'm1', id: 'i9' } }))).toEqual([
        'i1',
        'i3',
      ]);
      expect(await store.records.instances('a', { limit: 1, packId: 'p1', managedAccountId: 'm1' })).toEqual([all[3]]);
      expect(await store.records.instances('b', { limit: 10 })).toEqual([]);
    });

    test("19. the schedule: due releases over every account, the next one, and a pack's releases replace its entries", async () => {
      const store = await start();
      const scheduled = (packId: string, number: number, date: string) =>
        release(packId, number, { releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE', releaseOnDate: date, status: 'SCHEDULED' });
      await store.docs.append('a', [], {
        records: [
          {
            op: 'releases',
            packId: 'p1',
            releases: [scheduled('p1', 1, '2025-04-01')],
            schedule: [{ releaseNumber: 1, appliesAt: '2025-04-01T00:00:00.000Z' }],
          },
        ],
      });
      await store.docs.append('b', [], {
        records: [
          {
            op: 'releases',
            packId: 'p9',
            releases: [scheduled('p9', 2, '2025-03-20')],
            schedule: [{ releaseNumber: 2, appliesAt: '2025-03-19T23:00:00.000Z' }],
          },
        ],
      });
      expect(await store.records.schedule(new Date('2025-03-01T00:00:00Z'))).toEqual({ due: [], next: '2025-03-19T23:00:00.000Z' });
      expect(await store.records.schedule(new Date('2025-03-20T00:00:00Z'))).toEqual({
        due: [{ accountId: 'b', packId: 'p9', releaseNumber: 2, appliesAt: '2025-03-19T23:00:00.000Z' }],
        next: '2025-04-01T00:00:00.000Z',
      });
      await store.docs.append('b', [], {
        records: [{ op: 'releases', packId: 'p9', releases: [release('p9', 2, { appliedAt: '2025-03-20T00:00:00.000Z' })], schedule: [] }],
      });
      await store.docs.append('a', [], { records: [{ op: 'releases', packId: 'p1', releases: [], schedule: [] }] });
      expect(await store.records.schedule(new Date('2025-05-01T00:00:00Z'))).toEqual({ due: [] });
      expect((await store.records.load('a')).releases).toEqual([]);
      expect((await store.records.load('b')).releases).toEqual([release('p9', 2, { appliedAt: '2025-03-20T00:00:00.000Z' })]);
    });

    test('20. an append with a change the store cannot apply stores nothing of it: no update, no result, no record', async () => {
      const store = await start();
      await expect(
        store.docs.append('a', [bytes(1)], {
          commandResults: [{ accountId: 'a', idempotencyKey: 'key-0009', fingerprint: 'f', result: result('key-0009', 'lost') }],
          records: [{ op: 'managedAccount', managedAccount: { id: 'm1', name: 'Acme' } }, { op: 'nonsense' } as unknown as RecordChange],
        }),
      ).rejects.toThrow();
      expect(await store.docs.load('a')).toEqual({ snapshot: undefined, updates: [], lastSeq: 0 });
      expect(await store.records.getCommandResult('a', 'key-0009')).toBeUndefined();
      expect((await store.records.load('a')).managedAccounts).toEqual([]);
    });

    test('21. release notes round-trip exactly (lines, non-ASCII); a release without notes loads without a notes field; replacing changes them', async () => {
      const store = await start();
      const notes = 'Retries NetSuite calls.\n\n– Fixes the “EU” mapping 🇪🇺';
      const write = (releases: Release[]) =>
        store.docs.append('a', [], { records: [{ op: 'releases', packId: 'p1', releases, schedule: [] }] });
      await write([release('p1', 1), release('p1', 2, { notes })]);
      const loaded = async (target: Store) => (await target.records.load('a')).releases.sort((x, y) => x.number - y.number);
      const [first, second] = await loaded(store);
      expect(first).toStrictEqual(release('p1', 1));
      expect('notes' in first!).toBe(false);
      expect(second).toStrictEqual(release('p1', 2, { notes }));
      // UPDATE_RELEASE rewrites the pack's releases: notes changed on one, dropped from the other.
      await write([release('p1', 1, { notes: 'Later notes.' }), release('p1', 2)]);
      expect(await loaded(store)).toStrictEqual([release('p1', 1, { notes: 'Later notes.' }), release('p1', 2)]);
      if (!harness.reopen) return;
      const again = await harness.reopen();
      open.push(again);
      expect(await loaded(again)).toStrictEqual([release('p1', 1, { notes: 'Later notes.' }), release('p1', 2)]);
    });

    test('13. a closed store refuses work with an error instead of losing it silently', async () => {
      const store = await start();
      await store.close();
      await expect(store.docs.append('a', [bytes(1)])).rejects.toThrow();
    });

    test('14. client-id bindings are stored with an append (also one without updates); the first binding of an id wins; per account; durable', async () => {
      const store = await start();
      await store.docs.append('a', [bytes(1)], {
        clientIdBindings: [
          { accountId: 'a', clientId: 7, personId: 'ann' },
          { accountId: 'a', clientId: 2 ** 32 - 1, personId: '@server' },
        ],
      });
      await store.docs.append('a', [], {
        clientIdBindings: [
          { accountId: 'a', clientId: 7, personId: 'bob' },
          { accountId: 'a', clientId: 8, personId: 'bob' },
        ],
      });
      await store.docs.append('b', [], { clientIdBindings: [{ accountId: 'b', clientId: 7, personId: 'oz' }] });
      const sorted = async (target: Store, accountId: string) =>
        (await target.records.clientIdBindings(accountId)).map((b) => [b.clientId, b.personId]).sort((x, y) => Number(x[0]) - Number(y[0]));
      const expected = [
        [7, 'ann'],
        [8, 'bob'],
        [2 ** 32 - 1, '@server'],
      ];
      expect(await sorted(store, 'a')).toEqual(expected);
      expect(await sorted(store, 'b')).toEqual([[7, 'oz']]);
      expect(await store.records.clientIdBindings('nobody')).toEqual([]);
      expect((await store.docs.load('a')).lastSeq).toBe(1);
      if (!harness.reopen) return;
      const again = await harness.reopen();
      open.push(again);
      expect(await sorted(again, 'a')).toEqual(expected);
    });
  });
}
