/** What kind of backup a file is, from its first bytes: an SQLite database or a pg_dump archive. */
import { closeSync, existsSync, openSync, readSync } from 'node:fs';

export class BackupError extends Error {}

export type BackupFormat = 'sqlite' | 'postgres';

const SQLITE_HEADER = 'SQLite format 3\u0000';
const PGDUMP_MAGIC = 'PGDMP';

export function backupFormatOf(file: string): BackupFormat | undefined {
  if (!existsSync(file)) throw new BackupError(`There is no file ${file}.`);
  const header = Buffer.alloc(SQLITE_HEADER.length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  const text = header.toString('latin1');
  if (text === SQLITE_HEADER) return 'sqlite';
  if (text.startsWith(PGDUMP_MAGIC)) return 'postgres';
  return undefined;
}
