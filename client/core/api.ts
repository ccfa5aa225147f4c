/**
 * The contract between the client core (Dexie + Yjs + sync) and the UI. The UI reads only these
 * accessors and calls only these actions. Every action validates with the rules in shared/ first and
 * returns a Result whose error message can be shown as is.
 */
import type { Accessor } from 'solid-js';
import type {
  Command,
  CommandResult,
  HistoryRecord,
  InstallationType,
  IntegrationPack,
  ManagedAccount,
  Notice,
  PublicationRow,
  PublishedComponent,
  PublisherAccount,
  Release,
  ReleaseSchedule,
  Result,
} from '../../shared/index.ts';
import type { AccountSettings } from '../../shared/account-settings.ts';
import type { PackEditRecord } from '../../shared/pack-edits.ts';
import type { Me, Role } from '../../shared/identity.ts';
import type { ManagedView } from '../../shared/rollout.ts';
import type { RolloutRow, RolloutSummary } from '../../shared/rollout.ts';
import type { PagedKind, PageState } from './pages.ts';
import type { PackDraft } from './drafts.ts';

export type { PackDraft };

export type { Role };

/** Who is signed in: GET /api/me's body (shared/identity.ts), with the server and token, remembered on the device. */
export interface Session extends Me {
  /** http(s) origin of the server, e.g. http://localhost:8080 */
  serverUrl: string;
  token: string;
}

export type SyncStatus =
  | { state: 'offline'; unstored: number }
  | { state: 'connecting'; unstored: number }
  | { state: 'syncing'; unstored: number }
  | { state: 'saved'; unstored: 0 };

/** Another person of the account who is online (awareness). */
export interface Peer {
  clientId: number;
  personId: string;
  name: string;
  color: string;
  /** The pack they are looking at, if any. */
  packId?: string;
}

export interface PackListItem {
  id: string;
  name: string;
  installationType: InstallationType;
  /** What the next release would hold (the list's "needs release" badge derives from it). */
  componentIds: string[];
}

/** A command either ran on the server, or is queued until the network returns. */
export type CommandOutcome = { queued: false; result: CommandResult } | { queued: true; idempotencyKey: string };

export interface NewPackInput {
  name: string;
  description: string;
  installationType: InstallationType;
}

/** A command waiting in the outbox for the server's answer (sent again, same key, after a reconnect). */
export interface PendingCommand {
  idempotencyKey: string;
  command: Command;
  createdAt: string;
  /** How many times it has been put on the wire. */
  sends: number;
}

/** What Undo and Redo of a pack would change ("name of Finance Close Toolkit"); absent: nothing to undo or redo. */
export interface UndoSteps {
  undo?: string;
  redo?: string;
}

export interface ReleaseInput {
  releaseSchedule: ReleaseSchedule;
  releaseOnDate?: string;
  /** Release notes (shared/release-notes.ts). */
  notes?: string;
}

export interface Workspace {
  readonly session: Session;

  // Reads: Solid accessors fed by Dexie live queries, fine-grained per pack.
  /** Sorted by name (then id). */
  packs: Accessor<PackListItem[]>;
  pack(packId: string): Accessor<IntegrationPack | undefined>;
  publications(packId: string): Accessor<PublicationRow[]>;
  releases(packId: string): Accessor<Release[]>;
  /** The pack's rollout counts (instances, managed accounts, per release, pending, failed), as the document carries them. */
  rollout(packId: string): Accessor<RolloutSummary | undefined>;
  /** The pack's installations loaded so far (`loadMore('rollout', …)`), kept on the device; in (managed account id, instance id) order. */
  rolloutRows(packId: string): Accessor<RolloutRow[]>;
  /** The pack's history: the recent records the document carries and the older pages loaded so far, oldest first. */
  history(packId: string): Accessor<HistoryRecord[]>;
  /** The pack's Name and Description edits (who, when, old → new) kept on this device, newest first (`refreshEdits`). */
  packEdits(packId: string): Accessor<PackEditRecord[]>;
  /** Fetches the pack's newest edits again (they are not in the document) and keeps them on the device. */
  refreshEdits(packId: string): Promise<Result<void>>;
  /** Every pack's releases by pack id, as one index (the list's badges read it per visible row). */
  releaseIndex: Accessor<ReadonlyMap<string, readonly Release[]>>;
  /** Where the loaded pages of a pack's history or installations stand (complete, loading, stale, a fetch error). */
  pageState(kind: PagedKind, packId: string): Accessor<PageState>;
  /** Fetches the next page of a pack's history or installations over HTTP and keeps it on the device. */
  loadMore(kind: PagedKind, packId: string): Promise<Result<void>>;
  account: Accessor<PublisherAccount | undefined>;
  catalog: Accessor<PublishedComponent[]>;
  managedAccounts: Accessor<ManagedAccount[]>;
  /** Filter Components: partial, case-insensitive name match; fast on 50,000 components. */
  filterComponents(filter: string): PublishedComponent[];

  // Collaboration.
  status: Accessor<SyncStatus>;
  /**
   * Whether this device holds the account's data: it finished a sync with the server (now or on an
   * earlier visit). Until then an empty list means "not loaded yet", not "no packs".
   */
  dataKnown: Accessor<boolean>;
  peers: Accessor<Peer[]>;
  /** Notices from the server (e.g. an edit it reverted and why), newest last. */
  notices: Accessor<Notice[]>;
  dismissNotice(index: number): void;
  /** Tells the others which pack this person is looking at. */
  setViewing(packId: string | undefined): void;

  // Edits (local-first: written to IndexedDB and the Yjs doc at once, synced when online).
  addPack(input: NewPackInput): Promise<Result<string>>;
  savePack(packId: string, fields: { name: string; description: string }): Promise<Result<void>>;
  addComponents(packId: string, componentIds: string[]): Promise<Result<void>>;
  removeComponent(packId: string, componentId: string): Promise<Result<void>>;

  // Commands (run by the server; queued while offline, idempotent on retry).
  deletePack(packId: string): Promise<Result<CommandOutcome>>;
  release(packId: string, input: ReleaseInput): Promise<Result<CommandOutcome>>;
  /** Reschedule the release pending its date (UPDATE_RELEASE). */
  rescheduleRelease(packId: string, releaseOnDate: string): Promise<Result<CommandOutcome>>;
  /** New release notes for the release pending its date; '' removes them (UPDATE_RELEASE). */
  changeReleaseNotes(packId: string, notes: string): Promise<Result<CommandOutcome>>;
  /** Cancel the release pending its date (CANCEL_RELEASE). */
  cancelRelease(packId: string): Promise<Result<CommandOutcome>>;
  /** The account's time zone and date locale (SET_ACCOUNT_SETTINGS). */
  setAccountSettings(settings: AccountSettings): Promise<Result<CommandOutcome>>;

  // Drafts (client/core/drafts.ts): unsaved Name and Description, per pack, kept on this device.
  /** The draft of a pack, or of the pack being added (packId undefined). */
  loadDraft(packId: string | undefined): Promise<PackDraft | undefined>;
  /** Keeps a draft; undefined ends it (after Save or Discard). */
  keepDraft(packId: string | undefined, draft: PackDraft | undefined): void;
  /** Packs with a draft on this device ('new' for the pack being added). */
  draftIds: Accessor<ReadonlySet<string>>;

  // Undo/redo of this person's own edits, per pack: undoing never changes a pack that is not on screen.
  // Adding, deleting and releasing a pack cannot be undone.
  /** What Undo and Redo would change on this pack, e.g. "description of Finance Close Toolkit". */
  undoSteps(packId: string): Accessor<UndoSteps>;
  undo(packId: string): void;
  redo(packId: string): void;

  // Added by the client core (additive):
  /** Commands queued on this device until the server answers them, oldest first. */
  pendingCommands: Accessor<PendingCommand[]>;
  /** Go online / work offline (the connection otherwise reconnects by itself with backoff). */
  connect(): void;
  disconnect(): void;
  /** Resolves when every edit made so far is stored on this device. */
  settled(): Promise<void>;

  close(): Promise<void>;
}

/**
 * Where a managed account's page stands with the server: `offline` (the browser is offline, or
 * disconnect() was called), `connecting` (asking for the first time), `online` (the last request
 * was answered), `unreachable` (connected, but the server did not answer: retried on the next poll).
 * `problem` is the server's refusal of the last read (a revoked token, an unknown account), if any.
 */
export interface ManagedStatus {
  state: 'offline' | 'connecting' | 'online' | 'unreachable';
  problem?: string;
}

/**
 * A managed account's person: the view the server derives for their managed account
 * (GET /api/managed), kept on the device so the page reads offline, and their commands (install,
 * apply update, attach, …) queued in the device's outbox while offline and sent, each with its one
 * idempotency key, once the server answers again. Chosen by role: core.openWorkspace.
 */
export interface ManagedWorkspace {
  readonly kind: 'managed';
  readonly session: Session;
  /** The last view this device received (also after a reload offline); undefined before the first one. */
  view: Accessor<ManagedView | undefined>;
  /** When that view was received (ISO time). */
  viewAt: Accessor<string | undefined>;
  status: Accessor<ManagedStatus>;
  /** Commands queued on this device until the server answers them, oldest first. */
  pendingCommands: Accessor<PendingCommand[]>;
  /** Answers to queued commands that arrived after the person stopped waiting, newest last. */
  notices: Accessor<Notice[]>;
  dismissNotice(index: number): void;
  /** Sends a command now, or queues it when the server cannot be reached. */
  command(command: Command): Promise<CommandOutcome>;
  /** Reads the view again (and sends what is queued). */
  refresh(): Promise<void>;
  /** Go online / work offline (the browser's online and offline events call these). */
  connect(): void;
  disconnect(): void;
  close(): Promise<void>;
}

/** What a signed-in person works with: the publisher's Workspace (admin, viewer) or a ManagedWorkspace. */
export type AnyWorkspace = Workspace | ManagedWorkspace;

export const isManagedWorkspace = (workspace: AnyWorkspace): workspace is ManagedWorkspace =>
  'kind' in workspace && workspace.kind === 'managed';
