/**
 * The arena for attacks: the server in process over SQLite in a temp dir, seeded with the demo
 * (server-owned catalog, releases, instances, history), attackers holding valid tokens, raw sockets
 * for frames no y-websocket client would send, and `intact`, which asks a fresh stock client what the
 * server holds now, after the idle unload and after a restart.
 */
import { EventEmitter } from 'node:events';
import { rmSync } from 'node:fs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { expect } from 'vitest';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { MessageType, type CommandResult, type IntegrationPack, type Notice } from '../../shared/index.ts';
import { mintToken } from '../../sync-server/auth.ts';
import { seedDemo, type DemoTokens } from '../../sync-server/seed.ts';
import { createSyncServer, databaseFile, type SyncServer, type SyncServerConfig } from '../../sync-server/server.ts';
import { openSqliteStore } from '../../sync-server/storage/sqlite.ts';
import type { Role } from '../../sync-server/storage/types.ts';
import { connectClient, docJson, synced, tempDir, waitFor, type TestClient } from '../server/helpers.ts';

export const ACCOUNT = 'demo';

export interface Arena {
  server: SyncServer;
  dataDir: string;
  wsUrl: string;
  tokens: DemoTokens[string];
  /** An admin (Ann), another admin (Bob), a viewer (Val): tokens of the seeded people. */
  ann: string;
  bob: string;
  val: string;
  /** Mints a token for a new person of the demo account. */
  person(id: string, role: Role, name?: string): Promise<string>;
  /** Everything the server holds, as a fresh stock client sees it after syncing. */
  view(token?: string): Promise<Record<string, unknown>>;
  /** Stock client (or proto client) that is destroyed with the arena. */
  client(token: string, proto?: boolean): TestClient;
  /** Raw sockets are closed with the arena's clients (unload, restart, close). */
  track(raw: RawClient): RawClient;
  /** Destroys every client and waits until the account's room was unloaded (compacted) for being idle. */
  unload(): Promise<void>;
  /** Closes the server (storing everything) and starts a new one on the same data. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startArena(config: Partial<SyncServerConfig> = {}): Promise<Arena> {
  const dataDir = tempDir('ip-attack-');
  const clients = new Set<TestClient>();
  const raws = new Set<RawClient>();
  const closeRaws = async () => {
    const open = [...raws].filter((raw) => raw.closed === undefined && raw.ws.readyState !== WebSocket.CLOSED);
    for (const raw of open) raw.ws.terminate();
    await Promise.all(open.map((raw) => new Promise<void>((resolve) => (raw.closed ? resolve() : raw.ws.once('close', () => resolve())))));
    raws.clear();
  };
  const unloaded = new EventEmitter();
  const seedStore = openSqliteStore(databaseFile(dataDir), { durability: 'normal' });
  const tokens = (await seedDemo(seedStore, { now: new Date('2026-06-01T12:00:00Z') }))[ACCOUNT]!;
  await seedStore.close();
  const start = async () => {
    const store = openSqliteStore(databaseFile(dataDir), { durability: 'normal' });
    const server = await createSyncServer({
      port: 0,
      dataDir,
      store,
      quiet: true,
      scheduler: false,
      ...config,
      rooms: { idleUnloadMs: 30, ...config.rooms },
    });
    server.rooms.onUnloaded = () => unloaded.emit('change');
    return server;
  };
  const arena: Arena = {
    server: await start(),
    dataDir,
    get wsUrl() {
      return arena.server.url.replace(/^http/, 'ws') + '/sync';
    },
    tokens,
    ann: tokens.admin[0]!,
    bob: tokens.admin[1]!,
    val: tokens.viewer[0]!,
    person: (id, role, name = id) => mintToken(arena.server.store.accounts, { id, accountId: ACCOUNT, name, role }),
    client(token, proto = false) {
      const client = connectClient({ wsUrl: arena.wsUrl, accountId: ACCOUNT, token, proto });
      clients.add(client);
      return client;
    },
    async view(token = tokens.viewer[0]!) {
      const client = connectClient({ wsUrl: arena.wsUrl, accountId: ACCOUNT, token });
      try {
        await synced(client);
        return docJson(client.doc);
      } finally {
        client.destroy();
      }
    },
    async unload() {
      for (const client of clients) client.destroy();
      clients.clear();
      await closeRaws();
      await waitFor([{ events: unloaded }], () => !arena.server.rooms.isLoaded(ACCOUNT), 'the idle room unloads');
    },
    async restart() {
      for (const client of clients) client.destroy();
      clients.clear();
      await closeRaws();
      await arena.server.close();
      arena.server = await start();
    },
    track(raw) {
      raws.add(raw);
      return raw;
    },
    async close() {
      for (const client of clients) client.destroy();
      await closeRaws();
      await arena.server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return arena;
}

/** Every root but `packs`: what only the server writes. */
export function serverOwned(json: Record<string, unknown>): Record<string, unknown> {
  const { packs: _packs, ...owned } = json;
  return owned;
}

export const packsOf = (json: Record<string, unknown>) => (json.packs as { map: Record<string, { map: Record<string, unknown> }> }).map;

/**
 * A fresh stock client checks what the server holds now, after the idle room was unloaded, and after a
 * restart: the server-owned roots equal `owned` and `packs` passes `check` (valid edits kept).
 */
export async function expectIntact(
  arena: Arena,
  owned: Record<string, unknown>,
  check: (packs: ReturnType<typeof packsOf>) => void = () => {},
): Promise<void> {
  for (const moment of ['now', 'after the idle unload', 'after a restart'] as const) {
    if (moment === 'after the idle unload') await arena.unload();
    if (moment === 'after a restart') await arena.restart();
    const seen = await arena.view();
    expect(serverOwned(seen), `server-owned roots ${moment}`).toEqual(owned);
    check(packsOf(seen));
  }
}

// ---------------------------------------------------------------------------------------------
// Raw frames

export interface Received {
  type: number;
  syncType?: number;
  payload?: Uint8Array;
  notice?: Notice;
  result?: CommandResult;
}

export interface RawClient {
  ws: WebSocket;
  events: EventEmitter;
  received: Received[];
  closed: { code: number; reason: string } | undefined;
  opened: Promise<void>;
  send(frame: Uint8Array): void;
  sendUpdate(update: Uint8Array, syncType?: number): void;
  notices(): Notice[];
  results(): CommandResult[];
  close(): void;
}

/** A bare socket on /sync that decodes what it receives (types 0, 1, 100, 101, 103). */
export function rawClient(arena: Arena, token: string, { proto = true } = {}): RawClient {
  const ws = new WebSocket(`${arena.wsUrl}/${ACCOUNT}?token=${encodeURIComponent(token)}${proto ? '&proto=1' : ''}`);
  const events = new EventEmitter();
  events.setMaxListeners(100);
  const client: RawClient = {
    ws,
    events,
    received: [],
    closed: undefined,
    opened: new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    }),
    send: (frame) => ws.send(frame),
    sendUpdate(update, syncType = syncProtocol.messageYjsUpdate) {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MessageType.sync);
      encoding.writeVarUint(encoder, syncType);
      encoding.writeVarUint8Array(encoder, update);
      ws.send(encoding.toUint8Array(encoder));
    },
    notices: () => client.received.flatMap((r) => (r.notice ? [r.notice] : [])),
    results: () => client.received.flatMap((r) => (r.result ? [r.result] : [])),
    close: () => ws.close(),
  };
  client.opened.catch(() => {});
  arena.track(client);
  ws.on('error', () => {});
  ws.on('message', (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data));
    const type = decoding.readVarUint(decoder);
    const entry: Received = { type };
    if (type === MessageType.sync) {
      entry.syncType = decoding.readVarUint(decoder);
      entry.payload = decoding.readVarUint8Array(decoder);
    } else if (type === MessageType.notice) entry.notice = JSON.parse(decoding.readVarString(decoder)) as Notice;
    else if (type === MessageType.commandResult) entry.result = JSON.parse(decoding.readVarString(decoder)) as CommandResult;
    else if (type === MessageType.stored || type === MessageType.awareness) entry.payload = decoding.readVarUint8Array(decoder);
    client.received.push(entry);
    events.emit('change');
  });
  ws.on('close', (code, reason) => {
    client.closed = { code, reason: reason.toString() };
    events.emit('change');
  });
  return client;
}

/** Waits until the raw client has been sent the server's sync step 1 (the greeting). */
export const greeted = (client: RawClient) =>
  waitFor([client], () => client.received.some((r) => r.syncType === syncProtocol.messageYjsSyncStep1), 'the server greets');

/**
 * Waits until the server has handled everything this socket sent before: a sync step 1 is answered
 * in order, after the commit of what came before it.
 */
export async function barrier(client: RawClient): Promise<void> {
  const answers = () => client.received.filter((r) => r.syncType === syncProtocol.messageYjsSyncStep2).length;
  const before = answers();
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  syncProtocol.writeSyncStep1(encoder, new Y.Doc());
  client.send(encoding.toUint8Array(encoder));
  await waitFor([client], () => answers() > before || client.closed !== undefined, 'the server answers the barrier');
}

/** The document as the server holds it now (read in process). */
export async function serverState(arena: Arena): Promise<Y.Doc> {
  const update = await arena.server.rooms.read(ACCOUNT, (doc) => Y.encodeStateAsUpdate(doc));
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc;
}

/** The update a client would send after `edit`, made on a copy of `base`, optionally under a chosen client id. */
export function editOf(base: Y.Doc, edit: (doc: Y.Doc) => void, clientId?: number): Uint8Array {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
  // Set after loading: Yjs picks a new id when a remote update extends the doc's own one.
  if (clientId !== undefined) doc.clientID = clientId;
  const before = Y.encodeStateVector(doc);
  edit(doc);
  const update = Y.encodeStateAsUpdate(doc, before);
  doc.destroy();
  return update;
}

/** An update with no structs and these delete ranges (client, clock, length). */
export function deleteOnlyUpdate(ranges: readonly [number, number, number][]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0); // no structs
  const byClient = new Map<number, [number, number][]>();
  for (const [client, clock, len] of ranges) byClient.set(client, [...(byClient.get(client) ?? []), [clock, len]]);
  encoding.writeVarUint(encoder, byClient.size);
  for (const [client, list] of byClient) {
    encoding.writeVarUint(encoder, client);
    encoding.writeVarUint(encoder, list.length);
    for (const [clock, len] of list) {
      encoding.writeVarUint(encoder, clock);
      encoding.writeVarUint(encoder, len);
    }
  }
  return encoding.toUint8Array(encoder);
}

/** A valid new pack as an admin's client would write it (the server stamps createdAt/createdBy). */
export const newPack = (id: string, fields: Partial<IntegrationPack> = {}): IntegrationPack => ({
  id,
  name: `Pack ${id}`,
  description: '',
  installationType: 'SINGLE',
  componentIds: [],
  createdAt: '2026-06-01T00:00:00.000Z',
  createdBy: 'Avery Admin',
  ...fields,
});
