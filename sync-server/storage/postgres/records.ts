/** The server-owned records in PostgreSQL (written only by DocStore.append, in the transaction of their document update). */
import type { Sql } from 'postgres';
import type { CommandResult } from '../../../shared/index.ts';
import type { RecordStore } from '../types.ts';

export function postgresRecords(sql: Sql): RecordStore {
  return {
    async getCommandResult(accountId, key) {
      const [row] = await sql<{ result: CommandResult; fingerprint: string | null }[]>`
        SELECT result, fingerprint FROM command_results WHERE account_id = ${accountId} AND idempotency_key = ${key}`;
      return row && { result: row.result, fingerprint: row.fingerprint ?? undefined };
    },
    async clientIdBindings(accountId) {
      const rows = await sql<{ client_id: number; person_id: string }[]>`
        SELECT client_id, person_id FROM client_ids WHERE account_id = ${accountId}`;
      return rows.map((row) => ({ accountId, clientId: row.client_id, personId: row.person_id }));
    },
  };
}
