/**
 * Limits against the server as npm start runs it (a child process, default limits): oversize frames
 * before and after the handshake and an oversize HTTP body are refused with their codes; a flood of
 * unauthenticated upgrades (300 at once) all get 401 while 300 idle half-open connections sit there;
 * a flood of one person's sockets stops at the per-person cap, and of many people's at the
 * per-account cap, with 503. Through all of it a client of each account keeps syncing, and the
 * server's memory stays bounded.
 */
import { rmSync } from 'node:fs';
import { connect as tcpConnect, type Socket } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { mintToken } from '../../sync-server/auth.ts';
import { defaultLimits } from '../../sync-server/config.ts';
import { databaseFile } from '../../sync-server/server.ts';
import { openSqliteStore } from '../../sync-server/storage/sqlite.ts';
import { readPack, writeNewPack } from '../../shared/index.ts';
import { connectClient, synced, tempDir, waitFor, type TestClient } from '../server/helpers.ts';
import { spawnServer, type ServerProcess } from '../server/process-helpers.ts';
import { rawSocket, upgradeStatus } from '../server/raw-socket.ts';
import { inBatches, readDemoTokens, rssBytes } from './support.ts';

const FLOOD = 300;
const MiB = 2 ** 20;

let server: ServerProcess;
let dataDir: string;
let tokens: ReturnType<typeof readDemoTokens>;
let demo: TestClient;
let acme: TestClient;
let demoPeer: TestClient;
let baseline: number;

beforeAll(async () => {
  dataDir = tempDir('ip-fault-limits-');
  server = await spawnServer({ dataDir, via: 'node' });
  tokens = readDemoTokens(dataDir);
  demo = connectClient({ wsUrl: server.wsUrl, accountId: 'demo', token: tokens.demo!.admin[0]! });
  demoPeer = connectClient({ wsUrl: server.wsUrl, accountId: 'demo', token: tokens.demo!.viewer[0]! });
  acme = connectClient({ wsUrl: server.wsUrl, accountId: 'acme', token: tokens.acme!.admin[0]! });
  await Promise.all([synced(demo), synced(demoPeer), synced(acme)]);
  baseline = rssBytes(server.child.pid!);
});

afterAll(async () => {
  for (const client of [demo, demoPeer, acme]) client?.destroy();
  server?.child.kill('SIGTERM');
  await server?.exited;
  rmSync(dataDir, { recursive: true, force: true });
});

let edits = 0;
/** An edit in demo reaches demo's other client, and acme's own client still syncs. */
async function bothAccountsSync(what: string): Promise<void> {
  const id = `limits-${++edits}`;
  writeNewPack(demo.doc, {
    id,
    name: `Limits ${edits}`,
    description: '',
    installationType: 'SINGLE',
    componentIds: [],
    createdAt: new Date(0).toISOString(),
    createdBy: 'test',
  });
  writeNewPack(acme.doc, {
    id: `acme-${id}`,
    name: `Limits ${edits}`,
    description: '',
    installationType: 'SINGLE',
    componentIds: [],
    createdAt: new Date(0).toISOString(),
    createdBy: 'test',
  });
  const acmePeer = connectClient({ wsUrl: server.wsUrl, accountId: 'acme', token: tokens.acme!.viewer[0]! });
  try {
    await waitFor(
      [demo, demoPeer, acmePeer],
      () => readPack(demoPeer.doc, id) !== undefined && readPack(acmePeer.doc, `acme-${id}`) !== undefined,
      `${what}: both accounts sync`,
    );
  } finally {
    acmePeer.destroy();
  }
}

test('oversize frames close their socket with 1009 (64 KiB before the handshake, 8 MiB after); an oversize body gets 413', async () => {
  const url = `${server.wsUrl}/demo?token=${tokens.demo!.admin[1]!}&proto=1`;

  const early = rawSocket(url);
  await early.opened;
  early.ws.send(new Uint8Array(defaultLimits.maxMessageBytesBeforeSync + 1));
  expect((await early.closed).code).toBe(1009);

  const late = rawSocket(url);
  await late.opened;
  late.ws.send(new Uint8Array([0, 0, 1, 0])); // sync step 1 with an empty state vector: the handshake
  await new Promise<void>((resolve) => late.ws.once('message', () => resolve()));
  late.ws.send(new Uint8Array(defaultLimits.maxMessageBytesBeforeSync * 4)); // allowed now; not a valid frame, so 1002
  expect((await late.closed).code).toBe(1002);

  const huge = rawSocket(url);
  await huge.opened;
  huge.ws.send(new Uint8Array([0, 0, 1, 0]));
  await new Promise<void>((resolve) => huge.ws.once('message', () => resolve()));
  huge.ws.send(new Uint8Array(defaultLimits.maxMessageBytes + 1));
  expect((await huge.closed).code).toBe(1009);

  const response = await fetch(`${server.url}/api/accounts/demo/commands`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${tokens.demo!.admin[0]!}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ idempotencyKey: 'oversize-body', padding: 'x'.repeat(defaultLimits.maxHttpBodyBytes + 1) }),
  });
  expect(response.status).toBe(413);
  expect(await response.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });

  await bothAccountsSync('after oversize frames');
  expect(server.child.exitCode).toBeNull();
});

test(`a flood of ${FLOOD} unauthenticated upgrades gets 401 each while ${FLOOD} idle connections hang on; both accounts keep syncing`, async () => {
  const idle: Socket[] = [];
  try {
    await inBatches(FLOOD, 50, async () => {
      const socket = tcpConnect(server.port, '127.0.0.1');
      socket.on('error', () => {});
      idle.push(socket);
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.write('GET /sync/demo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n'); // and never the end of the headers
    });
    const bad = ['', 'token=not-a-token', 'token=' + 'x'.repeat(300), `token=${tokens.demo!.admin[0]!.slice(0, -2)}zz`];
    const statuses = await Promise.all(
      Array.from({ length: FLOOD }, (_, i) => upgradeStatus(`${server.wsUrl}/demo?${bad[i % bad.length]}`)),
    );
    expect(statuses.filter((s) => s.status !== 401)).toEqual([]);
    const during = rssBytes(server.child.pid!);
    expect(
      during - baseline,
      `memory with ${FLOOD} idle connections: ${(during / MiB).toFixed(0)} MiB (baseline ${(baseline / MiB).toFixed(0)} MiB)`,
    ).toBeLessThan(128 * MiB);
    await bothAccountsSync('during the flood');
  } finally {
    for (const socket of idle) socket.destroy();
  }
});

/** Mints admin tokens for new people of demo, through the database the server is using (as `npm run token` does). */
async function mintAdmins(count: number): Promise<string[]> {
  const store = openSqliteStore(databaseFile(dataDir));
  try {
    const minted: string[] = [];
    for (let i = 0; i < count; i++)
      minted.push(await mintToken(store.accounts, { id: `flood-admin-${i}`, accountId: 'demo', name: `Flood ${i}`, role: 'admin' }));
    return minted;
  } finally {
    await store.close();
  }
}

async function flood(urls: readonly string[]) {
  return inBatches(FLOOD, 50, async (i) => {
    const socket = rawSocket(urls[i % urls.length]!);
    const outcome = await socket.opened.then(
      () => 101,
      (error: Error) => Number(/HTTP (\d+)/.exec(error.message)?.[1] ?? 0),
    );
    return { socket, outcome };
  });
}

async function closeAll(open: Awaited<ReturnType<typeof flood>>) {
  await Promise.all(
    open.map(async ({ socket, outcome }) => {
      if (outcome !== 101) return;
      socket.ws.close();
      await socket.closed;
    }),
  );
}

test(`${FLOOD} sockets of one person stop at the per-person cap (${defaultLimits.maxConnectionsPerPerson}) with 503; others still get in`, async () => {
  const open = await flood([`${server.wsUrl}/demo?token=${tokens.demo!.admin[1]!}`]);
  try {
    expect(open.filter((o) => o.outcome === 101).length).toBe(defaultLimits.maxConnectionsPerPerson);
    expect(open.filter((o) => o.outcome === 503).length).toBe(FLOOD - defaultLimits.maxConnectionsPerPerson);
    await bothAccountsSync('at the per-person cap');
  } finally {
    await closeAll(open);
  }
});

test(`${FLOOD} authenticated sockets of many people on one account: the cap (${defaultLimits.maxConnectionsPerAccount}) holds with 503, another account is untouched, memory returns`, async () => {
  const people = await mintAdmins(14);
  const open = await flood(people.map((token) => `${server.wsUrl}/demo?token=${token}`));
  try {
    const accepted = open.filter((o) => o.outcome === 101).length;
    const refused = open.filter((o) => o.outcome === 503).length;
    // Two clients of demo were connected before the flood.
    expect(accepted).toBe(defaultLimits.maxConnectionsPerAccount - 2);
    expect(accepted + refused).toBe(FLOOD);
    const during = rssBytes(server.child.pid!);
    expect(during - baseline, `memory with ${accepted} sockets: ${(during / MiB).toFixed(0)} MiB`).toBeLessThan(256 * MiB);
    // Another account is not affected by demo's cap.
    await bothAccountsSync('at the cap');
  } finally {
    await closeAll(open);
  }
  await bothAccountsSync('after the flood');
  const after = rssBytes(server.child.pid!);
  expect(
    after - baseline,
    `memory after the flood: ${(after / MiB).toFixed(0)} MiB (baseline ${(baseline / MiB).toFixed(0)} MiB)`,
  ).toBeLessThan(192 * MiB);
  expect(server.child.exitCode).toBeNull();
});
