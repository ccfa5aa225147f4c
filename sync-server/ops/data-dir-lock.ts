/**
 * One server per DATA_DIR: the SQLite store is one process's file. The lock is DATA_DIR/server.lock,
 * a small SQLite file held in exclusive locking mode for the process's life — an operating-system
 * lock on the file, so the kernel lets go of it however the process ends (kill -9 included): no
 * stale lock to clear by hand, and no process id that may since belong to another program.
 * `npm run restore` takes it too, so a server cannot start on a directory being restored.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export const LOCK_FILE = 'server.lock';

export class DataDirInUseError extends Error {}

export interface DataDirLock {
  release(): void;
}

/** Takes DATA_DIR's lock (creating the directory), or throws DataDirInUseError at once when another process holds it. */
export function lockDataDir(dataDir: string, holder: 'server' | 'restore' = 'server'): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, LOCK_FILE);
  const db = new Database(file, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    // No journal file beside it (exclusive mode would keep one): the lock holds nothing to recover.
    db.pragma('journal_mode = MEMORY');
    // The first write takes the exclusive lock; in this mode it is kept until close.
    db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER, holder TEXT, since TEXT)');
    db.prepare('DELETE FROM holder').run();
    db.prepare('INSERT INTO holder VALUES (?, ?, ?)').run(process.pid, holder, new Date().toISOString());
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY')
      throw new DataDirInUseError(
        `Another process is using DATA_DIR ${dataDir} (a server, or a restore; it holds ${file}). ` +
          (holder === 'server'
            ? 'One server per DATA_DIR: stop that one, or give this one its own DATA_DIR=… (several instances share a database through DATABASE_URL=postgres://…).'
            : 'Stop that server before restoring into its directory, or restore into another DATA_DIR.'),
      );
    throw error;
  }
  return { release: () => db.close() };
}
