/**
 * The ipack CLI (its main(), in this process) against a real server over HTTP: each verb, --json,
 * --wait through 202 while the scheduler applies a release on its date (injected clock), and the exit
 * code of each way it can fail.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { main } from '../../sync-server/cli/ipack.ts';
import { Exit } from '../../sync-server/cli/ipack-api.ts';
import { packIdFor } from '../../sync-server/commands/create-pack.ts';
import { packBody, startRestWorld, V1, type RestWorld } from './support.ts';

let w: RestWorld;
let packId: string;
beforeEach(async () => {
  w = await startRestWorld({ now: '2026-03-10T12:00:00Z' });
  const body = packBody('Order Sync', [w.components.orders, w.components.invoices]);
  const created = await w.rest.call('POST', `${V1}/PublisherIntegrationPack`, { token: w.t.tokens.admin, body });
  // Said at once: a test that went on without its pack would fail later as a usage error (exit 2).
  expect(created, JSON.stringify(created.body)).toMatchObject({ status: 200 });
  packId = created.body.id;
});
afterEach(async () => {
  await w.close();
});

async function ipack(args: string[], token: string | null = w.t.tokens.admin) {
  let stdout = '';
  let stderr = '';
  const env = { IPACK_URL: w.t.server.url, ...(token === null ? {} : { IPACK_TOKEN: token }) };
  const code = await main(
    args,
    env,
    (text) => void (stdout += `${text}\n`),
    (text) => void (stderr += `${text}\n`),
  );
  return { code, stdout: stdout.trim(), stderr: stderr.trim() };
}

test('query, get and components, as text, ids or JSON', async () => {
  expect((await ipack(['query', '--name', 'order%'])).stdout).toBe(`${packId}\tSINGLE\tOrder Sync`);
  expect((await ipack(['query', '--name', 'Order Sync', '--type', 'SINGLE', '--ids'])).stdout).toBe(packId);
  expect((await ipack(['query', '--name', 'Nothing like it'])).code).toBe(Exit.notFound);
  const json = JSON.parse((await ipack(['get', packId, '--json'])).stdout);
  expect(json).toMatchObject({ '@type': 'PublisherIntegrationPack', id: packId, name: 'Order Sync' });
  expect((await ipack(['components', packId, '--name', 'Inv%', '--ids'])).stdout).toBe(w.components.invoices);
  expect((await ipack(['components', packId])).stdout).toContain('Orders\tcurrent -, pending 1, latest 1');
});

test('publish, then release --wait: SUCCESS with the versions, exit 0; a retried --key runs once', async () => {
  expect((await ipack(['publish', w.components.orders])).stdout).toBe(`Orders version 2 published (${w.components.orders})`);
  const released = await ipack(['release', packId, '--wait', '--key', 'ci-build-77-release']);
  expect(released.code, released.stderr).toBe(Exit.ok);
  expect(released.stdout).toMatch(/^rq_ci-build-77-release of Order Sync: SUCCESS \(release 1\)$/m);
  expect(released.stdout).toContain(`${w.components.orders} version 2`);
  const retried = await ipack(['release', packId, '--wait', '--key', 'ci-build-77-release', '--json']);
  expect(JSON.parse(retried.stdout)).toMatchObject({ requestId: 'rq_ci-build-77-release', releaseNumber: 1 });
  const rollback = await ipack(['release', packId, '--component', `${w.components.orders}=1`, '--json']);
  expect(JSON.parse(rollback.stdout)).toMatchObject({ releaseStatus: 'SUCCESS', releaseNumber: 2 });
});

test('ids that begin with "-" (the pack-id rule allows them; 1 in 64 generated ids does) are ids, not options', async () => {
  // An Idempotency-Key whose pack id begins with '-': the create's id is derived from its key.
  const key = Array.from({ length: 5000 }, (_, n) => `dash-key-${n}`).find((candidate) => packIdFor(candidate).startsWith('-'))!;
  const body = packBody('Dash Sync', [w.components.orders]);
  const created = await w.rest.call('POST', `${V1}/PublisherIntegrationPack`, {
    token: w.t.tokens.admin,
    body,
    headers: { 'Idempotency-Key': key },
  });
  expect(created, JSON.stringify(created.body)).toMatchObject({ status: 200 });
  const dashId = created.body.id as string;
  expect(dashId.startsWith('-')).toBe(true);
  expect((await ipack(['get', dashId, '--json'])).stdout).toContain('"Dash Sync"');
  const released = await ipack(['release', dashId, '--key', '-retry-0001', '--notes', '-- first --']);
  expect(released.code, released.stderr).toBe(Exit.ok);
  expect(released.stdout).toMatch(/^rq_-retry-0001 of Dash Sync: SUCCESS/m);
  expect((await ipack(['get', '--', dashId])).code).toBe(Exit.ok);
  const extra = await ipack(['get', dashId, 'another']);
  expect({ code: extra.code, stderr: extra.stderr.split('\n')[0] }).toEqual({ code: Exit.usage, stderr: 'Unexpected argument: another' });
  expect((await ipack(['get', dashId, '--frobnicate'])).code).toBe(Exit.usage);
});

test('a scheduled release: SCHEDULED, rescheduled, then status --wait polls through 202 while it is applied on its date', async () => {
  await ipack(['release', packId]);
  await w.rest.call('POST', '/api/rest/v1/m1/IntegrationPackInstance', { token: w.t.tokens.managed, body: { integrationPackId: packId } });
  await w.rest.call('POST', '/api/rest/v1/m2/IntegrationPackInstance', { token: w.managed2, body: { integrationPackId: packId } });
  await w.publish(w.components.invoices);
  const scheduled = await ipack(['release', packId, '--date', '2026-03-20', '--notes', 'Invoices v2.', '--json']);
  const { requestId, releaseStatus, releaseNotes } = JSON.parse(scheduled.stdout);
  expect({ releaseStatus, releaseNotes }).toEqual({ releaseStatus: 'SCHEDULED', releaseNotes: 'Invoices v2.' });
  expect((await ipack(['reschedule', packId, '--date', '2026-03-22'])).stdout).toMatch(/SCHEDULED until 2026-03-22/);
  const noted = JSON.parse((await ipack(['reschedule', packId, '--notes', 'Invoices v2, retried.', '--json'])).stdout);
  expect(noted).toMatchObject({ releaseOnDate: '2026-03-22', releaseNotes: 'Invoices v2, retried.' });
  w.clock.set('2026-03-22T00:00:00Z');
  // Not applied yet: in progress; a zero timeout gives up at once with its own exit code.
  expect((await ipack(['status', requestId, '--wait', '--timeout', '0'])).code).toBe(Exit.timedOut);
  const waiting = ipack(['status', requestId, '--wait', '--interval', '20']);
  await w.t.server.scheduler.tick();
  const done = await waiting;
  expect(done.code).toBe(Exit.ok);
  expect(done.stdout).toMatch(/: SUCCESS \(release 2\)/);
});

test('cancel: CANCELED, and its status exits 1', async () => {
  await ipack(['release', packId]);
  await w.publish(w.components.orders);
  const { requestId } = JSON.parse((await ipack(['release', packId, '--date', '2026-04-01', '--json'])).stdout);
  expect((await ipack(['cancel', packId])).stdout).toMatch(/CANCELED/);
  const status = await ipack(['status', requestId]);
  expect(status.code).toBe(Exit.releaseFailed);
  expect(status.stdout).toContain('CANCELED');
});

test('exit codes: usage 2, refused 3, not found 4, rejected 5, unavailable 6; errors on stderr, JSON with --json', async () => {
  expect((await ipack([], w.t.tokens.admin)).code).toBe(Exit.usage);
  expect((await ipack(['release'], w.t.tokens.admin)).code).toBe(Exit.usage);
  expect((await ipack(['frobnicate'], w.t.tokens.admin)).code).toBe(Exit.usage);
  expect((await ipack(['query'], null)).code).toBe(Exit.usage);
  expect((await ipack(['release', packId, '--component', 'nonsense'])).code).toBe(Exit.usage);
  expect((await ipack(['query'], 'ipt_wrong')).code).toBe(Exit.refused);
  const viewer = await ipack(['release', packId], w.t.tokens.viewer);
  expect(viewer.code).toBe(Exit.refused);
  expect(viewer.stderr).toMatch(/^403 FORBIDDEN/);
  expect((await ipack(['get', 'no-such-pack'])).code).toBe(Exit.notFound);
  const past = await ipack(['release', packId, '--date', '2026-03-01', '--json']);
  expect(past.code).toBe(Exit.rejected);
  expect(past.stderr).toContain('(releaseOnDate)');
  expect(JSON.parse(past.stdout)).toMatchObject({ error: { code: 'RELEASE_DATE_NOT_FUTURE', field: 'releaseOnDate' } });
  let unavailable = 0;
  await main(
    ['query'],
    { IPACK_URL: 'http://127.0.0.1:9', IPACK_TOKEN: 'x' },
    () => {},
    () => {},
  ).then((code) => (unavailable = code));
  expect(unavailable).toBe(Exit.unavailable);
});
