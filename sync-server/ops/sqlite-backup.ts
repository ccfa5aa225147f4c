/**
 * Online backup and restore of the SQLite store. The backup uses SQLite's backup API from a
 * connection of its own, so the server keeps running and writing: all pages are copied in one step,
 * under one read transaction of the WAL, so the copy is one consistent moment of the database (a
 * write by the server between steps would restart a paged backup, over and over under steady
 * writes). The copy is written beside the target, checked, switched to a plain rollback journal (one
 * self-contained file) and only then renamed into place. A restore goes into an empty DATA_DIR only.
 */
import Database from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SCHEMA_VERSION } from '../storage/sqlite-schema.ts';
import { BackupError, backupFormatOf } from './backup-format.ts';
import { LOCK_FILE } from './data-dir-lock.ts';

export { BackupError };

const ALL_PAGES = 0x7fffffff;

export interface BackupSummary {
  file: string;
  bytes: number;
  schemaVersion: number;
  accounts: number;
  documents: number;
}

const temporaryBeside = (file: string) => join(dirname(file), `.${basename(file)}.${process.pid}.partial`);

/** What a backup file holds, after checking it is a sound database this server can open. */
export function inspectBackup(file: string): BackupSummary {
  const format = backupFormatOf(file);
  if (format === 'postgres')
    throw new BackupError(`${file} is a PostgreSQL backup (pg_dump): set DATABASE_URL to an empty database to restore it there.`);
  if (format !== 'sqlite') throw new BackupError(`${file} is not a backup taken by npm run backup (not an SQLite database).`);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new BackupError(`${file} cannot be opened: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new BackupError(`${file} is damaged (SQLite's check says: ${String(check)}).`);
    const schemaVersion = db.pragma('user_version', { simple: true }) as number;
    if (schemaVersion > SCHEMA_VERSION)
      throw new BackupError(
        `${file} was written by a newer version of the server (schema ${schemaVersion}; this one knows ${SCHEMA_VERSION}).`,
      );
    const tables = new Set(
      db
        .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
        .all()
        .map((row) => row.name),
    );
    for (const table of ['accounts', 'doc_updates', 'doc_snapshots', 'people', 'tokens'])
      if (!tables.has(table)) throw new BackupError(`${file} is an SQLite database, but not this server's (no table ${table}).`);
    const count = (sql: string) => db.prepare<[], { n: number }>(sql).get()?.n ?? 0;
    return {
      file,
      bytes: statSync(file).size,
      schemaVersion,
      accounts: count('SELECT count(*) AS n FROM accounts'),
      documents: count('SELECT count(*) AS n FROM (SELECT doc FROM doc_snapshots UNION SELECT doc FROM doc_updates)'),
    };
  } finally {
    db.close();
  }
}

/** Copies `source` (the live database, WAL and all) into `target` as one consistent moment. */
export async function backupSqlite(source: string, target: string, { overwrite = false } = {}): Promise<BackupSummary> {
  if (!existsSync(source)) throw new BackupError(`There is no database at ${source} (set DATA_DIR to the server's data directory).`);
  if (existsSync(target) && !overwrite)
    throw new BackupError(`${target} already exists; choose another file or add --force to replace it.`);
  if (!existsSync(dirname(target))) throw new BackupError(`The directory ${dirname(target)} does not exist.`);
  const partial = temporaryBeside(target);
  rmSync(partial, { force: true });
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    await db.backup(partial, { progress: () => ALL_PAGES });
  } catch (error) {
    rmSync(partial, { force: true });
    throw new BackupError(`The backup of ${source} failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    db.close();
  }
  try {
    const copy = new Database(partial, { fileMustExist: true });
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    // It holds what the database holds (token hashes, people): readable by its owner only.
    chmodSync(partial, 0o600);
    const summary = inspectBackup(partial);
    renameSync(partial, target);
    return { ...summary, file: target };
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}

/** Files already in `dataDir` (none: it may be restored into). */
export const entriesOf = (dataDir: string): string[] => (existsSync(dataDir) ? readdirSync(dataDir) : []);

/** Restores a backup file into `databaseFile`, whose directory must be empty or missing. */
export async function restoreSqlite(file: string, dataDir: string, databaseFile: string): Promise<BackupSummary> {
  // The lock file a restore or a server left is not data.
  const present = entriesOf(dataDir).filter((entry) => !entry.startsWith(LOCK_FILE));
  if (present.length > 0)
    throw new BackupError(
      `DATA_DIR ${dataDir} is not empty (it holds ${present.slice(0, 5).join(', ')}${present.length > 5 ? ', …' : ''}). ` +
        'A restore goes into an empty directory only: stop the server, move that directory away (or choose another DATA_DIR), then restore again.',
    );
  const summary = inspectBackup(file);
  mkdirSync(dataDir, { recursive: true });
  const partial = temporaryBeside(databaseFile);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    await db.backup(partial, { progress: () => ALL_PAGES });
  } catch (error) {
    rmSync(partial, { force: true });
    throw new BackupError(`Restoring ${file} failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    db.close();
  }
  chmodSync(partial, 0o600);
  renameSync(partial, databaseFile);
  return { ...summary, file: databaseFile };
}
