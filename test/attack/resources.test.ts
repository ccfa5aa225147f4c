/**
 * Attack: one token spends the server's resources. A viewer floods sync step 1 frames against a big
 * document (each answer a fresh encoding of all of it); sockets never read what they are sent; one
 * viewer token takes every connection slot of the account. Answers come from a cached encoding and
 * step 1 is rate-limited per connection; a socket whose unsent bytes pass a small bound is closed;
 * slots are counted per person and per role, so admins always get in.
 */
import * as encoding from 'lib0/encoding';
import { afterEach, expect, test } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { MessageType, writeNewPack } from '../../shared/index.ts';
import { defaultLimits } from '../../sync-server/config.ts';
import { synced, waitFor } from '../server/helpers.ts';
import { upgradeStatus } from '../server/raw-socket.ts';
import { ACCOUNT, greeted, rawClient, startArena, type Arena } from './support.ts';

let arena: Arena | undefined;
afterEach(async () => {
  await arena?.close();
  arena = undefined;
});

/** Adds `count` packs with descriptions of `descriptionBytes` (4-byte emoji), in chunks of 500 per commit. */
async function addPacks(target: Arena, count: number, descriptionBytes: number, prefix = 'bulk'): Promise<void> {
  const description = '😀'.repeat(Math.floor(descriptionBytes / 4));
  for (let start = 0; start < count; start += 500)
    await target.server.rooms.mutate(ACCOUNT, (doc, origin) => {
      for (let i = start; i < Math.min(count, start + 500); i++)
        writeNewPack(
          doc,
          {
            id: `${prefix}-${i}`,
            name: `Bulk ${i}`,
            description,
            installationType: 'SINGLE',
            componentIds: [],
            createdAt: '2026-06-01T00:00:00.000Z',
            createdBy: 'Avery Admin',
          },
          origin,
        );
    });
}

function step1Frame(): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  syncProtocol.writeSyncStep1(encoder, new Y.Doc());
  return encoding.toUint8Array(encoder);
}

test('400 sync step 1 frames against a 1.3 MB document: a few are answered, then the connection is closed', async () => {
  arena = await startArena();
  await addPacks(arena, 650, 2_000);
  const size = await arena.server.rooms.read(ACCOUNT, (doc) => Y.encodeStateAsUpdate(doc).byteLength);
  expect(size).toBeGreaterThan(1_300_000);
  const flooder = rawClient(arena, arena.val);
  await greeted(flooder);
  const frame = step1Frame();
  for (let i = 0; i < 400; i++) flooder.send(frame);
  await waitFor([flooder], () => flooder.closed !== undefined, 'the flooder is closed', 30_000);
  const answers = flooder.received.filter((r) => r.syncType === syncProtocol.messageYjsSyncStep2).length;
  // Past the burst the rate limit closes it (1008), unless its unread answers passed the bound first (1013).
  expect([1008, 1013]).toContain(flooder.closed?.code);
  expect(answers).toBeLessThanOrEqual(defaultLimits.syncStep1Burst);
  // Everyone else still syncs the whole document.
  const other = arena.client(arena.bob);
  await synced(other);
  expect(Y.encodeStateAsUpdate(other.doc).byteLength).toBeGreaterThan(1_300_000);
}, 60_000);

test('sockets that never read are closed once their unsent bytes pass the bound; a 20 MiB document still reaches a new client', async () => {
  arena = await startArena();
  const readers = Array.from({ length: 4 }, () => rawClient(arena!, arena!.val));
  await Promise.all(readers.map(greeted));
  const reading = arena.client(arena.bob);
  await synced(reading);
  const baseline = arena.server.rooms.connectionCount(ACCOUNT);
  for (const reader of readers) (reader.ws as unknown as { _socket: { pause(): void } })._socket.pause();
  await addPacks(arena, 10_000, 2_000);
  await waitFor(
    [{ events: reading.events }],
    () => arena!.server.rooms.connectionCount(ACCOUNT) === baseline - readers.length,
    'the never-reading sockets are closed',
    30_000,
  );
  const size = await arena.server.rooms.read(ACCOUNT, (doc) => Y.encodeStateAsUpdate(doc).byteLength);
  expect(size).toBeGreaterThan(20 * 2 ** 20);
  const fresh = arena.client(arena.ann);
  await waitFor([fresh], () => fresh.provider.synced, 'a new client syncs the 20 MiB document', 60_000);
  expect(fresh.doc.getMap('packs').size).toBeGreaterThanOrEqual(10_000);
}, 120_000);

test('one viewer token cannot take every slot: slots are counted per person and per role, admins always get in', async () => {
  arena = await startArena();
  const url = (token: string) => `${arena!.wsUrl}/${ACCOUNT}?token=${token}`;
  const open: ReturnType<typeof rawClient>[] = [];
  const tryOpen = async (token: string) => {
    const socket = rawClient(arena!, token, { proto: false });
    const opened = await socket.opened.then(
      () => true,
      () => false,
    );
    if (opened) open.push(socket);
    return opened;
  };
  let accepted = 0;
  for (let i = 0; i < defaultLimits.maxConnectionsPerAccount; i++) if (await tryOpen(arena.val)) accepted++;
  expect(accepted).toBe(defaultLimits.maxConnectionsPerPerson);
  expect((await upgradeStatus(url(arena.ann))).status).toBe(101);

  // Many viewers together stop at the viewers' share; admins still get in.
  const viewers = await Promise.all(Array.from({ length: 12 }, (_, i) => arena!.person(`flood-viewer-${i}`, 'viewer')));
  for (const token of viewers) for (let i = 0; i < defaultLimits.maxConnectionsPerPerson; i++) await tryOpen(token);
  const viewerSlots = open.length;
  expect(viewerSlots).toBe(defaultLimits.maxViewerConnectionsPerAccount);
  expect((await upgradeStatus(url(arena.ann))).status).toBe(101);
  expect((await upgradeStatus(url(arena.bob))).status).toBe(101);
  const refusal = await upgradeStatus(url(viewers[0]!));
  expect(refusal.status).toBe(503);
  expect(refusal.body).toMatch(/TOO_MANY_CONNECTIONS/);
  for (const socket of open) socket.close();
});
