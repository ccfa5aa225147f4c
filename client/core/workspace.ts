/**
 * The Workspace of one person's account on this device, in two halves:
 *   - booted (this module): the Dexie tables, which hold the document's projection, read through
 *     reads.ts — what the page shows first, with no Yjs loaded and no log replayed;
 *   - live (live.ts, loaded a moment after the list shows): the Yjs document replayed from the update
 *     log, the mirror, edits and undo, presence, the outbox and the connection.
 * Actions wait for the live half; reads never do. `openWorkspace` returns the booted workspace at
 * once; `createWorkspace` waits until it is live (tests, tools).
 */
import { createSignal } from 'solid-js';
import type { Notice } from '../../shared/protocol.ts';
import type { Peer, Session, SyncStatus, Workspace } from './api.ts';
import type { BackoffOptions } from './backoff.ts';
import type { SyncConnection } from './connection.ts';
import { databaseName, openPackDb, type PackDb } from './db.ts';
import { NEW_PACK, PackDrafts } from './drafts.ts';
import { PagedCaches } from './pages.ts';
import type { LiveWorkspace } from './live.ts';
import { WorkspaceReads } from './reads.ts';
import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';

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
  /** How the history and rollout pages are fetched (the global fetch by default). */
  fetch?: typeof fetch;
  /** Where unexpected errors (a failed device write, a bad server message) are reported. */
  onError?: (error: unknown) => void;
  /**
   * When to start the live half (Yjs log replay, sync): it gets the function that starts it. By
   * default a moment after the list's first frame, once the page's reads have answered (see
   * startWhenQuiet).
   */
  startLive?: (start: () => void) => void;
}

/** The Workspace plus what tests, the bench and the extension may look at. */
export interface LocalWorkspace extends Workspace {
  readonly doc: Y.Doc;
  readonly db: PackDb;
  readonly connection: SyncConnection;
  readonly awareness: Awareness;
}

/** A workspace that shows the device's tables now and goes live (the same object) a moment later. */
export interface BootedWorkspace extends Workspace {
  readonly db: PackDb;
  /** Resolves once the document is replayed and syncing; rejects if that fails or the workspace closed first. */
  readonly live: Promise<LocalWorkspace>;
}

/** Set once this device has finished a first sync with the server: from then on, no packs means none. */
const SYNCED_ONCE_KEY = 'syncedOnce';

/** After the next frame is painted: a requestAnimationFrame callback runs just before it, its timeout after. */
function afterNextFrame(start: () => void): void {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(start, 0));
  else start();
}

/** How long after the list's first frame the live half waits before it starts (see startWhenQuiet). */
const LIVE_AFTER_LIST_MS = 250;

/**
 * The live half's default start: a moment after the list's first frame, once the page's reads have
 * had their first answers (also those of a pack selected meanwhile) and the frame showing them is
 * out. Its log replay is one long task that nothing can interrupt (10,000 packs: ~200 ms, twice that
 * on a busy machine). Begun right after the list's first frame, it took the moment a person (and
 * bench/cold-start) clicks a pack: the click, or the details' reads from IndexedDB, waited for it
 * (details after 400-800 ms instead of ~50 ms). Actions asked meanwhile wait for it, as before.
 */
function startWhenQuiet(reads: WorkspaceReads, start: () => void): void {
  afterNextFrame(() => setTimeout(() => void reads.firstAnswers().then(() => afterNextFrame(start), start), LIVE_AFTER_LIST_MS));
}

export async function openWorkspace(session: Session, options: WorkspaceOptions = {}): Promise<BootedWorkspace> {
  const db = openPackDb(options.databaseName ?? databaseName(session.accountId, session.personId), {
    ...(options.indexedDB ? { indexedDB: options.indexedDB } : {}),
    ...(options.IDBKeyRange ? { IDBKeyRange: options.IDBKeyRange } : {}),
  });
  await db.open();
  const reportError = options.onError ?? ((error: unknown) => console.error('Integration packs client:', error));
  const [notices, setNotices] = createSignal<Notice[]>([]);
  const [status, setStatus] = createSignal<SyncStatus>(
    { state: options.connect === false ? 'offline' : 'connecting', unstored: 0 },
    { equals: (a, b) => a.state === b.state && a.unstored === b.unstored },
  );
  const [peers, setPeers] = createSignal<Peer[]>([]);
  // Asked together with the list's read (below), not one after the other: each is a round trip to IndexedDB.
  const syncedOnce = db.meta.get(SYNCED_ONCE_KEY);
  const reads = new WorkspaceReads(db, reportError);
  const drafts = new PackDrafts(db, reportError);
  const pages = new PagedCaches({
    db,
    serverUrl: session.serverUrl,
    accountId: session.accountId,
    token: session.token,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    onError: reportError,
  });
  const [dataKnown, setDataKnown] = createSignal((await syncedOnce)?.value === true);
  await reads.ready;

  // One version counter per pack whose undo stacks changed: undoSteps(packId) re-reads only that pack's.
  const stackVersions = new Map<string, ReturnType<typeof createSignal<number>>>();
  const stackVersion = (packId: string) => {
    let version = stackVersions.get(packId);
    if (!version) stackVersions.set(packId, (version = createSignal(0)));
    return version;
  };
  const undoSteps = (packId: string) => () => {
    stackVersion(packId)[0]();
    const name = reads.pack(packId)()?.name ?? 'this integration pack';
    const steps = current?.undoSteps(packId) ?? {};
    return {
      ...(steps.undo ? { undo: `${steps.undo} ${name}` } : {}),
      ...(steps.redo ? { redo: `${steps.redo} ${name}` } : {}),
    };
  };

  let closed = false;
  /** The live half once it is there: calls that return nothing then act at once, as before it went live they act when it does. */
  let current: LiveWorkspace | undefined;
  let online = options.connect !== false;
  let begin!: () => void;
  const begun = new Promise<void>((resolve) => (begin = resolve));
  const live: Promise<LiveWorkspace> = begun.then(async () => {
    if (closed) throw new Error('The workspace was closed before it went live.');
    globalThis.performance?.mark?.('workspace-live-begins');
    const { startLive } = await import('./live.ts');
    const parts = await startLive({
      session,
      options,
      db,
      reportError,
      setStatus,
      setPeers,
      addNotice: (notice) => setNotices((list) => [...list, notice]),
      onStacksChanged: (packId) => {
        const [, bump] = stackVersion(packId);
        bump((n) => n + 1);
      },
      useDocument: (document) => reads.useDocument(document),
      onRolloutChanged: (packIds, committed) => void committed.then(() => pages.rolloutChanged(packIds)).catch(reportError),
      onSynced: () => {
        void pages.refreshStale().catch(reportError);
        if (dataKnown()) return;
        setDataKnown(true);
        void db.meta.put({ key: SYNCED_ONCE_KEY, value: true }).catch(reportError);
      },
    });
    current = parts;
    for (const [, bump] of stackVersions.values()) bump((n) => n + 1);
    // When the document is replayed and syncing (bench/cold-start reads it).
    globalThis.performance?.mark?.('workspace-live');
    if (online) parts.connection.connect();
    return parts;
  });
  live.catch((error: unknown) => {
    if (!closed) reportError(error);
  });
  const liveWorkspace = live.then((parts) =>
    Object.assign(workspace, { doc: parts.doc, connection: parts.connection, awareness: parts.awareness }),
  );
  liveWorkspace.catch(() => {}); // reported above; callers awaiting it still see the failure
  const whenLive = <T>(use: (parts: LiveWorkspace) => T | Promise<T>): Promise<T> => live.then(use);
  const soonLive = (use: (parts: LiveWorkspace) => void): void => {
    if (current) use(current);
    else void live.then(use).catch(() => {});
  };

  const workspace: BootedWorkspace = {
    session,
    db,
    live: liveWorkspace,
    packs: reads.packs,
    pack: reads.pack,
    publications: reads.publications,
    releases: reads.releases,
    releaseIndex: reads.releaseIndex,
    rollout: reads.rollout,
    rolloutRows: reads.rolloutRows,
    history: reads.history,
    packEdits: reads.packEdits,
    refreshEdits: (packId) => pages.refreshEdits(packId),
    pageState: (kind, packId) => pages.state(kind, packId),
    loadMore: (kind, packId) => (kind === 'history' ? pages.loadMoreHistory(packId) : pages.loadMoreRollout(packId)),
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
    setViewing: (packId) => soonLive((parts) => parts.setViewing(packId)),
    addPack: (input) => whenLive((parts) => parts.addPack(input)),
    savePack: (packId, fields) => whenLive((parts) => parts.savePack(packId, fields)),
    addComponents: (packId, componentIds) => whenLive((parts) => parts.addComponents(packId, componentIds)),
    removeComponent: (packId, componentId) => whenLive((parts) => parts.removeComponent(packId, componentId)),
    deletePack: (packId) => whenLive((parts) => parts.deletePack(packId)),
    release: (packId, input) => whenLive((parts) => parts.release(packId, input)),
    loadDraft: (packId) => drafts.load(packId ?? NEW_PACK),
    keepDraft: (packId, draft) => drafts.keep(packId ?? NEW_PACK, draft),
    draftIds: drafts.ids,
    undoSteps,
    rescheduleRelease: (packId, releaseOnDate) => whenLive((parts) => parts.rescheduleRelease(packId, releaseOnDate)),
    changeReleaseNotes: (packId, notes) => whenLive((parts) => parts.changeReleaseNotes(packId, notes)),
    cancelRelease: (packId) => whenLive((parts) => parts.cancelRelease(packId)),
    setAccountSettings: (settings) => whenLive((parts) => parts.setAccountSettings(settings)),
    undo: (packId) => soonLive((parts) => parts.undo(packId)),
    redo: (packId) => soonLive((parts) => parts.redo(packId)),
    // Before the live half exists, only the wish is kept: it connects when it starts if wanted.
    connect: () => {
      online = true;
      current?.connection.connect();
    },
    disconnect: () => {
      online = false;
      current?.connection.disconnect();
    },
    settled: async () => {
      await whenLive((parts) => parts.settled());
      await drafts.settled();
    },
    close: async () => {
      if (closed) return;
      closed = true;
      begin(); // not begun yet: it now fails at once instead of replaying the log for nothing
      const parts = await live.catch(() => undefined);
      await parts?.close();
      await drafts.settled();
      await reads.flush();
      drafts.close();
      pages.close();
      reads.close();
      db.close();
    },
  };
  (options.startLive ?? ((start) => startWhenQuiet(reads, start)))(begin);
  return workspace;
}

/** Opens the workspace and waits until it is live (the document replayed, the connection started). */
export async function createWorkspace(session: Session, options: WorkspaceOptions = {}): Promise<LocalWorkspace> {
  const booted = await openWorkspace(session, { startLive: (start) => start(), ...options });
  return booted.live;
}
