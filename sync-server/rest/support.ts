/**
 * What every REST route shares: its path prefix, who may call, the Idempotency-Key header, how a
 * command runs (the one command path) and how a refused command becomes an HTTP error.
 */
import { createHash } from 'node:crypto';
import { nanoid } from 'nanoid';
import * as v from 'valibot';
import { commandFingerprint, type Command, type CommandResult } from '../../shared/commands.ts';
import type { Session } from '../auth.ts';
import { HttpError, type ApiDeps, type InvalidRequest, type RouteAuth } from '../http/route.ts';
import { errorForResult } from './errors.ts';

export const REST = '/api/rest/v1/:accountId';

/** Publisher objects: the path names the token's publisher account. */
export const publisherRead: RouteAuth = { roles: ['admin', 'viewer'], accountParam: 'accountId', basic: true };
export const publisherWrite: RouteAuth = { roles: ['admin'], accountParam: 'accountId', basic: true };
/** A managed account's objects: the path names the managed account (its own for its users; any of the publisher's for an admin). */
export const managedAccess: RouteAuth = { roles: ['managed', 'admin'], managedAccountParam: 'accountId', basic: true };

export const Id = v.pipe(v.string(), v.minLength(1, 'id is required'), v.maxLength(200));

const IDEMPOTENCY_KEY = 'idempotency-key';
export const WriteHeaders = v.looseObject({
  [IDEMPOTENCY_KEY]: v.optional(
    v.pipe(
      v.string(),
      v.minLength(8, 'Idempotency-Key holds 8 to 100 characters'),
      v.maxLength(100, 'Idempotency-Key holds 8 to 100 characters'),
    ),
  ),
  'if-match': v.optional(v.string()),
});
export type WriteHeaders = v.InferOutput<typeof WriteHeaders>;

/** A 400 naming the field, with headers named as they are sent. */
export const restInvalid: InvalidRequest = ({ part, field, message }) => {
  const named = part === 'headers' ? headerName(field) : field || part;
  return new HttpError(400, 'INVALID_FIELD', message.startsWith(named) ? message : `${named}: ${message}`, named);
};
const headerName = (field: string) => field.replace(/(^|-)([a-z])/g, (_all, dash: string, letter: string) => dash + letter.toUpperCase());

/** The key a write runs under: the caller's Idempotency-Key (a retry is answered with the first result), else a new one. */
export const idempotencyKeyOf = (headers: WriteHeaders): string => headers[IDEMPOTENCY_KEY] ?? `rest-${nanoid()}`;

/** Runs a command through the one command path; a refusal throws its HTTP error. */
export async function runCommand(deps: ApiDeps, session: Session, key: string, command: Command): Promise<CommandResult> {
  const result = await deps.rooms.command(session.accountId, session, { idempotencyKey: key, command });
  if (result.status === 'ERROR') throw errorForResult(result);
  return result;
}

/** Whether this command already ran under this key: its retry answers as the first run did, preconditions and all. */
export async function alreadyRun(deps: ApiDeps, session: Session, key: string, command: Command): Promise<boolean> {
  const stored = await deps.store.records.getCommandResult(session.accountId, key);
  return stored !== undefined && (stored.fingerprint === undefined || stored.fingerprint === commandFingerprint(command));
}

/** A strong ETag of a representation; If-Match with another one answers 412. */
export const etagOf = (body: unknown): string => `"${createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 22)}"`;

export function checkIfMatch(headers: WriteHeaders, current: unknown, what: string): void {
  const wanted = headers['if-match'];
  if (wanted === undefined || wanted.trim() === '*') return;
  const tags = wanted.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  if (!tags.includes(etagOf(current)))
    throw new HttpError(412, 'PRECONDITION_FAILED', `${what} changed since you read it (If-Match does not match its ETag): read it again.`);
}
