/**
 * Persistence behind two small interfaces. The protocol and room code see only these, so a
 * PostgreSQL store (several server instances) can replace SQLite without touching them.
 * Every method is async for that reason, even though better-sqlite3 answers synchronously.
 */
import type { CommandResult, HistoryRecord, PackInstance, PublisherAccount } from '../../shared/index.ts';
import type { Role } from '../../shared/identity.ts';
import type { AccountRecordsData, RecordChange } from '../records/changes.ts';

export type { Role };

/** A person who holds tokens for one publisher account. */
export interface Person {
  id: string;
  accountId: string;
  name: string;
  role: Role;
  /** For role 'managed': the managed account (inside the publisher's document) they belong to. */
  managedAccountId?: string;
}

/** A document as stored: the last snapshot and the updates appended since, oldest first. */
export interface StoredDoc {
  snapshot: Uint8Array | undefined;
  updates: Uint8Array[];
  /** Sequence number of the newest stored update or snapshot; 0 for a document never stored. */
  lastSeq: number;
}

export interface DocSizes {
  snapshotBytes: number;
  logBytes: number;
  logCount: number;
}

/** The one idempotency store's row: a key of an account, what it was used for, and its first result. */
export interface CommandResultRecord {
  accountId: string;
  idempotencyKey: string;
  /** `commandFingerprint` (shared/commands.ts) of the command the key ran. */
  fingerprint: string;
  result: CommandResult;
}

export interface StoredCommandResult {
  result: CommandResult;
  /** Undefined for a result stored before fingerprints were kept: a retry of it is answered as one. */
  fingerprint: string | undefined;
}

/**
 * A Yjs client id of an account's document and the person who first wrote under it (or
 * SERVER_PERSON for the server's own ids): nobody else may write under it (sync/update-check.ts).
 */
export interface ClientIdBinding {
  accountId: string;
  clientId: number;
  personId: string;
}

/** The person id that stands for the server in client-id bindings (never a token's person). */
export const SERVER_PERSON = '@server';

export interface AppendOptions {
  /** Stored in the same transaction as the updates (a command and the changes it made); the first result of a key wins. */
  commandResults?: readonly CommandResultRecord[];
  /** Stored in the same transaction as the updates written under them; the first binding of an id wins. */
  clientIdBindings?: readonly ClientIdBinding[];
  /** Several instances: the writer's lease fence; the write fails (FencedError) unless it is still current. */
  fence?: number;
  /** Changes to the document's account's server-owned records, applied in order in the same transaction. */
  records?: readonly RecordChange[];
}

export interface CompactOptions {
  fence?: number;
}

/** Yjs bytes per document name (the publisher account id). */
export interface DocStore {
  load(docName: string): Promise<StoredDoc>;
  /** Appends in one transaction; resolves with the new `lastSeq` once durable. */
  append(docName: string, updates: readonly Uint8Array[], options?: AppendOptions): Promise<number>;
  /** Replaces the snapshot and drops the updates with seq ≤ throughSeq, in one transaction. */
  compact(docName: string, snapshot: Uint8Array, throughSeq: number, options?: CompactOptions): Promise<void>;
  sizes(docName: string): Promise<DocSizes>;
}

export interface AccountStore {
  getAccount(id: string): Promise<PublisherAccount | undefined>;
  putAccount(account: PublisherAccount): Promise<void>;
  listAccounts(): Promise<PublisherAccount[]>;
  putPerson(person: Person): Promise<void>;
  getPerson(id: string): Promise<Person | undefined>;
  listPeople(accountId: string): Promise<Person[]>;
  /** Tokens are kept as sha256 hex digests only. */
  putToken(tokenHash: string, personId: string): Promise<void>;
  findPersonByTokenHash(tokenHash: string): Promise<Person | undefined>;
}

/**
 * The server-owned records of each account (shared/schema.ts says what lives where). They are
 * written only by `DocStore.append`, in the transaction that stores the document update of the same change.
 */
export interface RecordStore {
  /** The one idempotency store: the first result of (account, key) and what the key was used for. */
  getCommandResult(accountId: string, idempotencyKey: string): Promise<StoredCommandResult | undefined>;
  /** Every client id of the account's document that is bound to a person (loaded with the room). */
  clientIdBindings(accountId: string): Promise<ClientIdBinding[]>;
  /** What the account's room loads: the records commands need and the recent history the document carries. */
  load(accountId: string): Promise<AccountRecordsData>;
  /** Audit records, newest first (by seq), at most `limit`. */
  history(accountId: string, query: HistoryQuery): Promise<HistoryRecord[]>;
  /** Installations in (managedAccountId, id) order, at most `limit`. */
  instances(accountId: string, query: InstanceQuery): Promise<PackInstance[]>;
  /** Over every account: the scheduled releases whose date began by `through`, and when the next one does. */
  schedule(through: Date): Promise<ScheduleAnswer>;
}

export interface HistoryQuery {
  packId?: string;
  managedAccountId?: string;
  /** Only records of this kind (a command type, or AUTO_APPLY). */
  kind?: string;
  /** Only records with a lower seq (the cursor: the last seq of the previous page). */
  before?: number;
  limit: number;
}

export interface InstanceQuery {
  packId?: string;
  managedAccountId?: string;
  /** Only instances after this one in the order (the cursor: the last row of the previous page). */
  after?: { managedAccountId: string; id: string };
  limit: number;
}

export interface DueRelease {
  accountId: string;
  packId: string;
  releaseNumber: number;
  appliesAt: string;
}

export interface ScheduleAnswer {
  due: DueRelease[];
  /** ISO instant the next scheduled release (after `through`) takes effect. */
  next?: string;
}

/** The holder of an account's lease (several instances: the one instance that serves the account). */
export interface Lease {
  accountId: string;
  ownerId: string;
  /** Where the other instances reach the owner (its INSTANCE_URL). */
  ownerUrl: string;
  fence: number;
  expiresAt: Date;
}

export type AcquireResult = { acquired: true; fence: number } | { acquired: false; holder: Lease };

/**
 * Leases with fencing tokens, timed by the store's own clock (no skew between instances). The fence
 * grows by one whenever the lease changes hands or is taken again after it lapsed.
 */
export interface LeaseStore {
  /** Takes the lease when it is free, lapsed or already this owner's; otherwise names the live holder. */
  acquire(accountId: string, owner: { id: string; url: string }, ttlMs: number): Promise<AcquireResult>;
  /** Extends this owner's leases on `accountIds`; resolves with those it still holds. */
  renew(ownerId: string, accountIds: readonly string[], ttlMs: number): Promise<string[]>;
  /** Lets the lease lapse now (it keeps its fence), if this owner still holds it with `fence`. */
  release(accountId: string, ownerId: string, fence: number): Promise<void>;
  /** The live holder, if any. */
  holder(accountId: string): Promise<Lease | undefined>;
}

/** A write refused because the writer's lease fence is no longer current (another instance took over). */
export class FencedError extends Error {
  constructor(accountId: string) {
    super(`Account ${accountId} is now served by another instance (lease fence out of date); nothing was written.`);
    this.name = 'FencedError';
  }
}

export interface Store {
  readonly docs: DocStore;
  readonly accounts: AccountStore;
  readonly records: RecordStore;
  /** Several instances share this store (PostgreSQL); absent for one-process stores. */
  readonly leases?: LeaseStore;
  /** Runs fn while no other instance runs one (start-up seeding); one-process stores just run it. */
  exclusive?<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
