/**
 * Every REST operation against every kind of caller: no token or a bad one is 401; a viewer reads the
 * publisher's objects and writes nothing; a managed-account user reaches only its own managed
 * account's objects; another publisher's admin reaches nothing of this one. The table must name every
 * REST operation of the OpenAPI document.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { packBody, startRestWorld, V1, type RestWorld } from './support.ts';

let w: RestWorld;
let packId: string;
beforeAll(async () => {
  w = await startRestWorld();
  packId = (
    await w.rest.call('POST', `${V1}/PublisherIntegrationPack`, { token: w.t.tokens.admin, body: packBody('Roles', [w.components.orders]) })
  ).body.id;
});
afterAll(async () => {
  await w.close();
});

type Caller = 'admin' | 'viewer' | 'managed' | 'otherManaged' | 'otherPublisher';
const PUBLISHER_READ: Caller[] = ['admin', 'viewer'];
const PUBLISHER_WRITE: Caller[] = ['admin'];
const MANAGED: Caller[] = ['admin', 'managed'];

interface Operation {
  method: string;
  /** The document's template, e.g. /api/rest/v1/{accountId}/PublisherIntegrationPack/{id}. */
  template: string;
  path: () => string;
  body?: () => unknown;
  allowed: Caller[];
}

const M1 = '/api/rest/v1/m1';
const q = { QueryFilter: { expression: { operator: 'LIKE', property: 'id', argument: ['%'] } } };
const op = (method: string, object: string, suffix: string, allowed: Caller[], base: string, body?: () => unknown): Operation => ({
  method,
  template: `/api/rest/v1/{accountId}/${object}${suffix.replace(/\/[^/]+$/, (s) => (s === '/query' || s === '/queryMore' || s === '/bulk' ? s : '/{id}'))}`,
  path: () => `${base}/${object}${suffix.replace('{pack}', packId)}`,
  ...(body ? { body } : {}),
  allowed,
});
const reads = (object: string, allowed: Caller[], base: string, id: string): Operation[] => [
  op('GET', object, `/${id}`, allowed, base),
  op('POST', object, '/query', allowed, base, () => q),
  op('POST', object, '/queryMore', allowed, base, () => ({ queryToken: 'bm90LWEtdG9rZW4' })),
  op('POST', object, '/bulk', allowed, base, () => ({ request: [{ id }] })),
];

const OPERATIONS: Operation[] = [
  op('POST', 'PublisherIntegrationPack', '', PUBLISHER_WRITE, V1, () => packBody('By role')),
  op('POST', 'PublisherIntegrationPack', '/{pack}', PUBLISHER_WRITE, V1, () => ({ Description: 'changed' })),
  op('DELETE', 'PublisherIntegrationPack', '/nope', PUBLISHER_WRITE, V1),
  ...reads('PublisherIntegrationPack', PUBLISHER_READ, V1, '{pack}'),
  op('POST', 'ReleaseIntegrationPack', '', PUBLISHER_WRITE, V1, () => ({ id: 'nope', releaseSchedule: 'IMMEDIATELY' })),
  op('POST', 'ReleaseIntegrationPack', '/{pack}', PUBLISHER_WRITE, V1, () => ({ releaseOnDate: '2030-01-01' })),
  op('DELETE', 'ReleaseIntegrationPack', '/{pack}', PUBLISHER_WRITE, V1),
  op('GET', 'ReleaseIntegrationPackStatus', '/rq_nope-nope', PUBLISHER_READ, V1),
  ...reads('IntegrationPack', MANAGED, M1, '{pack}'),
  op('POST', 'IntegrationPackInstance', '', MANAGED, M1, () => ({ integrationPackId: 'nope' })),
  op('DELETE', 'IntegrationPackInstance', '/in_nope', MANAGED, M1),
  ...reads('IntegrationPackInstance', MANAGED, M1, 'in_nope'),
  op('POST', 'IntegrationPackEnvironmentAttachment', '', MANAGED, M1, () => ({ integrationPackInstanceId: 'in_nope', environmentId: 'e' })),
  op('DELETE', 'IntegrationPackEnvironmentAttachment', '/nope', MANAGED, M1),
  ...reads('IntegrationPackEnvironmentAttachment', MANAGED, M1, 'nope'),
  op('POST', 'IntegrationPackAtomAttachment', '', MANAGED, M1, () => ({ integrationPackInstanceId: 'in_nope', atomId: 'a' })),
  op('DELETE', 'IntegrationPackAtomAttachment', '/nope', MANAGED, M1),
  ...reads('IntegrationPackAtomAttachment', MANAGED, M1, 'nope'),
];

test('the table names every REST operation of the OpenAPI document', async () => {
  const doc = (await (await fetch(`${w.t.server.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
  const documented = Object.entries(doc.paths)
    .filter(([template]) => template.startsWith('/api/rest/v1/'))
    .flatMap(([template, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${template}`))
    .sort();
  const tabled = OPERATIONS.map((operation) => `${operation.method} ${operation.template}`);
  // The last parameter is named for what it holds ({id}, {requestId}): compare the shapes.
  const normalise = (entry: string) => entry.replace(/\{[^}]+\}$/, '{id}');
  expect([...new Set(tabled.map(normalise))].sort()).toEqual([...new Set(documented.map(normalise))].sort());
});

test('every operation refuses the callers it must, and only those', async () => {
  const tokens: Record<Caller, string> = {
    admin: w.t.tokens.admin,
    viewer: w.t.tokens.viewer,
    managed: w.t.tokens.managed,
    otherManaged: w.managed2,
    otherPublisher: w.t.tokens.otherAdmin,
  };
  const wrong: string[] = [];
  for (const operation of OPERATIONS) {
    const call = (token?: string, basic = false) =>
      w.rest.call(operation.method, operation.path(), {
        ...(token === undefined ? {} : { token, basic }),
        ...(operation.body ? { body: operation.body() } : {}),
      });
    for (const [label, answer] of [
      ['no token', await call()],
      ['a bad token', await call('ipt_not-a-token')],
      ['a bad Basic token', await call('ipt_not-a-token', true)],
    ] as const)
      if (answer.status !== 401) wrong.push(`${operation.method} ${operation.path()} with ${label}: ${answer.status}`);
    for (const caller of Object.keys(tokens) as Caller[]) {
      const answer = await call(tokens[caller], caller === 'admin');
      const allowed = operation.allowed.includes(caller);
      // Another publisher's admin naming m1 learns only that it has no such managed account.
      const refusedAs = caller === 'otherPublisher' && operation.allowed === MANAGED ? [404] : [403];
      if (allowed && (answer.status === 401 || answer.status === 403))
        wrong.push(`${operation.method} ${operation.path()} as ${caller}: refused ${answer.status} ${JSON.stringify(answer.body)}`);
      if (!allowed && !refusedAs.includes(answer.status))
        wrong.push(`${operation.method} ${operation.path()} as ${caller}: ${answer.status}, expected ${refusedAs.join('/')}`);
    }
  }
  expect(wrong).toEqual([]);
  expect(w.rest.checked).toBeGreaterThan(OPERATIONS.length * 7);
});
