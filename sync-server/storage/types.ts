/**
 * Persistence behind two small interfaces. The protocol and room code see only these, so a
 * PostgreSQL store (several server instances) can replace SQLite without touching them.
 * Every method is async for that reason, even though better-sqlite3 answers synchronously.
 */
import type { CommandResult, PublisherAccount } from '../../shared/index.ts';

export type Role = 'admin' | 'viewer' | 'managed';

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
}

/** Yjs bytes per document name (the publisher account id). */
export interface DocStore {
  load(docName: string): Promise<StoredDoc>;
  /** Appends in one transaction; resolves with the new `lastSeq` once durable. */
  append(docName: string, updates: readonly Uint8Array[], options?: AppendOptions): Promise<number>;
  /** Replaces the snapshot and drops the updates with seq ≤ throughSeq, in one transaction. */
  compact(docName: string, snapshot: Uint8Array, throughSeq: number): Promise<void>;
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
}

export interface Store {
  readonly docs: DocStore;
  readonly accounts: AccountStore;
  readonly records: RecordStore;
  close(): Promise<void>;
}
