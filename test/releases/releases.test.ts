/**
 * Releases over loopback: a real server (createSyncServer, port 0, temp dataDir, fake clock), commands
 * over HTTP, a stock y-websocket client watching the document, and the server's scheduler.
 */
import { afterEach, expect, test } from 'vitest';
import type { HistoryRecord } from '../../shared/history.ts';
import type { Release } from '../../shared/model.ts';
import type { ManagedView } from '../../shared/rollout.ts';
import type { SyncServer } from '../../sync-server/server.ts';
import {
  ACCOUNT,
  connect,
  fakeClock,
  getJson,
  historyRecords,
  MANAGED,
  movesTo,
  post,
  removeDir,
  rolloutRows,
  seedPublisher,
  startServer,
  tempDataDir,
  type Tokens,
} from './support.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function started(clock: ReturnType<typeof fakeClock>, dataDir = tempDataDir()) {
  const server = await startServer(dataDir, clock);
  cleanups.push(() => removeDir(dataDir));
  let closed = false;
  cleanups.push(() => (closed ? undefined : server.close()));
  return { server, dataDir, close: async () => ((closed = true), await server.close()) };
}

/** Release 1 now, installed in all three managed accounts by their own users, then release 2 pending until 2025-03-20. */
async function pendingReReleaseToThree(server: SyncServer, tokens: Tokens) {
  expect(await post(server, tokens.admin, { type: 'RELEASE', packId: 'orders', releaseSchedule: 'IMMEDIATELY' })).toMatchObject({
    status: 'SUCCESS',
    releaseNumber: 1,
  });
  const instanceIds: Record<string, string> = {};
  for (const id of MANAGED) {
    const installed = await post(server, tokens.managed[id]!, { type: 'INSTALL', packId: 'orders', managedAccountId: id });
    expect(installed.status, installed.message).toBe('SUCCESS');
    instanceIds[id] = installed.instanceId!;
  }
  const published = await fetch(`${server.url}/api/accounts/${ACCOUNT}/components/c1/versions`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${tokens.admin}` },
  });
  expect(published.status).toBeLessThan(300);
  const pending = await post(server, tokens.admin, {
    type: 'RELEASE',
    packId: 'orders',
    releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE',
    releaseOnDate: '2025-03-20',
  });
  expect(pending).toMatchObject({ status: 'SUCCESS', releaseNumber: 2 });
  return instanceIds;
}

test('pending re-release to 3 managed accounts: one applies early, the other two are updated exactly once on the date', async () => {
  const clock = fakeClock('2025-03-10T12:00:00Z');
  const { server } = await started(clock);
  const tokens = await seedPublisher(server);
  const instanceIds = await pendingReReleaseToThree(server, tokens);

  const watcher = await connect(server, tokens.admin);
  cleanups.push(watcher.close);

  // The managed account sees the pending update and its date, and applies it early.
  const acmeView = await getJson<ManagedView>(server, tokens.managed.acme!, '/api/managed');
  expect(acmeView.status).toBe(200);
  expect(acmeView.body.instances).toEqual([
    expect.objectContaining({ packName: 'Orders', releaseNumber: 1, pendingReleaseNumber: 2, pendingDate: '2025-03-20' }),
  ]);
  clock.set('2025-03-12T09:00:00Z');
  expect(await post(server, tokens.managed.acme!, { type: 'APPLY_UPDATE', instanceId: instanceIds.acme! })).toMatchObject({
    status: 'SUCCESS',
    releaseNumber: 2,
  });
  // Another account's user cannot apply globex's update.
  expect(await post(server, tokens.managed.acme!, { type: 'APPLY_UPDATE', instanceId: instanceIds.globex! })).toMatchObject({
    status: 'ERROR',
    code: 'FORBIDDEN',
  });

  // The day before: nothing happens.
  clock.set('2025-03-19T23:59:59Z');
  expect(await server.scheduler.tick()).toMatchObject({ releasesApplied: 0, instancesUpdated: 0 });

  // The date begins: the other two are updated, once.
  clock.set('2025-03-20T00:00:01Z');
  expect(await server.scheduler.tick()).toMatchObject({ releasesApplied: 1, instancesUpdated: 2, instancesFailed: 0 });
  clock.set('2025-03-20T00:05:00Z');
  expect(await server.scheduler.tick()).toMatchObject({ releasesApplied: 0, instancesUpdated: 0 });

  await watcher.until(
    () => JSON.stringify(watcher.rollout('orders')?.byRelease) === JSON.stringify([{ releaseNumber: 2, instances: 3 }]),
    'every instance on release 2',
  );
  // Exactly once: acme applied early (one instance changed), then one set-based move of the two left on the date.
  const applied = server.store.changes.filter((change) => change.op === 'instance' && change.instance.releaseNumber === 2);
  expect(applied.map((change) => change.op === 'instance' && change.instance.id)).toEqual([instanceIds.acme]);
  expect(movesTo(server.store, 2)).toEqual([{ op: 'effect', effect: { packId: 'orders', releaseNumber: 2, change: 'move' } }]);
  const rows = await rolloutRows(server, tokens.admin, 'orders');
  expect(rows.map((row) => [row.instanceId, row.releaseNumber, row.state]).sort()).toEqual(
    MANAGED.map((id) => [instanceIds[id], 2, 'CURRENT']).sort(),
  );

  const releases = await server.rooms.read(ACCOUNT, (_doc, records) => records.releases('orders'));
  const history = await historyRecords(server, tokens.admin, { packId: 'orders' });
  expect(releases.map((r: Release) => [r.number, r.status])).toEqual([
    [1, 'SUCCESS'],
    [2, 'SUCCESS'],
  ]);
  const byKind = (kind: string) => history.filter((record: HistoryRecord) => record.kind === kind && record.status === 'SUCCESS');
  expect(byKind('APPLY_UPDATE')).toHaveLength(1);
  expect(byKind('AUTO_APPLY')).toEqual([expect.objectContaining({ instancesUpdated: 2, instancesFailed: 0, actor: 'Scheduler' })]);

  const globexView = await getJson<ManagedView>(server, tokens.managed.globex!, '/api/managed');
  expect(globexView.body.instances[0]).toMatchObject({ releaseNumber: 2 });
  expect(globexView.body.instances[0]?.pendingReleaseNumber).toBeUndefined();
});

test('a server restarted between scheduling and the date catches up on start', async () => {
  const clock = fakeClock('2025-03-10T12:00:00Z');
  const first = await started(clock);
  const tokens = await seedPublisher(first.server);
  await pendingReReleaseToThree(first.server, tokens);
  await first.close();

  clock.set('2025-03-22T08:00:00Z'); // down over the release date
  const second = await started(clock, first.dataDir);
  const watcher = await connect(second.server, tokens.admin);
  cleanups.push(watcher.close);
  // No tick from the test: the start-up pass applies it.
  await watcher.until(
    () => watcher.rollout('orders')?.byRelease[0]?.instances === 3 && watcher.rollout('orders')?.byRelease[0]?.releaseNumber === 2,
    'catch-up on start',
  );
  const { instances, releases } = await second.server.rooms.read(ACCOUNT, (_doc, records) => ({
    instances: [...records.instances()],
    releases: records.releases('orders'),
  }));
  const history = await historyRecords(second.server, tokens.admin);
  expect(instances.every((instance) => instance.pendingReleaseNumber === undefined)).toBe(true);
  expect(releases[1]).toMatchObject({ status: 'SUCCESS', appliedAt: '2025-03-22T08:00:00.000Z' });
  expect(history.filter((record) => record.kind === 'AUTO_APPLY')).toEqual([expect.objectContaining({ instancesUpdated: 3 })]);
});

test('a command sent twice with one idempotency key releases once', async () => {
  const clock = fakeClock('2025-03-10T12:00:00Z');
  const { server } = await started(clock);
  const tokens = await seedPublisher(server);
  const command = { type: 'RELEASE', packId: 'orders', releaseSchedule: 'IMMEDIATELY' } as const;
  const [a, b] = await Promise.all([
    post(server, tokens.admin, command, 'release-once-key'),
    post(server, tokens.admin, command, 'release-once-key'),
  ]);
  const c = await post(server, tokens.admin, command, 'release-once-key');
  expect(a).toMatchObject({ status: 'SUCCESS', releaseNumber: 1 });
  expect(b).toEqual(a);
  expect(c).toEqual(a);
  const releases = await server.rooms.read(ACCOUNT, (_doc, records) => records.releases('orders'));
  const history = await historyRecords(server, tokens.admin);
  expect(releases).toHaveLength(1);
  expect(history.filter((record) => record.kind === 'RELEASE')).toHaveLength(1);
});

test('Delete Integration Pack uninstalls it from every managed account', async () => {
  const clock = fakeClock('2025-03-10T12:00:00Z');
  const { server } = await started(clock);
  const tokens = await seedPublisher(server);
  const ids = await pendingReReleaseToThree(server, tokens);
  expect(await post(server, tokens.managed.acme!, { type: 'ATTACH_ATOM', instanceId: ids.acme!, atomId: 'atom-1' })).toMatchObject({
    status: 'SUCCESS',
  });
  const deleted = await post(server, tokens.admin, { type: 'DELETE_PACK', packId: 'orders' });
  expect(deleted.message).toBe(
    'Orders was deleted. It was uninstalled from 3 instances in 3 managed accounts; 1 Atom and 0 environments were detached.',
  );
  for (const id of MANAGED) {
    const view = await getJson<ManagedView>(server, tokens.managed[id]!, '/api/managed');
    expect(view.body).toMatchObject({ instances: [], installable: [] });
  }
  // An admin may look at a managed account's view; a managed token sees only its own.
  expect((await getJson<ManagedView>(server, tokens.admin, '/api/managed?managedAccountId=globex')).body).toMatchObject({
    managedAccountId: 'globex',
    instances: [],
  });
  expect((await getJson(server, tokens.admin, '/api/managed')).status).toBe(400);
  expect((await getJson(server, tokens.admin, '/api/managed?managedAccountId=nobody')).status).toBe(404);
  expect((await getJson<ManagedView>(server, tokens.managed.acme!, '/api/managed?managedAccountId=globex')).body.managedAccountId).toBe(
    'acme',
  );
  // The pending release went with the pack: the scheduler finds nothing on the date.
  clock.set('2025-03-20T00:00:00Z');
  expect(await server.scheduler.tick()).toMatchObject({ releasesApplied: 0, instancesUpdated: 0 });
});
