/**
 * The routes outside /api/rest answer as the OpenAPI document says, errors included: each one called
 * through the checking client (the REST operations are covered by the other files of test/rest).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startRestWorld, type RestWorld } from './support.ts';

let w: RestWorld;
beforeAll(async () => {
  w = await startRestWorld();
});
afterAll(async () => {
  await w.close();
});

test('every operation outside /api/rest answers as documented, on success and on error', async () => {
  const { rest } = w;
  const admin = { token: w.t.tokens.admin };
  await rest.call('GET', '/api/health');
  await rest.call('GET', '/api/me', admin);
  await rest.call('GET', '/api/me');
  const command = { idempotencyKey: 'documented-release-1', command: { type: 'RELEASE', packId: 'nope', releaseSchedule: 'IMMEDIATELY' } };
  expect((await rest.call('POST', '/api/accounts/demo/commands', { ...admin, body: command })).body.status).toBe('ERROR');
  expect((await rest.call('POST', '/api/accounts/demo/commands', { ...admin, body: { idempotencyKey: 'x' } })).status).toBe(400);
  expect((await rest.call('POST', '/api/accounts/demo/commands', { token: w.t.tokens.viewer, body: command })).status).toBe(403);
  // A refusal binds no key (it changed nothing); a key that ran a command cannot run another one.
  const create = {
    idempotencyKey: 'documented-create-1',
    command: { type: 'CREATE_PACK', name: 'Documented', installationType: 'SINGLE' },
  };
  expect((await rest.call('POST', '/api/accounts/demo/commands', { ...admin, body: create })).body.status).toBe('SUCCESS');
  const reused = { ...create, command: { ...create.command, name: 'Other' } };
  expect((await rest.call('POST', '/api/accounts/demo/commands', { ...admin, body: reused })).status).toBe(422);
  const page = await rest.call('GET', '/api/accounts/demo/history?limit=2', admin);
  expect(page.status).toBe(200);
  expect((await rest.call('GET', `/api/accounts/demo/history?cursor=${page.body.nextCursor}&packId=x`, admin)).status).toBe(200);
  expect((await rest.call('GET', '/api/accounts/demo/history?cursor=bogus', admin)).status).toBe(400);
  expect((await rest.call('GET', '/api/accounts/demo/rollout?limit=1', admin)).status).toBe(200);
  expect((await rest.call('GET', '/api/accounts/demo/rollout', { token: w.t.tokens.managed })).status).toBe(403);
  expect(
    (await rest.call('POST', '/api/accounts/demo/components', { ...admin, body: { name: 'Documented', type: 'PROCESS' } })).status,
  ).toBe(201);
  expect((await rest.call('POST', '/api/accounts/demo/components', { ...admin, body: { name: '', type: 'PROCESS' } })).status).toBe(400);
  expect((await rest.call('POST', `/api/accounts/demo/components/${w.components.orders}/versions`, admin)).status).toBe(200);
  expect((await rest.call('POST', '/api/accounts/demo/components/nope/versions', admin)).status).toBe(404);
  await rest.call('GET', '/api/accounts/demo/doc-size', admin);
  await rest.call('GET', '/api/accounts/demo/summary', admin);
  expect((await rest.call('GET', '/api/accounts/acme/summary', admin)).status).toBe(403);
  await rest.call('GET', '/api/managed', { token: w.t.tokens.managed });
  expect((await rest.call('GET', '/api/managed?managedAccountId=m2', admin)).status).toBe(200);
  expect((await rest.call('GET', '/api/managed', admin)).status).toBe(400);
  await rest.call('GET', '/healthz');
  await rest.call('GET', '/readyz');
  expect((await rest.call('GET', '/metrics')).body).toContain('# HELP');

  const outside = rest.operations.filter((operation) => !operation.includes(' /api/rest/'));
  expect(outside.filter((operation) => !rest.covered.has(operation))).toEqual([]);
});
