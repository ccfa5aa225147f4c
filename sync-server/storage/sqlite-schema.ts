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
  // Server-owned records in tables (the document carries a projection of them; shared/schema.ts).
  (db) =>
    db.exec(`
ALTER TABLE accounts ADD COLUMN locale TEXT;
CREATE TABLE components (
  account_id TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL,
  PRIMARY KEY (account_id, id)
) WITHOUT ROWID;
CREATE TABLE component_versions (
  account_id TEXT NOT NULL, component_id TEXT NOT NULL, version INTEGER NOT NULL,
  PRIMARY KEY (account_id, component_id, version)
) WITHOUT ROWID;
CREATE TABLE managed_accounts (
  account_id TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (account_id, id)
) WITHOUT ROWID;
CREATE TABLE releases (
  account_id TEXT NOT NULL, pack_id TEXT NOT NULL, number INTEGER NOT NULL,
  release_schedule TEXT NOT NULL, release_on_date TEXT, status TEXT NOT NULL,
  released_by TEXT NOT NULL, released_at TEXT NOT NULL, request_id TEXT NOT NULL,
  superseded_by INTEGER, applied_at TEXT,
  PRIMARY KEY (account_id, pack_id, number)
) WITHOUT ROWID;
CREATE TABLE release_components (
  account_id TEXT NOT NULL, pack_id TEXT NOT NULL, number INTEGER NOT NULL, position INTEGER NOT NULL,
  component_id TEXT NOT NULL, version INTEGER NOT NULL,
  PRIMARY KEY (account_id, pack_id, number, position)
) WITHOUT ROWID;
CREATE TABLE instances (
  account_id TEXT NOT NULL, id TEXT NOT NULL, pack_id TEXT NOT NULL, managed_account_id TEXT NOT NULL,
  override_name TEXT, release_number INTEGER NOT NULL, pending_release_number INTEGER,
  installed_at TEXT NOT NULL, last_error TEXT, failed_release_number INTEGER,
  PRIMARY KEY (account_id, id)
);
CREATE INDEX instances_by_pack ON instances (account_id, pack_id, managed_account_id, id);
CREATE INDEX instances_by_managed_account ON instances (account_id, managed_account_id, id);
CREATE TABLE instance_attachments (
  account_id TEXT NOT NULL, instance_id TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('atom', 'environment')),
  position INTEGER NOT NULL, attachment_id TEXT NOT NULL,
  PRIMARY KEY (account_id, instance_id, kind, position)
) WITHOUT ROWID;
CREATE TABLE tombstones (
  account_id TEXT NOT NULL, pack_id TEXT NOT NULL, name TEXT NOT NULL, deleted_at TEXT NOT NULL, deleted_by TEXT NOT NULL,
  PRIMARY KEY (account_id, pack_id)
) WITHOUT ROWID;
CREATE TABLE schedule (
  account_id TEXT NOT NULL, pack_id TEXT NOT NULL, release_number INTEGER NOT NULL, applies_at TEXT NOT NULL,
  PRIMARY KEY (account_id, pack_id, release_number)
) WITHOUT ROWID;
CREATE INDEX schedule_by_time ON schedule (applies_at);
CREATE TABLE audit (
  account_id TEXT NOT NULL, seq INTEGER NOT NULL, pack_id TEXT, managed_account_id TEXT, kind TEXT NOT NULL,
  at TEXT NOT NULL, projected INTEGER NOT NULL, record TEXT NOT NULL,
  PRIMARY KEY (account_id, seq)
) WITHOUT ROWID;
CREATE INDEX audit_by_pack ON audit (account_id, pack_id, seq);
CREATE INDEX audit_by_managed_account ON audit (account_id, managed_account_id, seq);
`),
  // Release notes (shared/release-notes.ts); NULL: none, or written before this step.
  (db) => db.exec('ALTER TABLE releases ADD COLUMN notes TEXT'),
  // Which release each instance runs, pending or failed to apply, in a narrow table of its own
  // clustered by pack: a release's set-based effect (one UPDATE over the instances of the pack that
  // await it, e.g. the auto-apply of a date to 100,000 installations) walks one key range of short
  // rows instead of looking up and rewriting every wide instance row through the pack index.
  (db) =>
    db.exec(`
CREATE TABLE instance_releases (
  account_id TEXT NOT NULL, pack_id TEXT NOT NULL, id TEXT NOT NULL,
  release_number INTEGER NOT NULL, pending_release_number INTEGER, last_error TEXT, failed_release_number INTEGER,
  PRIMARY KEY (account_id, pack_id, id)
) WITHOUT ROWID;
INSERT INTO instance_releases (account_id, pack_id, id, release_number, pending_release_number, last_error, failed_release_number)
  SELECT account_id, pack_id, id, release_number, pending_release_number, last_error, failed_release_number FROM instances;
ALTER TABLE instances DROP COLUMN release_number;
ALTER TABLE instances DROP COLUMN pending_release_number;
ALTER TABLE instances DROP COLUMN last_error;
ALTER TABLE instances DROP COLUMN failed_release_number;
`),
];

export const SCHEMA_VERSION = STEPS.length;

/** Brings the file's schema up to SCHEMA_VERSION (tests: to an older `target`); refuses a file written by a newer version. */
export function migrateSchema(db: Database.Database, target = SCHEMA_VERSION): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION)
    throw new Error(`The database was written by a newer version of the server (schema ${version}, this one knows ${SCHEMA_VERSION}).`);
  for (let step = version; step < target; step++)
    db.transaction(() => {
      STEPS[step]!(db);
      db.pragma(`user_version = ${step + 1}`);
    }).immediate();
}
