/**
 * Account leases in PostgreSQL, timed by the database's clock (now()), so instances with skewed
 * clocks agree on who holds what. Rows are never deleted: a released lease lapses and keeps its
 * fence, so the next holder's fence is always larger than every earlier one.
 */
import type { Sql } from 'postgres';
import type { Lease, LeaseStore } from '../types.ts';

interface LeaseRow {
  account_id: string;
  owner_id: string;
  owner_url: string;
  fence: number;
  expires_at: Date;
}

const toLease = (row: LeaseRow): Lease => ({
  accountId: row.account_id,
  ownerId: row.owner_id,
  ownerUrl: row.owner_url,
  fence: row.fence,
  expiresAt: row.expires_at,
});

export function postgresLeases(sql: Sql): LeaseStore {
  const store: LeaseStore = {
    async acquire(accountId, owner, ttlMs) {
      const [taken] = await sql<{ fence: number }[]>`
        INSERT INTO account_leases AS l (account_id, owner_id, owner_url, fence, expires_at)
        VALUES (${accountId}, ${owner.id}, ${owner.url}, 1, now() + ${ttlMs}::float8 * interval '1 millisecond')
        ON CONFLICT (account_id) DO UPDATE SET
          owner_id = excluded.owner_id, owner_url = excluded.owner_url, expires_at = excluded.expires_at,
          fence = CASE WHEN l.owner_id = excluded.owner_id AND l.expires_at > now() THEN l.fence ELSE l.fence + 1 END
        WHERE l.owner_id = excluded.owner_id OR l.expires_at <= now()
        RETURNING fence`;
      if (taken) return { acquired: true, fence: taken.fence };
      const holder = await store.holder(accountId);
      // Lapsed between the two statements: try once more rather than report nobody.
      if (!holder) return store.acquire(accountId, owner, ttlMs);
      return { acquired: false, holder };
    },
    async renew(ownerId, accountIds, ttlMs) {
      if (accountIds.length === 0) return [];
      const rows = await sql<{ account_id: string }[]>`
        UPDATE account_leases SET expires_at = now() + ${ttlMs}::float8 * interval '1 millisecond'
        WHERE owner_id = ${ownerId} AND account_id = ANY(${accountIds as string[]}::text[]) RETURNING account_id`;
      return rows.map((row) => row.account_id);
    },
    async release(accountId, ownerId, fence) {
      await sql`UPDATE account_leases SET expires_at = now()
        WHERE account_id = ${accountId} AND owner_id = ${ownerId} AND fence = ${fence} AND expires_at > now()`;
    },
    async holder(accountId) {
      const [row] = await sql<LeaseRow[]>`SELECT * FROM account_leases WHERE account_id = ${accountId} AND expires_at > now()`;
      return row && toLease(row);
    },
  };
  return store;
}
