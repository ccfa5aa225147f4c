/**
 * A real sync server on loopback (port 0, temp dataDir, fake clock) with a publisher account, three
 * managed accounts and tokens for an admin and each managed account; a y-websocket client to watch
 * the document; and POST helpers for commands.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { Command, CommandResult } from '../../shared/commands.ts';
import type { HistoryPage, HistoryRecord } from '../../shared/history.ts';
import type { RolloutPage, RolloutRow } from '../../shared/rollout.ts';
import { readRollout, writeNewPack } from '../../shared/schema.ts';
import type { RecordChange } from '../../sync-server/records/changes.ts';
import { mintToken } from '../../sync-server/auth.ts';
import type { Timer } from '../../sync-server/scheduler.ts';
import { createSyncServer, databaseFile, type SyncServer } from '../../sync-server/server.ts';
import { openSqliteStore } from '../../sync-server/storage/sqlite.ts';
import type { Store } from '../../sync-server/storage/types.ts';

export const ACCOUNT = 'pub-releases';
export const MANAGED = ['acme', 'globex', 'initech'] as const;

export function fakeClock(iso: string) {
  let now = new Date(iso);
  return { now: () => new Date(now), set: (next: string) => void (now = new Date(next)) };
}
export type FakeClock = ReturnType<typeof fakeClock>;

export interface Tokens {
  admin: string;
  managed: Record<string, string>;
}

export const tempDataDir = () => mkdtempSync(join(tmpdir(), 'releases-'));
export const removeDir = (dir: string) => rmSync(dir, { recursive: true, force: true });

/** A timer that never fires: the tests call scheduler.tick() themselves (the start-up pass still runs). */
export const manualTimer: Timer = { set: () => undefined, clear: () => undefined };

/** The store as the server opens it, remembering every record change it stores, in order (to count moves). */
export function recordingStore(dataDir: string, durability: 'full' | 'normal'): Store & { changes: RecordChange[] } {
  const store = openSqliteStore(databaseFile(dataDir), { durability });
  const changes: RecordChange[] = [];
  return {
    ...store,
    changes,
    docs: {
      ...store.docs,
      append: async (name, updates, options) => {
        const seq = await store.docs.append(name, updates, options);
        changes.push(...(options?.records ?? []));
        return seq;
      },
    },
  };
}

export type ReleasesServer = SyncServer & { store: ReturnType<typeof recordingStore> };

export async function startServer(dataDir: string, clock: FakeClock, durability: 'full' | 'normal' = 'normal'): Promise<ReleasesServer> {
  const store = recordingStore(dataDir, durability);
  return (await createSyncServer({ port: 0, dataDir, clock, quiet: true, store, scheduler: { timer: manualTimer } })) as ReleasesServer;
}

/** Account, people and tokens, the managed accounts, one component and the pack "Orders". */
export async function seedPublisher(server: SyncServer): Promise<Tokens> {
  const accounts = server.store.accounts;
  await accounts.putAccount({ id: ACCOUNT, name: 'Releases Inc', multiInstallEnabled: true, timeZone: 'UTC' });
  const admin = await mintToken(accounts, { id: 'p-ada', accountId: ACCOUNT, name: 'Ada Admin', role: 'admin' });
  const managed: Record<string, string> = {};
  for (const id of MANAGED)
    managed[id] = await mintToken(accounts, {
      id: `p-${id}`,
      accountId: ACCOUNT,
      name: `User of ${id}`,
      role: 'managed',
      managedAccountId: id,
    });
  await server.rooms.mutate(ACCOUNT, (doc, origin, records) => {
    for (const id of MANAGED) records.putManagedAccount({ id, name: id.toUpperCase() });
    records.putComponent({ id: 'c1', name: 'Sync orders', type: 'PROCESS', versions: [1] });
    writeNewPack(
      doc,
      {
        id: 'orders',
        name: 'Orders',
        description: '',
        installationType: 'SINGLE',
        componentIds: ['c1'],
        createdAt: '2025-03-01T00:00:00.000Z',
        createdBy: 'p-ada',
      },
      origin,
    );
  });
  return { admin, managed };
}

let counter = 0;
export const newKey = () => `it-${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 10)}`;

export async function post(server: SyncServer, token: string, command: Command, idempotencyKey = newKey()): Promise<CommandResult> {
  const response = await fetch(`${server.url}/api/accounts/${ACCOUNT}/commands`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ idempotencyKey, command }),
  });
  if (!response.ok) throw new Error(`POST command ${response.status}: ${await response.text()}`);
  return (await response.json()) as CommandResult;
}

export async function getJson<T>(server: SyncServer, token: string, path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as T };
}

/** A stock y-websocket client of the account, and a way to await a state of its document. */
export async function connect(server: SyncServer, token: string) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(server.url.replace(/^http/, 'ws') + '/sync', ACCOUNT, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the client did not sync within 10 s')), 10_000);
    provider.once('sync', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  /** Resolves when `predicate(doc)` holds, checked after every update; fails after 10 s. */
  const until = (predicate: (doc: Y.Doc) => boolean, what: string) =>
    new Promise<void>((resolve, reject) => {
      if (predicate(doc)) return resolve();
      const timer = setTimeout(() => {
        doc.off('update', check);
        reject(new Error(`timed out waiting for ${what}`));
      }, 10_000);
      const check = () => {
        if (!predicate(doc)) return;
        clearTimeout(timer);
        doc.off('update', check);
        resolve();
      };
      doc.on('update', check);
    });
  return {
    doc,
    until,
    /** The pack's rollout counts as the client's document carries them. */
    rollout: (packId: string) => readRollout(doc, packId),
    close: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** The set-based changes that moved instances to a release (each one statement over every instance awaiting it). */
export const movesTo = (store: ReturnType<typeof recordingStore>, releaseNumber: number) =>
  store.changes.filter(
    (change) => change.op === 'effect' && change.effect.releaseNumber === releaseNumber && change.effect.change === 'move',
  );

/** Every page of a pack's rollout over HTTP. */
export async function rolloutRows(server: SyncServer, token: string, packId: string) {
  const rows: RolloutRow[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 1_000; page++) {
    const query = new URLSearchParams({ packId, limit: '2', ...(cursor ? { cursor } : {}) });
    const { body } = await getJson<RolloutPage>(server, token, `/api/accounts/${ACCOUNT}/rollout?${query}`);
    rows.push(...body.rows);
    cursor = body.nextCursor;
    if (!cursor) break;
  }
  return rows;
}

/** Every page of the history over HTTP, newest first. */
export async function historyRecords(server: SyncServer, token: string, query: Record<string, string> = {}) {
  const records: HistoryRecord[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 1_000; page++) {
    const params = new URLSearchParams({ ...query, limit: '3', ...(cursor ? { cursor } : {}) });
    const { body } = await getJson<HistoryPage>(server, token, `/api/accounts/${ACCOUNT}/history?${params}`);
    records.push(...body.records);
    cursor = body.nextCursor;
    if (!cursor) break;
  }
  return records;
}
