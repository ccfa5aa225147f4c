/**
 * The live half of a Workspace: the Yjs document replayed from the device's update log, the mirror
 * that keeps the tables equal to it, local edits and undo, presence, the outbox and the connection.
 * workspace.ts loads this module (and Yjs with it) after the list is on screen: the page reads the
 * Dexie tables, which already hold the document's projection, so nothing here is on the boot path.
 */
import { nanoid } from 'nanoid';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import {
  currentRelease,
  derivePublications,
  ok,
  readPack,
  readReleases,
  Root,
  type Command,
  type CommandResult,
  type Notice,
  type PackTombstone,
  type Result,
} from '../../shared/index.ts';
import {
  catalogSubset,
  planAddComponents,
  planAddPack,
  planCancelRelease,
  planDeletePack,
  planRelease,
  planRemoveComponent,
  planSavePack,
  planSetAccountSettings,
  planUpdateRelease,
  planReleaseNotesChange,
  type EditContext,
} from './actions.ts';
import type { AccountSettings } from '../../shared/account-settings.ts';
import type { CommandOutcome, NewPackInput, Peer, ReleaseInput, Session, SyncStatus } from './api.ts';
import { SyncConnection, type ConnectionState } from './connection.ts';
import type { PackDb, UpdateRow } from './db.ts';
import type { DocumentReads } from './reads.ts';
import { LocalEditor } from './editor.ts';
import type { UndoSteps } from './undo.ts';
import { DocMirror } from './mirror.ts';
import { Outbox } from './outbox.ts';
import { colorFor, Presence } from './presence.ts';
import { UnstoredEdits } from './unstored.ts';
import type { WorkspaceOptions } from './workspace.ts';

const SERVER_VECTOR_KEY = 'serverStateVector';

/** What the booted workspace hands over: its database and the setters of the signals it already shows. */
export interface LiveContext {
  session: Session;
  options: WorkspaceOptions;
  db: PackDb;
  reportError(error: unknown): void;
  setStatus(status: SyncStatus): void;
  setPeers(peers: Peer[]): void;
  addNotice(notice: Notice): void;
  /** A pack's undo or redo stack changed. */
  onStacksChanged(packId: string): void;
  /** A sync with the server finished. */
  onSynced(): void;
  /** The document's rollout counts of these packs changed (stored on the device once `committed` resolves). */
  onRolloutChanged(packIds: ReadonlySet<string>, committed: Promise<void>): void;
  /** Hands the replayed document to the reads, for the first values of per-pack accessors. */
  useDocument(document: DocumentReads): void;
}

export interface LiveWorkspace {
  doc: Y.Doc;
  connection: SyncConnection;
  awareness: Awareness;
  addPack(input: NewPackInput): Promise<Result<string>>;
  savePack(packId: string, fields: { name: string; description: string }): Promise<Result<void>>;
  addComponents(packId: string, componentIds: string[]): Promise<Result<void>>;
  removeComponent(packId: string, componentId: string): Promise<Result<void>>;
  deletePack(packId: string): Promise<Result<CommandOutcome>>;
  release(packId: string, input: ReleaseInput): Promise<Result<CommandOutcome>>;
  rescheduleRelease(packId: string, releaseOnDate: string): Promise<Result<CommandOutcome>>;
  changeReleaseNotes(packId: string, notes: string): Promise<Result<CommandOutcome>>;
  cancelRelease(packId: string): Promise<Result<CommandOutcome>>;
  setAccountSettings(settings: AccountSettings): Promise<Result<CommandOutcome>>;
  undoSteps(packId: string): UndoSteps;
  undo(packId: string): void;
  redo(packId: string): void;
  setViewing(packId: string | undefined): void;
  settled(): Promise<void>;
  close(): Promise<void>;
}

export async function startLive(ctx: LiveContext): Promise<LiveWorkspace> {
  const { session, options, db, reportError } = ctx;
  const clock = options.clock ?? { now: () => new Date() };
  const newId = options.newId ?? (() => nanoid());
  const doc = new Y.Doc();

  // Status: the connection's state, whether the first sync finished, and the unstored count.
  let connectionState: ConnectionState = 'offline';
  let synced = false;
  const unstored = new UnstoredEdits(() => updateStatus());
  const updateStatus = () => {
    const count = unstored.count;
    if (connectionState === 'connected')
      ctx.setStatus(synced && count === 0 ? { state: 'saved', unstored: 0 } : { state: 'syncing', unstored: count });
    else ctx.setStatus({ state: connectionState, unstored: count });
  };

  let editor!: LocalEditor;
  const mirror = new DocMirror(db, doc, {
    isLocal: (origin) => editor.isLocal(origin),
    onTransaction: (changed, _origin, entry) => {
      if (entry.local) unstored.add(entry.local);
      else noticeDroppedEdits(changed.get(Root.packs), entry.snapshot.packs);
      const rollouts = changed.get(Root.rollout);
      if (rollouts) ctx.onRolloutChanged(rollouts, entry.committed);
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
      ctx.addNotice({
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

  ctx.useDocument({
    pack: (packId) => readPack(doc, packId),
    releases: (packId) => readReleases(doc, packId),
    publications: (packId) => {
      const pack = readPack(doc, packId);
      if (!pack) return [];
      const current = currentRelease(readReleases(doc, packId));
      const ids = new Set([...pack.componentIds, ...(current?.components.map((c) => c.componentId) ?? [])]);
      return derivePublications({ componentIds: pack.componentIds, currentRelease: current, catalog: catalogSubset(doc, ids) });
    },
  });
  editor = new LocalEditor(doc, mirror, ctx.onStacksChanged);

  const awareness = new Awareness(doc);
  const presence = new Presence(
    awareness,
    { personId: session.personId, name: session.personName, color: colorFor(session.personId) },
    ctx.setPeers,
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
      if (isSynced) ctx.onSynced();
    },
    onStored: (vector) => {
      const merged = new Map(unstored.serverStateVector);
      for (const [client, clockValue] of vector) merged.set(client, Math.max(clockValue, merged.get(client) ?? 0));
      unstored.setServerVector(merged);
      void db.meta.put({ key: SERVER_VECTOR_KEY, value: [...merged] }).catch(reportError);
    },
    onNotice: ctx.addNotice,
    onCommandResult: (result) => void outbox.onResult(result).catch(reportError),
  });
  outbox = new Outbox(db, connection, {
    now: () => clock.now(),
    newKey: () => nanoid(),
    ...(options.commandWaitMs !== undefined ? { waitMs: options.commandWaitMs } : {}),
    onLateResult: (result: CommandResult, command) =>
      ctx.addNotice({
        level: result.status === 'SUCCESS' ? 'info' : 'error',
        code: result.code ?? `COMMAND_${result.status}`,
        message: result.message,
        ...('packId' in command ? { packId: command.packId } : {}),
      }),
  });
  updateStatus();

  const context: EditContext = { doc, session, now: () => clock.now(), newId };
  const command = async (plan: Result<Command>): Promise<Result<CommandOutcome>> => {
    if (!plan.ok) return plan;
    return ok(await outbox.submit(plan.value));
  };

  return {
    doc,
    connection,
    awareness,
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
    rescheduleRelease: async (packId, releaseOnDate) => {
      await editor.settled();
      return command(planUpdateRelease(context, packId, releaseOnDate));
    },
    changeReleaseNotes: async (packId, notes) => {
      await editor.settled();
      return command(planReleaseNotesChange(context, packId, notes));
    },
    cancelRelease: async (packId) => {
      await editor.settled();
      return command(planCancelRelease(context, packId));
    },
    setAccountSettings: async (settings) => command(planSetAccountSettings(context, settings)),
    undoSteps: (packId) => editor.steps(packId),
    undo: (packId) => void editor.undo(packId),
    redo: (packId) => void editor.redo(packId),
    setViewing: (packId) => presence.setViewing(packId),
    settled: async () => {
      await editor.settled();
      await mirror.idle();
    },
    close: async () => {
      await editor.settled();
      presence.destroy();
      outbox.close();
      connection.destroy();
      awareness.destroy();
      await mirror.close();
      editor.destroy();
      doc.destroy();
    },
  };
}
