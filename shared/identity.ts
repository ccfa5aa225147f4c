/**
 * Who is signed in: the roles, and the body of `GET /api/me` (what the server answers for a token
 * and what the client remembers next to the token). The server's sessions and the client's are this
 * one type.
 */
import * as v from 'valibot';

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

export const MeSchema = v.object({
  accountId: v.string(),
  role: v.picklist(ROLES),
  personId: v.string(),
  personName: v.string(),
  managedAccountId: v.optional(v.string()),
});

/** A `GET /api/me` body (or a remembered one) checked; other keys are dropped; undefined when it is not one. */
export function parseMe(body: unknown): Me | undefined {
  const parsed = v.safeParse(MeSchema, body);
  if (!parsed.success) return undefined;
  const { managedAccountId, ...me } = parsed.output;
  return managedAccountId === undefined ? me : { ...me, managedAccountId };
}
