/**
 * Documents in PostgreSQL: an update log (doc, seq) and one snapshot per document. An append is one
 * transaction; with a fence it first locks the account's lease row (FOR SHARE), so a takeover either
 * waits for the append to commit or has already moved the fence and the append fails.
 */
import type { Sql, TransactionSql } from 'postgres';
import { FencedError, type DocStore, type StoredDoc } from '../types.ts';
import { writeRecords } from './records.ts';

const bytes = (buffer: Buffer): Uint8Array => new Uint8Array(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength));
const param = (data: Uint8Array): Buffer => Buffer.from(data.buffer, data.byteOffset, data.byteLength);

export async function checkFence(tx: TransactionSql, accountId: string, fence: number | undefined): Promise<void> {
  if (fence === undefined) return;
  const [lease] = await tx<{ fence: number }[]>`SELECT fence FROM account_leases WHERE account_id = ${accountId} FOR SHARE`;
  if (!lease || lease.fence !== fence) throw new FencedError(accountId);
}

async function lastSeqOf(sql: Sql | TransactionSql, doc: string): Promise<number> {
  const [row] = await sql<{ seq: number }[]>`
    SELECT greatest(
      coalesce((SELECT max(seq) FROM doc_updates WHERE doc = ${doc}), 0),
      coalesce((SELECT through_seq FROM doc_snapshots WHERE doc = ${doc}), 0)
    ) AS seq`;
  return row?.seq ?? 0;
}

export function postgresDocs(sql: Sql): DocStore {
  return {
    async load(doc): Promise<StoredDoc> {
      return sql.begin('ISOLATION LEVEL REPEATABLE READ READ ONLY', async (tx) => {
        const [snapshot] = await tx<
          { data: Buffer; through_seq: number }[]
        >`SELECT data, through_seq FROM doc_snapshots WHERE doc = ${doc}`;
        const rows = await tx<{ seq: number; data: Buffer }[]>`SELECT seq, data FROM doc_updates WHERE doc = ${doc} ORDER BY seq`;
        return {
          snapshot: snapshot && bytes(snapshot.data),
          updates: rows.map((row) => bytes(row.data)),
          lastSeq: Math.max(snapshot?.through_seq ?? 0, rows.at(-1)?.seq ?? 0),
        };
      });
    },
    append(doc, updates, options) {
      return sql.begin(async (tx) => {
        await checkFence(tx, doc, options?.fence);
        let seq = await lastSeqOf(tx, doc);
        for (const update of updates) await tx`INSERT INTO doc_updates (doc, seq, data) VALUES (${doc}, ${++seq}, ${param(update)})`;
        for (const record of options?.commandResults ?? [])
          await tx`INSERT INTO command_results (account_id, idempotency_key, result, fingerprint)
            VALUES (${record.accountId}, ${record.idempotencyKey}, ${tx.json(JSON.parse(JSON.stringify(record.result)))}, ${record.fingerprint})
            ON CONFLICT DO NOTHING`;
        if (options?.records?.length) await writeRecords(tx, doc, options.records);
        for (const binding of options?.clientIdBindings ?? [])
          await tx`INSERT INTO client_ids (account_id, client_id, person_id) VALUES (${binding.accountId}, ${binding.clientId}, ${binding.personId})
            ON CONFLICT DO NOTHING`;
        return seq;
      });
    },
    async compact(doc, snapshot, throughSeq, options) {
      await sql.begin(async (tx) => {
        await checkFence(tx, doc, options?.fence);
        await tx`INSERT INTO doc_snapshots (doc, data, through_seq) VALUES (${doc}, ${param(snapshot)}, ${throughSeq})
          ON CONFLICT (doc) DO UPDATE SET data = excluded.data, through_seq = excluded.through_seq`;
        await tx`DELETE FROM doc_updates WHERE doc = ${doc} AND seq <= ${throughSeq}`;
      });
    },
    async sizes(doc) {
      const [row] = await sql<{ snapshot_bytes: number; log_bytes: number; log_count: number }[]>`
        SELECT coalesce((SELECT octet_length(data) FROM doc_snapshots WHERE doc = ${doc}), 0)::int8 AS snapshot_bytes,
               coalesce(sum(octet_length(data)), 0)::int8 AS log_bytes, count(*)::int8 AS log_count
        FROM doc_updates WHERE doc = ${doc}`;
      return { snapshotBytes: row?.snapshot_bytes ?? 0, logBytes: row?.log_bytes ?? 0, logCount: row?.log_count ?? 0 };
    },
  };
}
