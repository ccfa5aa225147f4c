/**
 * Health, metrics and logs of the server as an operator runs it (`npm start`, a real process):
 * /healthz and /readyz answer, /metrics counts what the clients did, every log line is JSON with a
 * request or connection id, and no token the test used appears anywhere in the output.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { writeNewPack } from '../../shared/index.ts';
import { readDemoTokens } from '../fault/support.ts';
import { connectClient, covers, synced, tempDir, waitFor, type TestClient } from '../server/helpers.ts';
import { exitWithin, launch, listening, metricSample as sample, type Launched } from './support.ts';

let server: Launched;
let url: string;
let wsUrl: string;
let dataDir: string;
const clients: TestClient[] = [];
const tokensUsed: string[] = [];

const pack = (id: string, name: string) => ({
  id,
  name,
  description: '',
  installationType: 'SINGLE' as const,
  componentIds: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'test',
});

beforeAll(async () => {
  dataDir = tempDir('ip-ops-obs-');
  server = launch('npm', ['start'], { PORT: '0', DATA_DIR: dataDir, SKIP_BUILD: '1', QUIET: undefined, LOG_LEVEL: undefined });
  ({ url, wsUrl } = await listening(server));
}, 90_000);

afterAll(async () => {
  for (const client of clients) client.destroy();
  server.killGroup();
  rmSync(dataDir, { recursive: true, force: true });
});

test('/healthz and /readyz answer once it listens', async () => {
  const health = await fetch(`${url}/healthz`);
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual({ status: 'ok' });
  const ready = await fetch(`${url}/readyz`);
  expect(ready.status).toBe(200);
  expect(await ready.json()).toMatchObject({ ready: true, store: 'ok', scheduler: expect.stringMatching(/^(running|waiting)$/) });
});

test('/metrics counts connections, rooms, applied and refused updates, commits, scheduler lag and bytes per account', async () => {
  const tokens = readDemoTokens(dataDir);
  const admin = tokens.demo!.admin[0]!;
  const viewer = tokens.demo!.viewer[0]!;
  tokensUsed.push(admin, viewer);
  const writer = connectClient({ wsUrl, accountId: 'demo', token: admin, proto: true });
  const reader = connectClient({ wsUrl, accountId: 'demo', token: viewer, proto: true });
  clients.push(writer, reader);
  await Promise.all([synced(writer), synced(reader)]);

  writeNewPack(writer.doc, pack('metrics-ok', 'Counted'));
  const counted = Y.encodeStateVector(writer.doc);
  writeNewPack(writer.doc, pack('metrics-long', 'x'.repeat(300)));
  writeNewPack(reader.doc, pack('metrics-viewer', 'Not allowed'));
  await waitFor(
    [writer, reader],
    () =>
      writer.stored.some((sv) => covers(sv, counted)) &&
      writer.notices.some((n) => n.code === 'NAME_TOO_LONG') &&
      reader.notices.some((n) => n.code === 'READ_ONLY'),
    'the first edit stored, the rule and read-only notices',
  );

  const response = await fetch(`${url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await response.text();
  expect(sample(text, 'ipack_connections')).toBe(2);
  expect(sample(text, 'ipack_rooms_loaded')).toBeGreaterThanOrEqual(1);
  expect(sample(text, 'ipack_updates_applied_total')).toBeGreaterThanOrEqual(2);
  expect(sample(text, 'ipack_updates_refused_total', '{reason="read_only"}')).toBeGreaterThanOrEqual(1);
  expect(sample(text, 'ipack_updates_refused_total', '{reason="rule"}')).toBeGreaterThanOrEqual(1);
  expect(sample(text, 'ipack_commit_duration_seconds_count')).toBeGreaterThanOrEqual(1);
  expect(sample(text, 'ipack_commit_duration_seconds_bucket', '{le="+Inf"}')).toBe(sample(text, 'ipack_commit_duration_seconds_count'));
  expect(sample(text, 'ipack_scheduler_lag_seconds')).toBeGreaterThanOrEqual(0);
  expect(sample(text, 'ipack_account_stored_bytes', '{account="demo"}')).toBeGreaterThan(1000);
  // acme is never opened in this test: its figure comes from the start-up size pass (its document is
  // the projection alone, under 1 kB, since the records moved to tables).
  expect(sample(text, 'ipack_account_stored_bytes', '{account="acme"}')).toBeGreaterThan(100);
  // Node's own, once per process.
  expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
  expect(sample(text, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
});

test('HTTP requests get an id (the caller’s X-Request-Id when given) that their log line carries', async () => {
  const admin = readDemoTokens(dataDir).demo!.admin[1]!;
  const wrong = 'ipt_this-token-is-wrong-and-must-not-be-logged-000000';
  tokensUsed.push(admin, wrong);
  const me = await fetch(`${url}/api/me`, { headers: { Authorization: `Bearer ${admin}`, 'X-Request-Id': 'trace-me-42' } });
  expect(me.status).toBe(200);
  expect(me.headers.get('x-request-id')).toBe('trace-me-42');
  const refused = await fetch(`${url}/api/me?token=${wrong}`, { headers: { Authorization: `Bearer ${wrong}` } });
  expect(refused.status).toBe(401);
  const generated = refused.headers.get('x-request-id');
  expect(generated).toMatch(/^[0-9a-f]{8}-[0-9a-z]+$/);
  // A token in a path is not ours to log either.
  expect((await fetch(`${url}/api/accounts/${wrong}/summary`, { headers: { Authorization: `Bearer ${admin}` } })).status).toBe(403);

  // A refused upgrade to /sync gets its line too (the path only: the token was in the query).
  const socket = new WebSocket(`${wsUrl}/demo?token=${wrong}`);
  const upgradeStatus = await new Promise<number>((resolve, reject) => {
    socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    socket.once('open', () => reject(new Error('the upgrade was accepted')));
    socket.once('error', () => {});
  });
  socket.terminate();
  expect(upgradeStatus).toBe(401);

  await server.waitForOutput(new RegExp(`"requestId":"${generated}"`), 'the 401 logged');
  await server.waitForOutput(/"msg":"Upgrade to \/sync\/demo refused: 401/, 'the refused upgrade logged');
  const lines = jsonLines(server.output());
  expect(lines).toContainEqual(expect.objectContaining({ requestId: 'trace-me-42', method: 'GET', path: '/api/me', status: 200 }));
  expect(lines).toContainEqual(expect.objectContaining({ requestId: generated, path: '/api/me', status: 401 }));
  expect(lines).toContainEqual(expect.objectContaining({ path: '/sync/demo', status: 401, code: 'UNAUTHORIZED' }));
});

test('every log line is JSON with a level and time; connection lines carry the connection id; no token appears', async () => {
  const [client] = clients;
  client!.destroy();
  await server.waitForOutput(/"msg":"Connection \d+ closed/, 'a connection closed');
  process.kill(server.pid, 'SIGTERM');
  expect((await exitWithin(server)).code).toBe(0);

  const output = server.output();
  const lines = jsonLines(output);
  for (const line of lines) expect(line).toMatchObject({ level: expect.any(String), time: expect.any(String), msg: expect.any(String) });
  const opened = lines.filter((line) => /^Connection \d+ opened/.test(String(line.msg)));
  expect(opened.length).toBeGreaterThanOrEqual(2);
  for (const line of opened)
    expect(line).toMatchObject({ connectionId: expect.any(Number), accountId: 'demo', personId: expect.any(String) });
  expect(lines).toContainEqual(
    expect.objectContaining({ msg: expect.stringMatching(/^Reverted \d+ change/), connectionId: expect.any(Number) }),
  );
  expect(lines).toContainEqual(expect.objectContaining({ msg: 'SIGTERM: storing pending changes and closing connections.' }));

  expect(tokensUsed.length).toBe(4);
  for (const token of tokensUsed) expect(output).not.toContain(token);
  expect(output).not.toMatch(/ipt_[A-Za-z0-9_-]{20,}/);
});

/** The output's JSON lines (npm's and the start banner's plain lines left out). */
function jsonLines(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
