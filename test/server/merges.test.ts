/**
 * Limits only a merge can cross, and repairs that meet concurrent edits: the result is the same
 * whichever edit reaches the server first, and nobody's valid edit is lost to a repair.
 *   - Two offline admins take a pack from 40 components to 100 and to 41 (each valid alone): merged,
 *     the pack keeps the first 100 by id, and both admins' other edits stay.
 *   - A stock client's invalid name (repaired) and another admin's concurrent valid rename, made
 *     offline: the valid one is the name, in either order.
 */
import { afterEach, expect, test } from 'vitest';
import * as Y from 'yjs';
import {
  limits,
  packsMap,
  readPack,
  writeAddComponents,
  writeComponent,
  writeNewPack,
  writePackDescription,
  writePackName,
} from '../../shared/index.ts';
import { connectClient, covers, startTestServer, synced, waitFor, type TestClient, type TestServer } from './helpers.ts';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `proc-${String(from + i).padStart(3, '0')}`);

async function server(): Promise<TestServer> {
  const t = await startTestServer();
  cleanup.push(() => t.close());
  await t.server.rooms.mutate('demo', (doc, origin) => {
    for (const id of [...ids(0, 110), 'aaa-early']) writeComponent(doc, { id, name: id, type: 'PROCESS', versions: [1] }, origin);
    writeNewPack(
      doc,
      {
        id: 'big',
        name: 'Big',
        description: 'Before',
        installationType: 'SINGLE',
        componentIds: ids(0, 40),
        createdAt: '2026-01-01T00:00:00.000Z',
        createdBy: 'ann',
      },
      origin,
    );
  });
  return t;
}

function client(t: TestServer, token: string, proto = false): TestClient {
  const c = connectClient({ wsUrl: t.wsUrl, accountId: 'demo', token, proto });
  cleanup.push(() => c.destroy());
  return c;
}

/** Reconnects an offline client and waits until the server has everything it wrote. */
async function deliver(t: TestServer, c: TestClient): Promise<void> {
  c.provider.connect();
  await synced(c);
  const mine = Y.encodeStateVector(c.doc);
  await waitFor([c], () => covers(Y.encodeStateVector(t.server.rooms.room('demo').doc), mine), 'the server has the client’s edits');
  await t.server.rooms.room('demo').committed();
}

const serverPack = (t: TestServer) => readPack(t.server.rooms.room('demo').doc, 'big')!;

test('two offline admins past 100 components: the same 100 whichever arrives first, and their other edits kept', async () => {
  const outcomes: ReturnType<typeof serverPack>[] = [];
  for (const order of [
    ['ann', 'bob'],
    ['bob', 'ann'],
  ] as const) {
    const t = await server();
    const ann = client(t, t.tokens.admin);
    const bob = client(t, t.tokens.admin2);
    await Promise.all([synced(ann), synced(bob)]);
    ann.provider.disconnect();
    bob.provider.disconnect();
    writeAddComponents(ann.doc, 'big', ids(40, 100)); // 100: valid alone
    writePackName(ann.doc, 'big', 'Renamed By Ann');
    writeAddComponents(bob.doc, 'big', ['aaa-early']); // 41: valid alone
    writePackDescription(bob.doc, 'big', 'Described By Bob');
    for (const who of order) await deliver(t, who === 'ann' ? ann : bob);
    outcomes.push(serverPack(t));
  }
  const [first, second] = outcomes;
  expect(first!.componentIds).toHaveLength(limits.componentsPerPack);
  expect(first!.componentIds).toEqual(second!.componentIds);
  expect(first!.componentIds).toContain('aaa-early');
  for (const pack of outcomes) expect(pack).toMatchObject({ name: 'Renamed By Ann', description: 'Described By Bob' });
});

test("a repair of one client's invalid name does not lose another admin's concurrent valid rename, in either order", async () => {
  for (const order of ['invalid first', 'valid first'] as const) {
    const t = await server();
    const stock = client(t, t.tokens.admin, true);
    const bob = client(t, t.tokens.admin2);
    await Promise.all([synced(stock), synced(bob)]);
    stock.provider.disconnect();
    bob.provider.disconnect();
    (packsMap(stock.doc).get('big') as Y.Map<unknown>).set('name', ''); // invalid: repaired by the server
    writePackName(bob.doc, 'big', 'Renamed Offline By Bob');
    if (order === 'invalid first') {
      await deliver(t, stock);
      await waitFor([stock], () => stock.notices.some((n) => n.code === 'NAME_REQUIRED'), 'the stock client is told');
      await deliver(t, bob);
    } else {
      await deliver(t, bob);
      await deliver(t, stock);
    }
    expect(serverPack(t).name, order).toBe('Renamed Offline By Bob');
  }
});
