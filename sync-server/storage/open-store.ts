/**
 * The one place a store is chosen: DATABASE_URL=postgres://… (or postgresql://) selects PostgreSQL,
 * which several instances can share; otherwise the SQLite file DATA_DIR/sync.db (one process).
 */
import { join } from 'node:path';
import { openPostgresStore } from './postgres/index.ts';
import { openSqliteStore } from './sqlite.ts';
import type { Store } from './types.ts';

export interface StoreChoice {
  /** postgres://user:password@host:port/database; empty or absent: SQLite in dataDir. */
  databaseUrl?: string | undefined;
  dataDir: string;
  durability?: 'full' | 'normal';
  sqliteWriter?: 'inline' | 'worker';
}

export const databaseFile = (dataDir: string) => join(dataDir, 'sync.db');

export const isPostgresUrl = (url: string | undefined): boolean => !!url && /^postgres(ql)?:\/\//.test(url);

/** Where the data lives, for messages (no password). */
export function describeStore(choice: StoreChoice): string {
  if (!isPostgresUrl(choice.databaseUrl)) return databaseFile(choice.dataDir);
  const url = new URL(choice.databaseUrl!);
  url.password = '';
  return url.toString();
}

export async function openStore(choice: StoreChoice): Promise<Store> {
  const url = choice.databaseUrl;
  if (url && isPostgresUrl(url)) return openPostgresStore(url);
  if (url) throw new Error(`DATABASE_URL must start with postgres:// or postgresql://, not "${url.split(':')[0]}:".`);
  return openSqliteStore(databaseFile(choice.dataDir), {
    durability: choice.durability ?? 'full',
    writer: choice.sqliteWriter ?? 'inline',
  });
}

/** The options of `openStore` as the environment gives them (main.ts, the token CLI). */
export function storeChoiceFromEnv(env: NodeJS.ProcessEnv, dataDir: string): StoreChoice {
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir,
    durability: env.DURABILITY === 'normal' ? 'normal' : 'full',
    sqliteWriter: env.SQLITE_WRITER === 'worker' ? 'worker' : 'inline',
  };
}
