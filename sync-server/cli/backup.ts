/**
 * `npm run backup -- <file> [--force]`: a consistent copy of the database, taken while the server
 * runs and writes. `npm run restore -- <file>`: puts a backup into an empty DATA_DIR (it refuses one
 * that holds anything). With DATABASE_URL=postgres://… both work on that database instead (pg_dump,
 * and pg_restore into an empty database). `--data-dir DIR` instead of DATA_DIR (default ./data).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BackupError } from '../ops/backup-format.ts';
import { type DataDirLock, DataDirInUseError, lockDataDir } from '../ops/data-dir-lock.ts';
import { backupPostgres, restorePostgres, withoutPassword } from '../ops/postgres-backup.ts';
import { backupSqlite, restoreSqlite, type BackupSummary } from '../ops/sqlite-backup.ts';
import { databaseFile } from '../server.ts';

const USAGE = {
  backup: 'Usage: npm run backup -- <file> [--force] [--data-dir DIR]',
  restore: 'Usage: npm run restore -- <file> [--data-dir DIR]',
};

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const described = (summary: BackupSummary) =>
  `${summary.accounts} account(s), ${summary.documents} document(s), ${mib(summary.bytes)}, schema ${summary.schemaVersion}`;

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'backup' && command !== 'restore') {
    console.error(`${USAGE.backup}\n${USAGE.restore}`);
    return 2;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { force: { type: 'boolean', default: false }, 'data-dir': { type: 'string' } },
  });
  if (positionals.length !== 1) {
    console.error(USAGE[command]);
    return 2;
  }
  const file = resolve(positionals[0]!);
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && /^postgres(ql)?:\/\//.test(databaseUrl)) {
    const shown = withoutPassword(databaseUrl).url;
    if (command === 'backup') {
      const summary = await backupPostgres(databaseUrl, file, { overwrite: values.force });
      console.log(`Backed up ${shown} to ${file} (pg_dump, ${summary.tables} tables, ${mib(summary.bytes)}).`);
    } else {
      const summary = await restorePostgres(file, databaseUrl);
      console.log(`Restored ${file} into ${shown} (${summary.tables} tables).`);
      console.log('Start the servers on it with that DATABASE_URL (the tokens of the backup sign in).');
    }
    return 0;
  }
  if (databaseUrl) throw new BackupError(`DATABASE_URL must start with postgres:// or postgresql://, not "${databaseUrl.split(':')[0]}:".`);
  const dataDir = resolve(values['data-dir'] ?? (env.DATA_DIR || './data'));
  if (command === 'backup') {
    const summary = await backupSqlite(databaseFile(dataDir), file, { overwrite: values.force });
    console.log(`Backed up ${databaseFile(dataDir)} to ${file} (${described(summary)}).`);
  } else {
    // Held while restoring: no server starts on the directory half-way.
    const lock = lockedForRestore(dataDir);
    try {
      const summary = await restoreSqlite(file, dataDir, databaseFile(dataDir));
      console.log(`Restored ${file} into ${dataDir} (${described(summary)}).`);
      console.log(`Start the server on it with: DATA_DIR=${dataDir} npm start (the tokens of the backup sign in).`);
    } finally {
      lock.release();
    }
  }
  return 0;
}

function lockedForRestore(dataDir: string): DataDirLock {
  try {
    return lockDataDir(dataDir, 'restore');
  } catch (error) {
    if (error instanceof DataDirInUseError) throw new BackupError(error.message);
    throw new BackupError(`Cannot restore into DATA_DIR ${dataDir}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

main(process.argv.slice(2), process.env).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof BackupError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
