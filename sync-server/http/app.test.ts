/**
 * The route layer over real HTTP: parameters decoded, HEAD for GET, 404/405, bodies read only where a
 * route takes one, the caller checked before the body, valibot validation naming the field, Basic
 * auth where a route allows it, one error shape, and the OpenAPI document and its page.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import * as v from 'valibot';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../../test/server/helpers.ts';
import { defineRoute, HttpError } from './route.ts';
import { apiRoutes } from './routes.ts';

const errors: string[] = [];
const echo = defineRoute({
  method: 'POST',
  url: '/api/test/echo/:name',
  summary: 'Echo',
  auth: { roles: ['admin'], basic: true },
  body: v.object({ count: v.pipe(v.number('count must be a number'), v.integer()), note: v.optional(v.string()) }),
  responses: { 200: { description: 'The body', schema: v.object({ name: v.string(), count: v.number() }) } },
  handler: (request) => ({ status: 200, body: { name: request.params.name, count: request.body.count } }),
});
const broken = defineRoute({
  method: 'GET',
  url: '/api/test/broken',
  summary: 'Fails',
  responses: {},
  handler: () => {
    throw new Error('boom');
  },
});
const refuses = defineRoute({
  method: 'GET',
  url: '/api/test/refuses',
  summary: 'Refuses',
  responses: {},
  handler: () => {
    throw new HttpError(409, 'CONFLICT', 'No.');
  },
});

const outside = defineRoute({
  method: 'GET',
  url: '/test-outside',
  summary: 'A route outside /api',
  responses: { 200: { description: 'Up', schema: v.object({ ok: v.boolean() }) } },
  handler: () => ({ status: 200, body: { ok: true } }),
});

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({
    routes: [echo, broken, refuses, outside],
    limits: { maxHttpBodyBytes: 1024 },
    log: { info: () => {}, warn: () => {}, error: (line: string) => errors.push(line) },
  });
});
afterAll(async () => {
  await t.close();
});

const call = (path: string, init: RequestInit = {}) => fetch(`${t.server.url}${path}`, init);
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const basic = (token: string) => ({ Authorization: `Basic ${Buffer.from(`api:${token}`).toString('base64')}` });
const post = (path: string, headers: Record<string, string>, body?: string) =>
  call(path, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, ...(body === undefined ? {} : { body }) });

test('parameters are decoded; HEAD answers for GET; unknown paths 404, other methods 405, in the one error shape', async () => {
  const echoed = await post('/api/test/echo/de%20mo', bearer(t.tokens.admin), '{"count":2}');
  expect(await echoed.json()).toEqual({ name: 'de mo', count: 2 });
  const head = await call('/api/me', { method: 'HEAD', headers: bearer(t.tokens.admin) });
  expect(head.status).toBe(200);
  expect(await head.text()).toBe('');
  const missing = await call('/api/nothing/here');
  expect(missing.status).toBe(404);
  expect(await missing.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'No API route GET /api/nothing/here.' } });
  const wrongMethod = await call('/api/health', { method: 'DELETE' });
  expect(wrongMethod.status).toBe(405);
  expect(await wrongMethod.json()).toEqual({ error: { code: 'METHOD_NOT_ALLOWED', message: 'DELETE is not allowed on /api/health.' } });
  expect((await call('/api/accounts/de%E0%A4%A/summary', { headers: bearer(t.tokens.admin) })).status).toBe(404);
  expect(await (await call('/test-outside')).json()).toEqual({ ok: true });
  expect(await (await call('/test-elsewhere')).json()).toMatchObject({
    error: { code: 'NOT_FOUND', message: expect.stringContaining('PWA') },
  });
  const preflight = await call('/api/anything', { method: 'OPTIONS' });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get('access-control-allow-headers')).toContain('Idempotency-Key');
});

test('a body is required where a route takes one, must be JSON and within the limit; other routes ignore it', async () => {
  const admin = bearer(t.tokens.admin);
  expect(await (await post('/api/test/echo/x', admin)).json()).toEqual({
    error: { code: 'BODY_REQUIRED', message: 'A JSON body is required.' },
  });
  expect(await (await post('/api/test/echo/x', admin, '{"count":')).json()).toMatchObject({ error: { code: 'INVALID_JSON' } });
  const poisoned = await post('/api/test/echo/x', admin, '{"count":1,"__proto__":{"admin":true}}');
  expect(poisoned.status).toBe(400);
  const big = await post('/api/test/echo/x', admin, JSON.stringify({ count: 1, note: 'x'.repeat(2000) }));
  expect(big.status).toBe(413);
  expect(await big.json()).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'Request bodies are limited to 1024 bytes.' } });
  // The versions route takes no body: a stray one (even not JSON) is not read as one.
  expect((await post('/api/accounts/demo/components/nope/versions', admin, 'not json')).status).toBe(404);
});

test('a bad field gets 400 naming it; the caller is checked before the body is read', async () => {
  const answer = await post('/api/test/echo/x', bearer(t.tokens.admin), '{"count":"two"}');
  expect(answer.status).toBe(400);
  expect(await answer.json()).toEqual({ error: { code: 'INVALID_FIELD', message: 'count: count must be a number', field: 'count' } });
  expect((await post('/api/test/echo/x', bearer(t.tokens.viewer), '{"count":')).status).toBe(403);
  expect((await post('/api/test/echo/x', {}, 'x'.repeat(5000))).status).toBe(401);
});

test('Basic auth with the token as the password where a route allows it, never elsewhere', async () => {
  expect((await post('/api/test/echo/x', basic(t.tokens.admin), '{"count":1}')).status).toBe(200);
  expect((await post('/api/test/echo/x', basic('ipt_wrong'), '{"count":1}')).status).toBe(401);
  expect((await call('/api/me', { headers: basic(t.tokens.admin) })).status).toBe(401);
});

test('a handler that throws answers 500 in the error shape and is logged; an HttpError answers its status', async () => {
  const failed = await call('/api/test/broken');
  expect(failed.status).toBe(500);
  expect(await failed.json()).toEqual({ error: { code: 'INTERNAL', message: expect.stringContaining('nothing was changed') } });
  expect(errors.some((line) => line.includes('GET /api/test/broken failed') && line.includes('boom'))).toBe(true);
  expect(await (await call('/api/test/refuses')).json()).toEqual({ error: { code: 'CONFLICT', message: 'No.' } });
});

test('the OpenAPI 3.1 document passes a validator and describes every route from its schemas', async () => {
  const answer = await call('/api/openapi.json');
  expect(answer.headers.get('content-type')).toContain('application/json');
  const doc = (await answer.json()) as { openapi: string; paths: Record<string, Record<string, Record<string, unknown>>> };
  expect(doc.openapi).toBe('3.1.0');
  const result = await new Validator().validate(doc as never);
  expect(result).toEqual({ valid: true });
  for (const route of [...apiRoutes, echo]) {
    const path = route.url.replace(/:(\w+)/g, '{$1}');
    expect(doc.paths[path]?.[route.method.toLowerCase()], `${route.method} ${path}`).toMatchObject({ summary: route.summary });
  }
  const echoOperation = doc.paths['/api/test/echo/{name}']!.post!;
  expect(echoOperation.security).toEqual([{ bearerToken: [] }, { basicToken: [] }]);
  expect(echoOperation.requestBody).toMatchObject({
    content: { 'application/json': { schema: { properties: { count: { type: 'integer' } }, required: ['count'] } } },
  });
});

test('/api/docs is Swagger UI from this server, with a CSP that allows only its own files', async () => {
  const page = await call('/api/docs/');
  expect(page.status).toBe(200);
  const csp = page.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain('https:');
  const html = await page.text();
  const scripts = [...html.matchAll(/<script src="([^"]+)"/g)].map((match) => match[1]!);
  expect(scripts.length).toBeGreaterThan(0);
  for (const src of scripts) {
    expect(src, 'no script from elsewhere').not.toMatch(/^(https?:)?\/\//);
    expect((await call(new URL(src, `${t.server.url}/api/docs/`).pathname)).status).toBe(200);
  }
  const initializer = await (await call('/api/docs/static/swagger-initializer.js')).text();
  expect(initializer).toContain('json');
});
