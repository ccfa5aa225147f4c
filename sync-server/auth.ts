/**
 * Tokens and sessions. A token is 32 random bytes (base64url) with a readable prefix; only its sha256
 * digest is stored. Nothing here logs: a token never reaches a log line.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Me, Role } from '../shared/identity.ts';
import type { AccountStore, Person } from './storage/types.ts';

/** Who is behind a request: what GET /api/me returns (shared/identity.ts) and what commands act as. */
export type Session = Me;

export const generateToken = (): string => `ipt_${randomBytes(32).toString('base64url')}`;

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

export function sessionOf(person: Person): Session {
  return {
    accountId: person.accountId,
    role: person.role,
    personId: person.id,
    personName: person.name,
    ...(person.managedAccountId === undefined ? {} : { managedAccountId: person.managedAccountId }),
  };
}

/**
 * The token of a request: `Authorization: Bearer <token>`; with `allowBasic`, also `Basic` with the
 * token as the password (the platform's API takes tokens that way); for sockets only, `?token=`.
 */
export function tokenFromRequest(
  req: IncomingMessage,
  url: URL,
  { allowQuery, allowBasic = false }: { allowQuery: boolean; allowBasic?: boolean },
): string | undefined {
  const header = req.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match) return match[1];
    const basic = allowBasic ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header) : null;
    if (basic) {
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon >= 0 && colon < decoded.length - 1) return decoded.slice(colon + 1);
    }
  }
  if (allowQuery) {
    const token = url.searchParams.get('token');
    if (token) return token;
  }
  return undefined;
}

export async function authenticate(accounts: AccountStore, token: string | undefined): Promise<Session | undefined> {
  if (!token || token.length > 200) return undefined;
  const person = await accounts.findPersonByTokenHash(hashToken(token));
  return person && sessionOf(person);
}

/** Mints a token for a person (creating or updating the person) and returns it; it is shown once. */
export async function mintToken(accounts: AccountStore, person: Person): Promise<string> {
  await accounts.putPerson(person);
  const token = generateToken();
  await accounts.putToken(hashToken(token), person.id);
  return token;
}

export type AccessDecision = { ok: true; session: Session } | { ok: false; status: 401 | 403; code: string; message: string };

/** The rule shared by the socket and the HTTP API: a valid token, of this account, with an allowed role. */
export function decideAccess(session: Session | undefined, accountId: string | undefined, roles: readonly Role[]): AccessDecision {
  if (!session) return { ok: false, status: 401, code: 'UNAUTHORIZED', message: 'A valid token is required.' };
  if (accountId !== undefined && session.accountId !== accountId)
    return { ok: false, status: 403, code: 'FORBIDDEN', message: 'This token belongs to another account.' };
  if (!roles.includes(session.role))
    return { ok: false, status: 403, code: 'FORBIDDEN', message: `The ${session.role} role cannot do this.` };
  return { ok: true, session };
}
