// Not a test: server pipeline cost per update (parse → apply → rules → SQLite commit → fan-out), fake sockets.
// Run: npx tsx test/server/pipeline-probe.ts [updates] [listeners] [full|normal] [inline|worker] [frames per event-loop turn]
import { rmSync } from 'node:fs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { writeNewPack, writePackDescription } from '../../shared/index.ts';
import { defaultLimits, defaultRoomOptions, systemClock } from '../../sync-server/config.ts';
import { quietLogger } from '../../sync-server/log.ts';
import { openSqliteStore } from '../../sync-server/storage/sqlite.ts';
import { Rooms } from '../../sync-server/sync/rooms.ts';
import type { SyncSocket } from '../../sync-server/sync/connection.ts';
import { executeCommand } from '../../sync-server/commands/execute.ts';
import { tempDir } from './helpers.ts';

const [updatesArg, listenersArg, durabilityArg, writerArg, burstArg] = process.argv.slice(2);
const BURST = Number(burstArg) || 20;
/** With a sixth argument R: paced at R updates/s (a burst every 2 ms) instead of as fast as possible. */
const RATE = Number(process.argv[7]) || 0;
const UPDATES = Number(updatesArg) || 5000;
const LISTENERS = listenersArg === undefined ? 50 : Number(listenersArg);
const dir = tempDir();
const store = openSqliteStore(`${dir}/sync.db`, {
  durability: durabilityArg === 'normal' ? 'normal' : 'full',
  writer: writerArg === 'worker' ? 'worker' : 'inline',
});
await store.accounts.putAccount({ id: 'demo', name: 'Demo', multiInstallEnabled: true, timeZone: 'UTC' });
const rooms = new Rooms({
  store,
  limits: { ...defaultLimits, messagesPerSecond: 1e9, messageBurst: 1e9 },
  options: defaultRoomOptions,
  clock: systemClock,
  log: quietLogger,
  executeCommand,
});
let sentBytes = 0;
let frames = 0;
const socket = (onSend?: (data: Uint8Array) => void): SyncSocket => ({
  readyState: 1,
  bufferedAmount: 0,
  send: (d) => {
    sentBytes += d.byteLength;
    frames++;
    onSend?.(d);
  },
  close: () => {},
});
// Listener 0 applies what it is sent and records when description i (update i+1) first shows.
const seenAt: number[] = [];
const listenerDoc = new Y.Doc();
const listen = (data: Uint8Array) => {
  const decoder = decoding.createDecoder(data);
  if (decoding.readVarUint(decoder) !== 0 || decoding.readVarUint(decoder) !== syncProtocol.messageYjsUpdate) return;
  Y.applyUpdate(listenerDoc, decoding.readVarUint8Array(decoder));
  const description = (listenerDoc.getMap('packs').get('p') as Y.Map<string> | undefined)?.get('description') ?? '';
  const index = Number(description.split(' ')[1] ?? NaN);
  for (let i = seenAt.length; i <= index; i++) seenAt[i] = performance.now();
};
const session = { accountId: 'demo', role: 'admin' as const, personId: 'p', personName: 'P' };
const writer = rooms.connect('demo', socket(), session, true);
for (let i = 0; i < LISTENERS; i++) rooms.connect('demo', socket(i === 0 ? listen : undefined), session, false);
await rooms.room('demo').ready;

// Prepare client updates: one pack, then UPDATES description edits, each its own update.
const client = new Y.Doc();
const updates: Uint8Array[] = [];
client.on('update', (u: Uint8Array) => updates.push(u));
writeNewPack(client, { id: 'p', name: 'P', description: '', installationType: 'SINGLE', componentIds: [], createdAt: 'x', createdBy: 'x' });
for (let i = 0; i < UPDATES; i++) writePackDescription(client, 'p', `description ${i}`);
const framesOut = updates.map((u) => {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  syncProtocol.writeUpdate(e, u);
  return encoding.toUint8Array(e);
});

const sentAt: number[] = [];
const start = performance.now();
// Deliver BURST frames per event-loop turn (as sockets would), letting group commit batch them.
for (let i = 0; i < framesOut.length; i += BURST) {
  for (const f of framesOut.slice(i, i + BURST)) {
    sentAt.push(performance.now());
    rooms.receive('demo', writer, f);
  }
  if (RATE > 0) {
    const due = start + ((i + BURST) / RATE) * 1000;
    await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
  } else await new Promise((r) => setImmediate(r));
}
await rooms.room('demo').committed();
const ms = performance.now() - start;
const sizes = await store.docs.sizes('demo');
// sentAt[0] is the new pack; sentAt[k + 1] is description k.
const latencies = sentAt
  .slice(1)
  .map((t, k) => (seenAt[k] ?? NaN) - t)
  .filter((x) => !Number.isNaN(x))
  .sort((a, b) => a - b);
const q = (p: number) => +(latencies[Math.floor(p * (latencies.length - 1))] ?? NaN).toFixed(2);
console.log(
  JSON.stringify({
    updates: UPDATES + 1,
    listeners: LISTENERS,
    burst: BURST,
    paced: RATE || 'no',
    durability: durabilityArg ?? 'full',
    writer: writerArg ?? 'inline',
    ms: Math.round(ms),
    updatesPerSecond: Math.round(((UPDATES + 1) / ms) * 1000),
    framesSent: frames,
    mbSent: +(sentBytes / 1e6).toFixed(1),
    commits: sizes.logCount,
    latencyMs: { p50: q(0.5), p99: q(0.99), n: latencies.length },
  }),
);
await rooms.close(1012, 'bye');
await store.close();
rmSync(dir, { recursive: true, force: true });
