/**
 * kill -9 of the instance that owns an account, during a write storm, with the clients behind one
 * address (a TCP proxy in front of three instances): every edit reported stored is in PostgreSQL;
 * the dead owner's lease lapses and another instance takes the account over; its clients resume
 * there within the documented time (LEASE_TTL_MS plus their reconnect backoff) and converge with
 * nothing lost, offline edits included.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import * as Y from 'yjs';
import { readPacks, writeNewPack } from '../../shared/index.ts';
import { connectPostgres, openPostgresStore } from '../../sync-server/storage/postgres/index.ts';
import { connectClient, covers, sameState, synced, waitFor, type TestClient } from '../server/helpers.ts';
import { startCluster, type Cluster } from './support.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';

const LEASE_TTL_MS = 2_000;
/** y-websocket's reconnect backoff (the test clients cap it at 200 ms; stock clients at 2.5 s). */
const CLIENT_BACKOFF_MS = 200;
/** The machine is shared by many test runs: allow for a loaded scheduler, on top of the documented bound. */
const LOADED_MACHINE_SLACK_MS = 15_000;

let cluster: Cluster;
let proxy: TcpProxy;
const clients: TestClient[] = [];
const writers: { stop(): void }[] = [];
beforeAll(async () => {
  cluster = await startCluster(3, { LEASE_TTL_MS: String(LEASE_TTL_MS) });
  proxy = await startTcpProxy(cluster.instances.map((instance) => instance.port));
}, 180_000);
afterAll(async () => {
  for (const writer of writers) writer.stop();
  for (const client of clients) client.destroy();
  await proxy?.close();
  await cluster?.stop();
});

function writer(client: TestClient, prefix: string, everyMs = 8) {
  const written: string[] = [];
  const timer = setInterval(() => {
    const id = `${prefix}-${written.length + 1}`;
    writeNewPack(client.doc, {
      id,
      name: `Pack ${id}`,
      description: '',
      installationType: 'SINGLE',
      componentIds: [],
      createdAt: new Date(0).toISOString(),
      createdBy: prefix,
    });
    written.push(id);
    client.events.emit('change');
  }, everyMs);
  const handle = { written, stop: () => clearInterval(timer) };
  writers.push(handle);
  return handle;
}

async function storedInPostgres(): Promise<Y.Doc> {
  const store = await openPostgresStore(cluster.databaseUrl);
  try {
    const stored = await store.docs.load('demo');
    const doc = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
    for (const update of stored.updates) Y.applyUpdate(doc, update);
    return doc;
  } finally {
    await store.close();
  }
}

test('the owner killed mid-storm: nothing stored is lost, the account is taken over and its clients resume in time', async () => {
  const admins = cluster.tokens.demo!.admin;
  for (let i = 0; i < 4; i++)
    clients.push(connectClient({ wsUrl: proxy.wsUrl, accountId: 'demo', token: admins[i % admins.length]!, proto: true }));
  await Promise.all(clients.map(synced));
  expect(new Set(proxy.routed).size, 'the clients are spread over the instances').toBeGreaterThan(1);
  const storms = clients.map((client, i) => writer(client, `c${i}`));
  await waitFor(clients, () => clients.every((client) => client.stored.length >= 20), 'a storm of stored edits', 30_000);

  const store = await openPostgresStore(cluster.databaseUrl);
  const before = await store.leases!.holder('demo');
  await store.close();
  const owner = cluster.instances.find((instance) => instance.url === before?.ownerUrl);
  expect(owner, 'one instance owns the account').toBeDefined();
  owner!.child.kill('SIGKILL');
  const killedAt = Date.now();
  await owner!.exited;
  const reported = clients.map((client) => client.stored.at(-1)!);
  const storedCounts = clients.map((client) => client.stored.length);

  // Every state a client was told is stored is in PostgreSQL.
  const inPostgres = Y.encodeStateVector(await storedInPostgres());
  expect(reported.every((sv) => covers(inPostgres, sv))).toBe(true);

  // Every client was connected to the owner (directly or relayed): each resumes on another instance.
  const resumedAt = new Map<TestClient, number>();
  for (const client of clients)
    client.events.on('change', () => {
      if (!resumedAt.has(client) && client.stored.length > storedCounts[clients.indexOf(client)]!) resumedAt.set(client, Date.now());
    });
  const bound = LEASE_TTL_MS + CLIENT_BACKOFF_MS + LOADED_MACHINE_SLACK_MS;
  await waitFor(clients, () => resumedAt.size === clients.length, 'every client stored again on another instance', bound);
  const resumeMs = Math.max(...[...resumedAt.values()].map((at) => at - killedAt));
  console.log(`kill -9 of the owner: every client resumed within ${resumeMs} ms (lease ${LEASE_TTL_MS} ms).`);

  // The lease's last holder (live, or lapsed for a moment when a loaded machine renews it late).
  const sql = connectPostgres(cluster.databaseUrl, { max: 1 });
  const [holder] = await sql<{ owner_url: string; fence: number }[]>`SELECT owner_url, fence FROM account_leases WHERE account_id = 'demo'`;
  await sql.end();
  expect(holder?.owner_url).not.toBe(before!.ownerUrl);
  expect(holder!.fence).toBeGreaterThan(before!.fence);

  for (const storm of storms) storm.stop();
  const viewer = connectClient({ wsUrl: proxy.wsUrl, accountId: 'demo', token: cluster.tokens.demo!.viewer[0]! });
  clients.push(viewer);
  await synced(viewer);
  await waitFor(
    clients,
    () => clients.every((client) => sameState(client.doc, viewer.doc)),
    'the writers and a fresh client converge',
    30_000,
  );
  const ids = new Set(readPacks(viewer.doc).map((pack) => pack.id));
  expect(storms.flatMap((storm) => storm.written).filter((id) => !ids.has(id))).toEqual([]);
  const final = Y.encodeStateVector(await storedInPostgres());
  expect(clients.slice(0, 4).every((client) => covers(final, Y.encodeStateVector(client.doc)))).toBe(true);
}, 120_000);
