/** /readyz says why it is not ready; /metrics can want a token. In-process servers (the real-process path is test/ops). */
import { afterEach, expect, test } from 'vitest';
import { createMemoryStore } from '../storage/memory.ts';
import type { Store } from '../storage/types.ts';
import { startTestServer, type TestServer } from '../../test/server/helpers.ts';
import { createMetrics } from './metrics.ts';
import { createReadinessCheck } from './health.ts';
import { watchSchedule } from './schedule-watch.ts';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});
async function start(config: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
  const t = await startTestServer(config);
  cleanup.push(() => t.close());
  return t;
}
const readyz = async (t: TestServer) => {
  const response = await fetch(`${t.server.url}/readyz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

test('503 with the reason when the store fails to answer a read', async () => {
  const inner = createMemoryStore();
  let failing = false;
  const store: Store = {
    ...inner,
    accounts: {
      ...inner.accounts,
      getAccount: (id) => (failing ? Promise.reject(new Error('connection refused')) : inner.accounts.getAccount(id)),
    },
  };
  const t = await start({ store });
  expect((await readyz(t)).status).toBe(200);
  failing = true;
  expect(await readyz(t)).toEqual({
    status: 503,
    body: expect.objectContaining({ ready: false, store: 'unreachable', reason: 'the store did not answer: connection refused' }),
  });
  failing = false;
  expect((await readyz(t)).status).toBe(200);
  expect((await fetch(`${t.server.url}/healthz`)).status).toBe(200);
});

test('503 when the store hangs (bounded by the probe timeout), when the scheduler is off, and while stopping', async () => {
  const inner = createMemoryStore();
  const hanging: Store = { ...inner, accounts: { ...inner.accounts, getAccount: () => new Promise(() => {}) } };
  const schedule = watchSchedule({ now: () => new Date() });
  const metrics = createMetrics({ connections: () => 0, roomsLoaded: () => 0, schedulerLagSeconds: () => 0 });
  let stopping = false;
  const hung = createReadinessCheck({ store: hanging, schedule, metrics, stopping: () => stopping, storeTimeoutMs: 20 });
  expect(await hung()).toMatchObject({ ready: false, store: 'unreachable', reason: 'the store did not answer within 20 ms' });

  const check = createReadinessCheck({ store: inner, schedule, metrics, stopping: () => stopping });
  expect(await check()).toMatchObject({ ready: false, store: 'ok', scheduler: 'off', reason: 'the auto-apply scheduler is off' });
  schedule.started();
  expect(await check()).toMatchObject({ ready: true, scheduler: 'running' });
  stopping = true;
  expect(await check()).toMatchObject({ ready: false, reason: 'the server is stopping' });
  schedule.stopped();
  stopping = false;
  expect(await check()).toMatchObject({ ready: false, reason: 'the auto-apply scheduler has stopped' });
});

test('a server started without the scheduler is not ready, and says so', async () => {
  const t = await start({ scheduler: false });
  expect(await readyz(t)).toEqual({
    status: 503,
    body: expect.objectContaining({ scheduler: 'off', reason: 'the auto-apply scheduler is off' }),
  });
});

test('/metrics wants the metrics token when one is set', async () => {
  const t = await start({ metricsToken: 'scrape-secret' });
  expect((await fetch(`${t.server.url}/metrics`)).status).toBe(401);
  expect((await fetch(`${t.server.url}/metrics`, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
  const ok = await fetch(`${t.server.url}/metrics`, { headers: { Authorization: 'Bearer scrape-secret' } });
  expect(ok.status).toBe(200);
  expect(await ok.text()).toContain('# TYPE ipack_connections gauge');
});
