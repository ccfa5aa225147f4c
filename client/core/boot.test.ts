/**
 * Booting from the tables: a workspace opened on an existing device copy shows the list, a pack, its
 * releases and Publications from the Dexie tables before its Yjs log is replayed (the boot reads not
 * one row of the log); the live half starts when told to, replays the log to the same state, and
 * actions asked before that wait for it.
 */
import Dexie, { type DBCore, type Middleware } from 'dexie';
import { afterEach, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { writeReleases, type Release } from '../../shared/index.ts';
import {
  adminSession,
  component,
  deliver,
  documentView,
  type IDBFactory,
  IDBKeyRange,
  offlineWorkspace,
  seedAccount,
  seedCatalog,
  tableView,
  until,
} from '../../test/client/support.ts';
import { databaseName, MIRROR_TABLES, openPackDb } from './db.ts';
import { PACKS_COPY } from './boot-copy.ts';
import { emptySnapshot, writeSnapshot } from './projection.ts';
import { WorkspaceReads } from './reads.ts';
import { openWorkspace, type BootedWorkspace } from './workspace.ts';

/** Counts reads of each table by every Dexie database opened while installed (a DBCore middleware). */
function countTableReads(): { reads: Map<string, number>; remove(): void } {
  const reads = new Map<string, number>();
  const spy: Middleware<DBCore> = {
    stack: 'dbcore',
    name: 'count-reads',
    create: (down) => ({
      ...down,
      table: (name) => {
        const table = down.table(name);
        const count = () => reads.set(name, (reads.get(name) ?? 0) + 1);
        return {
          ...table,
          get: (request) => (count(), table.get(request)),
          getMany: (request) => (count(), table.getMany(request)),
          query: (request) => (count(), table.query(request)),
          openCursor: (request) => (count(), table.openCursor(request)),
          count: (request) => (count(), table.count(request)),
        };
      },
    }),
  };
  const addon = (db: Dexie) => void db.use(spy);
  Dexie.addons.push(addon);
  return { reads, remove: () => void Dexie.addons.splice(Dexie.addons.indexOf(addon), 1) };
}

const open: BootedWorkspace[] = [];
afterEach(async () => {
  for (const workspace of open.splice(0)) await workspace.close();
});

/** A device copy of an account: two packs with components, a release, built through a live workspace and closed. */
async function deviceCopy() {
  const first = await offlineWorkspace();
  const server = new Y.Doc();
  seedAccount(server);
  seedCatalog(server, [component('c1', 'Orders Sync', 'PROCESS', [1, 2]), component('c2', 'Invoice Export')]);
  deliver(server, first.doc);
  const orders = await first.addPack({ name: 'Orders', description: 'first', installationType: 'SINGLE' });
  const billing = await first.addPack({ name: 'Billing', description: 'second', installationType: 'MULTI' });
  if (!orders.ok || !billing.ok) throw new Error('could not add the packs');
  await first.addComponents(orders.value, ['c1', 'c2']);
  const release: Release = {
    packId: orders.value,
    number: 1,
    components: [{ componentId: 'c1', version: 1 }],
    releaseSchedule: 'IMMEDIATELY',
    status: 'SUCCESS',
    releasedBy: 'Ada',
    releasedAt: '2026-03-01T12:00:00.000Z',
    requestId: 'r1',
  };
  deliver(first.doc, server);
  writeReleases(server, orders.value, [release]);
  deliver(server, first.doc);
  await first.settled();
  const expected = { view: documentView(first.doc), tables: await tableView(first.db) };
  await first.close();
  return { factory: first.factory, orders: orders.value, billing: billing.value, expected };
}

describe('boot from the tables', () => {
  test('the list, a pack, its releases and Publications show before the log is replayed; going live replays it to the same state', async () => {
    const device = await deviceCopy();
    const spy = countTableReads();
    let start!: () => void;
    try {
      const booted = await openWorkspace(adminSession(), {
        indexedDB: device.factory,
        IDBKeyRange,
        connect: false,
        startLive: (begin) => (start = begin),
      });
      open.push(booted);
      expect(booted.packs().map((pack) => pack.name)).toEqual(['Billing', 'Orders']);
      expect(booted.account()?.name).toBe('Acme');
      // The list's rows give a selected pack its first value at once.
      expect(booted.pack(device.orders)()).toMatchObject({ name: 'Orders', description: 'first', componentIds: ['c1', 'c2'] });
      await until(() => booted.releases(device.orders)().length === 1 && booted.catalog().length === 2, 'the releases and the catalog');
      expect(booted.publications(device.orders)()).toEqual([
        expect.objectContaining({ componentId: 'c2', currentVersion: undefined, pendingVersion: 1 }),
        expect.objectContaining({ componentId: 'c1', currentVersion: 1, availableVersion: 2 }),
      ]);
      expect(
        booted
          .releaseIndex()
          .get(device.orders)
          ?.map((release) => release.number),
      ).toEqual([1]);
      expect('doc' in booted).toBe(false);
      expect(spy.reads.get('yUpdates') ?? 0).toBe(0);
      expect(spy.reads.get('packs')).toBeGreaterThan(0);

      start();
      const live = await booted.live;
      expect(live).toBe(booted);
      expect(spy.reads.get('yUpdates')).toBeGreaterThan(0);
      expect(documentView(live.doc)).toEqual(device.expected.view);
      expect(await tableView(live.db)).toEqual(device.expected.tables);
    } finally {
      spy.remove();
    }
  });

  test('an edit asked for before the workspace is live waits for it, then is applied and stored', async () => {
    const device = await deviceCopy();
    let start!: () => void;
    const booted = await openWorkspace(adminSession(), {
      indexedDB: device.factory,
      IDBKeyRange,
      connect: false,
      startLive: (begin) => (start = begin),
    });
    open.push(booted);
    let saved: unknown;
    const saving = booted.savePack(device.billing, { name: 'Billing', description: 'edited while booting' }).then((result) => {
      saved = result;
      return result;
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(saved).toBeUndefined();
    start();
    expect(await saving).toEqual({ ok: true, value: undefined });
    const live = await booted.live;
    await live.settled();
    expect((await live.db.packs.get(device.billing))?.description).toBe('edited while booting');
  });

  test('closed before it went live: the log is never replayed and waiting actions fail clearly', async () => {
    const device = await deviceCopy();
    const spy = countTableReads();
    try {
      const booted = await openWorkspace(adminSession(), { indexedDB: device.factory, IDBKeyRange, connect: false, startLive: () => {} });
      const saving = booted.savePack(device.billing, { name: 'Billing', description: 'never' });
      await booted.close();
      await expect(saving).rejects.toThrow('closed before it went live');
      await expect(booted.live).rejects.toThrow('closed before it went live');
      expect(spy.reads.get('yUpdates') ?? 0).toBe(0);
    } finally {
      spy.remove();
    }
  });
});

describe('the list from its boot copy', () => {
  const boot = async (factory: IDBFactory, startLive: (begin: () => void) => void = () => {}) => {
    const booted = await openWorkspace(adminSession(), { indexedDB: factory, IDBKeyRange, connect: false, startLive });
    open.push(booted);
    return booted;
  };

  test('a page that starts shows the list and the catalog from the copies the last one kept, reading no row of their tables', async () => {
    const device = await deviceCopy();
    const spy = countTableReads();
    try {
      const booted = await boot(device.factory);
      expect(booted.packs().map((pack) => pack.name)).toEqual(['Billing', 'Orders']);
      await until(() => booted.catalog().length === 2, 'the catalog');
      expect(booted.catalog()).toEqual([component('c2', 'Invoice Export'), component('c1', 'Orders Sync', 'PROCESS', [1, 2])]);
      expect(spy.reads.get('packs') ?? 0).toBe(0);
      expect(spy.reads.get('components') ?? 0).toBe(0);
      // The copy's rows are the first value of a selected pack, as the table's rows were.
      expect(booted.pack(device.orders)()).toMatchObject({ name: 'Orders', description: 'first', componentIds: ['c1', 'c2'] });
    } finally {
      spy.remove();
    }
  });

  test('a copy older than the packs table is not shown: the table is read, and kept as the next copy', async () => {
    const device = await deviceCopy();
    // What the mirror writes when a pack is renamed, with no page left to keep a new copy (closed at once).
    const db = openPackDb(databaseName(adminSession().accountId, adminSession().personId), { indexedDB: device.factory, IDBKeyRange });
    const renamed = { ...(await db.packs.get(device.billing))!, name: 'Accounts', nameKey: 'accounts' };
    const copyBefore = (await db.meta.get(PACKS_COPY.copyKey))?.value;
    await db.transaction('rw', [db.meta, ...MIRROR_TABLES.map((name) => db.table(name))], async () => {
      const change = emptySnapshot();
      change.packs.set(device.billing, renamed);
      await writeSnapshot(db, change);
    });
    expect((await db.meta.get(PACKS_COPY.copyKey))?.value).toEqual(copyBefore);
    db.close();

    const booted = await boot(device.factory);
    expect(booted.packs().map((pack) => pack.name)).toEqual(['Accounts', 'Orders']);
    await booted.close();
    open.splice(open.indexOf(booted), 1);

    const spy = countTableReads();
    try {
      const again = await boot(device.factory);
      expect(again.packs().map((pack) => pack.name)).toEqual(['Accounts', 'Orders']);
      expect(spy.reads.get('packs') ?? 0).toBe(0);
    } finally {
      spy.remove();
    }
  });

  test('a list shown from the copy follows later edits', async () => {
    const device = await deviceCopy();
    let start!: () => void;
    const booted = await boot(device.factory, (begin) => (start = begin));
    start();
    const live = await booted.live;
    expect(await live.savePack(device.orders, { name: 'Alpha Orders', description: 'first' })).toEqual({ ok: true, value: undefined });
    await until(() => booted.packs()[0]?.name === 'Alpha Orders', 'the renamed pack first in the list');
    expect(booted.packs().map((pack) => pack.name)).toEqual(['Alpha Orders', 'Billing']);
  });
});

describe('when the live half starts', () => {
  test("it waits for the page's first reads and for those asked while they ran (a pack selected meanwhile)", async () => {
    const device = await deviceCopy();
    const db = openPackDb(databaseName(adminSession().accountId, adminSession().personId), { indexedDB: device.factory, IDBKeyRange });
    // Holds the answer of every read of rolloutRows until released: a read still running when the first ones have answered.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let holding = false;
    db.use({
      stack: 'dbcore',
      name: 'hold-rollout-rows',
      create: (down) => ({
        ...down,
        table: (name) => {
          const table = down.table(name);
          if (name !== 'rolloutRows') return table;
          return {
            ...table,
            query: async (request) => {
              const result = await table.query(request);
              if (holding) await held;
              return result;
            },
          };
        },
      }),
    });
    const row = { instanceId: 'i1', managedAccountId: 'm1', accountName: 'Globex', releaseNumber: 1, state: 'CURRENT' as const };
    await db.rolloutRows.put({ ...row, packId: device.orders });
    holding = true;
    const reads = new WorkspaceReads(db, (error) => {
      throw error;
    });
    try {
      await reads.ready;
      let answered = false;
      const waiting = reads.firstAnswers().then(() => void (answered = true));
      // A pack selected while the first reads run: its installations are not in memory (empty first value).
      const rolloutRows = reads.rolloutRows(device.orders);
      await until(() => reads.catalog().length === 2, 'the catalog');
      for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setTimeout(resolve, 0));
      expect(answered).toBe(false);
      expect(rolloutRows()).toEqual([]);
      release();
      await waiting;
      expect(rolloutRows()).toEqual([row]);
    } finally {
      reads.close();
      db.close();
    }
  });
});
