/**
 * The scheduler over real rooms on the in-memory store: the schedule index finds what is due, and each
 * due release is one AUTO_APPLY on the command path, one set-based change, applied exactly once.
 */
import { describe, expect, test } from 'vitest';
import type { AnyCommand } from '../shared/commands.ts';
import type { PackInstance } from '../shared/model.ts';
import { installableRelease } from '../shared/releases.ts';
import { writeNewPack } from '../shared/schema.ts';
import { executeCommand, type Actor } from './commands/execute.ts';
import { admin, managedUser } from './commands/testing.ts';
import { defaultLimits, defaultRoomOptions } from './config.ts';
import { quietLogger } from './log.ts';
import type { RecordChange } from './records/changes.ts';
import { createScheduler, type SchedulerRooms, type Timer } from './scheduler.ts';
import { createMemoryStore } from './storage/memory.ts';
import type { Store } from './storage/types.ts';
import { Rooms } from './sync/rooms.ts';

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

/** A store that remembers every record change it was given, in order. */
function recordingStore(): Store & { changes: RecordChange[] } {
  const store = createMemoryStore();
  const changes: RecordChange[] = [];
  return {
    ...store,
    changes,
    docs: {
      ...store.docs,
      append: (name, updates, options) => {
        changes.push(...(options?.records ?? []));
        return store.docs.append(name, updates, options);
      },
    },
  };
}

const march10 = '2025-03-10T12:00:00.000Z';
let keys = 0;

/** Orders: release 1 installed in each managed account, release 2 pending until 2025-03-20. */
async function pendingReRelease(options: { timeZone?: string; accounts?: string[]; store?: ReturnType<typeof recordingStore> } = {}) {
  const store = options.store ?? recordingStore();
  const clock = fakeClock(march10);
  const rooms = new Rooms({
    store,
    limits: defaultLimits,
    options: { ...defaultRoomOptions, idleUnloadMs: 600_000 },
    clock,
    log: quietLogger,
    executeCommand,
  });
  const accounts = options.accounts ?? ['acme', 'globex', 'initech'];
  const send = (actor: Actor, command: AnyCommand) => rooms.command('pub', actor, { idempotencyKey: `key-${++keys}-xxxxxxxx`, command });
  await rooms.mutate('pub', (doc, origin, records) => {
    records.putAccount({ id: 'pub', name: 'Publisher', multiInstallEnabled: true, timeZone: options.timeZone ?? 'UTC' });
    for (const id of accounts) records.putManagedAccount({ id, name: id.toUpperCase() });
    records.putComponent({ id: 'c1', name: 'Component c1', type: 'PROCESS', versions: [1] });
    writeNewPack(
      doc,
      {
        id: 'orders',
        name: 'Orders',
        description: '',
        installationType: 'SINGLE',
        componentIds: ['c1'],
        createdAt: '2025-01-01T00:00:00.000Z',
        createdBy: 'p-ada',
      },
      origin,
    );
  });
  expect((await send(admin, { type: 'RELEASE', packId: 'orders', releaseSchedule: 'IMMEDIATELY' })).status).toBe('SUCCESS');
  const ids: string[] = [];
  for (const id of accounts)
    ids.push((await send(managedUser(id), { type: 'INSTALL', packId: 'orders', managedAccountId: id })).instanceId!);
  await rooms.mutate('pub', (_doc, _origin, records) =>
    records.putComponent({ id: 'c1', name: 'Component c1', type: 'PROCESS', versions: [1, 2] }),
  );
  const released = await send(admin, {
    type: 'RELEASE',
    packId: 'orders',
    releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE',
    releaseOnDate: '2025-03-20',
  });
  expect(released.status).toBe('SUCCESS');
  const read = <T>(fn: (records: Parameters<Parameters<Rooms['read']>[1]>[1]) => T) => rooms.read('pub', (_doc, records) => fn(records));
  const instances = () => read((records) => [...records.instances()].sort((a, b) => a.id.localeCompare(b.id)));
  const autoApplies = async () => (await store.records.history('pub', { limit: 1_000 })).filter((record) => record.kind === 'AUTO_APPLY');
  /** Set-based changes that moved instances to release 2. */
  const moves = () =>
    store.changes.filter((change) => change.op === 'effect' && change.effect.releaseNumber === 2 && change.effect.change !== 'pend');
  const scheduler = (extra: { timer?: Timer; rooms?: SchedulerRooms; onError?: (error: unknown, accountId: string) => void } = {}) =>
    createScheduler({
      clock,
      rooms: extra.rooms ?? rooms,
      records: store.records,
      timer: extra.timer ?? fakeTimer(),
      ...(extra.onError ? { onError: extra.onError } : {}),
    });
  return { store, rooms, clock, send, read, instances, ids, autoApplies, moves, scheduler };
}

describe('auto-apply on the release date', () => {
  test('one account applies early; on the date the other two are updated in one set-based change, exactly once', async () => {
    const account = await pendingReRelease();
    await account.send(managedUser('acme'), { type: 'APPLY_UPDATE', instanceId: account.ids[0]! });
    account.clock.set('2025-03-19T23:59:59.999Z');
    const scheduler = account.scheduler();
    expect(await scheduler.tick()).toEqual({
      releasesApplied: 0,
      instancesUpdated: 0,
      instancesFailed: 0,
      nextAt: new Date('2025-03-20T00:00:00Z'),
    });
    expect((await account.read((records) => records.releases('orders')))[1]?.status).toBe('SCHEDULED');

    account.clock.set('2025-03-20T00:00:00.000Z');
    expect(await scheduler.tick()).toMatchObject({ releasesApplied: 1, instancesUpdated: 2, instancesFailed: 0, nextAt: undefined });
    account.clock.set('2025-03-21T08:00:00.000Z');
    expect(await scheduler.tick()).toMatchObject({ releasesApplied: 0, instancesUpdated: 0 });

    expect(account.moves()).toEqual([{ op: 'effect', effect: { packId: 'orders', releaseNumber: 2, change: 'move' } }]);
    for (const instance of await account.instances()) expect(instance).toMatchObject({ releaseNumber: 2 });
    expect((await account.instances()).every((instance: PackInstance) => instance.pendingReleaseNumber === undefined)).toBe(true);
    expect((await account.read((records) => records.releases('orders')))[1]).toMatchObject({
      status: 'SUCCESS',
      appliedAt: '2025-03-20T00:00:00.000Z',
    });
    expect(await account.autoApplies()).toEqual([
      expect.objectContaining({
        actor: 'Scheduler',
        status: 'SUCCESS',
        instancesUpdated: 2,
        instancesFailed: 0,
        message: 'Applied: 2 instances updated.',
      }),
    ]);
    expect(await account.store.records.schedule(new Date('2030-01-01T00:00:00Z'))).toEqual({ due: [] });
  });

  test("the date begins in the publisher's time zone (Tokyo: 15:00 UTC the day before)", async () => {
    const account = await pendingReRelease({ timeZone: 'Asia/Tokyo' });
    account.clock.set('2025-03-19T14:59:59.999Z');
    const scheduler = account.scheduler();
    expect((await scheduler.tick()).instancesUpdated).toBe(0);
    account.clock.set('2025-03-19T15:00:00.000Z');
    expect((await scheduler.tick()).instancesUpdated).toBe(3);
  });

  test('a first pending release becomes installable on its date', async () => {
    const account = await pendingReRelease({ accounts: ['acme'] });
    await account.rooms.mutate('pub', (doc, origin) =>
      writeNewPack(
        doc,
        {
          id: 'billing',
          name: 'Billing',
          description: '',
          installationType: 'SINGLE',
          componentIds: ['c1'],
          createdAt: march10,
          createdBy: 'p-ada',
        },
        origin,
      ),
    );
    await account.send(admin, {
      type: 'RELEASE',
      packId: 'billing',
      releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE',
      releaseOnDate: '2025-03-11',
    });
    account.clock.set('2025-03-11T00:00:00Z');
    expect((await account.scheduler().tick()).releasesApplied).toBe(1);
    expect(installableRelease(await account.read((records) => records.releases('billing')))?.number).toBe(1);
    expect((await account.send(managedUser('acme'), { type: 'INSTALL', packId: 'billing', managedAccountId: 'acme' })).status).toBe(
      'SUCCESS',
    );
  });

  test('a superseded release is never applied', async () => {
    const account = await pendingReRelease();
    await account.rooms.mutate('pub', (_doc, _origin, records) =>
      records.putComponent({ id: 'c1', name: 'Component c1', type: 'PROCESS', versions: [1, 2, 3] }),
    );
    account.clock.set('2025-03-15T00:00:00Z');
    await account.send(admin, { type: 'RELEASE', packId: 'orders', releaseSchedule: 'IMMEDIATELY' });
    account.clock.set('2025-03-25T00:00:00Z');
    expect(await account.scheduler().tick()).toMatchObject({ releasesApplied: 0, instancesUpdated: 0 });
    expect(account.moves()).toEqual([]);
    expect((await account.instances()).map((instance) => instance.releaseNumber)).toEqual([3, 3, 3]);
    expect(await account.autoApplies()).toEqual([]);
  });

  test('when the release cannot be applied, every waiting instance keeps the update pending with the reason, and it is not retried', async () => {
    const account = await pendingReRelease();
    // The catalog lost version 2 (restored from an old backup): no instance can run release 2.
    await account.rooms.mutate('pub', (_doc, _origin, records) =>
      records.putComponent({ id: 'c1', name: 'Component c1', type: 'PROCESS', versions: [1] }),
    );
    account.clock.set('2025-03-20T00:00:00Z');
    const scheduler = account.scheduler();
    expect(await scheduler.tick()).toMatchObject({ releasesApplied: 1, instancesUpdated: 0, instancesFailed: 3 });
    expect((await account.instances()).find((instance) => instance.id === account.ids[0])).toMatchObject({
      releaseNumber: 1,
      pendingReleaseNumber: 2,
      failedReleaseNumber: 2,
      lastError: "Component c1 version 2 is not published in the publisher's account.",
    });
    expect((await account.read((records) => records.releases('orders')))[1]?.status).toBe('SUCCESS');
    expect(await account.autoApplies()).toMatchObject([{ status: 'ERROR', instancesFailed: 3 }]);
    account.clock.set('2025-03-21T00:00:00Z');
    expect(await scheduler.tick()).toMatchObject({ instancesUpdated: 0, instancesFailed: 0 });
  });
});

describe('many instances, restarts, two schedulers and the timer', () => {
  async function manyInstances(count: number) {
    const account = await pendingReRelease({ accounts: ['acme'] });
    await account.rooms.mutate('pub', (_doc, _origin, records) => {
      for (let index = 0; index < count; index += 1)
        records.putInstance({
          id: `bulk-${String(index).padStart(6, '0')}`,
          packId: 'orders',
          managedAccountId: 'acme',
          releaseNumber: 1,
          pendingReleaseNumber: 2,
          atomIds: [],
          environmentIds: [],
          installedAt: march10,
        });
    });
    return account;
  }

  test('a date reaching 5,000 instances is one set-based change in one commit', async () => {
    const account = await manyInstances(4_999); // + 1 installed = 5,000 instances
    let commits = 0;
    const append = account.store.docs.append;
    account.store.docs.append = (name, updates, options) => {
      if (options?.records?.some((change) => change.op === 'effect')) commits += 1;
      return append(name, updates, options);
    };
    account.clock.set('2025-03-20T00:00:01Z');
    expect(await account.scheduler().tick()).toMatchObject({ releasesApplied: 1, instancesUpdated: 5_000 });
    expect(commits).toBe(1);
    expect(account.moves()).toHaveLength(1);
    expect((await account.instances()).every((instance) => instance.releaseNumber === 2)).toBe(true);
    expect(await account.autoApplies()).toMatchObject([{ instancesUpdated: 5_000, message: 'Applied: 5000 instances updated.' }]);
  });

  test('after a restart the scheduler catches up on a date that passed while it was down; two schedulers at once apply it once', async () => {
    const account = await manyInstances(2_499);
    await account.rooms.close(1012, 'restart');
    account.clock.set('2025-03-22T10:00:00Z'); // the server was down for two days
    const rooms = new Rooms({
      store: account.store,
      limits: defaultLimits,
      options: { ...defaultRoomOptions, idleUnloadMs: 600_000 },
      clock: account.clock,
      log: quietLogger,
      executeCommand,
    });
    const first = account.scheduler({ rooms });
    const second = account.scheduler({ rooms });
    const [a, b] = await Promise.all([first.start(), second.start()]);
    await Promise.all([first.stop(), second.stop()]);
    expect(a.instancesUpdated).toBe(2_500);
    expect(b.instancesUpdated).toBe(2_500); // the same result, answered once by the command path
    expect(account.moves()).toHaveLength(1);
    expect(await account.autoApplies()).toMatchObject([{ instancesUpdated: 2_500 }]);
    await rooms.close(1000, 'done');
  });

  test('the timer is set for the next due instant, at most maxDelayMs ahead, and cleared on stop', async () => {
    const account = await pendingReRelease();
    const timer = fakeTimer();
    account.clock.set('2025-03-19T23:59:30Z');
    const scheduler = createScheduler({
      clock: account.clock,
      rooms: account.rooms,
      records: account.store.records,
      timer,
      maxDelayMs: 60_000,
    });
    await scheduler.start();
    await new Promise((resolve) => setImmediate(resolve));
    expect(timer.armed).toEqual([30_000]);
    account.clock.set('2025-03-10T12:00:00Z');
    await scheduler.tick();
    await new Promise((resolve) => setImmediate(resolve));
    expect(timer.armed.at(-1)).toBe(60_000);
    await scheduler.stop();
    expect(timer.live()).toBe(0);
  });

  test('an account that fails does not stop the others', async () => {
    const account = await pendingReRelease();
    const store = account.store;
    // A second account with a due release, whose room cannot run commands.
    await store.docs.append('broken', [], {
      records: [
        {
          op: 'releases',
          packId: 'x',
          releases: [],
          schedule: [{ releaseNumber: 1, appliesAt: '2025-03-01T00:00:00.000Z' }],
        },
      ],
    });
    const errors: string[] = [];
    account.clock.set('2025-03-20T00:00:00Z');
    const rooms: SchedulerRooms = {
      command: (accountId, actor, envelope) =>
        accountId === 'broken' ? Promise.reject(new Error('cannot load')) : account.rooms.command(accountId, actor, envelope),
    };
    expect((await account.scheduler({ rooms, onError: (_error, accountId) => errors.push(accountId) }).tick()).instancesUpdated).toBe(3);
    expect(errors).toEqual(['broken']);
  });
});
