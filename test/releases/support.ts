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
import type { PackInstance } from '../../shared/model.ts';
import { Root, writeComponent, writeManagedAccount, writeNewPack } from '../../shared/schema.ts';
import { mintToken } from '../../sync-server/auth.ts';
import type { Timer } from '../../sync-server/scheduler.ts';
import { createSyncServer, type SyncServer } from '../../sync-server/server.ts';

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

export async function startServer(dataDir: string, clock: FakeClock, durability: 'full' | 'normal' = 'normal'): Promise<SyncServer> {
  return createSyncServer({ port: 0, dataDir, clock, quiet: true, durability, scheduler: { timer: manualTimer } });
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
  await server.rooms.mutate(ACCOUNT, (doc, origin) => {
    for (const id of MANAGED) writeManagedAccount(doc, { id, name: id.toUpperCase() }, origin);
    writeComponent(doc, { id: 'c1', name: 'Sync orders', type: 'PROCESS', versions: [1] }, origin);
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
    instances: () => [...doc.getMap<PackInstance>(Root.instances).values()],
    close: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Every move of an instance to another release, as a connected client sees it. */
export function recordTransitions(doc: Y.Doc): Map<string, number[]> {
  const moves = new Map<string, number[]>();
  const instances = doc.getMap<PackInstance>(Root.instances);
  instances.observe((event) => {
    for (const [id, change] of event.changes.keys) {
      if (change.action !== 'update') continue;
      const before = (change.oldValue as PackInstance).releaseNumber;
      const after = instances.get(id)!.releaseNumber;
      if (before !== after) moves.set(id, [...(moves.get(id) ?? []), after]);
    }
  });
  return moves;
}
