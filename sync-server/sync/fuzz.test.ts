/**
 * Seeded fuzzing of the room with fake sockets: random and mutated valid frames from admins. The
 * room never throws, a bad frame closes only its own connection, every pack in the document keeps
 * the rules, and a well-behaved client still syncs afterwards. Prints the seed; set FUZZ_SEED to
 * replay one.
 */
import * as encoding from 'lib0/encoding';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { executeCommand } from '../commands/execute.ts';
import {
  readAccount,
  readCatalog,
  readPacks,
  validatePack,
  writeAddComponents,
  writeNewPack,
  writePackDescription,
} from '../../shared/index.ts';
import { defaultLimits, defaultRoomOptions, systemClock } from '../config.ts';
import { quietLogger } from '../log.ts';
import { createMemoryStore } from '../storage/memory.ts';
import type { SyncSocket } from './connection.ts';
import { Rooms } from './rooms.ts';

const session = { accountId: 'demo', role: 'admin' as const, personId: 'fuzz', personName: 'Fuzz' };
const socket = () => {
  const sent: Uint8Array[] = [];
  const closes: number[] = [];
  const s: SyncSocket = { readyState: 1, bufferedAmount: 0, send: (d) => sent.push(d), close: (code) => closes.push(code ?? 0) };
  return { s, sent, closes };
};
const updateFrame = (update: Uint8Array) => {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
};

/** Valid client updates (some breaking rules) to mutate. */
function seedFrames(): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  writeNewPack(doc, {
    id: 'p1',
    name: 'Orders',
    description: '',
    installationType: 'MULTI',
    componentIds: [],
    createdAt: 'x',
    createdBy: 'y',
  });
  writePackDescription(doc, 'p1', 'd'.repeat(600));
  writeAddComponents(doc, 'p1', ['api', 'proc']);
  doc.getMap('catalog').set('x', 1);
  doc.getText('stray').insert(0, 'hello');
  return [...updates.map(updateFrame), new Uint8Array([1, 0]), new Uint8Array([3])];
}

test('fuzzed frames never break the room or the rules', async () => {
  const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
  console.log(`room fuzz seed ${seed} (FUZZ_SEED=${seed} to replay)`);
  const store = createMemoryStore();
  await store.accounts.putAccount({ id: 'demo', name: 'Demo', multiInstallEnabled: true, timeZone: 'UTC' });
  const rooms = new Rooms({
    store,
    limits: defaultLimits,
    options: defaultRoomOptions,
    clock: systemClock,
    log: quietLogger,
    executeCommand,
  });
  await rooms.mutate('demo', (_doc, _origin, records) => {
    records.putComponent({ id: 'api', name: 'API', type: 'API_SERVICE', versions: [1] });
    records.putComponent({ id: 'proc', name: 'Proc', type: 'PROCESS', versions: [1] });
  });
  const valid = seedFrames();
  const frameArb = fc.oneof(
    fc.uint8Array({ maxLength: 64 }),
    fc
      .tuple(fc.constantFrom(...valid), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }))
      .map(([frame, edits]) => {
        const copy = frame.slice();
        for (const [at, value] of edits) if (copy.length > 0) copy[at % copy.length] = value;
        return copy;
      }),
    fc.constantFrom(...valid),
  );
  let current = socket();
  let connection = rooms.connect('demo', current.s, session, true);
  let closedConnections = 0;
  fc.assert(
    fc.property(fc.array(frameArb, { minLength: 50, maxLength: 50 }), (frames) => {
      for (const frame of frames) {
        expect(() => rooms.receive('demo', connection, frame)).not.toThrow();
        if (connection.closed) {
          closedConnections++;
          rooms.disconnect('demo', connection);
          current = socket();
          connection = rooms.connect('demo', current.s, session, true);
        }
      }
    }),
    { seed, numRuns: 30 },
  );
  await rooms.room('demo').committed();
  const doc = rooms.room('demo').doc;
  const account = readAccount(doc)!;
  const catalog = readCatalog(doc);
  for (const pack of readPacks(doc)) expect(validatePack(pack, account, catalog).ok).toBe(true);
  expect(doc.getMap('catalog').has('x')).toBe(false);
  expect(closedConnections).toBeGreaterThan(0);

  // A well-behaved client still syncs: its pack is stored and reaches another connection.
  const watcher = socket();
  rooms.connect('demo', watcher.s, session, false);
  const client = new Y.Doc();
  const updates: Uint8Array[] = [];
  client.on('update', (u: Uint8Array) => updates.push(u));
  writeNewPack(client, {
    id: 'after',
    name: 'After Fuzz',
    description: '',
    installationType: 'SINGLE',
    componentIds: [],
    createdAt: 'x',
    createdBy: 'y',
  });
  const good = socket();
  const goodConnection = rooms.connect('demo', good.s, session, true);
  rooms.receive('demo', goodConnection, updateFrame(updates[0]!));
  await rooms.room('demo').committed();
  expect(readPacks(doc).some((p) => p.id === 'after')).toBe(true);
  expect(watcher.sent.length).toBeGreaterThan(1);
  await rooms.close(1012, 'done');
});
