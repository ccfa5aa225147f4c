/**
 * Three instances (three processes) on one PostgreSQL: stock y-websocket clients connected to
 * different instances converge; what one writes is stored in PostgreSQL before anyone else sees it;
 * HTTP commands sent to any instance run once, on the account's owner.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import postgres from 'postgres';
import * as Y from 'yjs';
import { readPacks, readReleases, writeNewPack, writePackDescription, type CommandResult } from '../../shared/index.ts';
import { connectClient, covers, packJson, sameState, synced, waitFor, type TestClient } from '../server/helpers.ts';
import { startCluster, type Cluster } from './support.ts';

let cluster: Cluster;
const clients: TestClient[] = [];
beforeAll(async () => {
  cluster = await startCluster(3);
}, 180_000);
afterAll(async () => {
  for (const client of clients) client.destroy();
  await cluster?.stop();
});

const newPack = (id: string, name: string) => ({
  id,
  name,
  description: '',
  installationType: 'SINGLE' as const,
  componentIds: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'test',
});

test('stock clients on three different instances converge, and no instance relays an edit before PostgreSQL has it', async () => {
  const admins = cluster.tokens.demo!.admin;
  const [a, b, c] = cluster.instances.map((instance, i) => {
    const client = connectClient({ wsUrl: instance.wsUrl, accountId: 'demo', token: admins[i % admins.length]!, proto: i === 0 });
    clients.push(client);
    return client;
  }) as [TestClient, TestClient, TestClient];
  await Promise.all([synced(a), synced(b), synced(c)]);
  await waitFor([a, b, c], () => sameState(a.doc, b.doc) && sameState(b.doc, c.doc), 'the three start from the same state');

  // Whatever b and c see of a's edit must already be stored: record PostgreSQL's state when they see it.
  const sql = postgres(cluster.databaseUrl, { max: 2, onnotice: () => {} });
  try {
    const storedDoc = async () => {
      const doc = new Y.Doc();
      const [snapshot] = await sql<{ data: Buffer }[]>`SELECT data FROM doc_snapshots WHERE doc = 'demo'`;
      if (snapshot) Y.applyUpdate(doc, snapshot.data);
      for (const row of await sql<{ data: Buffer }[]>`SELECT data FROM doc_updates WHERE doc = 'demo' ORDER BY seq`)
        Y.applyUpdate(doc, row.data);
      return doc;
    };
    // While PostgreSQL cannot take the write, nobody on any instance sees a's edit.
    let unlock!: () => void;
    const locked = new Promise<void>((resolve) => (unlock = resolve));
    let lockHeld!: () => void;
    const holding = new Promise<void>((resolve) => (lockHeld = resolve));
    const lockTx = sql.begin(async (tx) => {
      await tx`LOCK TABLE doc_updates IN SHARE MODE`;
      lockHeld();
      await locked;
    });
    await holding;
    writeNewPack(a.doc, newPack('from-a', 'Orders'));
    for (let i = 0; i < 400; i++) {
      const [waiting] = await sql`SELECT 1 FROM pg_locks WHERE relation = 'doc_updates'::regclass AND NOT granted`;
      if (waiting) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const [waiting] = await sql`SELECT 1 FROM pg_locks WHERE relation = 'doc_updates'::regclass AND NOT granted`;
    expect(waiting, "the owner's commit of a's edit waits on the lock").toBeDefined();
    expect(b.doc.getMap('packs').has('from-a') || c.doc.getMap('packs').has('from-a')).toBe(false);
    unlock();
    await lockTx;
    writeNewPack(b.doc, newPack('from-b', 'Billing'));
    writeNewPack(c.doc, newPack('from-c', 'Shipping'));
    writePackDescription(a.doc, 'from-a', 'Order sync');
    await waitFor(
      [a, b, c],
      () =>
        sameState(a.doc, b.doc) &&
        sameState(b.doc, c.doc) &&
        Object.keys(packJson(c.doc)).filter((id) => id.startsWith('from-')).length === 3,
      'a, b and c converge',
    );
    expect(packJson(c.doc)).toMatchObject({ 'from-a': { name: 'Orders', description: 'Order sync' }, 'from-b': { name: 'Billing' } });
    // a (proto 1, on instance 0) was told its edits are stored: they are, in the shared database.
    await waitFor([a], () => covers(a.stored.at(-1) ?? new Uint8Array([0]), Y.encodeStateVector(a.doc)), 'a told everything is stored');
    expect(sameState(await storedDoc(), a.doc)).toBe(true);
    // One instance owns the account; the others relayed.
    const [lease] = await sql<{ owner_url: string }[]>`SELECT owner_url FROM account_leases WHERE account_id = 'demo'`;
    expect(cluster.instances.map((instance) => instance.url)).toContain(lease?.owner_url);
  } finally {
    await sql.end();
  }
});

test('one idempotency key sent to every instance at once runs the command once, on the owner', async () => {
  const admin = cluster.tokens.demo!.admin[0]!;
  const watcher = clients[1]!;
  const packId = readPacks(watcher.doc).find((pack) => pack.componentIds.length > 0)!.id;
  const before = readReleases(watcher.doc, packId).length;
  const envelope = { idempotencyKey: 'cluster-release-0001', command: { type: 'RELEASE', packId, releaseSchedule: 'IMMEDIATELY' } };
  const send = (url: string) =>
    fetch(`${url}/api/accounts/demo/commands`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(envelope),
    }).then(async (response) => ({ status: response.status, body: (await response.json()) as CommandResult }));
  const answers = await Promise.all([...cluster.instances, ...cluster.instances].map((instance) => send(instance.url)));
  expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
  expect(answers[0]!.body).toMatchObject({ status: 'SUCCESS', releaseNumber: expect.any(Number) });
  for (const answer of answers) expect(answer.body).toEqual(answers[0]!.body);
  await waitFor([watcher], () => readReleases(watcher.doc, packId).length > before, 'the release reaches a client of another instance');
  expect(readReleases(watcher.doc, packId)).toHaveLength(before + 1);
});

test('the REST API on any instance (Basic credentials, as pipelines send them): one Idempotency-Key creates one pack', async () => {
  const admin = cluster.tokens.demo!.admin[0]!;
  const watcher = clients[2]!;
  const send = (url: string) =>
    fetch(`${url}/api/rest/v1/demo/PublisherIntegrationPack`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`pipeline:${admin}`).toString('base64')}`,
        'Content-Type': 'application/json',
        'Idempotency-Key': 'cluster-rest-create-0001',
      },
      body: JSON.stringify({ name: 'From a pipeline', Description: 'made over REST', installationType: 'SINGLE' }),
    }).then(async (response) => ({ status: response.status, body: (await response.json()) as { id?: string } }));
  const answers = await Promise.all([...cluster.instances, ...cluster.instances].map((instance) => send(instance.url)));
  expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
  const id = answers[0]!.body.id!;
  for (const answer of answers) expect(answer.body.id).toBe(id);
  await waitFor([watcher], () => readPacks(watcher.doc).some((pack) => pack.id === id), 'the pack reaches a client of another instance');
  expect(readPacks(watcher.doc).filter((pack) => pack.name === 'From a pipeline')).toHaveLength(1);
});
