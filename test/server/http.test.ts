/** The HTTP API (publish components and versions, live on open pages) and the PWA's static files. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { Root, type PublishedComponent } from '../../shared/index.ts';
import { connectClient, startTestServer, synced, tempDir, waitFor, type TestClient, type TestServer } from './helpers.ts';

let t: TestServer;
let clients: TestClient[] = [];
let staticDir: string;

beforeEach(async () => {
  staticDir = tempDir('ip-static-');
  mkdirSync(join(staticDir, 'assets'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Integration Packs</title>');
  writeFileSync(join(staticDir, 'sw.js'), 'self.addEventListener("fetch", () => {});');
  writeFileSync(join(staticDir, 'manifest.webmanifest'), '{}');
  writeFileSync(join(staticDir, 'assets', 'index-abc123.js'), 'console.log(1)');
  t = await startTestServer({ staticDir, limits: { maxHttpBodyBytes: 1024 } });
});
afterEach(async () => {
  for (const client of clients) client.destroy();
  clients = [];
  await t.close();
});

const api = (path: string, token: string | undefined, init: { method?: string; body?: unknown } = {}) =>
  fetch(`${t.server.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), 'Content-Type': 'application/json' },
    ...(init.body === undefined ? {} : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
  });

test('GET /api/health and GET /api/me for each role', async () => {
  expect(await (await api('/api/health', undefined)).json()).toEqual({ status: 'ok' });
  expect(await (await api('/api/me', t.tokens.admin)).json()).toEqual({
    accountId: 'demo',
    role: 'admin',
    personId: 'ann',
    personName: 'ann',
  });
  expect(await (await api('/api/me', t.tokens.viewer)).json()).toMatchObject({ role: 'viewer' });
});

test('publishing a component and a new version shows up live on an open page', async () => {
  const page = connectClient({ wsUrl: t.wsUrl, accountId: 'demo', token: t.tokens.viewer });
  clients.push(page);
  await synced(page);
  const created = await api('/api/accounts/demo/components', t.tokens.admin, {
    method: 'POST',
    body: { name: '  NetSuite Order Export ', type: 'PROCESS' },
  });
  expect(created.status).toBe(201);
  const component = (await created.json()) as PublishedComponent;
  expect(component).toEqual({ id: expect.stringMatching(/^cmp_/), name: 'NetSuite Order Export', type: 'PROCESS', versions: [1] });
  const catalog = () => page.doc.getMap<PublishedComponent>(Root.catalog).get(component.id);
  await waitFor([page], () => catalog()?.versions.length === 1, 'the page sees the component');

  const next = await api(`/api/accounts/demo/components/${component.id}/versions`, t.tokens.admin2, { method: 'POST' });
  expect(next.status).toBe(200);
  expect(await next.json()).toEqual({ ...component, versions: [1, 2] });
  await waitFor([page], () => catalog()?.versions.join() === '1,2', 'the page sees version 2');
  expect(await t.server.store.docs.sizes('demo')).toMatchObject({ logCount: expect.any(Number) });
});

test('publishing: admins only, valid bodies only, known components only', async () => {
  const body = { name: 'Order Status API', type: 'API_SERVICE' };
  expect((await api('/api/accounts/demo/components', t.tokens.viewer, { method: 'POST', body })).status).toBe(403);
  expect((await api('/api/accounts/demo/components', t.tokens.managed, { method: 'POST', body })).status).toBe(403);
  expect((await api('/api/accounts/demo/components', undefined, { method: 'POST', body })).status).toBe(401);
  const invalid = await api('/api/accounts/demo/components', t.tokens.admin, { method: 'POST', body: { name: '', type: 'PROCESS' } });
  expect(invalid.status).toBe(400);
  expect(await invalid.json()).toEqual({ error: { code: 'INVALID_COMPONENT', message: 'name is required' } });
  expect((await api('/api/accounts/demo/components', t.tokens.admin, { method: 'POST', body: { name: 'X', type: 'WIDGET' } })).status).toBe(
    400,
  );
  expect((await api('/api/accounts/demo/components', t.tokens.admin, { method: 'POST', body: '{"name":' })).status).toBe(400);
  const tooBig = await api('/api/accounts/demo/components', t.tokens.admin, {
    method: 'POST',
    body: { name: 'x'.repeat(2000), type: 'PROCESS' },
  });
  expect(tooBig.status).toBe(413);
  const missing = await api('/api/accounts/demo/components/nope/versions', t.tokens.admin, { method: 'POST' });
  expect(missing.status).toBe(404);
  expect(await missing.json()).toMatchObject({ error: { code: 'COMPONENT_NOT_FOUND' } });
});

test('unknown API routes are JSON 404s, wrong methods 405, and preflights are answered', async () => {
  const unknown = await api('/api/nothing', t.tokens.admin);
  expect(unknown.status).toBe(404);
  expect(await unknown.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  expect((await api('/api/me', t.tokens.admin, { method: 'POST' })).status).toBe(405);
  const preflight = await fetch(`${t.server.url}/api/me`, { method: 'OPTIONS' });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get('access-control-allow-headers')).toContain('Authorization');
});

test('the PWA: files, the shell for app routes, sw.js and the manifest uncached, hashed assets immutable', async () => {
  const get = (path: string) => fetch(`${t.server.url}${path}`);
  const root = await get('/');
  expect(root.status).toBe(200);
  expect(await root.text()).toContain('Integration Packs');
  const deep = await get('/packs/abc');
  expect(deep.status).toBe(200);
  expect(deep.headers.get('content-type')).toContain('text/html');
  expect(deep.headers.get('cache-control')).toBe('no-cache');
  expect((await get('/sw.js')).headers.get('cache-control')).toBe('no-cache');
  expect((await get('/manifest.webmanifest')).headers.get('cache-control')).toBe('no-cache');
  const asset = await get('/assets/index-abc123.js');
  expect(asset.headers.get('cache-control')).toContain('immutable');
  expect(asset.headers.get('content-type')).toContain('javascript');
  expect((await get('/assets/missing-123.js')).status).toBe(404);
  expect((await get('/../../etc/passwd')).status).not.toBe(500);
  expect(await (await get('/%2e%2e/%2e%2e/etc/passwd')).text()).not.toContain('root:');
});
