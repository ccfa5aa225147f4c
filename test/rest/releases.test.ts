/**
 * ReleaseIntegrationPack over real HTTP: immediate and scheduled releases, a scheduled release
 * updated (date and versions) and then applied on its date (injected clock, the scheduler ticked by
 * the test), 202 while its update is being applied, cancel, idempotent retries and the errors.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { packBody, startRestWorld, V1, type RestWorld } from './support.ts';

let w: RestWorld;
beforeEach(async () => {
  w = await startRestWorld({ now: '2026-03-10T12:00:00Z' });
});
afterEach(async () => {
  await w.close();
});

const RELEASE = `${V1}/ReleaseIntegrationPack`;
const STATUS = `${V1}/ReleaseIntegrationPackStatus`;
const admin = () => ({ token: w.t.tokens.admin });

/** A pack holding Orders and Invoices, released once, installed in m1 and m2. */
async function releasedPack() {
  const created = await w.rest.call('POST', `${V1}/PublisherIntegrationPack`, {
    ...admin(),
    body: packBody('Order Sync', [w.components.orders, w.components.invoices]),
  });
  const id = created.body.id as string;
  expect((await w.rest.call('POST', RELEASE, { ...admin(), body: { id, releaseSchedule: 'IMMEDIATELY' } })).status).toBe(200);
  for (const [account, token] of [
    ['m1', w.t.tokens.managed],
    ['m2', w.managed2],
  ] as const)
    expect(
      (await w.rest.call('POST', `/api/rest/v1/${account}/IntegrationPackInstance`, { token, body: { integrationPackId: id } })).status,
    ).toBe(200);
  return id;
}

test('an immediate release answers its requestId and status address; its status is SUCCESS with each released version', async () => {
  const id = (await w.rest.call('POST', `${V1}/PublisherIntegrationPack`, { ...admin(), body: packBody('Now', [w.components.orders]) }))
    .body.id;
  const released = await w.rest.call('POST', RELEASE, { ...admin(), body: { id, releaseSchedule: 'IMMEDIATELY' } });
  expect(released.body).toEqual({
    '@type': 'ReleaseIntegrationPack',
    id,
    name: 'Now',
    installationType: 'SINGLE',
    releaseSchedule: 'IMMEDIATELY',
    requestId: expect.stringMatching(/^rq_/),
    ReleasePackagedComponents: { ReleasePackagedComponent: [{ componentId: w.components.orders, version: 1 }] },
  });
  const location = released.headers.get('location')!;
  expect(location).toBe(`${STATUS}/${encodeURIComponent(released.body.requestId)}`);
  const status = await w.rest.call('GET', location, { token: w.t.tokens.viewer });
  expect(status.status).toBe(200);
  expect(status.body).toMatchObject({
    releaseStatus: 'SUCCESS',
    integrationPackId: id,
    releaseNumber: 1,
    ReleasePackagedComponents: { ReleasePackagedComponent: [{ componentId: w.components.orders, version: 1, releasedVersion: 1 }] },
  });
});

test('a scheduled release is updated (date and versions), answers 202 while its update is applied on the date, then SUCCESS', async () => {
  const id = await releasedPack();
  await w.publish(w.components.orders);
  await w.publish(w.components.orders);
  const scheduled = await w.rest.call('POST', RELEASE, {
    ...admin(),
    body: { id, releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE', releaseOnDate: '2026-03-20' },
  });
  const requestId = scheduled.body.requestId as string;
  expect(scheduled.body.ReleasePackagedComponents.ReleasePackagedComponent).toContainEqual({
    componentId: w.components.orders,
    version: 3,
  });
  expect((await w.rest.call('GET', `${STATUS}/${requestId}`, admin())).body).toMatchObject({
    releaseStatus: 'SCHEDULED',
    releaseOnDate: '2026-03-20',
  });

  const updated = await w.rest.call('POST', `${RELEASE}/${id}`, {
    ...admin(),
    body: {
      releaseOnDate: '2026-03-25',
      ReleasePackagedComponents: { ReleasePackagedComponent: [{ componentId: w.components.orders, version: 2 }] },
    },
  });
  expect(updated.status).toBe(200);
  expect(updated.body).toMatchObject({ requestId, releaseOnDate: '2026-03-25' });
  expect(updated.body.ReleasePackagedComponents.ReleasePackagedComponent).toContainEqual({ componentId: w.components.orders, version: 2 });

  // The old date comes and goes: nothing happens; the new one begins: its update is being applied.
  w.clock.set('2026-03-20T00:00:00Z');
  await w.t.server.scheduler.tick();
  expect((await w.rest.call('GET', `${STATUS}/${requestId}`, admin())).body.releaseStatus).toBe('SCHEDULED');
  w.clock.set('2026-03-25T00:00:00Z');
  const applying = await w.rest.call('GET', `${STATUS}/${requestId}`, admin());
  expect(applying.status).toBe(202);
  expect(applying.body).toMatchObject({ releaseStatus: 'IN_PROGRESS' });
  expect(applying.body.ReleasePackagedComponents.ReleasePackagedComponent[0].releasedVersion).toBeUndefined();

  // Poll while the scheduler applies it chunk by chunk (one installation per chunk here).
  const ticking = w.t.server.scheduler.tick();
  const seen: number[] = [];
  for (let poll = 0; poll < 50; poll++) {
    const answer = await w.rest.call('GET', `${STATUS}/${requestId}`, admin());
    seen.push(answer.status);
    if (answer.status === 200) break;
  }
  await ticking;
  const done = await w.rest.call('GET', `${STATUS}/${requestId}`, admin());
  expect(done.status).toBe(200);
  expect(done.body).toMatchObject({ releaseStatus: 'SUCCESS', releaseNumber: 2 });
  expect(done.body.ReleasePackagedComponents.ReleasePackagedComponent).toContainEqual({
    componentId: w.components.orders,
    version: 2,
    releasedVersion: 2,
  });
  expect(seen.every((status) => status === 202 || status === 200)).toBe(true);
  expect(
    await w.t.server.rooms.read('demo', (_doc, records) => [...records.instances()].map((instance) => instance.releaseNumber)),
  ).toEqual([2, 2]);
  // Once applied it is no longer scheduled: it cannot be updated or cancelled.
  const late = await w.rest.call('POST', `${RELEASE}/${id}`, { ...admin(), body: { releaseOnDate: '2026-04-01' } });
  expect(late.status).toBe(409);
  expect(late.body.error.code).toBe('NO_PENDING_RELEASE');
});

test('a scheduled release is cancelled: its status says CANCELED, the installations no longer wait, a new one can be scheduled', async () => {
  const id = await releasedPack();
  await w.publish(w.components.invoices);
  const scheduled = await w.rest.call('POST', RELEASE, {
    ...admin(),
    body: { id, releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE', releaseOnDate: '2026-03-20' },
  });
  const cancelled = await w.rest.call('DELETE', `${RELEASE}/${id}`, admin());
  expect(cancelled.status).toBe(200);
  expect(cancelled.body).toMatchObject({ releaseStatus: 'CANCELED', requestId: scheduled.body.requestId, releaseNumber: 2 });
  expect((await w.rest.call('GET', `${STATUS}/${scheduled.body.requestId}`, admin())).body).toMatchObject({ releaseStatus: 'CANCELED' });
  expect(
    await w.t.server.rooms.read(
      'demo',
      (_doc, records) => [...records.instances()].filter((instance) => instance.pendingReleaseNumber).length,
    ),
  ).toBe(0);
  expect((await w.rest.call('DELETE', `${RELEASE}/${id}`, admin())).status).toBe(409);
  const again = await w.rest.call('POST', RELEASE, {
    ...admin(),
    body: { id, releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE', releaseOnDate: '2026-03-21' },
  });
  expect(again.status).toBe(200);
});

test('errors: a bad date names releaseOnDate, one update pending at a time (409), unknown pack 404, unpublished version 400', async () => {
  const id = await releasedPack();
  await w.publish(w.components.orders);
  const past = await w.rest.call('POST', RELEASE, {
    ...admin(),
    body: { id, releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE', releaseOnDate: '2026-03-10' },
  });
  expect(past.status).toBe(400);
  expect(past.body.error).toMatchObject({ code: 'RELEASE_DATE_NOT_FUTURE', field: 'releaseOnDate' });
  const malformed = await w.rest.call('POST', RELEASE, {
    ...admin(),
    body: { id, releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE', releaseOnDate: '20/03/2026' },
  });
  expect(malformed.body.error).toMatchObject({ code: 'INVALID_FIELD', field: 'releaseOnDate' });
  expect((await w.rest.call('POST', RELEASE, { ...admin(), body: { releaseSchedule: 'IMMEDIATELY' } })).body.error.field).toBe('id');
  expect((await w.rest.call('POST', RELEASE, { ...admin(), body: { id: 'nope', releaseSchedule: 'IMMEDIATELY' } })).status).toBe(404);
  const unpublished = await w.rest.call('POST', RELEASE, {
    ...admin(),
    body: {
      id,
      releaseSchedule: 'IMMEDIATELY',
      ReleasePackagedComponents: { ReleasePackagedComponent: [{ componentId: w.components.orders, version: 7 }] },
    },
  });
  expect(unpublished.body.error).toMatchObject({ code: 'VERSION_NOT_PUBLISHED', field: 'ReleasePackagedComponents' });
  const pending = { id, releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE', releaseOnDate: '2026-03-20' };
  expect((await w.rest.call('POST', RELEASE, { ...admin(), body: pending })).status).toBe(200);
  await w.publish(w.components.invoices);
  const second = await w.rest.call('POST', RELEASE, { ...admin(), body: { ...pending, releaseOnDate: '2026-03-22' } });
  expect(second.status).toBe(409);
  expect(second.body.error.code).toBe('UPDATE_ALREADY_PENDING');
  expect((await w.rest.call('POST', `${RELEASE}/${id}`, { ...admin(), body: {} })).body.error.code).toBe('NOTHING_TO_CHANGE');
  expect((await w.rest.call('GET', `${STATUS}/rq_unknown-request`, admin())).status).toBe(404);
});

test('a release retried with its Idempotency-Key runs once and answers the same requestId; a rollback to an older version', async () => {
  const id = await releasedPack();
  await w.publish(w.components.orders);
  const headers = { 'Idempotency-Key': 'ci-run-981-release' };
  const first = await w.rest.call('POST', RELEASE, { ...admin(), headers, body: { id, releaseSchedule: 'IMMEDIATELY' } });
  const retry = await w.rest.call('POST', RELEASE, { ...admin(), headers, body: { id, releaseSchedule: 'IMMEDIATELY' } });
  expect(retry.body).toEqual(first.body);
  expect((await w.rest.call('GET', `${STATUS}/${first.body.requestId}`, admin())).body.releaseNumber).toBe(2);
  const rollback = await w.rest.call('POST', RELEASE, {
    ...admin(),
    body: {
      id,
      releaseSchedule: 'IMMEDIATELY',
      ReleasePackagedComponents: { ReleasePackagedComponent: [{ componentId: w.components.orders, version: 1 }] },
    },
  });
  expect(rollback.status).toBe(200);
  expect((await w.rest.call('GET', `${STATUS}/${rollback.body.requestId}`, admin())).body).toMatchObject({
    releaseStatus: 'SUCCESS',
    releaseNumber: 3,
  });
});

test('release notes: sent as releaseNotes (trimmed), answered with the release and its status; changed or removed while pending; too long is a 400 naming releaseNotes', async () => {
  const id = await releasedPack();
  await w.publish(w.components.orders);
  const tooLong = await w.rest.call('POST', RELEASE, {
    ...admin(),
    body: { id, releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE', releaseOnDate: '2026-03-20', releaseNotes: 'x'.repeat(2001) },
  });
  expect(tooLong.status).toBe(400);
  expect(tooLong.body.error).toMatchObject({ code: 'RELEASE_NOTES_TOO_LONG', field: 'releaseNotes' });
  const notText = await w.rest.call('POST', RELEASE, { ...admin(), body: { id, releaseSchedule: 'IMMEDIATELY', releaseNotes: 7 } });
  expect(notText.status).toBe(400);
  expect(notText.body.error.field).toBe('releaseNotes');

  const scheduled = await w.rest.call('POST', RELEASE, {
    ...admin(),
    body: { id, releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE', releaseOnDate: '2026-03-20', releaseNotes: '  Orders v2: retries.\n' },
  });
  expect(scheduled.body).toMatchObject({ releaseOnDate: '2026-03-20', releaseNotes: 'Orders v2: retries.' });
  const status = `${STATUS}/${scheduled.body.requestId}`;
  expect((await w.rest.call('GET', status, admin())).body).toMatchObject({
    releaseStatus: 'SCHEDULED',
    releaseNotes: 'Orders v2: retries.',
  });
  const changed = await w.rest.call('POST', `${RELEASE}/${id}`, { ...admin(), body: { releaseNotes: 'Orders v2: retries, and logs.' } });
  expect(changed.body).toMatchObject({ releaseOnDate: '2026-03-20', releaseNotes: 'Orders v2: retries, and logs.' });
  const removed = await w.rest.call('POST', `${RELEASE}/${id}`, { ...admin(), body: { releaseNotes: '' } });
  expect(removed.status).toBe(200);
  expect(removed.body).not.toHaveProperty('releaseNotes');
  expect((await w.rest.call('GET', status, admin())).body).not.toHaveProperty('releaseNotes');
});
