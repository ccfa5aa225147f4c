import { describe, expect, test } from 'vitest';
import type * as Y from 'yjs';
import type { PackInstance } from '../shared/model.ts';
import { installableRelease } from '../shared/releases.ts';
import { readHistory, readInstances, readReleases, Root, writeComponent, writeInstance } from '../shared/schema.ts';
import { admin, managedUser, run, SERVER, seedDoc } from './commands/testing.ts';
import { createScheduler, type SchedulerRooms, type Timer } from './scheduler.ts';

/** Rooms as the server has them: one serialized queue per account. */
function memoryRooms(docs: Map<string, Y.Doc>) {
  const queues = new Map<string, Promise<unknown>>();
  const log: string[] = [];
  const rooms: SchedulerRooms & { log: string[] } = {
    log,
    mutate(accountId, fn) {
      const doc = docs.get(accountId);
      if (!doc) return Promise.reject(new Error(`no account ${accountId}`));
      const next = (queues.get(accountId) ?? Promise.resolve()).then(() => {
        log.push(accountId);
        return fn(doc, SERVER);
      });
      queues.set(
        accountId,
        next.catch(() => undefined),
      );
      return next;
    },
    read(accountId, fn) {
      return rooms.mutate(accountId, (doc) => fn(doc));
    },
  };
  return rooms;
}

function fakeClock(iso: string) {
  let now = new Date(iso);
  return { now: () => now, set: (next: string) => (now = new Date(next)) };
}

function fakeTimer() {
  const armed: number[] = [];
  let live = 0;
  const timer: Timer & { armed: number[]; live: () => number } = {
    armed,
    live: () => live,
    set: (_fn, delay) => {
      armed.push(delay);
      live += 1;
      return armed.length;
    },
    clear: () => (live -= 1),
  };
  return timer;
}

/** Counts each instance's moves to a release, from the document's own change events. */
function countTransitions(doc: Y.Doc) {
  const moves = new Map<string, number[]>();
  doc.getMap<PackInstance>(Root.instances).observe((event) => {
    for (const [id, change] of event.changes.keys) {
      if (change.action !== 'update') continue;
      const before = change.oldValue as PackInstance;
      const after = doc.getMap<PackInstance>(Root.instances).get(id)!;
      if (after.releaseNumber !== before.releaseNumber) moves.set(id, [...(moves.get(id) ?? []), after.releaseNumber]);
    }
  });
  return moves;
}

const march10 = '2025-03-10T12:00:00.000Z';

/** Orders: release 1 installed in 3 managed accounts, release 2 pending until 2025-03-20. */
function pendingReRelease(options: { timeZone?: string; accounts?: string[] } = {}) {
  const accounts = options.accounts ?? ['acme', 'globex', 'initech'];
  const doc = seedDoc({
    managedAccounts: accounts,
    timeZone: options.timeZone ?? 'UTC',
    components: [{ id: 'c1', versions: [1] }],
    packs: [{ id: 'orders', componentIds: ['c1'] }],
  });
  const now = new Date(march10);
  run(doc, admin, now, { type: 'RELEASE', packId: 'orders', releaseSchedule: 'IMMEDIATELY' });
  const ids = accounts.map((id) => run(doc, managedUser(id), now, { type: 'INSTALL', packId: 'orders', managedAccountId: id }).instanceId!);
  writeComponent(doc, { id: 'c1', name: 'Component c1', type: 'PROCESS', versions: [1, 2] }, SERVER);
  const released = run(doc, admin, now, {
    type: 'RELEASE',
    packId: 'orders',
    releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE',
    releaseOnDate: '2025-03-20',
  });
  expect(released.status).toBe('SUCCESS');
  return { doc, ids };
}

describe('auto-apply on the release date', () => {
  test('one account applies early; on the date the other two are updated, each exactly once', async () => {
    const { doc, ids } = pendingReRelease();
    const moves = countTransitions(doc);
    run(doc, managedUser('acme'), new Date('2025-03-12T09:00:00Z'), { type: 'APPLY_UPDATE', instanceId: ids[0]! });
    const clock = fakeClock('2025-03-19T23:59:59.999Z');
    const scheduler = createScheduler({
      clock,
      rooms: memoryRooms(new Map([['pub', doc]])),
      listAccountIds: async () => ['pub'],
      timer: fakeTimer(),
    });

    expect(await scheduler.tick()).toEqual({
      releasesApplied: 0,
      instancesUpdated: 0,
      instancesFailed: 0,
      nextAt: new Date('2025-03-20T00:00:00Z'),
    });
    expect(readReleases(doc, 'orders')[1]?.status).toBe('SCHEDULED');

    clock.set('2025-03-20T00:00:00.000Z');
    expect(await scheduler.tick()).toMatchObject({ releasesApplied: 1, instancesUpdated: 2, instancesFailed: 0, nextAt: undefined });
    clock.set('2025-03-21T08:00:00.000Z');
    expect(await scheduler.tick()).toMatchObject({ releasesApplied: 0, instancesUpdated: 0 });

    expect([...moves.entries()].sort()).toEqual(ids.map((id) => [id, [2]]).sort());
    for (const instance of readInstances(doc)) expect(instance).toMatchObject({ releaseNumber: 2 });
    expect(readInstances(doc).every((instance) => instance.pendingReleaseNumber === undefined)).toBe(true);
    expect(readReleases(doc, 'orders')[1]).toMatchObject({ status: 'SUCCESS', appliedAt: '2025-03-20T00:00:00.000Z' });
    const auto = readHistory(doc).filter((record) => record.kind === 'AUTO_APPLY');
    expect(auto).toEqual([
      expect.objectContaining({
        actor: 'Scheduler',
        status: 'SUCCESS',
        instancesUpdated: 2,
        instancesFailed: 0,
        message: 'Applied: 2 instances updated.',
      }),
    ]);
  });

  test("the date begins in the publisher's time zone (Tokyo: 15:00 UTC the day before)", async () => {
    const { doc } = pendingReRelease({ timeZone: 'Asia/Tokyo' });
    const clock = fakeClock('2025-03-19T14:59:59.999Z');
    const scheduler = createScheduler({
      clock,
      rooms: memoryRooms(new Map([['pub', doc]])),
      listAccountIds: async () => ['pub'],
      timer: fakeTimer(),
    });
    expect((await scheduler.tick()).instancesUpdated).toBe(0);
    clock.set('2025-03-19T15:00:00.000Z');
    expect((await scheduler.tick()).instancesUpdated).toBe(3);
  });

  test('a first pending release becomes installable on its date', async () => {
    const doc = seedDoc();
    run(doc, admin, new Date(march10), {
      type: 'RELEASE',
      packId: 'orders',
      releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE',
      releaseOnDate: '2025-03-11',
    });
    const clock = fakeClock('2025-03-11T00:00:00Z');
    const scheduler = createScheduler({
      clock,
      rooms: memoryRooms(new Map([['pub', doc]])),
      listAccountIds: async () => ['pub'],
      timer: fakeTimer(),
    });
    expect((await scheduler.tick()).releasesApplied).toBe(1);
    expect(installableRelease(readReleases(doc, 'orders'))?.number).toBe(1);
    expect(run(doc, managedUser('acme'), clock.now(), { type: 'INSTALL', packId: 'orders', managedAccountId: 'acme' }).status).toBe(
      'SUCCESS',
    );
  });

  test('a superseded release is never applied', async () => {
    const { doc } = pendingReRelease();
    writeComponent(doc, { id: 'c1', name: 'Component c1', type: 'PROCESS', versions: [1, 2, 3] }, SERVER);
    run(doc, admin, new Date('2025-03-15T00:00:00Z'), { type: 'RELEASE', packId: 'orders', releaseSchedule: 'IMMEDIATELY' });
    const moves = countTransitions(doc);
    const scheduler = createScheduler({
      clock: fakeClock('2025-03-25T00:00:00Z'),
      rooms: memoryRooms(new Map([['pub', doc]])),
      listAccountIds: async () => ['pub'],
      timer: fakeTimer(),
    });
    expect(await scheduler.tick()).toMatchObject({ releasesApplied: 0, instancesUpdated: 0 });
    expect(moves.size).toBe(0);
    expect(readInstances(doc).map((instance) => instance.releaseNumber)).toEqual([3, 3, 3]);
  });

  test('an instance that fails to apply keeps the update pending with the reason and is not retried', async () => {
    const { doc, ids } = pendingReRelease();
    // The catalog lost version 2 (restored from an old backup): no instance can run release 2.
    writeComponent(doc, { id: 'c1', name: 'Component c1', type: 'PROCESS', versions: [1] }, SERVER);
    const clock = fakeClock('2025-03-20T00:00:00Z');
    const scheduler = createScheduler({
      clock,
      rooms: memoryRooms(new Map([['pub', doc]])),
      listAccountIds: async () => ['pub'],
      timer: fakeTimer(),
    });
    expect(await scheduler.tick()).toMatchObject({ releasesApplied: 1, instancesUpdated: 0, instancesFailed: 3 });
    const failed = readInstances(doc).find((instance) => instance.id === ids[0]);
    expect(failed).toMatchObject({
      releaseNumber: 1,
      pendingReleaseNumber: 2,
      failedReleaseNumber: 2,
      lastError: "Component c1 version 2 is not published in the publisher's account.",
    });
    expect(readReleases(doc, 'orders')[1]?.status).toBe('SUCCESS');
    expect(readHistory(doc).find((record) => record.kind === 'AUTO_APPLY')).toMatchObject({ status: 'ERROR', instancesFailed: 3 });
    clock.set('2025-03-21T00:00:00Z');
    expect(await scheduler.tick()).toMatchObject({ instancesUpdated: 0, instancesFailed: 0 });
  });
});

describe('batches, restarts and the timer', () => {
  function manyInstances(count: number) {
    const { doc } = pendingReRelease({ accounts: ['acme'] });
    doc.transact(() => {
      for (let index = 0; index < count; index += 1)
        writeInstance(
          doc,
          {
            id: `bulk-${String(index).padStart(6, '0')}`,
            packId: 'orders',
            managedAccountId: 'acme',
            releaseNumber: 1,
            pendingReleaseNumber: 2,
            atomIds: [],
            environmentIds: [],
            installedAt: march10,
          },
          SERVER,
        );
    }, SERVER);
    return doc;
  }

  test('applies in chunks, one transaction each, and lets other accounts run between chunks', async () => {
    const doc = manyInstances(4_999); // + 1 installed = 5,000 instances
    const other = seedDoc();
    const rooms = memoryRooms(
      new Map([
        ['pub', doc],
        ['other', other],
      ]),
    );
    let updates = 0;
    doc.on('update', () => (updates += 1));
    const scheduler = createScheduler({
      clock: fakeClock('2025-03-20T00:00:01Z'),
      rooms,
      listAccountIds: async () => ['pub'],
      timer: fakeTimer(),
      chunkSize: 2_000,
    });
    const ticking = scheduler.tick();
    await new Promise((resolve) => setImmediate(resolve));
    await rooms.mutate('other', () => undefined); // another account's work, queued while the pass runs
    const report = await ticking;
    expect(report).toMatchObject({ releasesApplied: 1, instancesUpdated: 5_000 });
    expect(updates).toBe(4); // 2,000 + 2,000 + 1,000, then the release marked done
    expect(rooms.log.indexOf('other')).toBeGreaterThan(0);
    expect(rooms.log.indexOf('other')).toBeLessThan(rooms.log.lastIndexOf('pub'));
    expect(readHistory(doc).find((record) => record.kind === 'AUTO_APPLY')).toMatchObject({
      instancesUpdated: 5_000,
      message: 'Applied: 5000 instances updated.',
    });
  });

  test('stopped mid-way, a new scheduler (a restart) finishes the rest; each instance moves once', async () => {
    const doc = manyInstances(2_499);
    const moves = countTransitions(doc);
    const docs = new Map([['pub', doc]]);
    const rooms = memoryRooms(docs);
    const clock = fakeClock('2025-03-20T00:00:01Z');
    const first = createScheduler({
      clock,
      rooms: {
        read: rooms.read,
        mutate: (id, fn) => rooms.mutate(id, fn).finally(() => rooms.log.length === 3 && void first.stop()) /* schedule, ids, one chunk */,
      },
      listAccountIds: async () => ['pub'],
      timer: fakeTimer(),
      chunkSize: 1_000,
    });
    const partial = await first.start();
    expect(partial).toMatchObject({ releasesApplied: 0, instancesUpdated: 1_000 });
    expect(readReleases(doc, 'orders')[1]?.status).toBe('SCHEDULED');

    clock.set('2025-03-22T10:00:00Z'); // the server was down for two days
    const second = createScheduler({
      clock,
      rooms: memoryRooms(docs),
      listAccountIds: async () => ['pub'],
      timer: fakeTimer(),
      chunkSize: 1_000,
    });
    expect(await second.start()).toMatchObject({ releasesApplied: 1, instancesUpdated: 1_500 });
    await second.stop();
    expect(moves.size).toBe(2_500);
    expect([...moves.values()].every((list) => list.length === 1 && list[0] === 2)).toBe(true);
    expect(readHistory(doc).find((record) => record.kind === 'AUTO_APPLY')).toMatchObject({ instancesUpdated: 2_500 });
  });

  test('the timer is set for the next due instant, at most maxDelayMs ahead, and cleared on stop', async () => {
    const { doc } = pendingReRelease();
    const timer = fakeTimer();
    const clock = fakeClock('2025-03-19T23:59:30Z');
    const scheduler = createScheduler({
      clock,
      rooms: memoryRooms(new Map([['pub', doc]])),
      listAccountIds: async () => ['pub'],
      timer,
      maxDelayMs: 60_000,
    });
    await scheduler.start();
    await new Promise((resolve) => setImmediate(resolve));
    expect(timer.armed).toEqual([30_000]);
    clock.set('2025-03-10T12:00:00Z');
    await scheduler.tick();
    await new Promise((resolve) => setImmediate(resolve));
    expect(timer.armed.at(-1)).toBe(60_000);
    await scheduler.stop();
    expect(timer.live()).toBe(0);
  });

  test('an account that fails to load does not stop the others', async () => {
    const { doc } = pendingReRelease();
    const errors: string[] = [];
    const scheduler = createScheduler({
      clock: fakeClock('2025-03-20T00:00:00Z'),
      rooms: memoryRooms(new Map([['pub', doc]])),
      listAccountIds: async () => ['missing', 'pub'],
      timer: fakeTimer(),
      onError: (_error, accountId) => errors.push(accountId),
    });
    expect((await scheduler.tick()).instancesUpdated).toBe(3);
    expect(errors).toEqual(['missing']);
  });
});
