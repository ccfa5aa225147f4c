/**
 * Who is signed in: the roles, and the body of `GET /api/me` (what the server answers for a token
 * and what the client remembers next to the token). The server's sessions, the PWA's and the
 * extension's are this one type; the server's OpenAPI schema of it is checked against it
 * (sync-server/http/schemas.ts).
 */
export const ROLES = ['admin', 'viewer', 'managed'] as const;

/** admin: edits and releases; viewer: reads the publisher's page; managed: a managed account's user. */
export type Role = (typeof ROLES)[number];

/** The body of `GET /api/me`. */
export interface Me {
  accountId: string;
  role: Role;
  personId: string;
  personName: string;
  /** For role 'managed': the managed account this person belongs to. */
  managedAccountId?: string;
}

const isRole = (value: unknown): value is Role => (ROLES as readonly unknown[]).includes(value);

/**
 * A `GET /api/me` body (or a remembered one) checked; other keys are dropped; undefined when it is not
 * one. A plain check, not a schema library: the PWA runs it on its boot path, before anything else loads.
 */
export function parseMe(body: unknown): Me | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { accountId, role, personId, personName, managedAccountId } = body as Record<string, unknown>;
  if (typeof accountId !== 'string' || typeof personId !== 'string' || typeof personName !== 'string' || !isRole(role)) return undefined;
  if (managedAccountId !== undefined && typeof managedAccountId !== 'string') return undefined;
  const me: Me = { accountId, role, personId, personName };
  return managedAccountId === undefined ? me : { ...me, managedAccountId };
}
