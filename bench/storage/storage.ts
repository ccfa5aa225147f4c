/**
 * Storage: 100,000 edits by two admins (stock y-websocket providers, one Yjs transaction and one
 * WebSocket frame per edit: descriptions, renames, components added and removed, new packs) through a
 * real server (createSyncServer, SQLite, demo seed) with automatic compaction held off, so the log
 * holds everything the server committed. Then the clients leave, the idle room is unloaded, which
 * compacts it (the production path). Measured: stored bytes of the log before compaction, of the
 * snapshot after, against a fresh snapshot of the same state (every value written once by one new
 * client, no history); and the time to load the document from the store (read + apply), before and
 * after compaction, and through the room.
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import {
  readPacks,
  Root,
  SERVER_OWNED_ROOTS,
  writeAddComponents,
  writeNewPack,
  writePackDescription,
  writePackName,
  writeRemoveComponent,
} from '../../shared/index.ts';
import { seedDemo } from '../../sync-server/seed.ts';
import { createSyncServer, databaseFile } from '../../sync-server/server.ts';
import { openSqliteStore } from '../../sync-server/storage/sqlite.ts';
import type { DocStore } from '../../sync-server/storage/types.ts';
import { seededRandom } from '../support/catalog.ts';
import type { CaseResult } from '../support/figures.ts';
import { removeDir, tempDir } from '../support/processes.ts';
import { createPulse, until } from '../support/wait.ts';

const ACCOUNT = 'demo';
const EDITS_PER_TURN = 250;

async function timeLoad(docs: DocStore): Promise<{ ms: number; readMs: number; rows: number }> {
  const began = performance.now();
  const stored = await docs.load(ACCOUNT);
  const readMs = performance.now() - began;
  const doc = new Y.Doc();
  doc.transact(() => {
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
    for (const update of stored.updates) Y.applyUpdate(doc, update);
  });
  const ms = performance.now() - began;
  doc.destroy();
  return { ms, readMs, rows: stored.updates.length + (stored.snapshot ? 1 : 0) };
}

/** The same visible state written once, by one client, with no history. */
function freshSnapshot(doc: Y.Doc): Uint8Array {
  const fresh = new Y.Doc();
  fresh.transact(() => {
    for (const pack of readPacks(doc)) writeNewPack(fresh, pack);
    for (const root of SERVER_OWNED_ROOTS) {
      const target = fresh.getMap(root);
      for (const [key, value] of doc.getMap(root).entries()) target.set(key, value);
    }
  });
  const bytes = Y.encodeStateAsUpdate(fresh);
  fresh.destroy();
  return bytes;
}

export async function storageCase(totalEdits = 100_000): Promise<CaseResult> {
  const dataDir = tempDir('bench-storage-');
  const store = openSqliteStore(databaseFile(dataDir), { durability: 'full' });
  const tokens = await seedDemo(store, { now: new Date('2025-03-01T00:00:00Z') });
  const server = await createSyncServer({
    port: 0,
    dataDir,
    store,
    quiet: true,
    rooms: { compactAfterBytes: Number.POSITIVE_INFINITY, compactAfterUpdates: Number.POSITIVE_INFINITY, idleUnloadMs: 50 },
    // Two clients sending 50,000 frames each: the per-connection rate limit would only stretch the run.
    limits: { messagesPerSecond: 1_000_000, messageBurst: 1_000_000 },
  });
  const pulse = createPulse();
  let localUpdates = 0;
  const clients = tokens[ACCOUNT]!.admin.slice(0, 2).map((token) => {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(`${server.url.replace(/^http/, 'ws')}/sync`, ACCOUNT, doc, {
      params: { token },
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
    provider.on('sync', () => pulse.emit());
    doc.on('update', (_update: Uint8Array, origin: unknown) => {
      if (origin !== provider) localUpdates++;
      pulse.emit();
    });
    return { doc, provider };
  });
  try {
    await until(pulse, () => clients.every((c) => c.provider.synced), 'both clients to sync', 20_000);
    const catalogIds = [...clients[0]!.doc.getMap(Root.catalog).keys()].sort();
    const random = seededRandom(7);
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
    const packIds: string[] = [];
    const counts = { description: 0, rename: 0, addComponent: 0, removeComponent: 0, newPack: 0 };
    const newPack = (doc: Y.Doc, n: number) => {
      const id = `storage-${n}`;
      writeNewPack(doc, {
        id,
        name: `Storage Pack ${n}`,
        description: '',
        installationType: 'SINGLE',
        componentIds: [pick(catalogIds)],
        createdAt: new Date(0).toISOString(),
        createdBy: 'bench',
      });
      packIds.push(id);
      counts.newPack++;
    };
    /** A pack this client already has (the other client's newest may not have reached it yet). */
    const somePack = (doc: Y.Doc): [string, Y.Map<unknown>] | undefined => {
      for (let tries = 0; tries < 10; tries++) {
        const packId = pick(packIds);
        const pack = doc.getMap<Y.Map<unknown>>(Root.packs).get(packId);
        if (pack) return [packId, pack];
      }
      return undefined;
    };
    const editOnce = (doc: Y.Doc, n: number) => {
      const roll = random();
      const found = packIds.length < 20 || roll < 0.02 ? undefined : somePack(doc);
      if (!found) return newPack(doc, n);
      const [packId, pack] = found;
      const components = pack.get('components') as Y.Map<true>;
      if (roll < 0.5) {
        writePackDescription(doc, packId, `Edit ${n}: ${'lorem ipsum '.repeat(1 + Math.floor(random() * 20))}`.slice(0, 500));
        counts.description++;
      } else if (roll < 0.7) {
        writePackName(doc, packId, `Storage Pack ${packId.slice(8)} rev ${n}`);
        counts.rename++;
      } else if (roll < 0.88 || components.size <= 1) {
        writeAddComponents(doc, packId, [pick(catalogIds)]);
        counts.addComponent++;
      } else {
        writeRemoveComponent(doc, packId, pick([...components.keys()]));
        counts.removeComponent++;
      }
    };

    const began = performance.now();
    let clientEditMs = 0;
    for (let n = 0; n < totalEdits; ) {
      const turn = performance.now();
      for (const client of clients) for (let k = 0; k < EDITS_PER_TURN && n < totalEdits; k++, n++) editOnce(client.doc, n);
      clientEditMs += performance.now() - turn;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const [a, b] = clients as [(typeof clients)[0], (typeof clients)[0]];
    await until(
      pulse,
      () => Buffer.from(Y.encodeStateVector(a.doc)).equals(Buffer.from(Y.encodeStateVector(b.doc))),
      'both clients to hold every edit',
      120_000,
    );
    await server.rooms.mutate(ACCOUNT, () => undefined); // resolves once everything applied so far is stored
    const editSeconds = (performance.now() - began) / 1000;

    const before = await store.docs.sizes(ACCOUNT);
    const loadBefore = await timeLoad(store.docs);

    const unloaded = new Promise<void>((resolve) => {
      server.rooms.onUnloaded = (name) => name === ACCOUNT && resolve();
    });
    for (const client of clients) client.provider.destroy();
    await unloaded;
    const after = await store.docs.sizes(ACCOUNT);
    const loadAfter = await timeLoad(store.docs);
    const roomBegan = performance.now();
    const fresh = await server.rooms.read(ACCOUNT, (doc) => freshSnapshot(doc));
    const roomLoadMs = performance.now() - roomBegan;
    const live = await server.rooms.read(ACCOUNT, (doc) => ({
      packs: readPacks(doc).length,
      stateBytes: Y.encodeStateAsUpdate(doc).byteLength,
    }));

    const storedAfter = after.snapshotBytes + after.logBytes;
    const ratio = storedAfter / fresh.byteLength;
    const holdsBack =
      ratio <= 2
        ? []
        : [
            `the compacted snapshot is ${(storedAfter / 1024).toFixed(0)} KiB against ${(fresh.byteLength / 1024).toFixed(0)} KiB fresh: ` +
              `Yjs keeps a record (GC'd to a range, but not dropped) of every overwritten map value and removed component, from two alternating clients whose ranges do not merge.`,
          ];
    return {
      figures: [
        {
          case: 'storage',
          figure: `stored bytes after ${totalEdits.toLocaleString('en-US')} edits, before compaction`,
          unit: 'KiB',
          value: (before.snapshotBytes + before.logBytes) / 1024,
          reference: fresh.byteLength / 1024,
        },
        {
          case: 'storage',
          figure: 'stored bytes after compaction',
          unit: 'KiB',
          value: storedAfter / 1024,
          reference: fresh.byteLength / 1024,
          goal: { compare: 'ratio', op: '<=', target: 2 },
        },
        { case: 'storage', figure: 'load the document, before compaction', unit: 'ms', value: loadBefore.ms },
        { case: 'storage', figure: 'load the document, after compaction', unit: 'ms', value: loadAfter.ms },
      ],
      holdsBack,
      details: {
        edits: totalEdits,
        editsByKind: counts,
        updatesSent: localUpdates,
        editSeconds,
        clientEditSeconds: clientEditMs / 1000,
        before,
        after,
        freshSnapshotBytes: fresh.byteLength,
        liveStateBytes: live.stateBytes,
        packs: live.packs,
        loadBefore,
        loadAfter,
        roomLoadAfterCompactionMs: roomLoadMs,
        reference: 'a fresh snapshot: the same packs and server-owned values written once by a new client (no history)',
      },
    };
  } finally {
    for (const client of clients) {
      client.provider.destroy();
      client.doc.destroy();
    }
    await server.close();
    removeDir(dataDir);
  }
}
