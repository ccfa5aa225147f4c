/**
 * 10,000 fuzzed frames against the server as npm start runs it (a child process), seeded with
 * fast-check (the seed is printed; FUZZ_SEED=… replays it):
 *   - 2,000 before auth: raw TCP connections carrying random bytes, mutated HTTP upgrade requests,
 *     and upgrades with a bad or another account's token followed by WebSocket frames;
 *   - 8,000 after auth, on an admin and a viewer stream of sockets (proto=1): random bytes, valid
 *     sync, awareness, command and query frames mutated (framing kept or broken), and updates carrying
 *     edits any client could make to a pack, valid or breaking a rule (test/support/pack-edits.ts).
 *     Each fuzzed frame is followed by a probe (an invalid command whose error reply names it), so
 *     the test knows exactly which frames the server processed and which one closed a socket; a new
 *     socket continues from the next frame.
 * Then: the server process is still up, its memory is bounded, clients of both accounts that were
 * connected all along still sync an edit, every pack keeps the rules, and the server-owned state
 * the fuzz could not change is unchanged.
 */
import { rmSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import fc from 'fast-check';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterEach, expect, test } from 'vitest';
import WebSocket from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import {
  MessageType,
  readAccount,
  readCatalog,
  readPack,
  readPacks,
  Root,
  SERVER_OWNED_ROOTS,
  validatePack,
  writeAddComponents,
  writeNewPack,
  writePackDescription,
} from '../../shared/index.ts';
import { connectClient, docJson, sameState, synced, tempDir, waitFor, type TestClient } from '../server/helpers.ts';
import { spawnServer, type ServerProcess } from '../server/process-helpers.ts';
import { applyPackEdit, packEditArb, type PackEdit } from '../support/pack-edits.ts';
import { inBatches, readDemoTokens, rssBytes, seedFor } from './support.ts';

const BEFORE_AUTH = 2_000;
const AFTER_AUTH = 8_000;

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

// ---------------------------------------------------------------------------------------------
// Frames

/** A valid frame as its framing and its payload, so a mutation can keep the framing intact. */
type Frame =
  | { kind: 'sync'; syncType: number; payload: Uint8Array }
  | { kind: 'awareness'; payload: Uint8Array }
  | { kind: 'command'; json: Uint8Array }
  | { kind: 'bare'; bytes: Uint8Array };

function encodeFrame(frame: Frame): Uint8Array {
  const encoder = encoding.createEncoder();
  if (frame.kind === 'bare') return frame.bytes;
  if (frame.kind === 'sync') {
    encoding.writeVarUint(encoder, MessageType.sync);
    encoding.writeVarUint(encoder, frame.syncType);
    encoding.writeVarUint8Array(encoder, frame.payload);
  } else if (frame.kind === 'awareness') {
    encoding.writeVarUint(encoder, MessageType.awareness);
    encoding.writeVarUint8Array(encoder, frame.payload);
  } else {
    encoding.writeVarUint(encoder, MessageType.command);
    encoding.writeVarUint8Array(encoder, frame.json); // a varString is its UTF-8 bytes with their length
  }
  return encoding.toUint8Array(encoder);
}

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

/** Valid frames of every kind, made against the account's real document (so updates touch its packs). */
function validFrames(server: Y.Doc): Frame[] {
  const fork = new Y.Doc();
  Y.applyUpdate(fork, Y.encodeStateAsUpdate(server));
  const updates: Uint8Array[] = [];
  fork.on('update', (update: Uint8Array) => updates.push(update));
  const someId = readPacks(fork).find((p) => p.installationType === 'MULTI')?.id ?? readPacks(fork)[0]!.id;
  const apiService = [...readCatalog(fork).values()].find((c) => c.type === 'API_SERVICE')?.id ?? 'none';
  writeNewPack(fork, {
    id: 'fuzz-pack',
    name: 'Fuzz',
    description: 'f',
    installationType: 'SINGLE',
    componentIds: [],
    createdAt: 'x',
    createdBy: 'fuzz',
  });
  writePackDescription(fork, someId, 'fuzzed description');
  writePackDescription(fork, someId, 'd'.repeat(501));
  writeAddComponents(fork, someId, [apiService]);
  fork.getMap<Y.Map<unknown>>(Root.packs).get(someId)?.set('installationType', 'OTHER');
  fork.getMap(Root.catalog).set('fuzz-component', { id: 'fuzz-component', name: 'x', type: 'PROCESS', versions: [1] });
  fork.getMap(Root.rollout).delete([...fork.getMap(Root.rollout).keys()][0] ?? 'none');
  fork
    .getMap(Root.recentHistory)
    .set('fuzz-record', { id: 'fuzz-record', seq: 1, kind: 'RELEASE', actor: 'x', at: 'x', summary: 'x', status: 'SUCCESS' });
  fork.getText('stray').insert(0, 'stray text');
  fork.getMap<Y.Map<unknown>>(Root.packs).delete(someId);

  const awareness = new awarenessProtocol.Awareness(new Y.Doc());
  awareness.setLocalState({ user: { personId: 'fuzz', name: 'Fuzz', color: '#123456' }, viewing: someId });
  const frames: Frame[] = [
    { kind: 'sync', syncType: syncProtocol.messageYjsSyncStep1, payload: Y.encodeStateVector(new Y.Doc()) },
    { kind: 'sync', syncType: syncProtocol.messageYjsSyncStep1, payload: Y.encodeStateVector(fork) },
    { kind: 'sync', syncType: syncProtocol.messageYjsSyncStep2, payload: Y.encodeStateAsUpdate(fork, Y.encodeStateVector(server)) },
    ...updates.map((payload) => ({ kind: 'sync' as const, syncType: syncProtocol.messageYjsUpdate, payload })),
    { kind: 'awareness', payload: awarenessProtocol.encodeAwarenessUpdate(awareness, [awareness.clientID]) },
    {
      kind: 'awareness',
      payload: awarenessProtocol.encodeAwarenessUpdate(
        awareness,
        [awareness.clientID],
        new Map([[awareness.clientID, { user: 'x'.repeat(5000) }]]),
      ),
    },
    { kind: 'bare', bytes: new Uint8Array([MessageType.queryAwareness]) },
    // Commands that cannot succeed (unknown pack / instance): the fuzz must not change server-owned state.
    {
      kind: 'command',
      json: json({
        idempotencyKey: 'fuzz-release-1',
        command: { type: 'RELEASE', packId: 'no-such-pack', releaseSchedule: 'IMMEDIATELY' },
      }),
    },
    { kind: 'command', json: json({ idempotencyKey: 'fuzz-apply-01', command: { type: 'APPLY_UPDATE', instanceId: 'no-such-instance' } }) },
  ];
  awareness.destroy();
  fork.destroy();
  return frames;
}

type Mutation =
  | { op: 'set'; at: number; byte: number }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'delete'; at: number; count: number }
  | { op: 'truncate'; at: number };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
);

function mutate(frame: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let bytes = Array.from(frame);
  for (const m of mutations) {
    const at = bytes.length === 0 ? 0 : m.at % (bytes.length + (m.op === 'insert' ? 1 : 0));
    if (m.op === 'set' && bytes.length > 0) bytes[at] = m.byte;
    else if (m.op === 'insert') bytes.splice(at, 0, ...m.bytes);
    else if (m.op === 'delete') bytes.splice(at, m.count);
    else if (m.op === 'truncate') bytes = bytes.slice(0, Math.max(1, at));
  }
  return Uint8Array.from(bytes.length === 0 ? [0] : bytes);
}

/** Mutates a frame's payload and frames it again (right length and type): reaches the decoders and the rules. */
function mutatePayload(frame: Frame, mutations: readonly Mutation[]): Uint8Array {
  switch (frame.kind) {
    case 'sync':
      return encodeFrame({ ...frame, payload: mutate(frame.payload, mutations) });
    case 'awareness':
      return encodeFrame({ ...frame, payload: mutate(frame.payload, mutations) });
    case 'command':
      return encodeFrame({ ...frame, json: mutate(frame.json, mutations) });
    case 'bare':
      return mutate(frame.bytes, mutations);
  }
}

/** One item of the after-auth stream: bytes, or an edit any client could make (valid or not) to a pack. */
type Planned = { bytes: Uint8Array } | { packId: string; edit: PackEdit };

function frameArb(valid: readonly Frame[]): fc.Arbitrary<Uint8Array> {
  const mutations = fc.array(mutationArb, { minLength: 1, maxLength: 3 });
  return fc.oneof(
    { weight: 2, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 96 }) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...valid), mutations).map(([f, ms]) => mutate(encodeFrame(f), ms)) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...valid), mutations).map(([f, ms]) => mutatePayload(f, ms)) },
    { weight: 1, arbitrary: fc.constantFrom(...valid).map(encodeFrame) },
  );
}

function plannedArb(valid: readonly Frame[], packIds: readonly string[], componentIds: readonly string[]): fc.Arbitrary<Planned> {
  return fc.oneof(
    { weight: 6, arbitrary: frameArb(valid).map((bytes) => ({ bytes })) },
    {
      weight: 4,
      arbitrary: fc.record({ packId: fc.constantFrom(...packIds, 'fuzz-new-1', 'fuzz-new-2'), edit: packEditArb(componentIds) }),
    },
  );
}

/**
 * The stream's frames, in order: the edits are made on one client document that starts from the
 * account's state (a fixed client id, so the bytes are the same every run) and sent as updates.
 */
function materialize(planned: readonly Planned[], start: Y.Doc, clientId: number): Uint8Array[] {
  const client = new Y.Doc();
  client.clientID = clientId;
  Y.applyUpdate(client, Y.encodeStateAsUpdate(start));
  let last: Uint8Array | undefined;
  client.on('update', (update: Uint8Array) => void (last = update));
  const frames = planned.map((item) => {
    if ('bytes' in item) return item.bytes;
    last = undefined;
    applyPackEdit(client, item.packId, item.edit);
    return last
      ? encodeFrame({ kind: 'sync', syncType: syncProtocol.messageYjsUpdate, payload: last })
      : new Uint8Array([MessageType.queryAwareness]);
  });
  client.destroy();
  return frames;
}

// ---------------------------------------------------------------------------------------------
// Before auth: raw TCP

/** A masked client WebSocket frame (binary, FIN) carrying `payload`. */
function wsClientFrame(payload: Uint8Array): Buffer {
  const header =
    payload.length < 126
      ? Buffer.from([0x82, 0x80 | payload.length])
      : Buffer.from([0x82, 0x80 | 126, payload.length >> 8, payload.length & 255]);
  const mask = Buffer.from([1, 2, 3, 4]);
  const body = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!));
  return Buffer.concat([header, mask, body]);
}

function upgradeRequest(path: string): string {
  return `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`;
}

/** Writes bytes on a fresh TCP connection, ends it, and resolves with what came back once the server closed it. */
function rawExchange(port: number, bytes: Buffer): Promise<{ reply: string; closedByServer: boolean }> {
  return new Promise((resolve) => {
    const socket = tcpConnect(port, '127.0.0.1');
    let reply = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ reply, closedByServer: false });
    }, 15_000);
    socket.on('data', (chunk: Buffer) => void (reply += chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ reply, closedByServer: true });
    });
    socket.on('connect', () => socket.end(bytes));
  });
}

// ---------------------------------------------------------------------------------------------
// After auth: frames in lockstep with probes

const probeFrame = (n: number) => {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.command);
  encoding.writeVarString(encoder, JSON.stringify({ idempotencyKey: `probe-${n}` }));
  return encoding.toUint8Array(encoder);
};

function probeReply(data: Buffer): number | undefined {
  const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  if (decoding.readVarUint(decoder) !== MessageType.commandResult) return undefined;
  const key = (JSON.parse(decoding.readVarString(decoder)) as { idempotencyKey?: string }).idempotencyKey ?? '';
  return key.startsWith('probe-') ? Number(key.slice(6)) : undefined;
}

/**
 * Sends frames[from…] on one socket, each followed by a probe, waiting for the probe's reply before
 * the next frame (the reply may come a turn later, so a frame that closes the socket is the one whose
 * probe got no reply). Resolves with how many frames the server processed and the close code, if any.
 */
function lockstep(url: string, frames: readonly Uint8Array[], from: number): Promise<{ processed: number; closeCode: number | undefined }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    let current = from;
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const settle = (result: { processed: number; closeCode: number | undefined } | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ws.removeAllListeners('close');
      if (result instanceof Error) {
        ws.terminate();
        return reject(result);
      }
      if (ws.readyState === WebSocket.OPEN) ws.close();
      resolve(result);
    };
    const sendNext = () => {
      if (current >= frames.length) return settle({ processed: current - from, closeCode: undefined });
      clearTimeout(timer);
      timer = setTimeout(
        () =>
          settle(
            new Error(`No probe reply and no close within 10 s after frame ${current}: ${Buffer.from(frames[current]!).toString('hex')}`),
          ),
        10_000,
      );
      ws.send(frames[current]!);
      ws.send(probeFrame(current));
    };
    ws.on('error', () => {});
    ws.on('unexpected-response', (_req, res) => settle(new Error(`The fuzz socket was refused: HTTP ${res.statusCode}`)));
    ws.on('open', sendNext);
    ws.on('message', (data: Buffer) => {
      if (probeReply(data) !== current) return;
      current++;
      sendNext();
    });
    ws.on('close', (code) => settle({ processed: current - from + 1, closeCode: code }));
  });
}

// ---------------------------------------------------------------------------------------------

test('10,000 fuzzed frames before and after auth: the server stays up and both accounts keep syncing', async () => {
  const seed = seedFor('frame fuzz', 20_250_901);
  const dataDir = tempDir('ip-fault-fuzz-');
  cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const server: ServerProcess = await spawnServer({ dataDir, via: 'node' });
  cleanup.push(() => server.child.kill('SIGKILL'));
  const tokens = readDemoTokens(dataDir);
  const demoAdmin = tokens.demo!.admin[0]!;

  const clients: TestClient[] = [];
  cleanup.push(() => {
    for (const c of clients) c.destroy();
  });
  const demoWriter = connectClient({ wsUrl: server.wsUrl, accountId: 'demo', token: tokens.demo!.admin[1]! });
  const demoReader = connectClient({ wsUrl: server.wsUrl, accountId: 'demo', token: tokens.demo!.viewer[0]! });
  const acmeWriter = connectClient({ wsUrl: server.wsUrl, accountId: 'acme', token: tokens.acme!.admin[0]! });
  const acmeReader = connectClient({ wsUrl: server.wsUrl, accountId: 'acme', token: tokens.acme!.viewer[0]! });
  clients.push(demoWriter, demoReader, acmeWriter, acmeReader);
  await Promise.all(clients.map(synced));
  const ownedBefore = docJson(demoReader.doc);
  const rssBefore = rssBytes(server.child.pid!);

  const valid = validFrames(demoReader.doc);
  const failure = (what: string) => `${what} (seed ${seed}; FUZZ_SEED=${seed} to replay)`;

  // Before auth.
  const requestArb = fc.oneof(
    { weight: 2, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 200 }).map((b) => Buffer.from(b)) },
    {
      weight: 4,
      arbitrary: fc
        .tuple(
          fc.constantFrom(
            upgradeRequest('/sync/demo?token=bad&proto=1'),
            upgradeRequest(`/sync/demo?token=${demoAdmin}`),
            'GET /api/me HTTP/1.1\r\nHost: x\r\n\r\n',
          ),
          fc.array(mutationArb, { minLength: 1, maxLength: 4 }),
        )
        .map(([request, ms]) => Buffer.from(mutate(Buffer.from(request, 'latin1'), ms))),
    },
    {
      weight: 4,
      arbitrary: fc
        .tuple(
          fc.constantFrom(
            upgradeRequest('/sync/demo?token=not-a-token&proto=1'),
            upgradeRequest(`/sync/demo?token=${tokens.acme!.admin[0]!}&proto=1`),
            upgradeRequest('/sync/demo'),
          ),
          frameArb(valid),
        )
        .map(([request, frame]) => Buffer.concat([Buffer.from(request, 'latin1'), wsClientFrame(frame)])),
    },
  );
  const began = performance.now();
  const before = fc.sample(requestArb, { seed, numRuns: BEFORE_AUTH });
  const exchanges = await inBatches(before.length, 16, (i) => rawExchange(server.port, before[i]!));
  expect(exchanges.filter((e) => !e.closedByServer).length, failure('connections the server left hanging')).toBe(0);
  const refusedUpgrades = exchanges.filter((e) => /^HTTP\/1\.1 40[13]/.test(e.reply)).length;
  expect(refusedUpgrades, 'bad and foreign tokens are answered 401/403').toBeGreaterThan(BEFORE_AUTH / 5);

  const beforeMs = performance.now() - began;
  // After auth: an admin stream and a viewer stream, side by side, each in order on its own sockets.
  const packIds = readPacks(demoReader.doc).map((p) => p.id);
  const componentIds = [...readCatalog(demoReader.doc).keys()];
  const streams = [
    { url: `${server.wsUrl}/demo?token=${demoAdmin}&proto=1`, count: (AFTER_AUTH * 3) / 4, seed: seed + 1, clientId: 4_000_001 },
    { url: `${server.wsUrl}/demo?token=${tokens.demo!.viewer[0]!}&proto=1`, count: AFTER_AUTH / 4, seed: seed + 2, clientId: 4_000_002 },
  ].map((stream) => ({
    ...stream,
    frames: materialize(
      fc.sample(plannedArb(valid, packIds, componentIds), { seed: stream.seed, numRuns: stream.count }),
      demoReader.doc,
      stream.clientId,
    ),
  }));
  const closeCodes = new Map<number, number>();
  let sockets = 0;
  const processed = await Promise.all(
    streams.map(async ({ url, frames }) => {
      let done = 0;
      for (let guard = 0; done < frames.length && guard < frames.length; guard++) {
        const result = await lockstep(url, frames, done).catch((error: Error) => {
          throw new Error(failure(error.message));
        });
        sockets++;
        done += result.processed;
        if (result.closeCode !== undefined) closeCodes.set(result.closeCode, (closeCodes.get(result.closeCode) ?? 0) + 1);
      }
      return done;
    }),
  );
  expect(processed.reduce((a, b) => a + b, 0)).toBe(AFTER_AUTH);
  console.log(
    `frame fuzz: ${BEFORE_AUTH} before auth (${beforeMs.toFixed(0)} ms), ${AFTER_AUTH} after auth on ${sockets} sockets ` +
      `(${(performance.now() - began - beforeMs).toFixed(0)} ms); closes ${JSON.stringify(Object.fromEntries(closeCodes))}`,
  );
  expect(
    [...closeCodes.keys()].every((code) => [1002, 1003, 1009].includes(code)),
    failure(`close codes ${[...closeCodes.keys()]}`),
  ).toBe(true);

  // Still up, still syncing both accounts, rules and server-owned state intact.
  expect(server.child.exitCode, failure('the server exited')).toBeNull();
  writePackDescription(demoWriter.doc, readPacks(demoWriter.doc)[0]!.id, 'after the fuzz');
  writeNewPack(acmeWriter.doc, {
    id: 'acme-after-fuzz',
    name: 'After the fuzz',
    description: '',
    installationType: 'SINGLE',
    componentIds: [],
    createdAt: new Date(0).toISOString(),
    createdBy: 'test',
  });
  await waitFor(
    clients,
    () => readPack(acmeReader.doc, 'acme-after-fuzz') !== undefined && sameState(demoWriter.doc, demoReader.doc),
    failure('both accounts sync after the fuzz'),
  );
  expect(readPacks(demoReader.doc).some((p) => p.description === 'after the fuzz')).toBe(true);

  const account = readAccount(demoReader.doc)!;
  const catalog = readCatalog(demoReader.doc);
  for (const pack of readPacks(demoReader.doc)) expect(validatePack(pack, account, catalog), failure(pack.id)).toMatchObject({ ok: true });
  const ownedAfter = docJson(demoReader.doc);
  for (const root of SERVER_OWNED_ROOTS) expect(ownedAfter[root], failure(`server-owned ${root}`)).toEqual(ownedBefore[root]);
  // Roots a fuzzed update named exist now (Yjs keeps the name) but hold nothing.
  for (const name of Object.keys(ownedAfter).filter((name) => !(name in ownedBefore) && !(Object.values(Root) as string[]).includes(name)))
    expect(ownedAfter[name], failure(`root "${name}" created by the fuzz`)).toEqual({ map: {}, list: [] });

  const rssAfter = rssBytes(server.child.pid!);
  expect(rssAfter - rssBefore, `server memory grew from ${rssBefore >> 20} MiB to ${rssAfter >> 20} MiB`).toBeLessThan(256 * 2 ** 20);
  server.child.kill('SIGTERM');
  expect((await server.exited).code).toBe(0);
}, 110_000);
