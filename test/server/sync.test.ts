import { afterEach, beforeEach, expect, test } from 'vitest';
import * as Y from 'yjs';
import { writeNewPack, writePackDescription } from '../../shared/index.ts';
import { connectClient, packJson, sameState, startTestServer, synced, waitFor, type TestClient, type TestServer } from './helpers.ts';

let t: TestServer;
let clients: TestClient[] = [];
beforeEach(async () => {
  t = await startTestServer();
});
afterEach(async () => {
  for (const client of clients) client.destroy();
  clients = [];
  await t.close();
});
const client = (token: string, proto = false, accountId = 'demo') => {
  const c = connectClient({ wsUrl: t.wsUrl, accountId, token, proto });
  clients.push(c);
  return c;
};
const pack = (id: string, name: string, installationType: 'SINGLE' | 'MULTI' = 'SINGLE') => ({
  id,
  name,
  description: '',
  installationType,
  componentIds: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'ann',
});

test('two stock providers converge through the server', async () => {
  const a = client(t.tokens.admin);
  const b = client(t.tokens.admin2);
  await Promise.all([synced(a), synced(b)]);
  writeNewPack(a.doc, pack('p1', 'Orders'));
  writeNewPack(b.doc, pack('p2', 'Billing'));
  writePackDescription(a.doc, 'p1', 'Order sync');
  await waitFor([a, b], () => sameState(a.doc, b.doc) && Object.keys(packJson(a.doc)).length === 2, 'a and b converge');
  expect(packJson(b.doc)).toMatchObject({ p1: { name: 'Orders', description: 'Order sync' }, p2: { name: 'Billing' } });
});

test('a proto client hears that its edits are stored', async () => {
  const a = client(t.tokens.admin, true);
  await synced(a);
  writeNewPack(a.doc, pack('p1', 'Orders'));
  const mine = Y.encodeStateVector(a.doc);
  await waitFor(
    [a],
    () =>
      a.stored.some((sv) => {
        const stored = Y.decodeStateVector(sv);
        return [...Y.decodeStateVector(mine)].every(([client, clock]) => (stored.get(client) ?? 0) >= clock);
      }),
    'stored covers the edit',
  );
  expect(a.notices).toEqual([]);
});
