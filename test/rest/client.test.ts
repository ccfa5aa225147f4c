/** The test client itself: an answer the OpenAPI document does not describe fails the call. */
import * as v from 'valibot';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { defineRoute } from '../../sync-server/http/route.ts';
import { startTestServer, type TestServer } from '../server/helpers.ts';
import { restClient } from './client.ts';

const liar = defineRoute({
  method: 'GET',
  url: '/api/test/liar',
  summary: 'Answers what it does not document',
  responses: { 200: { description: 'A count', schema: v.object({ count: v.number() }) } },
  handler: () => ({ status: 200, body: { count: 'many' } }),
});
const honest = defineRoute({
  method: 'GET',
  url: '/api/test/honest',
  summary: 'Answers what it documents',
  responses: { 200: { description: 'A count', schema: v.object({ count: v.number() }) } },
  handler: () => ({ status: 200, body: { count: 3 } }),
});

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ routes: [liar, honest] });
});
afterAll(async () => {
  await t.close();
});

test('answers are checked against the document: a body off its schema, or an undocumented path, fails the call', async () => {
  const rest = await restClient(t.server.url);
  expect((await rest.call('GET', '/api/test/honest')).body).toEqual({ count: 3 });
  await expect(rest.call('GET', '/api/test/liar')).rejects.toThrow(/does not conform/);
  await expect(rest.call('GET', '/api/test/unknown')).rejects.toThrow(/not in the OpenAPI document/);
  expect((await rest.call('GET', '/api/me')).status).toBe(401);
  expect(rest.checked).toBe(2);
});
