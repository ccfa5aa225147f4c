/**
 * createWorkspace: boots an account's local copy from IndexedDB (no network needed), then syncs it.
 * Composition only; each part lives in its own module:
 *   mirror.ts (doc ⇄ tables, one Dexie transaction per write), editor.ts (edits, rollback, undo),
 *   actions.ts (rule checks), outbox.ts (commands), connection.ts (socket, backoff),
 *   presence.ts (awareness), reads.ts (Solid accessors), unstored.ts (status count).
 */
import { nanoid } from 'nanoid';
import { createSignal } from 'solid-js';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { ok, Root, type CommandResult, type Notice, type PackTombstone, type Result } from '../../shared/index.ts';
import {
  planAddComponents,
  planAddPack,
  planCancelRelease,
  planDeletePack,
  planRelease,
  planRemoveComponent,
  planSavePack,
  planUpdateRelease,
  type EditContext,
} from './actions.ts';
import type { CommandOutcome, Peer, Session, SyncStatus, Workspace } from './api.ts';
import type { BackoffOptions } from './backoff.ts';
import { SyncConnection, type ConnectionState } from './connection.ts';
import { databaseName, openPackDb, type PackDb, type UpdateRow } from './db.ts';
import { NEW_PACK, PackDrafts } from './drafts.ts';
import { LocalEditor } from './editor.ts';
import { DocMirror } from './mirror.ts';
import { Outbox } from './outbox.ts';
import { colorFor, Presence } from './presence.ts';
import { WorkspaceReads } from './reads.ts';
import { UnstoredEdits } from './unstored.ts';

export interface WorkspaceOptions {
  /** IndexedDB to use (tests pass fake-indexeddb's); the browser's by default. */
  indexedDB?: IDBFactory;
  IDBKeyRange?: typeof IDBKeyRange;
  /** Node has no global WebSocket: pass `ws`'s. */
  WebSocketPolyfill?: unknown;
  clock?: { now(): Date };
  /** Connect to the server at once (default true). `connect()` / `disconnect()` change it later. */
  connect?: boolean;
  random?: () => number;
  backoff?: BackoffOptions;
  /** Sync with other tabs of this browser through BroadcastChannel (default: in browsers). */
  crossTab?: boolean;
  newId?: () => string;
  /** Compact the local update log above this many rows. */
  compactAbove?: number;
  /** How long `deletePack`/`release` wait for the server's answer before reporting "queued". */
  commandWaitMs?: number;
  databaseName?: string;
  /** Where unexpected errors (a failed device write, a bad server message) are reported. */
  onError?: (error: unknown) => void;
}

/** The Workspace plus what tests, the bench and the extension may look at. */
export interface LocalWorkspace extends Workspace {
  readonly doc: Y.Doc;
  readonly db: PackDb;
  readonly connection: SyncConnection;
  readonly awareness: Awareness;
}

const SERVER_VECTOR_KEY = 'serverStateVector';
/** Set once this device has finished a first sync with the server: from then on, no packs means none. */
const SYNCED_ONCE_KEY = 'syncedOnce';

export async function createWorkspace(session: Session, options: WorkspaceOptions = {}): Promise<LocalWorkspace> {
  const clock = options.clock ?? { now: () => new Date() };
  const newId = options.newId ?? (() => nanoid());
  const db = openPackDb(options.databaseName ?? databaseName(session.accountId, session.personId), {
    ...(options.indexedDB ? { indexedDB: options.indexedDB } : {}),
    ...(options.IDBKeyRange ? { IDBKeyRange: options.IDBKeyRange } : {}),
  });
  await db.open();
  const doc = new Y.Doc();

  const [notices, setNotices] = createSignal<Notice[]>([]);
  const addNotice = (notice: Notice) => setNotices((list) => [...list, notice]);
  const reportError = options.onError ?? ((error: unknown) => console.error('Integration packs client:', error));

  // Status: the connection's state, whether the first sync finished, and the unstored count.
  const [status, setStatus] = createSignal<SyncStatus>(
    { state: 'offline', unstored: 0 },
    { equals: (a, b) => a.state === b.state && a.unstored === b.unstored },
  );
  let connectionState: ConnectionState = 'offline';
  let synced = false;
  const unstored = new UnstoredEdits(() => updateStatus());
  const updateStatus = () => {
    const count = unstored.count;
    if (connectionState === 'connected')
      setStatus(synced && count === 0 ? { state: 'saved', unstored: 0 } : { state: 'syncing', unstored: count });
    else setStatus({ state: connectionState, unstored: count });
  };

  let editor!: LocalEditor;
  const mirror = new DocMirror(db, doc, {
    isLocal: (origin) => editor.isLocal(origin),
    onTransaction: (changed, _origin, entry) => {
      if (entry.local) unstored.add(entry.local);
      else noticeDroppedEdits(changed.get(Root.packs), entry.snapshot.packs);
    },
    mayCompact: (row: UpdateRow) =>
      row.clientId === undefined || unstored.isStored({ clientId: row.clientId, clockEnd: row.clockEnd ?? 0 }),
    ...(options.compactAbove !== undefined ? { compactAbove: options.compactAbove } : {}),
    onWriteError: reportError,
  });

  /** A pack with edits of ours the server has not stored was deleted by someone else: say so. */
  const noticeDroppedEdits = (packIds: Set<string> | undefined, packs: Map<string, unknown>) => {
    if (!packIds) return;
    for (const packId of packIds) {
      if (packs.get(packId) !== undefined || !unstored.touched(packId)) continue;
      const tombstone = doc.getMap<PackTombstone>(Root.deletedPacks).get(packId);
      if (!tombstone || tombstone.deletedBy === session.personName || tombstone.deletedBy === session.personId) continue;
      addNotice({
        level: 'warning',
        code: 'OFFLINE_EDITS_DROPPED',
        message: `Your offline edits to "${tombstone.name}" were dropped: ${tombstone.deletedBy} deleted it on ${tombstone.deletedAt.slice(0, 10)}.`,
        packId,
      });
    }
  };

  const storedVector = (await db.meta.get(SERVER_VECTOR_KEY))?.value;
  if (Array.isArray(storedVector)) unstored.setServerVector(new Map(storedVector as [number, number][]));
  const rows = await mirror.boot();
  for (const row of rows)
    if (row.clientId !== undefined && row.clockEnd !== undefined)
      unstored.add({ clientId: row.clientId, clockEnd: row.clockEnd, packIds: row.packIds ?? [] });

  const [dataKnown, setDataKnown] = createSignal((await db.meta.get(SYNCED_ONCE_KEY))?.value === true);

  // One version counter per pack whose stacks changed: undoSteps(packId) re-reads only that pack's.
  const stackVersions = new Map<string, ReturnType<typeof createSignal<number>>>();
  const stackVersion = (packId: string) => {
    let version = stackVersions.get(packId);
    if (!version) stackVersions.set(packId, (version = createSignal(0)));
    return version;
  };
  editor = new LocalEditor(doc, mirror, (packId) => {
    const [, bump] = stackVersion(packId);
    bump((n) => n + 1);
  });
  const undoSteps = (packId: string) => () => {
    stackVersion(packId)[0]();
    const name = reads.pack(packId)()?.name ?? 'this integration pack';
    const steps = editor.steps(packId);
    return {
      ...(steps.undo ? { undo: `${steps.undo} ${name}` } : {}),
      ...(steps.redo ? { redo: `${steps.redo} ${name}` } : {}),
    };
  };

  const awareness = new Awareness(doc);
  const [peers, setPeers] = createSignal<Peer[]>([]);
  const presence = new Presence(
    awareness,
    { personId: session.personId, name: session.personName, color: colorFor(session.personId) },
    setPeers,
  );

  let outbox!: Outbox;
  const connection = new SyncConnection({
    serverUrl: session.serverUrl,
    accountId: session.accountId,
    token: session.token,
    doc,
    awareness,
    ...(options.WebSocketPolyfill ? { WebSocketPolyfill: options.WebSocketPolyfill } : {}),
    ...(options.random ? { random: options.random } : {}),
    ...(options.backoff ? { backoff: options.backoff } : {}),
    ...(options.crossTab !== undefined ? { crossTab: options.crossTab } : {}),
    onState: (state) => {
      connectionState = state;
      if (state !== 'connected') {
        synced = false;
        outbox.onDisconnected();
      }
      updateStatus();
    },
    onSynced: (isSynced) => {
      synced = isSynced;
      updateStatus();
      if (isSynced) void outbox.resendAll().catch(reportError);
      if (isSynced && !dataKnown()) {
        setDataKnown(true);
        void db.meta.put({ key: SYNCED_ONCE_KEY, value: true }).catch(reportError);
      }
    },
    onStored: (vector) => {
      const merged = new Map(unstored.serverStateVector);
      for (const [client, clock] of vector) merged.set(client, Math.max(clock, merged.get(client) ?? 0));
      unstored.setServerVector(merged);
      void db.meta.put({ key: SERVER_VECTOR_KEY, value: [...merged] }).catch(reportError);
    },
    onNotice: addNotice,
    onCommandResult: (result) => void outbox.onResult(result).catch(reportError),
  });
  outbox = new Outbox(db, connection, {
    now: () => clock.now(),
    newKey: () => nanoid(),
    ...(options.commandWaitMs !== undefined ? { waitMs: options.commandWaitMs } : {}),
    onLateResult: (result: CommandResult, command) =>
      addNotice({
        level: result.status === 'SUCCESS' ? 'info' : 'error',
        code: result.code ?? `COMMAND_${result.status}`,
        message: result.message,
        ...('packId' in command ? { packId: command.packId } : {}),
      }),
  });

  const reads = new WorkspaceReads(db, doc, reportError);
  const drafts = new PackDrafts(db, reportError);
  await reads.ready;
  updateStatus();
  if (options.connect !== false) connection.connect();

  const context: EditContext = { doc, session, now: () => clock.now(), newId };
  const command = async (plan: Result<import('../../shared/index.ts').Command>): Promise<Result<CommandOutcome>> => {
    if (!plan.ok) return plan;
    return ok(await outbox.submit(plan.value));
  };

  let closed = false;
  const workspace: LocalWorkspace = {
    session,
    doc,
    db,
    connection,
    awareness,
    packs: reads.packs,
    pack: reads.pack,
    publications: reads.publications,
    releases: reads.releases,
    releaseIndex: reads.releaseIndex,
    instances: reads.instances,
    history: reads.history,
    account: reads.account,
    catalog: reads.catalog,
    managedAccounts: reads.managedAccounts,
    pendingCommands: reads.outbox,
    filterComponents: reads.filterComponents,
    status,
    dataKnown,
    peers,
    notices,
    dismissNotice: (index) => setNotices((list) => list.filter((_, i) => i !== index)),
    setViewing: (packId) => presence.setViewing(packId),
    addPack: (input) => editor.run(() => planAddPack(context, input)),
    savePack: (packId, fields) => editor.run(() => planSavePack(context, packId, fields)),
    addComponents: (packId, componentIds) => editor.run(() => planAddComponents(context, packId, componentIds)),
    removeComponent: (packId, componentId) => editor.run(() => planRemoveComponent(context, packId, componentId)),
    deletePack: async (packId) => {
      await editor.settled();
      return command(planDeletePack(context, packId));
    },
    release: async (packId, input) => {
      await editor.settled();
      return command(planRelease(context, packId, input));
    },
    loadDraft: (packId) => drafts.load(packId ?? NEW_PACK),
    keepDraft: (packId, draft) => drafts.keep(packId ?? NEW_PACK, draft),
    draftIds: drafts.ids,
    undoSteps,
    rescheduleRelease: async (packId, releaseOnDate) => {
      await editor.settled();
      return command(planUpdateRelease(context, packId, releaseOnDate));
    },
    cancelRelease: async (packId) => {
      await editor.settled();
      return command(planCancelRelease(context, packId));
    },
    undo: (packId) => void editor.undo(packId),
    redo: (packId) => void editor.redo(packId),
    connect: () => connection.connect(),
    disconnect: () => connection.disconnect(),
    settled: async () => {
      await editor.settled();
      await drafts.settled();
      await mirror.idle();
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await editor.settled();
      await drafts.settled();
      drafts.close();
      presence.destroy();
      outbox.close();
      connection.destroy();
      awareness.destroy();
      await mirror.close();
      editor.destroy();
      reads.close();
      doc.destroy();
      db.close();
    },
  };
  return workspace;
}
