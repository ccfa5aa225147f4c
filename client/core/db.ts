/**
 * The device's copy of one account, for one person: a Dexie database named `ip:<accountId>:<personId>`.
 * The tables mirror the Yjs document (projection.ts writes them); `yUpdates` is the document itself,
 * `outbox` the commands waiting for the server, `meta` small bookkeeping values.
 */
import Dexie, { type EntityTable } from 'dexie';
import type {
  HistoryRecord,
  IntegrationPack,
  ManagedAccount,
  PackInstance,
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

export type PackDb = Dexie & {
  packs: EntityTable<PackRow, 'id'>;
  publications: EntityTable<PublicationRow>;
  components: EntityTable<ComponentRow, 'id'>;
  releases: EntityTable<Release>;
  instances: EntityTable<PackInstance, 'id'>;
  managedAccounts: EntityTable<ManagedAccount, 'id'>;
  history: EntityTable<HistoryRecord, 'id'>;
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
  'instances',
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
  const options = deps.indexedDB ? { indexedDB: deps.indexedDB, IDBKeyRange: deps.IDBKeyRange } : undefined;
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
  return db;
}
