/** PublisherIntegrationPack over real HTTP: create, get, update, delete, idempotent retries, errors, live on open pages. */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { readPack } from '../../shared/schema.ts';
import { connectClient, synced, waitFor } from '../server/helpers.ts';
import { packBody, startRestWorld, V1, type RestWorld } from './support.ts';

let w: RestWorld;
beforeEach(async () => {
  w = await startRestWorld();
});
afterEach(async () => {
  await w.close();
});

const PACKS = `${V1}/PublisherIntegrationPack`;
const admin = () => ({ token: w.t.tokens.admin });

test('create answers the pack in the platform shape; get answers it with Bearer or Basic; an open page sees it at once', async () => {
  const page = connectClient({ wsUrl: w.t.wsUrl, accountId: 'demo', token: w.t.tokens.viewer });
  await synced(page);
  try {
    const created = await w.rest.call('POST', PACKS, {
      ...admin(),
      body: packBody('  Order Sync ', [w.components.orders, w.components.invoices]),
    });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      '@type': 'PublisherIntegrationPack',
      id: expect.stringMatching(/^[\w-]{21}$/),
      name: 'Order Sync',
      Description: '  Order Sync  for tests',
      installationType: 'SINGLE',
      PublisherPackagedComponents: {
        PublisherPackagedComponent: [
          {
            componentId: w.components.invoices,
            componentName: 'Invoices',
            componentType: 'PROCESS',
            pendingVersion: 1,
            latestVersion: 1,
            deleted: false,
          },
          {
            componentId: w.components.orders,
            componentName: 'Orders',
            componentType: 'PROCESS',
            pendingVersion: 1,
            latestVersion: 1,
            deleted: false,
          },
        ],
      },
    });
    const id = created.body.id as string;
    const bearer = await w.rest.call('GET', `${PACKS}/${id}`, { token: w.t.tokens.viewer });
    expect(bearer.body).toEqual(created.body);
    expect(bearer.headers.get('etag')).toBe(created.headers.get('etag'));
    expect((await w.rest.call('GET', `${PACKS}/${id}`, { token: w.t.tokens.admin, basic: true })).body).toEqual(created.body);
    await waitFor([page], () => readPack(page.doc, id)?.name === 'Order Sync', 'the page sees the new pack');
  } finally {
    page.destroy();
  }
});

test('the packaged components follow the Publications table: current, pending, latest and deleted after releases and publishes', async () => {
  const { orders, invoices } = w.components;
  const id = (await w.rest.call('POST', PACKS, { ...admin(), body: packBody('Orders', [orders, invoices]) })).body.id as string;
  expect(
    (await w.rest.call('POST', `${V1}/ReleaseIntegrationPack`, { ...admin(), body: { id, releaseSchedule: 'IMMEDIATELY' } })).status,
  ).toBe(200);
  await w.publish(orders);
  const updated = await w.rest.call('POST', `${PACKS}/${id}`, {
    ...admin(),
    body: {
      PublisherPackagedComponents: {
        PublisherPackagedComponent: [{ componentId: orders }, { componentId: invoices, operationType: 'DELETE' }],
      },
    },
  });
  expect(updated.status).toBe(200);
  expect(updated.body.PublisherPackagedComponents.PublisherPackagedComponent).toEqual([
    { componentId: invoices, componentName: 'Invoices', componentType: 'PROCESS', currentVersion: 1, latestVersion: 1, deleted: true },
    {
      componentId: orders,
      componentName: 'Orders',
      componentType: 'PROCESS',
      currentVersion: 1,
      pendingVersion: 2,
      latestVersion: 2,
      deleted: false,
    },
  ]);
});

test("update changes what it names, the component list replaces the pack's, and If-Match guards against lost updates", async () => {
  const { orders, invoices } = w.components;
  const created = await w.rest.call('POST', PACKS, { ...admin(), body: packBody('Billing', [orders]) });
  const id = created.body.id as string;
  const etag = created.headers.get('etag')!;
  const renamed = await w.rest.call('POST', `${PACKS}/${id}`, {
    ...admin(),
    headers: { 'If-Match': etag },
    body: { name: 'Billing v2', PublisherPackagedComponents: { PublisherPackagedComponent: [{ componentId: invoices }] } },
  });
  expect(renamed.body).toMatchObject({ name: 'Billing v2', Description: 'Billing for tests' });
  expect(renamed.body.PublisherPackagedComponents.PublisherPackagedComponent.map((c: { componentId: string }) => c.componentId)).toEqual([
    invoices,
  ]);
  const stale = await w.rest.call('POST', `${PACKS}/${id}`, { ...admin(), headers: { 'If-Match': etag }, body: { name: 'Lost' } });
  expect(stale.status).toBe(412);
  expect(stale.body.error.code).toBe('PRECONDITION_FAILED');
  expect(
    (
      await w.rest.call('POST', `${PACKS}/${id}`, {
        ...admin(),
        headers: { 'If-Match': renamed.headers.get('etag')! },
        body: { name: 'Kept' },
      })
    ).body.name,
  ).toBe('Kept');
  const typeChange = await w.rest.call('POST', `${PACKS}/${id}`, { ...admin(), body: { installationType: 'MULTI' } });
  expect(typeChange.status).toBe(400);
  expect(typeChange.body.error).toMatchObject({ code: 'TYPE_FIXED', field: 'installationType' });
  const otherId = await w.rest.call('POST', `${PACKS}/${id}`, { ...admin(), body: { id: 'another', name: 'X' } });
  expect(otherId.body.error).toMatchObject({ code: 'INVALID_FIELD', field: 'id' });
  expect((await w.rest.call('POST', `${PACKS}/nope`, { ...admin(), body: { name: 'X' } })).status).toBe(404);
});

test('a bad field gets 400 naming it, in the platform names; a rule of the page refuses the whole pack', async () => {
  const refused = async (body: unknown) => {
    const answer = await w.rest.call('POST', PACKS, { ...admin(), body });
    expect(answer.status).toBe(400);
    return answer.body.error;
  };
  expect(await refused({ Description: 'no name' })).toMatchObject({ field: 'name' });
  expect(await refused({ name: '   ' })).toMatchObject({ code: 'NAME_REQUIRED', field: 'name' });
  expect(await refused({ name: 'X', Description: 'd'.repeat(501) })).toMatchObject({ code: 'DESCRIPTION_TOO_LONG', field: 'Description' });
  expect(await refused({ name: 'X', installationType: 'BOTH' })).toMatchObject({ field: 'installationType' });
  expect(await refused(packBody('X', [w.components.statusApi], 'MULTI'))).toMatchObject({
    code: 'API_SERVICE_IN_MULTI',
    field: 'PublisherPackagedComponents',
  });
  expect(await refused(packBody('X', ['cmp_nope']))).toMatchObject({ code: 'COMPONENT_UNKNOWN', field: 'PublisherPackagedComponents' });
  expect(await refused({ name: 'X', PublisherPackagedComponents: { PublisherPackagedComponent: [{ componentId: 7 }] } })).toMatchObject({
    field: 'PublisherPackagedComponents.PublisherPackagedComponent.0.componentId',
  });
  const query = await w.rest.call('POST', `${PACKS}/query`, { ...admin(), body: {} });
  expect(query.body.numberOfResults).toBe(0);
});

test('idempotent retries: the same Idempotency-Key creates one pack and answers it each time, also when sent at once', async () => {
  const headers = { 'Idempotency-Key': 'pipeline-build-4711-create' };
  const [first, second] = await Promise.all([
    w.rest.call('POST', PACKS, { ...admin(), headers, body: packBody('Once') }),
    w.rest.call('POST', PACKS, { ...admin(), headers, body: packBody('Once') }),
  ]);
  const third = await w.rest.call('POST', PACKS, { ...admin(), headers, body: packBody('Once') });
  expect(first.body.id).toBe(second.body.id);
  expect(third.body).toEqual(first.body);
  expect((await w.rest.call('POST', `${PACKS}/query`, { ...admin(), body: {} })).body.numberOfResults).toBe(1);
  const history = (await w.t.server.store.records.history('demo', { limit: 1_000 })).filter((record) => record.kind === 'CREATE_PACK');
  expect(history).toHaveLength(1);
  expect(history[0]).toMatchObject({ actor: 'ann', status: 'SUCCESS', packId: first.body.id });

  const reused = await w.rest.call('DELETE', `${PACKS}/${first.body.id}`, { ...admin(), headers });
  expect(reused.status).toBe(422);
  expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  expect((await w.rest.call('GET', `${PACKS}/${first.body.id}`, admin())).status).toBe(200);
  const otherBody = await w.rest.call('POST', PACKS, { ...admin(), headers, body: packBody('Another name') });
  expect(otherBody.status).toBe(422);

  const short = await w.rest.call('POST', PACKS, { ...admin(), headers: { 'Idempotency-Key': 'short' }, body: packBody('X') });
  expect(short.body.error).toMatchObject({ code: 'INVALID_FIELD', field: 'Idempotency-Key' });
});

test('an update retried with its key (and its If-Match) answers as the first time instead of 412', async () => {
  const created = await w.rest.call('POST', PACKS, { ...admin(), body: packBody('Retry') });
  const headers = { 'Idempotency-Key': 'pipeline-update-retry-1', 'If-Match': created.headers.get('etag')! };
  const first = await w.rest.call('POST', `${PACKS}/${created.body.id}`, { ...admin(), headers, body: { name: 'Retried' } });
  const again = await w.rest.call('POST', `${PACKS}/${created.body.id}`, { ...admin(), headers, body: { name: 'Retried' } });
  expect(first.status).toBe(200);
  expect(again.status).toBe(200);
  expect(again.body.name).toBe('Retried');
});

test('delete uninstalls the pack everywhere and detaches its Atoms and environments', async () => {
  const created = await w.rest.call('POST', PACKS, { ...admin(), body: packBody('Doomed', [w.components.orders]) });
  const id = created.body.id as string;
  await w.rest.call('POST', `${V1}/ReleaseIntegrationPack`, { ...admin(), body: { id, releaseSchedule: 'IMMEDIATELY' } });
  const m1 = '/api/rest/v1/m1';
  const instance = await w.rest.call('POST', `${m1}/IntegrationPackInstance`, {
    token: w.t.tokens.managed,
    body: { integrationPackId: id },
  });
  expect(instance.status).toBe(200);
  await w.rest.call('POST', `${m1}/IntegrationPackAtomAttachment`, {
    token: w.t.tokens.managed,
    body: { integrationPackInstanceId: instance.body.id, atomId: 'atom-1' },
  });
  const deleted = await w.rest.call('DELETE', `${PACKS}/${id}`, admin());
  expect(deleted.status).toBe(200);
  expect(deleted.body).toEqual({
    id,
    deleted: true,
    message: 'Doomed was deleted. It was uninstalled from 1 instance in 1 managed account; 1 Atom and 0 environments were detached.',
  });
  expect((await w.rest.call('GET', `${PACKS}/${id}`, admin())).status).toBe(404);
  expect(await w.t.server.rooms.read('demo', (_doc, records) => [...records.instances()].length)).toBe(0);
  expect((await w.rest.call('GET', `${m1}/IntegrationPackInstance/${instance.body.id}`, { token: w.t.tokens.managed })).status).toBe(404);
  const again = await w.rest.call('DELETE', `${PACKS}/${id}`, admin());
  expect(again.status).toBe(404);
  expect(again.body.error.code).toBe('PACK_DELETED');
});
