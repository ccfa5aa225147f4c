/**
 * Versioned schema migrations, run when the store opens. Each migration runs once, in its own
 * transaction, recorded in schema_migrations; a transaction-scoped advisory lock makes instances that
 * start at the same moment take turns (the second finds the migration recorded and skips it).
 * Append new migrations at the end; never edit one that has shipped.
 */
import type { Sql } from 'postgres';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** pg_advisory_xact_lock key of the migrations ("ipack" in ASCII). */
export const MIGRATION_LOCK = 0x6970_6163_6b;

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'documents, accounts, people, tokens, command results, client-id bindings',
    sql: `
      CREATE TABLE doc_snapshots (doc text PRIMARY KEY, data bytea NOT NULL, through_seq bigint NOT NULL);
      CREATE TABLE doc_updates (doc text NOT NULL, seq bigint NOT NULL, data bytea NOT NULL, PRIMARY KEY (doc, seq));
      CREATE TABLE accounts (id text PRIMARY KEY, name text NOT NULL, multi_install boolean NOT NULL, time_zone text NOT NULL);
      CREATE TABLE people (
        id text PRIMARY KEY, account_id text NOT NULL, name text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'viewer', 'managed')), managed_account_id text
      );
      CREATE INDEX people_by_account ON people (account_id);
      CREATE TABLE tokens (hash text PRIMARY KEY, person_id text NOT NULL REFERENCES people (id));
      CREATE TABLE command_results (
        account_id text NOT NULL, idempotency_key text NOT NULL, result jsonb NOT NULL, fingerprint text,
        PRIMARY KEY (account_id, idempotency_key)
      );
      CREATE TABLE client_ids (
        account_id text NOT NULL, client_id bigint NOT NULL, person_id text NOT NULL, PRIMARY KEY (account_id, client_id)
      );`,
  },
  {
    version: 2,
    name: 'account leases (one owner per account, fenced commits)',
    sql: `
      CREATE TABLE account_leases (
        account_id text PRIMARY KEY, owner_id text NOT NULL, owner_url text NOT NULL,
        fence bigint NOT NULL, expires_at timestamptz NOT NULL
      );
      CREATE INDEX account_leases_by_owner ON account_leases (owner_id);`,
  },
  {
    version: 3,
    name: 'server-owned records in tables (the document carries a projection of them)',
    sql: `
      ALTER TABLE accounts ADD COLUMN locale text;
      CREATE TABLE components (
        account_id text COLLATE "C" NOT NULL, id text COLLATE "C" NOT NULL, name text NOT NULL, type text NOT NULL,
        PRIMARY KEY (account_id, id)
      );
      CREATE TABLE component_versions (
        account_id text COLLATE "C" NOT NULL, component_id text COLLATE "C" NOT NULL, version integer NOT NULL,
        PRIMARY KEY (account_id, component_id, version)
      );
      CREATE TABLE managed_accounts (
        account_id text COLLATE "C" NOT NULL, id text COLLATE "C" NOT NULL, name text NOT NULL, PRIMARY KEY (account_id, id)
      );
      CREATE TABLE releases (
        account_id text COLLATE "C" NOT NULL, pack_id text COLLATE "C" NOT NULL, number integer NOT NULL,
        release_schedule text NOT NULL, release_on_date text, status text NOT NULL,
        released_by text NOT NULL, released_at text NOT NULL, request_id text NOT NULL,
        superseded_by integer, applied_at text,
        PRIMARY KEY (account_id, pack_id, number)
      );
      CREATE TABLE release_components (
        account_id text COLLATE "C" NOT NULL, pack_id text COLLATE "C" NOT NULL, number integer NOT NULL, position integer NOT NULL,
        component_id text NOT NULL, version integer NOT NULL,
        PRIMARY KEY (account_id, pack_id, number, position)
      );
      CREATE TABLE instances (
        account_id text COLLATE "C" NOT NULL, id text COLLATE "C" NOT NULL, pack_id text COLLATE "C" NOT NULL,
        managed_account_id text COLLATE "C" NOT NULL, override_name text, release_number integer NOT NULL,
        pending_release_number integer, installed_at text NOT NULL, last_error text, failed_release_number integer,
        PRIMARY KEY (account_id, id)
      );
      CREATE INDEX instances_by_pack ON instances (account_id, pack_id, managed_account_id, id);
      CREATE INDEX instances_by_managed_account ON instances (account_id, managed_account_id, id);
      CREATE TABLE instance_attachments (
        account_id text COLLATE "C" NOT NULL, instance_id text COLLATE "C" NOT NULL,
        kind text NOT NULL CHECK (kind IN ('atom', 'environment')), position integer NOT NULL, attachment_id text NOT NULL,
        PRIMARY KEY (account_id, instance_id, kind, position)
      );
      CREATE TABLE tombstones (
        account_id text COLLATE "C" NOT NULL, pack_id text COLLATE "C" NOT NULL, name text NOT NULL,
        deleted_at text NOT NULL, deleted_by text NOT NULL,
        PRIMARY KEY (account_id, pack_id)
      );
      CREATE TABLE schedule (
        account_id text COLLATE "C" NOT NULL, pack_id text COLLATE "C" NOT NULL, release_number integer NOT NULL,
        applies_at text COLLATE "C" NOT NULL,
        PRIMARY KEY (account_id, pack_id, release_number)
      );
      CREATE INDEX schedule_by_time ON schedule (applies_at);
      CREATE TABLE audit (
        account_id text COLLATE "C" NOT NULL, seq bigint NOT NULL, pack_id text, managed_account_id text, kind text NOT NULL,
        at text NOT NULL, projected boolean NOT NULL, record text NOT NULL,
        PRIMARY KEY (account_id, seq)
      );
      CREATE INDEX audit_by_pack ON audit (account_id, pack_id, seq);
      CREATE INDEX audit_by_managed_account ON audit (account_id, managed_account_id, seq);`,
  },
  {
    version: 4,
    name: 'release notes (NULL: none, or written before this migration)',
    sql: 'ALTER TABLE releases ADD COLUMN notes text',
  },
];

export async function migrate(sql: Sql, list: readonly Migration[] = migrations): Promise<number[]> {
  await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now()
  )`.catch(async (error: unknown) => {
    // Two instances creating it at once: one wins, the other sees a unique violation; either way it exists.
    if (!/already exists|duplicate key/.test(String(error))) throw error;
  });
  const applied: number[] = [];
  for (const migration of [...list].sort((a, b) => a.version - b.version)) {
    await sql.begin(async (tx) => {
      await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`;
      const [done] = await tx`SELECT 1 FROM schema_migrations WHERE version = ${migration.version}`;
      if (done) return;
      await tx.unsafe(migration.sql);
      await tx`INSERT INTO schema_migrations (version, name) VALUES (${migration.version}, ${migration.name})`;
      applied.push(migration.version);
    });
  }
  return applied;
}
