/** The Y.Doc layout (the interoperability contract) and its codec, including repairPack. */
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { fc } from '../test/support/fast-check.ts';
import { applyPackEdit, packEditArb, validPackArb, worldArb } from '../test/support/pack-edits.ts';
import type { IntegrationPack, PublishedComponent, PublisherAccount, Release } from './model.ts';
import type { RolloutSummary } from './rollout.ts';
import type { HistoryRecord } from './history.ts';
import {
  CLIENT_WRITABLE_ROOTS,
  packsMap,
  readAccount,
  readAllReleases,
  readCatalog,
  readRecentHistory,
  readRollout,
  readManagedAccounts,
  readPack,
  readPacks,
  readRawPack,
  readReleases,
  readTombstones,
  repairPack,
  Root,
  SERVER_OWNED_ROOTS,
  writeAccount,
  writeAddComponents,
  writeComponent,
  writeProjected,
  writeManagedAccount,
  writeNewPack,
  writePackDescription,
  writePackName,
  writeReleases,
  writeRemoveComponent,
} from './schema.ts';

const orders: IntegrationPack = {
  id: 'pack-1',
  name: 'Orders',
  description: 'Order sync 🚀',
  installationType: 'MULTI',
  componentIds: ['c1', 'c2'],
  createdAt: '2026-03-01T10:00:00.000Z',
  createdBy: 'person-ada',
};

/** Counts the updates a function makes to a doc. */
function updatesDuring(doc: Y.Doc, run: () => void): number {
  let count = 0;
  const count1 = () => count++;
  doc.on('update', count1);
  run();
  doc.off('update', count1);
  return count;
}

/** A second replica that received everything `doc` has: what a stock client ends up with. */
function replicaOf(doc: Y.Doc): Y.Doc {
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
  return replica;
}

describe('the interoperability contract: doc.getMap("packs"), one Y.Map per pack with plain keys', () => {
  test('a written pack is, for a stock client, a Y.Map of plain values with components as a Y.Map id → true', () => {
    const doc = new Y.Doc();
    writeNewPack(doc, orders);
    const stock = replicaOf(doc).getMap('packs').get('pack-1');
    expect(stock).toBeInstanceOf(Y.Map);
    const pack = stock as Y.Map<unknown>;
    expect(pack.get('name')).toBe('Orders');
    expect(pack.get('description')).toBe('Order sync 🚀');
    expect(pack.get('installationType')).toBe('MULTI');
    expect(pack.get('createdAt')).toBe(orders.createdAt);
    expect(pack.get('createdBy')).toBe('person-ada');
    expect(pack.get('components')).toBeInstanceOf(Y.Map);
    expect((pack.get('components') as Y.Map<unknown>).toJSON()).toEqual({ c1: true, c2: true });
    expect([...pack.keys()].sort()).toEqual(['components', 'createdAt', 'createdBy', 'description', 'installationType', 'name']);
  });

  test('a pack a stock client writes by hand reads back', () => {
    const doc = new Y.Doc();
    const pack = new Y.Map<unknown>();
    const components = new Y.Map<unknown>();
    components.set('c9', true);
    doc.transact(() => {
      doc.getMap('packs').set('from-stock', pack);
      pack.set('name', 'Stock');
      pack.set('description', '');
      pack.set('installationType', 'SINGLE');
      pack.set('components', components);
      pack.set('createdAt', '2026-03-02T00:00:00.000Z');
      pack.set('createdBy', 'bot');
    });
    expect(readPack(doc, 'from-stock')).toEqual({
      id: 'from-stock',
      name: 'Stock',
      description: '',
      installationType: 'SINGLE',
      componentIds: ['c9'],
      createdAt: '2026-03-02T00:00:00.000Z',
      createdBy: 'bot',
    });
  });

  test('only `packs` is client-writable; every other root is server-owned', () => {
    expect([...CLIENT_WRITABLE_ROOTS]).toEqual([Root.packs]);
    expect(new Set([...CLIENT_WRITABLE_ROOTS, ...SERVER_OWNED_ROOTS])).toEqual(new Set(Object.values(Root)));
    for (const root of SERVER_OWNED_ROOTS) expect(CLIENT_WRITABLE_ROOTS.has(root)).toBe(false);
  });
});

describe('client edits round-trip through the codec', () => {
  test('new pack, name, description, add and remove components', () => {
    const doc = new Y.Doc();
    writeNewPack(doc, orders);
    expect(readPack(doc, 'pack-1')).toEqual(orders);
    writePackName(doc, 'pack-1', 'Orders v2');
    writePackDescription(doc, 'pack-1', '');
    writeAddComponents(doc, 'pack-1', ['c3', 'c1']);
    writeRemoveComponent(doc, 'pack-1', 'c2');
    expect(readPack(replicaOf(doc), 'pack-1')).toEqual({ ...orders, name: 'Orders v2', description: '', componentIds: ['c1', 'c3'] });
  });

  test('adding a component already in the pack changes nothing (no update)', () => {
    const doc = new Y.Doc();
    writeNewPack(doc, orders);
    expect(updatesDuring(doc, () => writeAddComponents(doc, 'pack-1', ['c1']))).toBe(0);
  });

  test('each edit is one transaction with the caller’s origin', () => {
    const doc = new Y.Doc();
    const origins: unknown[] = [];
    doc.on('afterTransaction', (transaction) => origins.push(transaction.origin));
    writeNewPack(doc, orders, 'me');
    writePackName(doc, 'pack-1', 'X', 'me');
    writeAddComponents(doc, 'pack-1', ['a', 'b', 'c'], 'me');
    expect(origins).toEqual(['me', 'me', 'me']);
  });

  test('editing a pack that is not there fails with a readable error', () => {
    const doc = new Y.Doc();
    expect(() => writePackName(doc, 'nope', 'X')).toThrow('No integration pack nope in this document.');
  });

  test('readPacks lists packs by name, then id, skipping values that are not packs', () => {
    const doc = new Y.Doc();
    writeNewPack(doc, { ...orders, id: 'b', name: 'Beta' });
    writeNewPack(doc, { ...orders, id: 'z', name: 'Alpha' });
    writeNewPack(doc, { ...orders, id: 'a', name: 'Alpha' });
    packsMap(doc).set('junk', 'not a pack' as unknown as Y.Map<unknown>);
    expect(readPacks(doc).map((pack) => pack.id)).toEqual(['a', 'z', 'b']);
  });

  test('a round trip through any valid pack', () => {
    fc.assert(
      fc.property(
        worldArb.chain((world) => validPackArb(world)),
        (pack) => {
          const doc = new Y.Doc();
          writeNewPack(doc, pack);
          expect(readPack(replicaOf(doc), pack.id)).toEqual(pack);
        },
      ),
    );
  });
});

describe('readRawPack: what is in the document, trusted for nothing', () => {
  test('a value that is not a Y.Map is no pack', () => {
    expect(readRawPack('Orders')).toBeUndefined();
    expect(readRawPack(undefined)).toBeUndefined();
  });

  test('wrong types, unknown keys, malformed components are all visible', () => {
    const doc = new Y.Doc();
    writeNewPack(doc, orders);
    const pack = packsMap(doc).get('pack-1')!;
    pack.set('name', new Y.Text('typed'));
    pack.set('color', 'red');
    (pack.get('components') as Y.Map<unknown>).set('c3', false);
    const raw = readRawPack(pack)!;
    expect(raw.name).toBeInstanceOf(Y.Text);
    expect(raw.unknownKeys).toEqual(['color']);
    expect(raw.componentIds).toEqual(['c1', 'c2', 'c3']);
    expect(raw.componentIdsNotTrue).toEqual(['c3']);
    pack.set('components', ['c1']);
    expect(readRawPack(pack)).toMatchObject({ componentsIsMap: false, componentIds: [] });
  });

  test('readPack of a malformed pack falls back to safe values', () => {
    const doc = new Y.Doc();
    doc.transact(() =>
      packsMap(doc).set(
        'odd',
        new Y.Map<unknown>([
          ['name', 5],
          ['installationType', 'BOTH'],
        ]),
      ),
    );
    expect(readPack(doc, 'odd')).toEqual({
      id: 'odd',
      name: '',
      description: '',
      installationType: 'SINGLE',
      componentIds: [],
      createdAt: '',
      createdBy: '',
    });
  });
});

describe('server-owned state round-trips', () => {
  test('account, catalog, releases, managed accounts, instances, history, tombstones', () => {
    const doc = new Y.Doc();
    const account: PublisherAccount = { id: 'acme', name: 'Acme', multiInstallEnabled: true, timeZone: 'America/Los_Angeles' };
    const component: PublishedComponent = { id: 'c1', name: 'Orders', type: 'PROCESS', versions: [1, 2] };
    const release: Release = {
      packId: 'pack-1',
      number: 1,
      components: [{ componentId: 'c1', version: 2 }],
      releaseSchedule: 'IMMEDIATELY',
      status: 'SUCCESS',
      releasedBy: 'ada',
      releasedAt: '2026-03-01T00:00:00.000Z',
      requestId: 'r1',
    };
    const rollout: RolloutSummary = {
      packId: 'pack-1',
      instances: 1,
      accounts: 1,
      byRelease: [{ releaseNumber: 1, instances: 1 }],
      pending: 0,
      pendingByRelease: [],
      failed: 0,
    };
    const history = (seq: number, packId = 'pack-1'): HistoryRecord => ({
      id: String(seq),
      seq,
      packId,
      kind: 'RELEASE',
      actor: 'ada',
      at: `2026-03-0${seq}T00:00:00.000Z`,
      summary: 's',
      status: 'SUCCESS',
    });
    writeAccount(doc, account);
    writeComponent(doc, component);
    writeNewPack(doc, orders);
    writeReleases(doc, 'pack-1', [release]);
    writeManagedAccount(doc, { id: 'm1', name: 'Customer One' });
    expect(writeProjected(doc, Root.rollout, 'pack-1', rollout)).toBe(true);
    expect(writeProjected(doc, Root.rollout, 'pack-1', { ...rollout })).toBe(false); // the same value: no update
    writeProjected(doc, Root.recentHistory, '2', history(2));
    writeProjected(doc, Root.recentHistory, '1', history(1));
    writeProjected(doc, Root.recentHistory, '3', history(3, 'pack-2'));
    writeProjected(doc, Root.deletedPacks, 'gone', {
      packId: 'gone',
      name: 'Gone',
      deletedAt: '2026-03-03T00:00:00.000Z',
      deletedBy: 'ada',
    });

    const replica = replicaOf(doc);
    expect(readAccount(replica)).toEqual(account);
    expect(readCatalog(replica)).toEqual(new Map([['c1', component]]));
    expect(readReleases(replica, 'pack-1')).toEqual([release]);
    expect(readReleases(replica, 'other')).toEqual([]);
    expect(readAllReleases(replica)).toEqual(new Map([['pack-1', [release]]]));
    expect(readManagedAccounts(replica)).toEqual([{ id: 'm1', name: 'Customer One' }]);
    expect(readRollout(replica, 'pack-1')).toEqual(rollout);
    expect(readRecentHistory(replica, 'pack-1').map((record) => record.seq)).toEqual([1, 2]);
    expect(readRecentHistory(replica).map((record) => record.seq)).toEqual([1, 2, 3]);
    expect(readTombstones(replica).get('gone')?.deletedBy).toBe('ada');

    expect(writeProjected(doc, Root.rollout, 'pack-1', undefined)).toBe(true);
    expect(writeProjected(doc, Root.rollout, 'pack-1', undefined)).toBe(false);
    expect(readRollout(doc, 'pack-1')).toBeUndefined();
  });

  test('a server-owned root is never a Y.Text or nested shared type: values are plain JSON', () => {
    const doc = new Y.Doc();
    writeComponent(doc, { id: 'c1', name: 'Orders', type: 'PROCESS', versions: [1] });
    const value = doc.getMap(Root.catalog).get('c1');
    expect(value).not.toBeInstanceOf(Y.AbstractType);
    expect(JSON.parse(JSON.stringify(value))).toEqual(value);
  });
});

describe('repairPack: makes the document equal the accepted pack', () => {
  const cases: { why: string; damage: (pack: Y.Map<unknown>, doc: Y.Doc) => void }[] = [
    { why: 'a name of the wrong type', damage: (pack) => pack.set('name', new Y.Text('typed')) },
    { why: 'a changed description', damage: (pack) => pack.set('description', 'x'.repeat(600)) },
    { why: 'a changed type', damage: (pack) => pack.set('installationType', 'SINGLE') },
    {
      why: 'changed creation fields',
      damage: (pack) => {
        pack.set('createdAt', 'now');
        pack.delete('createdBy');
      },
    },
    { why: 'an unknown key', damage: (pack) => pack.set('color', 'red') },
    { why: 'components that are not a map', damage: (pack) => pack.set('components', ['c1']) },
    {
      why: 'an extra and a missing component',
      damage: (pack) => {
        const c = pack.get('components') as Y.Map<unknown>;
        c.set('c9', true);
        c.delete('c1');
      },
    },
    { why: 'a component marked false', damage: (pack) => (pack.get('components') as Y.Map<unknown>).set('c1', false) },
    { why: 'the pack deleted', damage: (_pack, doc) => packsMap(doc).delete('pack-1') },
    { why: 'the pack replaced by a string', damage: (_pack, doc) => packsMap(doc).set('pack-1', 'gone' as unknown as Y.Map<unknown>) },
  ];

  test.each(cases)('$why', ({ damage }) => {
    const doc = new Y.Doc();
    writeNewPack(doc, orders);
    doc.transact(() => damage(packsMap(doc).get('pack-1')!, doc));
    repairPack(doc, 'pack-1', readRawPack(packsMap(doc).get('pack-1')), orders, 'server');
    expect(readPack(doc, 'pack-1')).toEqual(orders);
    expect(readRawPack(packsMap(doc).get('pack-1'))).toMatchObject({
      unknownKeys: [],
      componentIdsNotTrue: [],
      componentsIsMap: true,
      name: 'Orders',
    });
    expect(updatesDuring(doc, () => repairPack(doc, 'pack-1', readRawPack(packsMap(doc).get('pack-1')), orders))).toBe(0);
  });

  test('accepted undefined removes the pack, or a non-pack value under its id', () => {
    const doc = new Y.Doc();
    writeNewPack(doc, orders);
    repairPack(doc, 'pack-1', readRawPack(packsMap(doc).get('pack-1')), undefined);
    expect(packsMap(doc).has('pack-1')).toBe(false);
    packsMap(doc).set('junk', 7 as unknown as Y.Map<unknown>);
    repairPack(doc, 'junk', undefined, undefined);
    expect(packsMap(doc).has('junk')).toBe(false);
  });

  test('a doc that already equals the accepted pack gets no update', () => {
    const doc = new Y.Doc();
    writeNewPack(doc, orders);
    expect(updatesDuring(doc, () => repairPack(doc, 'pack-1', readRawPack(packsMap(doc).get('pack-1')), orders))).toBe(0);
    expect(updatesDuring(doc, () => repairPack(doc, 'absent', undefined, undefined))).toBe(0);
  });

  test('the repair uses the given origin', () => {
    const doc = new Y.Doc();
    writeNewPack(doc, orders);
    packsMap(doc).get('pack-1')!.set('name', '');
    const origins: unknown[] = [];
    doc.on('afterTransaction', (transaction) => origins.push(transaction.origin));
    repairPack(doc, 'pack-1', readRawPack(packsMap(doc).get('pack-1')), orders, 'server');
    expect(origins).toEqual(['server']);
  });

  test('after any client edits, repair restores the accepted pack exactly, on every replica', () => {
    const scenario = worldArb.chain((world) =>
      validPackArb(world).chain((pack) =>
        fc.record({
          pack: fc.constant(pack),
          edits: fc.array(packEditArb([...world.catalog.keys()].slice(0, 12)), { maxLength: 8 }),
        }),
      ),
    );
    fc.assert(
      fc.property(scenario, ({ pack, edits }) => {
        const doc = new Y.Doc();
        writeNewPack(doc, pack);
        const replica = replicaOf(doc);
        replica.on('update', (update: Uint8Array) => Y.applyUpdate(doc, update));
        doc.on('update', (update: Uint8Array) => Y.applyUpdate(replica, update));
        for (const edit of edits) applyPackEdit(replica, pack.id, edit);
        repairPack(doc, pack.id, readRawPack(packsMap(doc).get(pack.id)), pack, 'server');
        for (const side of [doc, replica]) {
          expect(readPack(side, pack.id)).toEqual(pack);
          expect(readRawPack(packsMap(side).get(pack.id))).toMatchObject({
            unknownKeys: [],
            componentIdsNotTrue: [],
            name: pack.name,
            description: pack.description,
          });
        }
      }),
    );
  });
});
