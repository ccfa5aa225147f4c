/** query, queryMore and bulk over real HTTP: filters with EQUALS and LIKE grouped with and/or, paging by queryToken, bulk limits. */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { packBody, startRestWorld, V1, type RestWorld } from './support.ts';

let w: RestWorld;
const ids: Record<string, string> = {};
const NAMES = ['Order Sync', 'Order Export', 'order audit', 'Invoice Sync', 'HR Onboarding', 'Orders EU', 'Billing', 'Payroll'];
const MULTI = new Set(['Order Export', 'Orders EU', 'Payroll']);

beforeAll(async () => {
  w = await startRestWorld({ pageSize: 3 });
  for (const name of NAMES) {
    const created = await w.rest.call('POST', `${V1}/PublisherIntegrationPack`, {
      token: w.t.tokens.admin,
      body: packBody(name, [], MULTI.has(name) ? 'MULTI' : 'SINGLE'),
    });
    ids[name] = created.body.id;
  }
});
afterAll(async () => {
  await w.close();
});

const PACKS = `${V1}/PublisherIntegrationPack`;
const query = (expression?: unknown) =>
  w.rest.call('POST', `${PACKS}/query`, {
    token: w.t.tokens.viewer,
    body: expression === undefined ? {} : { QueryFilter: { expression } },
  });
const test_ = (property: string, operator: string, value: string) => ({ operator, property, argument: [value] });
const namesOf = (result: { name: string }[]) => result.map((pack) => pack.name).sort();

test('a query pages through queryToken → queryMore: sorted by id, nothing repeated or skipped, no token on the last page', async () => {
  const first = await query();
  expect(first.body).toMatchObject({ '@type': 'QueryResult', numberOfResults: 8 });
  expect(first.body.result).toHaveLength(3);
  const second = await w.rest.call('POST', `${PACKS}/queryMore`, { token: w.t.tokens.viewer, text: first.body.queryToken });
  const third = await w.rest.call('POST', `${PACKS}/queryMore`, { token: w.t.tokens.viewer, body: { queryToken: second.body.queryToken } });
  expect(second.body.result).toHaveLength(3);
  expect(third.body.result).toHaveLength(2);
  expect(third.body.queryToken).toBeUndefined();
  const seen = [...first.body.result, ...second.body.result, ...third.body.result].map((pack: { id: string }) => pack.id);
  expect(seen).toEqual(Object.values(ids).sort());
});

test('a pack added between pages is neither repeated nor makes another one skip', async () => {
  const first = await query(test_('name', 'LIKE', '%'));
  const added = await w.rest.call('POST', PACKS, { token: w.t.tokens.admin, body: packBody('Zeta Added Midway') });
  let token = first.body.queryToken as string | undefined;
  const seen = first.body.result.map((pack: { id: string }) => pack.id);
  for (let page = 0; token && page < 10; page++) {
    const next = await w.rest.call('POST', `${PACKS}/queryMore`, { token: w.t.tokens.viewer, text: token });
    seen.push(...next.body.result.map((pack: { id: string }) => pack.id));
    token = next.body.queryToken;
  }
  expect(new Set(seen).size).toBe(seen.length);
  for (const id of Object.values(ids)) expect(seen).toContain(id);
  await w.rest.call('DELETE', `${PACKS}/${added.body.id}`, { token: w.t.tokens.admin });
});

test('EQUALS and LIKE (%, _, any case) on name, id and installationType, grouped with and / or', async () => {
  expect(namesOf((await query(test_('name', 'EQUALS', 'Billing'))).body.result)).toEqual(['Billing']);
  expect(namesOf((await query(test_('name', 'EQUALS', 'billing'))).body.result)).toEqual([]);
  expect((await query(test_('name', 'LIKE', 'order%'))).body.numberOfResults).toBe(4);
  expect(namesOf((await query(test_('name', 'LIKE', 'Order_ EU'))).body.result)).toEqual(['Orders EU']);
  expect(namesOf((await query(test_('id', 'EQUALS', ids.Payroll!))).body.result)).toEqual(['Payroll']);
  expect((await query(test_('installationType', 'EQUALS', 'MULTI'))).body.numberOfResults).toBe(3);
  const grouped = await query({
    operator: 'or',
    nestedExpression: [
      { operator: 'and', nestedExpression: [test_('name', 'LIKE', 'Order%'), test_('installationType', 'EQUALS', 'MULTI')] },
      test_('id', 'EQUALS', ids.Billing!),
    ],
  });
  expect(grouped.body.numberOfResults).toBe(3);
  const pages = [...grouped.body.result];
  if (grouped.body.queryToken)
    pages.push(
      ...(await w.rest.call('POST', `${PACKS}/queryMore`, { token: w.t.tokens.viewer, text: grouped.body.queryToken })).body.result,
    );
  expect(namesOf(pages)).toEqual(['Billing', 'Order Export', 'Orders EU']);
});

test('a query that is not one gets 400 naming the field; a queryToken of another query object or made up gets 400', async () => {
  const property = await query(test_('colour', 'EQUALS', 'red'));
  expect(property.status).toBe(400);
  expect(property.body.error.field).toBe('QueryFilter.expression.property');
  expect((await query({ operator: 'BETWEEN', property: 'name', argument: ['a'] })).body.error.field).toBe(
    'QueryFilter.expression.operator',
  );
  expect((await query({ operator: 'EQUALS', property: 'name', argument: ['a', 'b'] })).body.error.field).toBe(
    'QueryFilter.expression.argument',
  );
  const token = (await query()).body.queryToken as string;
  const elsewhere = await w.rest.call('POST', '/api/rest/v1/m1/IntegrationPack/queryMore', { token: w.t.tokens.admin, text: token });
  expect(elsewhere.status).toBe(400);
  expect(elsewhere.body.error).toMatchObject({ code: 'INVALID_QUERY_TOKEN', field: 'queryToken' });
  expect((await w.rest.call('POST', `${PACKS}/queryMore`, { token: w.t.tokens.viewer, text: 'bm90IGEgdG9rZW4' })).status).toBe(400);
  expect((await w.rest.call('POST', `${PACKS}/queryMore`, { token: w.t.tokens.viewer, body: {} })).status).toBe(400);
});

test('bulk answers each id in the order asked (200 or 404), up to 100 ids; 101 or none get 400 naming request', async () => {
  const bulk = (list: string[]) =>
    w.rest.call('POST', `${PACKS}/bulk`, { token: w.t.tokens.viewer, body: { type: 'GET', request: list.map((id) => ({ id })) } });
  const mixed = await bulk([ids.Payroll!, 'missing', ids.Billing!]);
  expect(mixed.body.response.map((entry: { index: number; statusCode: number }) => [entry.index, entry.statusCode])).toEqual([
    [0, 200],
    [1, 404],
    [2, 200],
  ]);
  expect(mixed.body.response[0].Result.name).toBe('Payroll');
  const hundred = Array.from({ length: 100 }, (_, i) => (i < 8 ? Object.values(ids)[i]! : `absent-${i}`));
  const full = await bulk(hundred);
  expect(full.status).toBe(200);
  expect(full.body.response.filter((entry: { statusCode: number }) => entry.statusCode === 200)).toHaveLength(8);
  const over = await bulk([...hundred, 'one-more']);
  expect(over.status).toBe(400);
  expect(over.body.error).toMatchObject({ field: 'request', message: expect.stringContaining('at most 100') });
  expect((await bulk([])).body.error.field).toBe('request');
});
