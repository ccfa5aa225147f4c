/**
 * A room's life: loaded on first use, unloaded when idle (and compacted), compacted when its update
 * log grows, and shut down (not crashed) when storage fails — nothing unstored is sent on.
 */
import { afterEach, expect, test } from 'vitest';
import * as Y from 'yjs';
import { readPack, writeNewPack, writePackName, type IntegrationPack } from '../../shared/index.ts';
import { createMemoryStore } from '../../sync-server/storage/memory.ts';
import type { Store } from '../../sync-server/storage/types.ts';
import { connectClient, covers, sameState, startTestServer, synced, waitFor, type TestClient, type TestServer } from './helpers.ts';
import { EventEmitter } from 'node:events';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});
const pack = (id: string): IntegrationPack => ({
  id,
  name: `Pack ${id}`,
  description: '',
  installationType: 'SINGLE',
  componentIds: [],
  createdAt: 'x',
  createdBy: 'y',
});

async function start(config: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
  const t = await startTestServer(config);
  cleanup.push(() => t.close());
  return t;
}
function client(t: TestServer, token: string, proto = false): TestClient {
  const c = connectClient({ wsUrl: t.wsUrl, accountId: 'demo', token, proto });
  cleanup.push(() => c.destroy());
  return c;
}

test('an idle room is stored, compacted and unloaded; the next client finds everything', async () => {
  const t = await start({ rooms: { idleUnloadMs: 20 } });
  const unloaded = new EventEmitter();
  let unloadedRooms = 0;
  t.server.rooms.onUnloaded = () => (unloadedRooms++, unloaded.emit('change'));
  const a = client(t, t.tokens.admin, true);
  await synced(a);
  writeNewPack(a.doc, pack('p1'));
  writePackName(a.doc, 'p1', 'Renamed');
  const mine = Y.encodeStateVector(a.doc);
  await waitFor([a], () => a.stored.some((sv) => covers(sv, mine)), 'stored');
  a.provider.disconnect();
  // onUnloaded: stored and compacted (with an asynchronous store that comes after isLoaded turns false).
  await waitFor([{ events: unloaded }], () => unloadedRooms > 0 && !t.server.rooms.isLoaded('demo'), 'unloaded');
  expect(await t.server.store.docs.sizes('demo')).toMatchObject({ logCount: 0 });
  const b = client(t, t.tokens.admin2);
  await synced(b);
  expect(readPack(b.doc, 'p1')?.name).toBe('Renamed');
});

test('the update log is merged into a snapshot past the threshold, and the document loads the same', async () => {
  const t = await start({ rooms: { compactAfterUpdates: 10, idleUnloadMs: 60_000 } });
  const a = client(t, t.tokens.admin, true);
  await synced(a);
  writeNewPack(a.doc, pack('p1'));
  for (let i = 0; i < 40; i++) {
    writePackName(a.doc, 'p1', `Name ${i}`);
    const want = a.stored.length + 1;
    await waitFor([a], () => a.stored.length >= want, `stored ${i}`);
  }
  const sizes = await t.server.store.docs.sizes('demo');
  expect(sizes.snapshotBytes).toBeGreaterThan(0);
  expect(sizes.logCount).toBeLessThanOrEqual(11);
  const stored = await t.server.store.docs.load('demo');
  const doc = new Y.Doc();
  Y.applyUpdate(doc, stored.snapshot!);
  for (const update of stored.updates) Y.applyUpdate(doc, update);
  expect(readPack(doc, 'p1')?.name).toBe('Name 39');
  expect(sameState(doc, a.doc)).toBe(true);
});

test('server mutations resolve after their changes are stored, and reach open connections', async () => {
  const t = await start({});
  const a = client(t, t.tokens.viewer);
  await synced(a);
  const result = await t.server.rooms.mutate('demo', (doc, origin) => {
    doc.transact(() => {
      for (let i = 0; i < 2_000; i++) writeNewPack(doc, pack(`bulk-${i}`), origin);
    }, origin);
    return 'done';
  });
  expect(result).toBe('done');
  const stored = await t.server.store.docs.load('demo');
  const doc = new Y.Doc();
  for (const update of stored.updates) Y.applyUpdate(doc, update);
  expect(readPack(doc, 'bulk-1999')).toBeDefined();
  await waitFor([a], () => readPack(a.doc, 'bulk-1999') !== undefined, 'the viewer receives the bulk change');
  await expect(
    t.server.rooms.mutate('demo', () => {
      throw new Error('boom');
    }),
  ).rejects.toThrow('boom');
});

test('when storing fails, nothing unstored reaches other clients; connections close with 1013 and the sender is told', async () => {
  const inner = createMemoryStore();
  let failAppends = false;
  const store: Store = {
    ...inner,
    docs: { ...inner.docs, append: (...args) => (failAppends ? Promise.reject(new Error('disk full')) : inner.docs.append(...args)) },
  };
  const t = await start({ store });
  const sender = client(t, t.tokens.admin, true);
  const other = client(t, t.tokens.admin2);
  await Promise.all([synced(sender), synced(other)]);
  writeNewPack(sender.doc, pack('kept'));
  await waitFor([other], () => readPack(other.doc, 'kept') !== undefined, 'the first edit is stored and sent');

  failAppends = true;
  writeNewPack(sender.doc, pack('lost'));
  await waitFor(
    [sender, other],
    () => sender.notices.some((n) => n.code === 'STORAGE_FAILED') && other.closes.some((c) => c.code === 1013),
    'storage failure reported',
  );
  expect(readPack(other.doc, 'lost')).toBeUndefined();
  expect(t.server.rooms.isLoaded('demo')).toBe(false);

  // Storage is back: the sender's edit was kept on its device and arrives after the reconnect.
  failAppends = false;
  await waitFor([sender, other], () => readPack(other.doc, 'lost') !== undefined, 'the edit arrives after reconnecting', 15_000);
});
