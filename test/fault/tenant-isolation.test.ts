/**
 * Tenant isolation: every token of the demo seed (two admins, a viewer and a user of each managed
 * account, for both publisher accounts) and a set of bad tokens, against every account (both, and
 * one that does not exist), over the WebSocket (?token= and Authorization header) and every account
 * route of the HTTP API (summary, doc-size, commands, components, component versions), plus /api/me
 * and /api/managed. Only the token's own account answers (then the role decides); another account
 * is 403 "another account"; a bad token is 401. What a socket of one account receives holds nothing
 * of the other account, and a managed-account user cannot reach another managed account.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CommandResult } from '../../shared/index.ts';
import type { AccountRecords } from '../../sync-server/records/account-records.ts';
import { seedDemo, type DemoTokens } from '../../sync-server/seed.ts';
import { createSyncServer, databaseFile, type SyncServer } from '../../sync-server/server.ts';
import { openSqliteStore } from '../../sync-server/storage/sqlite.ts';
import { connectClient, docJson, synced, tempDir } from '../server/helpers.ts';
import { upgradeStatus } from '../server/raw-socket.ts';

type Role = 'admin' | 'viewer' | 'managed';
interface Holder {
  label: string;
  token: string;
  accountId: string;
  role: Role;
  managedAccountId?: string;
}

const ACCOUNTS = ['demo', 'acme', 'ghost'] as const;
let server: SyncServer;
let dataDir: string;
let demoTokens: DemoTokens;
let holders: Holder[] = [];
let wsUrl: string;

beforeAll(async () => {
  dataDir = tempDir('ip-fault-tenants-');
  const store = openSqliteStore(databaseFile(dataDir), { durability: 'normal' });
  demoTokens = await seedDemo(store, { now: new Date() });
  server = await createSyncServer({ port: 0, dataDir, store, quiet: true, scheduler: false });
  wsUrl = server.url.replace(/^http/, 'ws') + '/sync';
  holders = Object.entries(demoTokens).flatMap(([accountId, t]) => [
    ...t.admin.map((token, i) => ({ label: `${accountId} admin ${i + 1}`, token, accountId, role: 'admin' as const })),
    ...t.viewer.map((token, i) => ({ label: `${accountId} viewer ${i + 1}`, token, accountId, role: 'viewer' as const })),
    ...Object.entries(t.managed).flatMap(([managedAccountId, list]) =>
      list.map((token) => ({
        label: `${accountId} managed ${managedAccountId}`,
        token,
        accountId,
        role: 'managed' as const,
        managedAccountId,
      })),
    ),
  ]);
});

afterAll(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  body: { error?: { code: string; message: string } } & Record<string, unknown>;
}

async function call(method: 'GET' | 'POST', path: string, token: string | undefined, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = body === undefined ? {} : { 'Content-Type': 'application/json' };
  if (token !== undefined) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(`${server.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Answer['body']) : {} };
}

let keys = 0;
/** The account routes, each with the status the owner's role gets (null: any non-refusal is fine). */
function accountRoutes(accountId: string) {
  return [
    {
      name: 'GET summary',
      run: (t?: string) => call('GET', `/api/accounts/${accountId}/summary`, t),
      owner: { admin: 200, viewer: 200, managed: 403 },
    },
    {
      name: 'GET doc-size',
      run: (t?: string) => call('GET', `/api/accounts/${accountId}/doc-size`, t),
      owner: { admin: 200, viewer: 200, managed: 403 },
    },
    {
      name: 'POST commands',
      run: (t?: string) =>
        call('POST', `/api/accounts/${accountId}/commands`, t, {
          idempotencyKey: `tenant-key-${++keys}`,
          command: { type: 'RELEASE', packId: 'no-such-pack', releaseSchedule: 'IMMEDIATELY' },
        }),
      owner: { admin: 200, viewer: 403, managed: 403 },
    },
    {
      name: 'POST components',
      run: (t?: string) => call('POST', `/api/accounts/${accountId}/components`, t, { name: `Tenant Check ${++keys}`, type: 'PROCESS' }),
      owner: { admin: 201, viewer: 403, managed: 403 },
    },
    {
      name: 'POST versions',
      run: (t?: string) => call('POST', `/api/accounts/${accountId}/components/${accountId}-c01/versions`, t),
      owner: { admin: 200, viewer: 403, managed: 403 },
    },
  ];
}

const ANOTHER_ACCOUNT = /another account/;

describe('every token against every account', () => {
  test('over the WebSocket (query and header) and every account route: own account answers by role, others 403, unknown account 403', async () => {
    const rows: string[] = [];
    for (const holder of holders)
      for (const accountId of ACCOUNTS) {
        const own = accountId === holder.accountId;
        const socket = await upgradeStatus(`${wsUrl}/${accountId}?token=${holder.token}`);
        const header = await upgradeStatus(`${wsUrl}/${accountId}`, { Authorization: `Bearer ${holder.token}` });
        const wsExpected = own ? (holder.role === 'managed' ? 403 : 101) : 403;
        for (const [how, answer] of [
          ['?token=', socket],
          ['header', header],
        ] as const) {
          if (answer.status !== wsExpected)
            rows.push(`${holder.label} → WS ${accountId} (${how}): ${answer.status}, expected ${wsExpected}`);
          // Managed-account users are refused at /sync whatever the account (their message says so).
          const refusal = holder.role === 'managed' ? /another account|Managed-account users/ : ANOTHER_ACCOUNT;
          if (!own && !refusal.test(answer.body))
            rows.push(`${holder.label} → WS ${accountId} (${how}): refusal does not say why: ${answer.body}`);
        }
        for (const route of accountRoutes(accountId)) {
          const answer = await route.run(holder.token);
          const expected = own ? route.owner[holder.role] : 403;
          if (answer.status !== expected)
            rows.push(
              `${holder.label} → ${route.name} ${accountId}: ${answer.status}, expected ${expected} ${JSON.stringify(answer.body).slice(0, 120)}`,
            );
          if (!own && !ANOTHER_ACCOUNT.test(answer.body.error?.message ?? ''))
            rows.push(`${holder.label} → ${route.name} ${accountId}: not refused as another account's`);
          if (own && ANOTHER_ACCOUNT.test(answer.body.error?.message ?? ''))
            rows.push(`${holder.label} → ${route.name} ${accountId}: own account refused as another's`);
        }
      }
    expect(rows).toEqual([]);
    expect(holders.length).toBe(12);
  });

  test('bad tokens get 401 everywhere; HTTP never takes a token from the query string', async () => {
    const valid = holders[0]!.token;
    const bad: [string, string | undefined][] = [
      ['none', undefined],
      ['empty', ''],
      ['garbage', 'not-a-token'],
      ['well-formed but unknown', `ipt_${'A'.repeat(43)}`],
      ['a real token, one character changed', valid.slice(0, -1) + (valid.endsWith('A') ? 'B' : 'A')],
      ['over 200 characters', valid + 'x'.repeat(200)],
      ['two tokens', `${valid} ${holders.at(-1)!.token}`],
    ];
    const rows: string[] = [];
    for (const [label, token] of bad)
      for (const accountId of ACCOUNTS) {
        const ws = await upgradeStatus(`${wsUrl}/${accountId}${token === undefined ? '' : `?token=${encodeURIComponent(token)}`}`);
        if (ws.status !== 401) rows.push(`${label} → WS ${accountId}: ${ws.status}`);
        for (const route of accountRoutes(accountId)) {
          const answer = await route.run(token);
          if (answer.status !== 401) rows.push(`${label} → ${route.name} ${accountId}: ${answer.status}`);
        }
      }
    for (const [label, token] of bad) {
      const me = await call('GET', '/api/me', token);
      if (me.status !== 401) rows.push(`${label} → GET /api/me: ${me.status}`);
    }
    const viaQuery = await fetch(`${server.url}/api/accounts/demo/summary?token=${valid}`);
    if (viaQuery.status !== 401) rows.push(`a valid token in the HTTP query string: ${viaQuery.status}`);
    expect(rows).toEqual([]);
  });

  test('GET /api/me names the token’s own account and person; /api/managed shows only the own managed account', async () => {
    const otherManaged = (accountId: string) => Object.keys(demoTokens[accountId === 'demo' ? 'acme' : 'demo']!.managed)[0]!;
    for (const holder of holders) {
      const me = await call('GET', '/api/me', holder.token);
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({
        accountId: holder.accountId,
        role: holder.role,
        ...(holder.managedAccountId ? { managedAccountId: holder.managedAccountId } : {}),
      });

      const ownManaged = holder.managedAccountId ?? Object.keys(demoTokens[holder.accountId]!.managed)[0]!;
      const mine = await call('GET', `/api/managed?managedAccountId=${ownManaged}`, holder.token);
      const foreign = await call('GET', `/api/managed?managedAccountId=${otherManaged(holder.accountId)}`, holder.token);
      if (holder.role === 'viewer') {
        expect([mine.status, foreign.status]).toEqual([403, 403]);
      } else if (holder.role === 'admin') {
        expect(mine.status).toBe(200);
        expect(foreign.status, `${holder.label} asks for another publisher's managed account`).toBe(404);
      } else {
        // A managed-account user always gets their own managed account, whatever they ask for.
        expect(mine.status).toBe(200);
        expect(foreign.status).toBe(200);
        expect(JSON.stringify(foreign.body)).not.toContain(otherManaged(holder.accountId));
        expect(JSON.stringify(mine.body)).toContain(holder.managedAccountId);
        for (const other of Object.keys(demoTokens[holder.accountId]!.managed).filter((id) => id !== holder.managedAccountId))
          expect(JSON.stringify(mine.body), `${holder.label} sees ${other}`).not.toContain(`"${other}"`);
      }
    }
  });
});

test('what a socket receives holds nothing of the other account; a managed user cannot install into another managed account', async () => {
  const demo = connectClient({ wsUrl, accountId: 'demo', token: demoTokens.demo!.admin[0]! });
  const acme = connectClient({ wsUrl, accountId: 'acme', token: demoTokens.acme!.viewer[0]! });
  try {
    await Promise.all([synced(demo), synced(acme)]);
    const demoText = JSON.stringify(docJson(demo.doc));
    const acmeText = JSON.stringify(docJson(acme.doc));
    expect(demoText).toContain('"demo-');
    expect(demoText).not.toMatch(/"acme-|Acme Integrations/);
    expect(acmeText).toContain('"acme-');
    expect(acmeText).not.toMatch(/"demo-|Demo Publisher/);

    // demo-m1's user tries to install a pack into demo-m2.
    const user = Object.values(demoTokens.demo!.managed)[0]![0]!;
    const target = Object.keys(demoTokens.demo!.managed)[1]!;
    const installedIn = (records: AccountRecords) => [...records.instances()].filter((i) => i.managedAccountId === target).length;
    const before = await server.rooms.read('demo', (_doc, records) => installedIn(records));
    const packId = 'demo-p01';
    const answer = await call('POST', '/api/accounts/demo/commands', user, {
      idempotencyKey: 'tenant-cross-install',
      command: { type: 'INSTALL', packId, managedAccountId: target },
    });
    expect(answer.status).toBe(200);
    expect((answer.body as unknown as CommandResult).status).toBe('ERROR');
    expect(await server.rooms.read('demo', (_doc, records) => installedIn(records))).toBe(before);
  } finally {
    demo.destroy();
    acme.destroy();
  }
});
