/**
 * Limits and hostile input: a malformed or oversize frame closes that connection (1002/1003/1009)
 * while the others keep syncing; connection cap; awareness cap.
 */
import * as encoding from 'lib0/encoding';
import { afterEach, beforeEach, expect, test } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { readPack, writeNewPack, writePackName } from '../../shared/index.ts';
import { connectClient, sameState, startTestServer, synced, waitFor, type TestClient, type TestServer } from './helpers.ts';
import { rawSocket, upgradeStatus } from './raw-socket.ts';

let t: TestServer;
let a: TestClient;
let b: TestClient;
const extra: TestClient[] = [];

beforeEach(async () => {
  t = await startTestServer({ limits: { maxMessageBytes: 256 * 1024, maxConnectionsPerAccount: 8, maxAwarenessStateBytes: 1024 } });
  a = connectClient({ wsUrl: t.wsUrl, accountId: 'demo', token: t.tokens.admin });
  b = connectClient({ wsUrl: t.wsUrl, accountId: 'demo', token: t.tokens.admin2 });
  await Promise.all([synced(a), synced(b)]);
});
afterEach(async () => {
  for (const client of [a, b, ...extra.splice(0)]) client.destroy();
  await t.close();
});

const socketUrl = () => `${t.wsUrl}/demo?token=${t.tokens.admin}`;
const frame = (...bytes: number[]) => new Uint8Array(bytes);
function syncFrame(syncType: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, syncType);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

const bigPack = (id: string) => ({
  id,
  name: 'Big',
  description: '',
  installationType: 'SINGLE' as const,
  componentIds: [],
  createdAt: 'x',
  createdBy: 'a',
});

async function stillSyncing(name: string): Promise<void> {
  writeNewPack(a.doc, { id: name, name, description: '', installationType: 'SINGLE', componentIds: [], createdAt: 'x', createdBy: 'a' });
  await waitFor([a, b], () => readPack(b.doc, name)?.name === name && sameState(a.doc, b.doc), `${name} reaches b`);
}

test.each([
  ['a varint that never ends', frame(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff), 1002],
  ['an unknown message type', frame(42), 1003],
  ['our server-to-client type sent by a client', frame(100, 0), 1003],
  ['a command from a client without proto=1', frame(102, 2, 0x7b, 0x7d), 1003],
  ['an unknown sync message type', frame(0, 7, 0), 1002],
  ['a sync payload shorter than its length', frame(0, 2, 50, 1, 2), 1002],
  ['an update that is not a Yjs update', syncFrame(syncProtocol.messageYjsUpdate, frame(9, 200, 3, 1, 1, 1, 1)), 1002],
  ['a state vector that is not one', syncFrame(syncProtocol.messageYjsSyncStep1, frame(5, 1)), 1002],
  ['trailing bytes after a valid message', frame(3, 99), 1002],
  ['awareness with a state that is not JSON', frame(1, 5, 1, 7, 1, 1, 0x7b), 1002],
])('%s closes that connection only (%#)', async (_name, bad, code) => {
  const socket = rawSocket(socketUrl());
  await socket.opened;
  socket.ws.send(bad);
  expect((await socket.closed).code).toBe(code);
  await stillSyncing(`after-${code}-${bad.length}`);
});

test('a text frame closes with 1003', async () => {
  const socket = rawSocket(socketUrl());
  await socket.opened;
  socket.ws.send('hello');
  expect((await socket.closed).code).toBe(1003);
  await stillSyncing('after-text');
});

test('a frame over the small limit before the first sync closes with 1009', async () => {
  const socket = rawSocket(socketUrl());
  await socket.opened;
  socket.ws.send(new Uint8Array(65 * 1024));
  expect((await socket.closed).code).toBe(1009);
  await stillSyncing('after-early-oversize');
});

test('after the first sync a larger frame is fine, one over the large limit closes with 1009', async () => {
  const big = connectClient({ wsUrl: t.wsUrl, accountId: 'demo', token: t.tokens.admin });
  extra.push(big);
  await synced(big);
  writeNewPack(big.doc, { ...bigPack('big'), description: 'd'.repeat(400) });
  // ~100 KiB in one transaction: over the pre-sync limit, under the large one.
  big.doc.transact(() => {
    for (let i = 0; i < 400; i++) writePackName(big.doc, 'big', `Big ${'n'.repeat(80)} ${i}`.slice(0, 100));
    for (let i = 0; i < 50; i++) writeNewPack(big.doc, { ...bigPack(`filler-${i}`), description: 'f'.repeat(500) });
  });
  await waitFor([a, big], () => readPack(a.doc, 'big')?.name.endsWith('399') === true, 'the large update arrives');

  const socket = rawSocket(socketUrl());
  await socket.opened;
  const doc = new Y.Doc();
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  syncProtocol.writeSyncStep1(encoder, doc);
  socket.ws.send(encoding.toUint8Array(encoder));
  await waitFor([a], () => socket.messages.length >= 2, 'the handshake is answered');
  socket.ws.send(new Uint8Array(300 * 1024));
  expect((await socket.closed).code).toBe(1009);
  await stillSyncing('after-late-oversize');
});

test('one connection over the per-account cap is refused with 503 at the upgrade', async () => {
  const sockets = Array.from({ length: 6 }, () => rawSocket(socketUrl()));
  await Promise.all(sockets.map((s) => s.opened));
  expect((await upgradeStatus(socketUrl())).status).toBe(503);
  for (const s of sockets) s.ws.close();
  await Promise.all(sockets.map((s) => s.closed));
  await waitFor([a], () => t.server.rooms.connectionCount('demo') === 2, 'the sockets are gone');
  expect((await upgradeStatus(socketUrl())).status).toBe(101);
});

test('an awareness state over the cap is not shared and its sender is told; normal presence is relayed', async () => {
  const big = connectClient({ wsUrl: t.wsUrl, accountId: 'demo', token: t.tokens.admin, proto: true });
  extra.push(big);
  await synced(big);
  big.provider.awareness.setLocalState({ user: { personId: 'ann', name: 'Ann', color: '#000' }, note: 'x'.repeat(5000) });
  await waitFor([big], () => big.notices.some((n) => n.code === 'AWARENESS_REFUSED'), 'AWARENESS_REFUSED');
  a.provider.awareness.setLocalState({ user: { personId: 'ann', name: 'Ann', color: '#f00' } });
  // The server sets the user fields from the session (seedBare names each person by their id).
  await waitFor([b], () => [...b.provider.awareness.getStates().values()].some((s) => s.user?.personId === 'ann'), 'b sees a');
  expect([...b.provider.awareness.getStates().values()].some((s) => String(s.note ?? '').length > 1000)).toBe(false);
});

test('a request target that is not a URL gets 400 (plain or upgrade) and the server keeps serving', async () => {
  const { connect } = await import('node:net');
  const statusLine = (text: string) =>
    new Promise<string>((resolve) => {
      const socket = connect(t.server.port, '127.0.0.1', () => socket.write(text));
      let out = '';
      socket.on('data', (chunk) => (out += chunk.toString()));
      socket.on('close', () => resolve(out.split('\r\n')[0] ?? ''));
      socket.on('error', () => resolve('error'));
    });
  expect(await statusLine('GET http://[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toBe('HTTP/1.1 400 Bad Request');
  const upgrade =
    'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n';
  expect(await statusLine(`GET http://[ HTTP/1.1\r\nHost: x\r\n${upgrade}`)).toMatch(/^HTTP\/1.1 4\d\d/);
  await stillSyncing('after-bad-url');
});
