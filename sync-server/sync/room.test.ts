/** The room with fake sockets: what each connection is sent, and when. */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { expect, test } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { MessageType, readPack, writeNewPack, type IntegrationPack } from '../../shared/index.ts';
import { executeCommand } from '../commands/execute.ts';
import { defaultLimits, defaultRoomOptions } from '../config.ts';
import { quietLogger } from '../log.ts';
import { createMemoryStore } from '../storage/memory.ts';
import type { DocStore, Store } from '../storage/types.ts';
import type { Connection, SyncSocket } from './connection.ts';
import { Rooms } from './rooms.ts';

const session = { accountId: 'demo', role: 'admin' as const, personId: 'p', personName: 'P' };
const NOW = new Date('2026-06-01T00:00:00.000Z');
// Written as the server stamps a new pack (its clock, the sender's name), so no repair follows.
const pack = (id: string): IntegrationPack => ({
  id,
  name: `Pack ${id}`,
  description: '',
  installationType: 'SINGLE',
  componentIds: [],
  createdAt: NOW.toISOString(),
  createdBy: 'P',
});

interface Received {
  kind: 'step1' | 'step2' | 'update' | 'stored' | 'other';
  payload: Uint8Array;
}
function fakeSocket() {
  const received: Received[] = [];
  const socket: SyncSocket = {
    readyState: 1,
    bufferedAmount: 0,
    send: (data) => {
      const decoder = decoding.createDecoder(data);
      const type = decoding.readVarUint(decoder);
      if (type === MessageType.stored) return received.push({ kind: 'stored', payload: decoding.readVarUint8Array(decoder) });
      if (type !== MessageType.sync) return received.push({ kind: 'other', payload: data });
      const syncType = decoding.readVarUint(decoder);
      const kind =
        syncType === syncProtocol.messageYjsSyncStep1 ? 'step1' : syncType === syncProtocol.messageYjsSyncStep2 ? 'step2' : 'update';
      received.push({ kind, payload: decoding.readVarUint8Array(decoder) });
    },
    close: () => {},
  };
  return { socket, received, kinds: () => received.map((r) => r.kind) };
}
const frame = (syncType: number, payload: Uint8Array) => {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  encoding.writeVarUint(encoder, syncType);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
};
function clientUpdate(edit: (doc: Y.Doc) => void): Uint8Array {
  const doc = new Y.Doc();
  let update: Uint8Array | undefined;
  doc.on('update', (u: Uint8Array) => (update = u));
  edit(doc);
  return update!;
}
/** A client's update adding pack `id`, as an update frame on `connection`. */
function sendNewPack(rooms: Rooms, connection: Connection, id: string): void {
  rooms.receive(
    'demo',
    connection,
    frame(
      syncProtocol.messageYjsUpdate,
      clientUpdate((d) => writeNewPack(d, pack(id))),
    ),
  );
}

async function setup(store: Store = createMemoryStore(), options = defaultRoomOptions) {
  await store.accounts.putAccount({ id: 'demo', name: 'Demo', multiInstallEnabled: true, timeZone: 'UTC' });
  const rooms = new Rooms({
    store,
    limits: defaultLimits,
    options,
    clock: { now: () => NOW },
    log: quietLogger,
    executeCommand,
  });
  return { rooms, room: rooms.room('demo') };
}

test('a batch reaches each connection once, as the one merged frame (a sender of part of it gets it too)', async () => {
  const { rooms, room } = await setup();
  const [a, b, listener] = [fakeSocket(), fakeSocket(), fakeSocket()];
  const ca = rooms.connect('demo', a.socket, session, true);
  const cb = rooms.connect('demo', b.socket, session, false);
  rooms.connect('demo', listener.socket, session, false);
  await room.ready;
  await room.committed();
  for (const s of [a, b, listener]) s.received.splice(0);
  sendNewPack(rooms, ca, 'from-a');
  sendNewPack(rooms, cb, 'from-b');
  expect(listener.received).toEqual([]); // nothing is sent before it is stored
  await room.committed();
  expect(a.kinds()).toEqual(['update', 'stored']);
  expect(b.kinds()).toEqual(['update']);
  expect(listener.kinds()).toEqual(['update']);
  // One encoding for every receiver: the same bytes, holding both packs.
  expect(a.received[0]!.payload.buffer).toBe(listener.received[0]!.payload.buffer);
  expect(b.received[0]!.payload.buffer).toBe(listener.received[0]!.payload.buffer);
  const seen = new Y.Doc();
  Y.applyUpdate(seen, listener.received[0]!.payload);
  expect([readPack(seen, 'from-a')?.name, readPack(seen, 'from-b')?.name]).toEqual(['Pack from-a', 'Pack from-b']);
  await rooms.close(1000, 'done');
});

test("a batch that is all one connection's is not sent back to it; everyone else gets it", async () => {
  const { rooms, room } = await setup();
  const [a, listener] = [fakeSocket(), fakeSocket()];
  const ca = rooms.connect('demo', a.socket, session, true);
  rooms.connect('demo', listener.socket, session, false);
  await room.ready;
  await room.committed();
  for (const s of [a, listener]) s.received.splice(0);
  for (const id of ['one', 'two']) sendNewPack(rooms, ca, id);
  await room.committed();
  expect(a.kinds()).toEqual(['stored']);
  expect(listener.kinds()).toEqual(['update']);
  const seen = new Y.Doc();
  Y.applyUpdate(seen, listener.received[0]!.payload);
  expect([readPack(seen, 'one')?.name, readPack(seen, 'two')?.name]).toEqual(['Pack one', 'Pack two']);
  await rooms.close(1000, 'done');
});

/** A memory store that records how many updates each append stored. */
function countingAppends() {
  const inner = createMemoryStore();
  const appended: number[] = [];
  const docs: DocStore = {
    ...inner.docs,
    append: (doc, updates, options) => {
      appended.push(updates.length);
      return inner.docs.append(doc, updates, options);
    },
  };
  return { store: { ...inner, docs }, appended };
}

test('updates that come within the commit interval after a commit are stored and sent as one commit', async () => {
  const { store, appended } = countingAppends();
  // An interval far longer than a few turns of the event loop, so the test does not depend on speed.
  const { rooms, room } = await setup(store, { ...defaultRoomOptions, commitIntervalMs: 60_000, batchAboveUpdatesPerSecond: 0 });
  const [a, listener] = [fakeSocket(), fakeSocket()];
  const ca = rooms.connect('demo', a.socket, session, false);
  rooms.connect('demo', listener.socket, session, false);
  await room.ready;
  await room.committed(); // the load's commit: the interval starts here
  appended.splice(0);
  listener.received.splice(0);
  const commit = room.committed();
  for (const id of ['one', 'two', 'three']) {
    sendNewPack(rooms, ca, id);
    await new Promise((resolve) => setImmediate(resolve)); // each in its own turn
  }
  expect(listener.received).toEqual([]); // waiting for the interval, not yet stored
  expect(appended).toEqual([]);
  await room.close(1000, 'done'); // closing stores what waits at once
  await commit.catch(() => {});
  expect(appended).toEqual([1]); // one merged update, in one append
  expect(listener.kinds()).toEqual(['update']);
});

test('below the load that spaces commits out, each update is stored and sent on the next turn', async () => {
  const { store, appended } = countingAppends();
  const { rooms, room } = await setup(store, { ...defaultRoomOptions, commitIntervalMs: 60_000 });
  const [a, listener] = [fakeSocket(), fakeSocket()];
  const ca = rooms.connect('demo', a.socket, session, false);
  rooms.connect('demo', listener.socket, session, false);
  await room.ready;
  await room.committed();
  appended.splice(0);
  listener.received.splice(0);
  for (const id of ['one', 'two']) {
    sendNewPack(rooms, ca, id);
    await room.committed(); // would wait the minute-long interval if a commit were held back
  }
  expect(appended).toEqual([1, 1]);
  expect(listener.kinds()).toEqual(['update', 'update']);
  await rooms.close(1000, 'done');
});

test('sync step 1 is answered with stored state only: while an update waits for its commit, the answer waits too', async () => {
  const inner = createMemoryStore();
  let release: (() => void) | undefined;
  let started: () => void = () => {};
  const docs: DocStore = {
    ...inner.docs,
    append: async (...args) => {
      started();
      await new Promise<void>((resolve) => (release = resolve));
      return inner.docs.append(...args);
    },
  };
  const appendStarts = () => new Promise<void>((resolve) => (started = resolve));
  const { rooms, room } = await setup({ ...inner, docs });
  const writer = fakeSocket();
  const cw = rooms.connect('demo', writer.socket, session, false);
  const loadCommit = appendStarts();
  await room.ready;
  await loadCommit;
  release?.(); // the account-settings write made while loading
  await room.committed();
  const updateCommit = appendStarts();
  sendNewPack(rooms, cw, 'p1');
  await updateCommit; // the commit has started and is waiting
  const late = fakeSocket();
  const cl = rooms.connect('demo', late.socket, session, true);
  rooms.receive('demo', cl, frame(syncProtocol.messageYjsSyncStep1, Y.encodeStateVector(new Y.Doc())));
  expect(late.kinds()).toEqual(['step1']);
  release!();
  await room.committed();
  // The update is sent with its commit; the answer follows once nothing unstored is left.
  expect(late.kinds()).toEqual(['step1', 'update', 'stored', 'step2', 'stored']);
  const seen = new Y.Doc();
  Y.applyUpdate(seen, late.received[3]!.payload);
  expect(readPack(seen, 'p1')?.name).toBe('Pack p1');
  await rooms.close(1000, 'done');
});

test('frames that arrive while the document loads wait for it, in order', async () => {
  const inner = createMemoryStore();
  await inner.docs.append('demo', [clientUpdate((d) => writeNewPack(d, pack('stored')))]);
  let finishLoad: (() => void) | undefined;
  const docs: DocStore = {
    ...inner.docs,
    load: async (name) => (await new Promise<void>((resolve) => (finishLoad = resolve)), inner.docs.load(name)),
  };
  const { rooms, room } = await setup({ ...inner, docs });
  const client = fakeSocket();
  const connection = rooms.connect('demo', client.socket, session, false);
  rooms.receive('demo', connection, frame(syncProtocol.messageYjsSyncStep1, Y.encodeStateVector(new Y.Doc())));
  expect(client.received).toEqual([]);
  finishLoad!();
  await room.ready;
  await room.committed();
  expect(client.kinds().slice(0, 1)).toEqual(['step1']);
  const step2 = client.received.find((r) => r.kind === 'step2')!;
  const seen = new Y.Doc();
  Y.applyUpdate(seen, step2.payload);
  expect(readPack(seen, 'stored')?.name).toBe('Pack stored');
  await rooms.close(1000, 'done');
});
