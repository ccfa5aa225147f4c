/**
 * Backup and restore of the PostgreSQL store (DATABASE_URL) with PostgreSQL's own tools. pg_dump
 * reads the whole database in one snapshot while every instance keeps writing (custom format,
 * compressed); the rows of account_leases are left out (which instance serves an account now is not
 * data to bring back). pg_restore loads a backup into an empty database in one transaction. The
 * tools come from PG_BIN, else Debian's /usr/lib/postgresql/<newest>/bin, else PATH; the password
 * reaches them in PGPASSWORD, never on a command line (where ps would show it).
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { BackupError, backupFormatOf } from './backup-format.ts';

const run = promisify(execFile);
const OUR_TABLES = ['accounts', 'doc_snapshots', 'doc_updates', 'people', 'tokens'];
const RUNTIME_TABLES = ['account_leases'];

export interface PostgresBackupSummary {
  file: string;
  bytes: number;
  /** Tables in the archive. */
  tables: number;
}

export function findPgTool(name: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.PG_BIN) return join(env.PG_BIN, name);
  const root = '/usr/lib/postgresql';
  const newest = existsSync(root)
    ? readdirSync(root)
        .filter((version) => existsSync(join(root, version, 'bin', name)))
        .sort((a, b) => Number(b) - Number(a))[0]
    : undefined;
  return newest ? join(root, newest, 'bin', name) : name;
}

/** The URL without its password (for the tools' arguments and for messages), and the password apart. */
export function withoutPassword(databaseUrl: string): { url: string; password: string | undefined } {
  const url = new URL(databaseUrl);
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  url.password = '';
  return { url: url.toString(), password };
}

async function tool(name: string, args: string[], databaseUrl?: string): Promise<string> {
  const password = databaseUrl === undefined ? undefined : withoutPassword(databaseUrl).password;
  try {
    const { stdout } = await run(findPgTool(name), args, {
      env: { ...process.env, ...(password === undefined ? {} : { PGPASSWORD: password }) },
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    if (failure.code === 'ENOENT')
      throw new BackupError(
        `${name} is not installed (apt-get install postgresql-client, or set PG_BIN to the directory of the PostgreSQL tools).`,
      );
    throw new BackupError(`${name} failed: ${(failure.stderr || failure.message).trim()}`);
  }
}

/** Tables in the database's own schemas (not PostgreSQL's catalogs). */
async function tablesOf(databaseUrl: string): Promise<string[]> {
  const query =
    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'v', 'm') " +
    "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1";
  const args = ['--no-psqlrc', '--tuples-only', '--no-align', '--quiet', '--command', query, withoutPassword(databaseUrl).url];
  return (await tool('psql', args, databaseUrl)).split('\n').filter(Boolean);
}

/** Tables a pg_dump archive creates (from its table of contents). */
async function tablesIn(file: string): Promise<string[]> {
  const list = await tool('pg_restore', ['--list', file]);
  return [...list.matchAll(/^\d+; \d+ \d+ TABLE (?!DATA )\S+ (\S+)/gm)].map((match) => match[1]!);
}

async function inspectArchive(file: string): Promise<PostgresBackupSummary> {
  const format = backupFormatOf(file);
  if (format === 'sqlite') throw new BackupError(`${file} is an SQLite backup: unset DATABASE_URL and restore it into an empty DATA_DIR.`);
  if (format !== 'postgres') throw new BackupError(`${file} is not a backup taken by npm run backup (not a pg_dump archive).`);
  const tables = await tablesIn(file);
  for (const table of OUR_TABLES)
    if (!tables.includes(table))
      throw new BackupError(`${file} is a pg_dump archive, but not of this server's database (no table ${table}).`);
  return { file, bytes: statSync(file).size, tables: tables.length };
}

/** pg_dump of `databaseUrl` into `target` (written beside it, checked, then renamed into place). */
export async function backupPostgres(databaseUrl: string, target: string, { overwrite = false } = {}): Promise<PostgresBackupSummary> {
  if (existsSync(target) && !overwrite)
    throw new BackupError(`${target} already exists; choose another file or add --force to replace it.`);
  if (!existsSync(dirname(target))) throw new BackupError(`The directory ${dirname(target)} does not exist.`);
  const partial = join(dirname(target), `.${basename(target)}.${process.pid}.partial`);
  rmSync(partial, { force: true });
  try {
    const skipped = RUNTIME_TABLES.map((table) => `--exclude-table-data=${table}`);
    await tool(
      'pg_dump',
      ['--format=custom', '--no-owner', '--no-privileges', ...skipped, `--file=${partial}`, withoutPassword(databaseUrl).url],
      databaseUrl,
    );
    chmodSync(partial, 0o600);
    const summary = await inspectArchive(partial);
    renameSync(partial, target);
    return { ...summary, file: target };
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}

/** pg_restore of a backup into the database at `databaseUrl`, which must have no tables. */
export async function restorePostgres(file: string, databaseUrl: string): Promise<PostgresBackupSummary> {
  const summary = await inspectArchive(file);
  const present = await tablesOf(databaseUrl);
  if (present.length > 0)
    throw new BackupError(
      `The database ${withoutPassword(databaseUrl).url} is not empty (it has the tables ${present.slice(0, 5).join(', ')}${present.length > 5 ? ', …' : ''}). ` +
        'A restore goes into an empty database only: create a new one (createdb) and point DATABASE_URL at it, then restore again.',
    );
  await tool(
    'pg_restore',
    ['--no-owner', '--no-privileges', '--single-transaction', '--exit-on-error', `--dbname=${withoutPassword(databaseUrl).url}`, file],
    databaseUrl,
  );
  return summary;
}
