/**
 * The PostgreSQL store (DATABASE_URL=postgres://…): what several server instances share. The client
 * is `postgres` (porsager): a pool that opens connections lazily and replaces broken ones, and
 * LISTEN that reconnects and listens again by itself. Migrations run when the store opens.
 */
import postgres, { type Sql } from 'postgres';
import type { Store } from '../types.ts';
import { postgresAccounts } from './accounts.ts';
import { postgresDocs } from './docs.ts';
import { postgresLeases } from './leases.ts';
import { migrate } from './migrations.ts';
import { postgresRecords } from './records.ts';

export interface PostgresStoreOptions {
  /** Connections in the pool (default 10). */
  max?: number;
}

/** pg_advisory_lock key for `exclusive` (start-up seeding). */
const EXCLUSIVE_LOCK = 0x6970_6163_6c;

/** bigint (int8) columns as JS numbers: sequence numbers and fences stay far below 2^53. */
const int8AsNumber = { to: 20, from: [20], serialize: (value: number) => String(value), parse: (value: string) => Number(value) };

export function connectPostgres(url: string, options: PostgresStoreOptions = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    idle_timeout: 60,
    connect_timeout: 10,
    onnotice: () => {},
    types: { int8AsNumber },
  }) as unknown as Sql;
}

export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const sql = connectPostgres(url, options);
  try {
    await migrate(sql);
  } catch (error) {
    await sql.end({ timeout: 1 }).catch(() => {});
    throw error;
  }
  let closed: Promise<void> | undefined;
  return {
    docs: postgresDocs(sql),
    accounts: postgresAccounts(sql),
    records: postgresRecords(sql),
    leases: postgresLeases(sql),
    exclusive: async (fn) => {
      const reserved = await sql.reserve();
      try {
        await reserved`SELECT pg_advisory_lock(${EXCLUSIVE_LOCK})`;
        return await fn();
      } finally {
        await reserved`SELECT pg_advisory_unlock(${EXCLUSIVE_LOCK})`.catch(() => {});
        reserved.release();
      }
    },
    close: () => (closed ??= sql.end({ timeout: 5 })),
  };
}
