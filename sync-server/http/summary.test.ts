/**
 * GET /api/accounts/:id/summary over loopback, on a server seeded with the demo and a fixed clock:
 * who may read it, that it is the shared derivation of the room's document, and that a published
 * version and a pending release show in it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  readPacks,
  readReleases,
  releasesAutoAppliedSoon,
  startOfDateIn,
  summarizeAttention,
  todayIn,
  type AccountSummary,
} from '../../shared/index.ts';
import { dateStyleOf, formatDate } from '../../shared/date-format.ts';
import { seedDemo, type DemoTokens } from '../seed.ts';
import { createSyncServer, databaseFile, type SyncServer } from '../server.ts';
import { openSqliteStore } from '../storage/sqlite.ts';
import { attentionStateOf } from './summary.ts';

const NOW = new Date('2026-12-01T10:00:00Z');
let server: SyncServer;
let tokens: DemoTokens;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'ip-summary-'));
  const store = openSqliteStore(databaseFile(dataDir), { durability: 'normal' });
  tokens = await seedDemo(store, { now: NOW });
  server = await createSyncServer({ port: 0, dataDir, store, quiet: true, clock: { now: () => NOW } });
});

afterAll(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const get = (accountId: string, token?: string) =>
  fetch(`${server.url}/api/accounts/${accountId}/summary`, token ? { headers: { Authorization: `Bearer ${token}` } } : {});

async function summaryOf(accountId: string, token: string): Promise<AccountSummary> {
  const response = await get(accountId, token);
  expect(response.status).toBe(200);
  return (await response.json()) as AccountSummary;
}

async function post(path: string, token: string, body?: unknown): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
}

describe('who may read the summary', () => {
  test('an admin and a viewer of the account', async () => {
    for (const token of [tokens.demo!.admin[0]!, tokens.demo!.viewer[0]!]) expect((await get('demo', token)).status).toBe(200);
  });
  test('401 without a token or with an unknown one', async () => {
    expect((await get('demo')).status).toBe(401);
    expect((await get('demo', 'not-a-token')).status).toBe(401);
  });
  test('403 for a managed-account user and for an admin of another account', async () => {
    const managed = Object.values(tokens.demo!.managed)[0]![0]!;
    expect((await get('demo', managed)).status).toBe(403);
    expect((await get('demo', tokens.acme!.admin[0]!)).status).toBe(403);
  });
});

test('the summary is the shared derivation of the room document at the server clock', async () => {
  const summary = await summaryOf('demo', tokens.demo!.viewer[0]!);
  const expected = await server.rooms.read('demo', (doc, records) => summarizeAttention(attentionStateOf(doc, records, 'demo'), NOW));
  expect(summary).toEqual(expected);
  expect(summary.accountName).toBe('Demo Publisher');
  expect(summary.generatedAt).toBe(NOW.toISOString());
  expect(summary.badgeCount).toBe(summary.packs.length);
  expect(summary.badgeCount).toBeGreaterThan(0);
});

test('a version published for an up-to-date released pack makes it need attention', async () => {
  const admin = tokens.acme!.admin[0]!;
  const before = await summaryOf('acme', admin);
  const listed = new Set(before.packs.map((p) => p.packId));
  const target = await server.rooms.read('acme', (doc) => {
    const pack = readPacks(doc).find((p) => !listed.has(p.id) && readReleases(doc, p.id).length > 0 && p.componentIds.length > 0);
    return pack && { packId: pack.id, componentId: pack.componentIds[0]! };
  });
  expect(target, 'the demo seed has an up-to-date released pack in acme').toBeDefined();
  const published = await post(`/api/accounts/acme/components/${target!.componentId}/versions`, admin);
  expect(published.status).toBe(200);

  const after = await summaryOf('acme', admin);
  expect(after.badgeCount).toBe(before.badgeCount + 1);
  expect(after.packs.find((p) => p.packId === target!.packId)?.reasons).toEqual(['1 Available']);
});

test('a pending release shows with its date and auto-apply instant in the account time zone', async () => {
  const admin = tokens.acme!.admin[0]!;
  const before = await summaryOf('acme', admin);
  const releasable = before.packs.find((p) => p.canRelease && !p.pendingRelease);
  expect(releasable).toBeDefined();
  const timeZone = before.timeZone;
  const tomorrow = todayIn(timeZone, new Date(NOW.getTime() + 24 * 3600_000));
  const response = await post('/api/accounts/acme/commands', admin, {
    idempotencyKey: `summary-test-${releasable!.packId}`,
    command: { type: 'RELEASE', packId: releasable!.packId, releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE', releaseOnDate: tomorrow },
  });
  expect((await response.json()) as { status: string; message: string }).toMatchObject({ status: 'SUCCESS' });

  const after = await summaryOf('acme', admin);
  const pending = after.pendingReleases.find((r) => r.packId === releasable!.packId);
  expect(pending).toMatchObject({ releaseOnDate: tomorrow, autoApplyAt: startOfDateIn(tomorrow, timeZone).toISOString() });
  expect(after.packs.find((p) => p.packId === releasable!.packId)?.reasons).toContain(
    `${pending!.isUpdate ? 'Update' : 'Release'} pending until ${formatDate(tomorrow, dateStyleOf(after))}`,
  );
  expect(releasesAutoAppliedSoon(after.pendingReleases, NOW).map((r) => r.packId)).toContain(releasable!.packId);
});
