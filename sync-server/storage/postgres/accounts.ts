/** Accounts, people and tokens (sha256 hex only) in PostgreSQL. */
import type { Sql } from 'postgres';
import type { PublisherAccount } from '../../../shared/index.ts';
import type { AccountStore, Person, Role } from '../types.ts';

interface PersonRow {
  id: string;
  account_id: string;
  name: string;
  role: Role;
  managed_account_id: string | null;
}
export interface AccountRow {
  id: string;
  name: string;
  multi_install: boolean;
  time_zone: string;
  locale: string | null;
}

const toPerson = (row: PersonRow): Person => ({
  id: row.id,
  accountId: row.account_id,
  name: row.name,
  role: row.role,
  ...(row.managed_account_id === null ? {} : { managedAccountId: row.managed_account_id }),
});
export const toAccount = (row: AccountRow): PublisherAccount => ({
  id: row.id,
  name: row.name,
  multiInstallEnabled: row.multi_install,
  timeZone: row.time_zone,
  ...(row.locale ? { locale: row.locale } : {}),
});

export function postgresAccounts(sql: Sql): AccountStore {
  return {
    async getAccount(id) {
      const [row] = await sql<AccountRow[]>`SELECT * FROM accounts WHERE id = ${id}`;
      return row && toAccount(row);
    },
    async putAccount(a) {
      await sql`INSERT INTO accounts (id, name, multi_install, time_zone, locale)
        VALUES (${a.id}, ${a.name}, ${a.multiInstallEnabled}, ${a.timeZone || 'UTC'}, ${a.locale ?? null})
        ON CONFLICT (id) DO UPDATE SET name = excluded.name, multi_install = excluded.multi_install, time_zone = excluded.time_zone,
          locale = excluded.locale`;
    },
    async listAccounts() {
      return (await sql<AccountRow[]>`SELECT * FROM accounts ORDER BY id COLLATE "C"`).map(toAccount);
    },
    async putPerson(p) {
      await sql`INSERT INTO people (id, account_id, name, role, managed_account_id)
        VALUES (${p.id}, ${p.accountId}, ${p.name}, ${p.role}, ${p.managedAccountId ?? null})
        ON CONFLICT (id) DO UPDATE SET account_id = excluded.account_id, name = excluded.name, role = excluded.role,
          managed_account_id = excluded.managed_account_id`;
    },
    async getPerson(id) {
      const [row] = await sql<PersonRow[]>`SELECT * FROM people WHERE id = ${id}`;
      return row && toPerson(row);
    },
    async listPeople(accountId) {
      return (await sql<PersonRow[]>`SELECT * FROM people WHERE account_id = ${accountId} ORDER BY id COLLATE "C"`).map(toPerson);
    },
    async putToken(hash, personId) {
      await sql`INSERT INTO tokens (hash, person_id) VALUES (${hash}, ${personId}) ON CONFLICT (hash) DO UPDATE SET person_id = excluded.person_id`;
    },
    async findPersonByTokenHash(hash) {
      const [row] = await sql<
        PersonRow[]
      >`SELECT people.* FROM tokens JOIN people ON people.id = tokens.person_id WHERE tokens.hash = ${hash}`;
      return row && toPerson(row);
    },
  };
}
