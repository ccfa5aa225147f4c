/** Auth before anything: refused upgrades load no document; tokens work from ?token= or a Bearer header. */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { createMemoryStore } from '../../sync-server/storage/memory.ts';
import type { Store } from '../../sync-server/storage/types.ts';
import { startTestServer, type TestServer } from './helpers.ts';
import { upgradeStatus } from './raw-socket.ts';

let t: TestServer;
let loads: string[];

/** The memory store, counting document loads. */
function countingStore(): Store {
  const store = createMemoryStore();
  return {
    ...store,
    docs: {
      ...store.docs,
      load: (name) => {
        loads.push(name);
        return store.docs.load(name);
      },
    },
  };
}

beforeEach(async () => {
  loads = [];
  // No auto-apply: its start-up pass reads every account's document, which these tests count.
  t = await startTestServer({ store: countingStore(), scheduler: false });
});
afterEach(async () => {
  await t.close();
});

const url = (accountId: string, token?: string, extra = '') =>
  `${t.wsUrl}/${accountId}${token === undefined ? '' : `?token=${encodeURIComponent(token)}`}${extra}`;

test('a missing or bad token gets 401 and loads nothing', async () => {
  expect((await upgradeStatus(url('demo'))).status).toBe(401);
  const bad = await upgradeStatus(url('demo', 'ipt_not-a-real-token'));
  expect(bad.status).toBe(401);
  expect(JSON.parse(bad.body)).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
  expect((await upgradeStatus(url('demo'), { Authorization: 'Bearer nope' })).status).toBe(401);
  expect(t.server.rooms.loadedAccounts()).toEqual([]);
  expect(loads).toEqual([]);
});

test('a token of another account gets 403 and loads nothing', async () => {
  expect((await upgradeStatus(url('acme', t.tokens.admin))).status).toBe(403);
  expect((await upgradeStatus(url('demo', t.tokens.otherAdmin))).status).toBe(403);
  expect((await upgradeStatus(url('nonexistent', t.tokens.admin))).status).toBe(403);
  expect(t.server.rooms.isLoaded('acme')).toBe(false);
  expect(t.server.rooms.isLoaded('demo')).toBe(false);
  expect(loads).toEqual([]);
});

test('a managed-account user may not open /sync (403); they use the HTTP API', async () => {
  const refused = await upgradeStatus(url('demo', t.tokens.managed));
  expect(refused.status).toBe(403);
  expect(refused.body).toContain('HTTP API');
  expect(loads).toEqual([]);
});

test('admins and viewers open their account with ?token= or an Authorization header', async () => {
  expect((await upgradeStatus(url('demo', t.tokens.admin))).status).toBe(101);
  expect((await upgradeStatus(url('demo', t.tokens.viewer, '&proto=1'))).status).toBe(101);
  expect((await upgradeStatus(url('demo'), { Authorization: `Bearer ${t.tokens.admin2}` })).status).toBe(101);
  expect(loads).toEqual(['demo']);
});

test('paths other than /sync/<accountId> are 404', async () => {
  expect((await upgradeStatus(`${t.wsUrl}?token=${t.tokens.admin}`)).status).toBe(404);
  expect((await upgradeStatus(`${t.wsUrl}/demo/extra?token=${t.tokens.admin}`)).status).toBe(404);
  expect((await upgradeStatus(`${t.wsUrl}/%E0%A4%A?token=${t.tokens.admin}`)).status).toBe(404);
  expect(loads).toEqual([]);
});

test('HTTP API: 401 without a valid bearer token, 403 for another account; tokens in the query are not accepted there', async () => {
  const me = (headers: Record<string, string>, query = '') => fetch(`${t.server.url}/api/me${query}`, { headers });
  expect((await me({})).status).toBe(401);
  expect((await me({}, `?token=${t.tokens.admin}`)).status).toBe(401);
  expect((await me({ Authorization: 'Bearer wrong' })).status).toBe(401);
  const ok = await me({ Authorization: `Bearer ${t.tokens.managed}` });
  expect(await ok.json()).toEqual({ accountId: 'demo', role: 'managed', personId: 'max', personName: 'max', managedAccountId: 'm1' });
  const other = await fetch(`${t.server.url}/api/accounts/acme/components`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${t.tokens.admin}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'X', type: 'PROCESS' }),
  });
  expect(other.status).toBe(403);
  expect(await other.json()).toEqual({ error: { code: 'FORBIDDEN', message: expect.any(String) } });
  expect(loads).toEqual([]);
});
