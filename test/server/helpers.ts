/**
 * Helpers for server tests over loopback: a quiet in-process server on port 0 with a seeded store,
 * stock and proto y-websocket clients in Node, and `waitFor`, which re-checks a condition whenever a
 * client reports something (no sleeping).
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import {
  CommandResultSchema,
  encodeCommand,
  MessageType,
  NoticeSchema,
  PROTOCOL_VERSION,
  type CommandEnvelope,
  type CommandResult,
  type Notice,
} from '../../shared/index.ts';
import * as v from 'valibot';
import { mintToken } from '../../sync-server/auth.ts';
import { createSyncServer, type SyncServer, type SyncServerConfig } from '../../sync-server/server.ts';
import { openSqliteStore } from '../../sync-server/storage/sqlite.ts';
import { databaseFile } from '../../sync-server/server.ts';
import type { Role, Store } from '../../sync-server/storage/types.ts';
import { clusterTargetOn, startClusterTestServer } from '../support/cluster-target.ts';

export const tempDir = (prefix = 'ip-server-') => mkdtempSync(join(tmpdir(), prefix));

export interface TestTokens {
  admin: string;
  admin2: string;
  viewer: string;
  managed: string;
  /** An admin of the other account. */
  otherAdmin: string;
}

/** Two bare accounts (`demo` multi-install on, `acme` off) and a token per role. */
export async function seedBare(store: Store): Promise<TestTokens> {
  await store.accounts.putAccount({ id: 'demo', name: 'Demo', multiInstallEnabled: true, timeZone: 'UTC' });
  await store.accounts.putAccount({ id: 'acme', name: 'Acme', multiInstallEnabled: false, timeZone: 'UTC' });
  const person = (id: string, accountId: string, role: Role, extra: { managedAccountId?: string } = {}) =>
    mintToken(store.accounts, { id, accountId, name: id, role, ...extra });
  return {
    admin: await person('ann', 'demo', 'admin'),
    admin2: await person('bob', 'demo', 'admin'),
    viewer: await person('val', 'demo', 'viewer'),
    managed: await person('max', 'demo', 'managed', { managedAccountId: 'm1' }),
    otherAdmin: await person('oz', 'acme', 'admin'),
  };
}

export interface TestServer {
  server: SyncServer;
  tokens: TestTokens;
  dataDir: string;
  wsUrl: string;
  /** Opens the server's data again (after server.close(), to restart on it). */
  reopenStore(): Promise<Store>;
  close(): Promise<void>;
}

/**
 * An in-process server on port 0 over SQLite in a temp dir, seeded with `seedBare`. Under the
 * `cluster` test project: one instance of three on PostgreSQL, clients spread over all three
 * (test/support/cluster-target.ts); a test that passes its own store runs on one instance.
 */
export async function startTestServer(config: Partial<SyncServerConfig> = {}): Promise<TestServer> {
  if (clusterTargetOn() && !config.store) return startClusterTestServer(config, { tempDir, seedBare });
  const dataDir = config.dataDir ?? tempDir();
  const store = config.store ?? openSqliteStore(databaseFile(dataDir), { durability: 'normal' });
  const tokens = await seedBare(store);
  const server = await createSyncServer({ port: 0, dataDir, quiet: true, ...config, store });
  return {
    server,
    tokens,
    dataDir,
    wsUrl: server.url.replace(/^http/, 'ws') + '/sync',
    reopenStore: async () => openSqliteStore(databaseFile(dataDir), { durability: 'normal' }),
    close: async () => {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Fires 'change' whenever anything observable happens (doc update, message, status). */
  events: EventEmitter;
  notices: Notice[];
  /** State vectors the server reported as stored (type 100), oldest first. */
  stored: Uint8Array[];
  results: CommandResult[];
  closes: { code: number; reason: string }[];
  sendCommand(envelope: CommandEnvelope): void;
  destroy(): void;
}

export interface ClientOptions {
  wsUrl: string;
  accountId: string;
  token: string;
  /** Speak types 100–103 (our client); stock otherwise. */
  proto?: boolean;
  doc?: Y.Doc;
  connect?: boolean;
}

export function connectClient(options: ClientOptions): TestClient {
  const doc = options.doc ?? new Y.Doc();
  const events = new EventEmitter();
  events.setMaxListeners(100);
  const params: Record<string, string> = { token: options.token };
  if (options.proto) params.proto = PROTOCOL_VERSION;
  const provider = new WebsocketProvider(options.wsUrl, options.accountId, doc, {
    params,
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 200,
    connect: options.connect ?? true,
  });
  const client: TestClient = {
    doc,
    provider,
    events,
    notices: [],
    stored: [],
    results: [],
    closes: [],
    sendCommand(envelope) {
      provider.ws?.send(encodeCommand(envelope));
    },
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
  const changed = () => events.emit('change');
  if (options.proto) {
    provider.messageHandlers[MessageType.stored] = (_encoder, decoder) => {
      client.stored.push(decoding.readVarUint8Array(decoder));
      changed();
    };
    provider.messageHandlers[MessageType.notice] = (_encoder, decoder) => {
      client.notices.push(v.parse(NoticeSchema, JSON.parse(decoding.readVarString(decoder))));
      changed();
    };
    provider.messageHandlers[MessageType.commandResult] = (_encoder, decoder) => {
      client.results.push(v.parse(CommandResultSchema, JSON.parse(decoding.readVarString(decoder))) as CommandResult);
      changed();
    };
  }
  doc.on('update', changed);
  provider.on('status', changed);
  provider.on('sync', changed);
  provider.on('connection-close', (event) => {
    if (event) client.closes.push({ code: event.code, reason: event.reason });
    changed();
  });
  provider.awareness.on('change', changed);
  return client;
}

/**
 * Resolves when `check()` holds, re-checking whenever one of `sources` emits 'change' (and on a
 * slow safety tick); rejects after `timeoutMs` naming `what`.
 */
export function waitFor(
  sources: readonly { events: EventEmitter }[],
  check: () => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const wake = () => {
      let ok = false;
      try {
        ok = check();
      } catch (error) {
        finish();
        reject(error);
        return;
      }
      if (ok) {
        finish();
        resolve();
      }
    };
    const tick = setInterval(wake, 50);
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for: ${what}`));
    }, timeoutMs);
    const finish = () => {
      clearInterval(tick);
      clearTimeout(timer);
      for (const source of sources) source.events.off('change', wake);
    };
    for (const source of sources) source.events.on('change', wake);
    wake();
  });
}

export const synced = (client: TestClient) => waitFor([client], () => client.provider.synced, 'client synced');

/** Same content: each doc has everything the other has. */
export function sameState(a: Y.Doc, b: Y.Doc): boolean {
  const svA = Y.encodeStateVector(a);
  const svB = Y.encodeStateVector(b);
  if (!Buffer.from(svA).equals(Buffer.from(svB))) return false;
  return JSON.stringify(docJson(a)) === JSON.stringify(docJson(b));
}

/** Whether state vector `have` covers every clock in `want`. */
export function covers(have: Uint8Array, want: Uint8Array): boolean {
  const h = Y.decodeStateVector(have);
  for (const [client, clock] of Y.decodeStateVector(want)) if ((h.get(client) ?? 0) < clock) return false;
  return true;
}

/** Every root as { map, list } of its live entries, whatever type it was defined with: what a person could see. */
export function docJson(doc: Y.Doc): Record<string, unknown> {
  const names = [...doc.share.keys()].sort();
  return Object.fromEntries(names.map((name) => [name, typeJson(doc.share.get(name)!)]));
}

// biome-ignore lint/suspicious/noExplicitAny: Yjs types every parent and root as AbstractType<any>.
function typeJson(type: Y.AbstractType<any>): unknown {
  const jsonOf = (value: unknown): unknown => (value instanceof Y.AbstractType ? typeJson(value) : value);
  const map: Record<string, unknown> = {};
  for (const key of [...type._map.keys()].sort()) {
    const item = type._map.get(key)!;
    if (!item.deleted) map[key] = jsonOf(item.content.getContent().at(-1));
  }
  const list: unknown[] = [];
  for (let item = type._start; item !== null; item = item.right)
    if (!item.deleted && item.countable) list.push(...item.content.getContent().map(jsonOf));
  return { map, list };
}

export function packJson(doc: Y.Doc): Record<string, unknown> {
  return doc.getMap('packs').toJSON();
}
