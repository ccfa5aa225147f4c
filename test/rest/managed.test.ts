/** What a managed account uses, over real HTTP: IntegrationPack, IntegrationPackInstance, Environment and Atom attachments. */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { packBody, startRestWorld, V1, type RestWorld } from './support.ts';

let w: RestWorld;
let single: string;
let multi: string;
let unreleased: string;
const M1 = '/api/rest/v1/m1';
const M2 = '/api/rest/v1/m2';

beforeEach(async () => {
  w = await startRestWorld();
  const create = async (name: string, type = 'SINGLE', release = true) => {
    const id = (
      await w.rest.call('POST', `${V1}/PublisherIntegrationPack`, {
        token: w.t.tokens.admin,
        body: packBody(name, [w.components.orders], type),
      })
    ).body.id as string;
    if (release)
      await w.rest.call('POST', `${V1}/ReleaseIntegrationPack`, { token: w.t.tokens.admin, body: { id, releaseSchedule: 'IMMEDIATELY' } });
    return id;
  };
  single = await create('Payroll');
  multi = await create('Warehouses', 'MULTI');
  unreleased = await create('Someday', 'SINGLE', false);
});
afterEach(async () => {
  await w.close();
});

const m1 = () => ({ token: w.t.tokens.managed });

test('IntegrationPack lists the released packs the account may install: get, query, bulk', async () => {
  const all = await w.rest.call('POST', `${M1}/IntegrationPack/query`, { ...m1(), body: {} });
  expect(all.body.result.map((pack: { name: string }) => pack.name).sort()).toEqual(['Payroll', 'Warehouses']);
  expect((await w.rest.call('GET', `${M1}/IntegrationPack/${multi}`, m1())).body).toEqual({
    '@type': 'IntegrationPack',
    id: multi,
    name: 'Warehouses',
    Description: 'Warehouses for tests',
    installationType: 'MULTI',
  });
  expect((await w.rest.call('GET', `${M1}/IntegrationPack/${unreleased}`, m1())).status).toBe(404);
  const multiOnly = await w.rest.call('POST', `${M1}/IntegrationPack/query`, {
    ...m1(),
    body: { QueryFilter: { expression: { operator: 'EQUALS', property: 'installationType', argument: ['MULTI'] } } },
  });
  expect(multiOnly.body.numberOfResults).toBe(1);
  const bulk = await w.rest.call('POST', `${M1}/IntegrationPack/bulk`, {
    ...m1(),
    body: { request: [{ id: single }, { id: unreleased }] },
  });
  expect(bulk.body.response.map((entry: { statusCode: number }) => entry.statusCode)).toEqual([200, 404]);
});

test('IntegrationPackInstance: install once for SINGLE, named instances for MULTI, get, query, uninstall', async () => {
  const installed = await w.rest.call('POST', `${M1}/IntegrationPackInstance`, { ...m1(), body: { integrationPackId: single } });
  expect(installed.body).toEqual({ '@type': 'IntegrationPackInstance', id: expect.any(String), integrationPackId: single });
  const twice = await w.rest.call('POST', `${M1}/IntegrationPackInstance`, { ...m1(), body: { integrationPackId: single } });
  expect(twice.status).toBe(409);
  expect(twice.body.error.code).toBe('ALREADY_INSTALLED');
  const unnamed = await w.rest.call('POST', `${M1}/IntegrationPackInstance`, { ...m1(), body: { integrationPackId: multi } });
  expect(unnamed.body.error).toMatchObject({ code: 'OVERRIDE_NAME_REQUIRED', field: 'integrationPackOverrideName' });
  for (const name of ['East', 'West'])
    expect(
      (
        await w.rest.call('POST', `${M1}/IntegrationPackInstance`, {
          ...m1(),
          body: { integrationPackId: multi, integrationPackOverrideName: name },
        })
      ).body.integrationPackOverrideName,
    ).toBe(name);
  const taken = await w.rest.call('POST', `${M1}/IntegrationPackInstance`, {
    ...m1(),
    body: { integrationPackId: multi, integrationPackOverrideName: 'east' },
  });
  expect(taken.body.error.code).toBe('OVERRIDE_NAME_TAKEN');
  expect(
    (await w.rest.call('POST', `${M1}/IntegrationPackInstance`, { ...m1(), body: { integrationPackId: unreleased } })).body.error.code,
  ).toBe('NOT_RELEASED');

  const ofMulti = await w.rest.call('POST', `${M1}/IntegrationPackInstance/query`, {
    ...m1(),
    body: { QueryFilter: { expression: { operator: 'EQUALS', property: 'integrationPackId', argument: [multi] } } },
  });
  expect(
    ofMulti.body.result.map((instance: { integrationPackOverrideName: string }) => instance.integrationPackOverrideName).sort(),
  ).toEqual(['East', 'West']);
  expect((await w.rest.call('GET', `${M1}/IntegrationPackInstance/${installed.body.id}`, m1())).body).toEqual(installed.body);
  const removed = await w.rest.call('DELETE', `${M1}/IntegrationPackInstance/${installed.body.id}`, m1());
  expect(removed.body).toMatchObject({ id: installed.body.id, deleted: true });
  expect((await w.rest.call('GET', `${M1}/IntegrationPackInstance/${installed.body.id}`, m1())).status).toBe(404);
  expect((await w.rest.call('DELETE', `${M1}/IntegrationPackInstance/${installed.body.id}`, m1())).status).toBe(404);
});

test('Environment and Atom attachments: attach, query, detach; each installation once', async () => {
  const instance = (await w.rest.call('POST', `${M1}/IntegrationPackInstance`, { ...m1(), body: { integrationPackId: single } })).body
    .id as string;
  const env = await w.rest.call('POST', `${M1}/IntegrationPackEnvironmentAttachment`, {
    ...m1(),
    body: { integrationPackInstanceId: instance, environmentId: 'prod' },
  });
  expect(env.body).toEqual({
    '@type': 'IntegrationPackEnvironmentAttachment',
    id: expect.any(String),
    integrationPackInstanceId: instance,
    environmentId: 'prod',
  });
  const again = await w.rest.call('POST', `${M1}/IntegrationPackEnvironmentAttachment`, {
    ...m1(),
    body: { integrationPackInstanceId: instance, environmentId: 'prod' },
  });
  expect(again.body.error.code).toBe('ALREADY_ATTACHED');
  for (const atomId of ['atom-a', 'atom-b'])
    await w.rest.call('POST', `${M1}/IntegrationPackAtomAttachment`, { ...m1(), body: { integrationPackInstanceId: instance, atomId } });
  const atoms = await w.rest.call('POST', `${M1}/IntegrationPackAtomAttachment/query`, {
    ...m1(),
    body: { QueryFilter: { expression: { operator: 'EQUALS', property: 'integrationPackInstanceId', argument: [instance] } } },
  });
  expect(atoms.body.result.map((entry: { atomId: string }) => entry.atomId).sort()).toEqual(['atom-a', 'atom-b']);
  const detached = await w.rest.call('DELETE', `${M1}/IntegrationPackAtomAttachment/${atoms.body.result[0].id}`, m1());
  expect(detached.body.deleted).toBe(true);
  expect((await w.rest.call('DELETE', `${M1}/IntegrationPackAtomAttachment/${atoms.body.result[0].id}`, m1())).status).toBe(404);
  expect((await w.rest.call('DELETE', `${M1}/IntegrationPackEnvironmentAttachment/not-an-id`, m1())).status).toBe(404);
  const envs = await w.rest.call('POST', `${M1}/IntegrationPackEnvironmentAttachment/query`, { ...m1(), body: {} });
  expect(envs.body.numberOfResults).toBe(1);
  const unknownInstance = await w.rest.call('POST', `${M1}/IntegrationPackAtomAttachment`, {
    ...m1(),
    body: { integrationPackInstanceId: 'in_nope', atomId: 'a' },
  });
  expect(unknownInstance.status).toBe(404);
});

test("a managed account sees only its own: another's installations are 404 to an admin naming it, 403 to its token", async () => {
  const theirs = (await w.rest.call('POST', `${M2}/IntegrationPackInstance`, { token: w.managed2, body: { integrationPackId: single } }))
    .body.id;
  expect((await w.rest.call('GET', `${M1}/IntegrationPackInstance/${theirs}`, m1())).status).toBe(404);
  expect((await w.rest.call('DELETE', `${M1}/IntegrationPackInstance/${theirs}`, m1())).status).toBe(404);
  expect(
    (
      await w.rest.call('POST', `${M1}/IntegrationPackAtomAttachment`, {
        ...m1(),
        body: { integrationPackInstanceId: theirs, atomId: 'x' },
      })
    ).status,
  ).toBe(404);
  expect((await w.rest.call('GET', `${M2}/IntegrationPackInstance/${theirs}`, m1())).status).toBe(403);
  // An admin of the publisher may act for a managed account it names.
  expect((await w.rest.call('GET', `${M2}/IntegrationPackInstance/${theirs}`, { token: w.t.tokens.admin })).status).toBe(200);
  const unknown = await w.rest.call('POST', '/api/rest/v1/m9/IntegrationPackInstance/query', { token: w.t.tokens.admin, body: {} });
  expect(unknown.status).toBe(404);
  expect(unknown.body.error.code).toBe('MANAGED_ACCOUNT_UNKNOWN');
});
