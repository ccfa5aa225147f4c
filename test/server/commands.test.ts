/**
 * The command channel: over the socket (type 102 → 103) and POST /api/accounts/:id/commands, role
 * checks, and idempotency — a retried key returns the first result and runs nothing twice, across
 * channels, concurrent retries and restarts. The executor is a fake that counts its calls.
 */
import { rmSync } from 'node:fs';
import { afterEach, expect, test } from 'vitest';
import { readRecentHistory, type CommandEnvelope, type CommandResult } from '../../shared/index.ts';
import type { CommandExecutor } from '../../sync-server/commands/path.ts';
import { connectClient, startTestServer, synced, tempDir, waitFor, type TestClient, type TestServer } from './helpers.ts';
import { createSyncServer } from '../../sync-server/server.ts';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function countingExecutor() {
  const calls: string[] = [];
  const execute: CommandExecutor = (context, command) => {
    calls.push(context.idempotencyKey);
    // A change to the records, so the run leaves something to store and project.
    context.records.putManagedAccount({ id: `m-${context.idempotencyKey}`, name: `run #${calls.length}` });
    return {
      result: { idempotencyKey: context.idempotencyKey, status: 'SUCCESS', message: `run #${calls.length}`, releaseNumber: calls.length },
      record: {
        packId: 'p1',
        kind: command.type,
        actor: context.actor.personName,
        at: context.now.toISOString(),
        summary: `fake ${command.type}`,
        status: 'SUCCESS',
      },
    };
  };
  return { calls, execute };
}

async function start(execute: CommandExecutor, dataDir?: string): Promise<TestServer> {
  const t = await startTestServer({ executeCommand: execute, ...(dataDir ? { dataDir } : {}) });
  cleanup.push(() => t.close());
  return t;
}
function client(t: TestServer, token: string, proto = true): TestClient {
  const c = connectClient({ wsUrl: t.wsUrl, accountId: 'demo', token, proto });
  cleanup.push(() => c.destroy());
  return c;
}
const release = (key: string): CommandEnvelope => ({
  idempotencyKey: key,
  command: { type: 'RELEASE', packId: 'p1', releaseSchedule: 'IMMEDIATELY' },
});
const post = (t: TestServer, token: string, body: unknown, accountId = 'demo') =>
  fetch(`${t.server.url}/api/accounts/${accountId}/commands`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

test('over the socket: a command sent twice at once runs once; both replies carry the first result; everyone sees its changes', async () => {
  const { calls, execute } = countingExecutor();
  const t = await start(execute);
  const sender = client(t, t.tokens.admin);
  const watcher = client(t, t.tokens.admin2, false);
  await Promise.all([synced(sender), synced(watcher)]);
  sender.sendCommand(release('key-socket-1'));
  sender.sendCommand(release('key-socket-1'));
  await waitFor([sender], () => sender.results.length === 2, 'two results');
  expect(calls).toEqual(['key-socket-1']);
  expect(sender.results[0]).toEqual({ idempotencyKey: 'key-socket-1', status: 'SUCCESS', message: 'run #1', releaseNumber: 1 });
  expect(sender.results[1]).toEqual(sender.results[0]);
  await waitFor(
    [watcher],
    () => readRecentHistory(watcher.doc).some((r) => r.idempotencyKey === 'key-socket-1'),
    'the watcher sees the history record',
  );

  // A retry on a new connection, and over HTTP, still gets the first result.
  const again = client(t, t.tokens.admin);
  await synced(again);
  again.sendCommand(release('key-socket-1'));
  await waitFor([again], () => again.results.length === 1, 'the retry result');
  expect(again.results[0]).toEqual(sender.results[0]);
  const viaHttp = await post(t, t.tokens.admin2, release('key-socket-1'));
  expect(await viaHttp.json()).toEqual(sender.results[0]);
  expect(calls).toHaveLength(1);
});

test('over HTTP: concurrent retries run once; the result is stored with the changes and survives a restart', async () => {
  const first = countingExecutor();
  const dataDir = tempDir();
  cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const t = await startTestServer({ executeCommand: first.execute, dataDir });
  const [r1, r2] = await Promise.all([post(t, t.tokens.admin, release('key-http-1')), post(t, t.tokens.admin, release('key-http-1'))]);
  expect([r1.status, r2.status]).toEqual([200, 200]);
  const [b1, b2] = (await Promise.all([r1.json(), r2.json()])) as CommandResult[];
  expect(b1).toEqual({ idempotencyKey: 'key-http-1', status: 'SUCCESS', message: 'run #1', releaseNumber: 1 });
  expect(b2).toEqual(b1);
  expect(first.calls).toEqual(['key-http-1']);
  expect(await t.server.store.records.getCommandResult('demo', 'key-http-1')).toEqual({
    result: b1,
    fingerprint: '{"packId":"p1","releaseSchedule":"IMMEDIATELY","type":"RELEASE"}',
  });
  await t.server.close();

  const second = countingExecutor();
  const store = await t.reopenStore();
  const restarted = await createSyncServer({ port: 0, dataDir, quiet: true, store, executeCommand: second.execute });
  cleanup.push(() => restarted.close());
  const retry = await fetch(`${restarted.url}/api/accounts/demo/commands`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${t.tokens.admin}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(release('key-http-1')),
  });
  expect(await retry.json()).toEqual(b1);
  expect(second.calls).toEqual([]);
  // Under the cluster project the account's store is shared by the file's tests: look at this test's keys.
  const ours = (keys: (string | undefined)[]) => keys.filter((key) => key?.startsWith('key-http-'));
  expect(ours(await restarted.rooms.read('demo', (doc) => readRecentHistory(doc).map((r) => r.idempotencyKey)))).toEqual(['key-http-1']);
  expect(ours((await restarted.store.records.history('demo', { limit: 10 })).map((r) => r.idempotencyKey))).toEqual(['key-http-1']);
});

test('roles: viewers run nothing; managed-account users run only their commands; keys are per account', async () => {
  const { calls, execute } = countingExecutor();
  const t = await start(execute);
  expect((await post(t, t.tokens.viewer, release('key-role-1'))).status).toBe(403);
  expect((await post(t, t.tokens.managed, release('key-role-2'))).status).toBe(403);
  const install = await post(t, t.tokens.managed, {
    idempotencyKey: 'key-role-3',
    command: { type: 'INSTALL', packId: 'p1', managedAccountId: 'm1' },
  });
  expect(install.status).toBe(200);
  expect((await post(t, t.tokens.otherAdmin, release('key-role-4'))).status).toBe(403);
  expect((await post(t, t.tokens.otherAdmin, release('key-role-3'), 'acme')).status).toBe(200);
  expect(calls).toEqual(['key-role-3', 'key-role-3']);

  const viewer = client(t, t.tokens.viewer);
  await synced(viewer);
  viewer.sendCommand(release('key-role-5'));
  await waitFor([viewer], () => viewer.results.length === 1, 'the refusal');
  expect(viewer.results[0]).toMatchObject({ idempotencyKey: 'key-role-5', status: 'ERROR', code: 'FORBIDDEN' });
  expect(await t.server.store.records.getCommandResult('demo', 'key-role-5')).toBeUndefined();
  expect(calls).toHaveLength(2);
});

test('a key reused for another command or another target is refused, over the socket and over HTTP, and nothing runs', async () => {
  const { calls, execute } = countingExecutor();
  const t = await start(execute);
  const sender = client(t, t.tokens.admin);
  await synced(sender);
  sender.sendCommand(release('key-reuse-1'));
  await waitFor([sender], () => sender.results.length === 1, 'the first result');
  expect(sender.results[0]).toMatchObject({ status: 'SUCCESS', message: 'run #1' });

  const otherTarget: CommandEnvelope = {
    idempotencyKey: 'key-reuse-1',
    command: { type: 'RELEASE', packId: 'p2', releaseSchedule: 'IMMEDIATELY' },
  };
  const otherCommand: CommandEnvelope = { idempotencyKey: 'key-reuse-1', command: { type: 'DELETE_PACK', packId: 'p1' } };
  const otherParameters: CommandEnvelope = {
    idempotencyKey: 'key-reuse-1',
    command: { type: 'RELEASE', packId: 'p1', releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE', releaseOnDate: '2099-01-01' },
  };
  for (const envelope of [otherTarget, otherCommand, otherParameters]) sender.sendCommand(envelope);
  await waitFor([sender], () => sender.results.length === 4, 'three refusals');
  for (const result of sender.results.slice(1))
    expect(result).toMatchObject({ idempotencyKey: 'key-reuse-1', status: 'ERROR', code: 'IDEMPOTENCY_KEY_REUSED' });

  for (const envelope of [otherTarget, otherCommand, otherParameters]) {
    const response = await post(t, t.tokens.admin2, envelope);
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({ error: { code: 'IDEMPOTENCY_KEY_REUSED', message: expect.stringContaining('new key') } });
  }
  // While the first run is still in flight, a reuse is refused too, and the retry shares the run.
  const [inflight, reuse] = await Promise.all([
    post(t, t.tokens.admin, release('key-reuse-2')),
    post(t, t.tokens.admin, { ...otherCommand, idempotencyKey: 'key-reuse-2' }),
  ]);
  // Which of the two reaches the server first is up to the network (and, on PostgreSQL, to the pool): one runs, the other is refused.
  expect([inflight.status, reuse.status].sort()).toEqual([200, 422]);
  // The plain retry still gets the first result.
  expect(await (await post(t, t.tokens.admin, release('key-reuse-1'))).json()).toEqual(sender.results[0]);
  expect(calls).toEqual(['key-reuse-1', 'key-reuse-2']);
});

test('malformed commands get a clear error and run nothing', async () => {
  const { calls, execute } = countingExecutor();
  const t = await start(execute);
  const bad = await post(t, t.tokens.admin, { idempotencyKey: 'short', command: { type: 'RELEASE' } });
  expect(bad.status).toBe(400);
  expect(await bad.json()).toEqual({ error: { code: 'INVALID_COMMAND', message: expect.stringContaining('Invalid command') } });
  const notJson = await fetch(`${t.server.url}/api/accounts/demo/commands`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${t.tokens.admin}` },
    body: '{',
  });
  expect(notJson.status).toBe(400);

  const sender = client(t, t.tokens.admin);
  await synced(sender);
  sender.sendCommand({ idempotencyKey: 'key-bad-0001', command: { type: 'NOPE' } } as unknown as CommandEnvelope);
  sender.sendCommand({ command: { type: 'RELEASE' } } as unknown as CommandEnvelope);
  await waitFor([sender], () => sender.results.length === 1 && sender.notices.length === 1, 'an error result and a notice');
  expect(sender.results[0]).toMatchObject({ idempotencyKey: 'key-bad-0001', status: 'ERROR', code: 'INVALID_COMMAND' });
  expect(sender.notices[0]).toMatchObject({ code: 'INVALID_COMMAND' });
  expect(calls).toEqual([]);
});

test('the real executor is wired in by default', async () => {
  const t = await startTestServer();
  cleanup.push(() => t.close());
  const response = await post(t, t.tokens.admin, {
    idempotencyKey: 'key-real-0001',
    command: { type: 'DELETE_PACK', packId: 'no-such-pack' },
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({ idempotencyKey: 'key-real-0001', status: 'ERROR' });
});
