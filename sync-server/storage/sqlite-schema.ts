/**
 * The SQLite schema, as numbered steps recorded in `PRAGMA user_version`. Opening a file runs the
 * steps it has not had yet, each in its own transaction (with the version bump), so a file written by
 * an older version is brought up to date once, and a step interrupted by a crash runs again whole.
 * Step 1 is the schema before versions were kept (`IF NOT EXISTS`: such files have its tables already).
 */
import type Database from 'better-sqlite3';

type Step = (db: Database.Database) => void;

const STEPS: Step[] = [
  (db) =>
    db.exec(`
CREATE TABLE IF NOT EXISTS doc_snapshots (
  doc TEXT PRIMARY KEY, data BLOB NOT NULL, through_seq INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS doc_updates (
  doc TEXT NOT NULL, seq INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (doc, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS accounts (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, multi_install INTEGER NOT NULL, time_zone TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS people (
  id TEXT PRIMARY KEY, account_id TEXT NOT NULL, name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'viewer', 'managed')), managed_account_id TEXT
);
CREATE INDEX IF NOT EXISTS people_by_account ON people (account_id);
CREATE TABLE IF NOT EXISTS tokens (
  hash TEXT PRIMARY KEY, person_id TEXT NOT NULL REFERENCES people (id)
);
CREATE TABLE IF NOT EXISTS command_results (
  account_id TEXT NOT NULL, idempotency_key TEXT NOT NULL, result TEXT NOT NULL,
  PRIMARY KEY (account_id, idempotency_key)
) WITHOUT ROWID;
`),
  // The one idempotency store keeps what each key was used for (NULL: stored before this step).
  (db) => db.exec('ALTER TABLE command_results ADD COLUMN fingerprint TEXT'),
  // Who first wrote under each Yjs client id of an account's document (sync/update-check.ts).
  (db) =>
    db.exec(`
CREATE TABLE client_ids (
  account_id TEXT NOT NULL, client_id INTEGER NOT NULL, person_id TEXT NOT NULL, PRIMARY KEY (account_id, client_id)
) WITHOUT ROWID;
`),
];

export const SCHEMA_VERSION = STEPS.length;

/** Brings the file's schema up to SCHEMA_VERSION; refuses a file written by a newer version. */
export function migrateSchema(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION)
    throw new Error(`The database was written by a newer version of the server (schema ${version}, this one knows ${SCHEMA_VERSION}).`);
  for (let step = version; step < SCHEMA_VERSION; step++)
    db.transaction(() => {
      STEPS[step]!(db);
      db.pragma(`user_version = ${step + 1}`);
    }).immediate();
}
