/**
 * The device's copy of one account, for one person: a Dexie database named `ip:<accountId>:<personId>`.
 * The mirror tables mirror the Yjs document (projection.ts writes them); `yUpdates` is the document
 * itself, `outbox` the commands waiting for the server, `meta` small bookkeeping values.
 * `historyPages`, `rolloutRows` and `packEdits` cache what the server serves paged over HTTP (pages.ts):
 * the whole history, each installation and the Name and Description edits, which the document does not carry.
 */
import Dexie, { type EntityTable } from 'dexie';
import type { RolloutRow, RolloutSummary } from '../../shared/rollout.ts';
import type {
  HistoryRecord,
  IntegrationPack,
  ManagedAccount,
  PackTombstone,
  PublishedComponent,
  PublisherAccount,
  Release,
} from '../../shared/index.ts';
import type { Command } from '../../shared/commands.ts';

/** A pack row: the pack plus `nameKey` (lower-cased name) for the list index. */
export interface PackRow extends IntegrationPack {
  nameKey: string;
}

/** Membership of a component in a pack (what the next release would hold). */
export interface PublicationRow {
  packId: string;
  componentId: string;
}

export interface ComponentRow extends PublishedComponent {
  nameKey: string;
}

export interface AccountRow {
  key: string;
  value: PublisherAccount;
}

/**
 * One entry of the local Yjs update log. Entries made on this device carry the client id and the
 * clock they end at, so the status can count the ones the server has not stored yet.
 */
export interface UpdateRow {
  seq?: number;
  update: Uint8Array;
  /** Set on entries made on this device. */
  clientId?: number;
  /** Own clock after this entry (exclusive end); an entry is stored once the server's state vector reaches it. */
  clockEnd?: number;
  /** Packs this local entry touched (for the "your offline edits were dropped" notice). */
  packIds?: string[];
}

export interface OutboxRow {
  idempotencyKey: string;
  command: Command;
  /** ISO time the person asked for it. */
  createdAt: string;
  /** How many times it was put on the wire (re-sent with the same key after a reconnect). */
  sends: number;
}

export interface MetaRow {
  key: string;
  value: unknown;
}

/** The rollout counts of a pack, as the document carries them. */
export type RolloutSummaryRow = RolloutSummary;

/** One installation as the rollout route served it, with the pack it belongs to. */
export interface RolloutRowCache extends RolloutRow {
  packId: string;
}

export type PackDb = Dexie & {
  packs: EntityTable<PackRow, 'id'>;
  publications: EntityTable<PublicationRow>;
  components: EntityTable<ComponentRow, 'id'>;
  releases: EntityTable<Release>;
  rollout: EntityTable<RolloutSummaryRow, 'packId'>;
  managedAccounts: EntityTable<ManagedAccount, 'id'>;
  /** The recent history the document carries (root `recentHistory`). */
  history: EntityTable<HistoryRecord, 'id'>;
  /** Older history fetched page by page over HTTP. */
  historyPages: EntityTable<HistoryRecord, 'id'>;
  rolloutRows: EntityTable<RolloutRowCache, 'instanceId'>;
  /** Each pack's newest Name and Description edits (GET /history?kind=EDIT_PACK), fetched again when the pack changes. */
  packEdits: EntityTable<HistoryRecord, 'id'>;
  account: EntityTable<AccountRow, 'key'>;
  tombstones: EntityTable<PackTombstone, 'packId'>;
  yUpdates: EntityTable<UpdateRow, 'seq'>;
  outbox: EntityTable<OutboxRow, 'idempotencyKey'>;
  meta: EntityTable<MetaRow, 'key'>;
};

/** The tables that mirror the document (everything except the log, the outbox and meta). */
export const MIRROR_TABLES = [
  'packs',
  'publications',
  'components',
  'releases',
  'rollout',
  'managedAccounts',
  'history',
  'account',
  'tombstones',
] as const;

export interface IndexedDbDeps {
  indexedDB?: IDBFactory;
  IDBKeyRange?: typeof IDBKeyRange;
}

export const databaseName = (accountId: string, personId: string) => `ip:${accountId}:${personId}`;

export function openPackDb(name: string, deps: IndexedDbDeps = {}): PackDb {
  // cache 'disabled': Dexie's live-query cache hands every reader a deepClone of each result (made
  // in JavaScript, row by row: the 5,000-component catalog took ~40-110 ms of main thread right
  // after the list showed, and a click then waited for it). Our readers never write into results,
  // and our writes are the mirror's transactions, whose live queries re-run once they commit.
  const options = {
    cache: 'disabled' as const,
    ...(deps.indexedDB ? { indexedDB: deps.indexedDB, IDBKeyRange: deps.IDBKeyRange } : {}),
  };
  // liveQuery() refuses to run while Dexie's global dependencies have no indexedDB (Node without a
  // global one); it only checks that one is there, each query still uses this database's own.
  if (deps.indexedDB && !Dexie.dependencies.indexedDB) {
    Dexie.dependencies.indexedDB = deps.indexedDB;
    if (deps.IDBKeyRange) Dexie.dependencies.IDBKeyRange = deps.IDBKeyRange;
  }
  const db = new Dexie(name, options) as PackDb;
  db.version(1).stores({
    packs: 'id, nameKey',
    publications: '[packId+componentId], packId, componentId',
    components: 'id, nameKey',
    releases: '[packId+number], packId',
    instances: 'id, packId, managedAccountId',
    managedAccounts: 'id',
    history: 'id, packId, at',
    account: 'key',
    tombstones: 'packId',
    yUpdates: '++seq',
    outbox: 'idempotencyKey, createdAt',
    meta: 'key',
  });
  // Installations and the whole history left the document (they live in the server's tables); the
  // document's recent history and rollout counts are mirrored, the rest is cached from HTTP pages.
  db.version(2)
    .stores({
      instances: null,
      rollout: 'packId',
      history: 'id, packId, seq',
      historyPages: 'id, packId, seq',
      rolloutRows: 'instanceId, packId',
    })
    .upgrade((tx) => tx.table('history').clear());
  db.version(3).stores({ packEdits: 'id, packId, seq' });
  // No new store: from version 4 every write of the packs table moves the packs stamp (meta), which
  // the list's boot copy relies on (boot-copy.ts, reads.ts). Opening version 4 closes every page still on 3
  // (IndexedDB's versionchange), so no older page writes packs without moving it.
  db.version(4).stores({});
  return db;
}
