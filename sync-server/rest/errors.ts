/**
 * How a command the rules refused answers over REST: the status that fits its code, and the field it
 * is about in the platform's JSON names. The rules and their messages stay in shared/.
 */
import type { CommandResult } from '../../shared/commands.ts';
import { HttpError } from '../http/route.ts';

const NOT_FOUND = new Set(['PACK_NOT_FOUND', 'PACK_DELETED', 'INSTANCE_NOT_FOUND', 'MANAGED_ACCOUNT_UNKNOWN']);
const BAD_REQUEST = new Set(['NOTHING_TO_CHANGE', 'PACK_ID_INVALID']);
const CONFLICT = new Set([
  'NOTHING_TO_RELEASE',
  'UPDATE_ALREADY_PENDING',
  'ALREADY_INSTALLED',
  'OVERRIDE_NAME_TAKEN',
  'ALREADY_ATTACHED',
  'NOT_ATTACHED',
  'NOT_RELEASED',
  'NOT_RELEASED_YET',
  'NO_PENDING_UPDATE',
  'ALREADY_APPLIED',
  'APPLIED_EARLY',
  'NO_PENDING_RELEASE',
]);

/** The field of a rule's code, as the REST body names it. */
const FIELD: Record<string, string> = {
  NAME_INVALID: 'name',
  NAME_REQUIRED: 'name',
  NAME_TOO_LONG: 'name',
  DESCRIPTION_INVALID: 'Description',
  DESCRIPTION_TOO_LONG: 'Description',
  TYPE_INVALID: 'installationType',
  TYPE_FIXED: 'installationType',
  MULTI_INSTALL_DISABLED: 'installationType',
  COMPONENT_UNKNOWN: 'PublisherPackagedComponents',
  API_SERVICE_IN_MULTI: 'PublisherPackagedComponents',
  TOO_MANY_COMPONENTS: 'PublisherPackagedComponents',
  COMPONENTS_INVALID: 'PublisherPackagedComponents',
  SCHEDULE_INVALID: 'releaseSchedule',
  RELEASE_DATE_REQUIRED: 'releaseOnDate',
  RELEASE_DATE_NOT_FUTURE: 'releaseOnDate',
  COMPONENT_NOT_IN_PACK: 'ReleasePackagedComponents',
  VERSION_NOT_PUBLISHED: 'ReleasePackagedComponents',
  COMPONENT_DUPLICATED: 'ReleasePackagedComponents',
  RELEASE_NOTES_TOO_LONG: 'releaseNotes',
  RELEASE_NOTES_INVALID: 'releaseNotes',
  OVERRIDE_NAME_REQUIRED: 'integrationPackOverrideName',
  OVERRIDE_NAME_TOO_LONG: 'integrationPackOverrideName',
  ATTACHMENT_ID_REQUIRED: 'id',
};

export function errorForResult(result: CommandResult): HttpError {
  const code = result.code ?? 'REFUSED';
  const field = FIELD[code];
  if (field) return new HttpError(400, code, result.message, field);
  if (BAD_REQUEST.has(code)) return new HttpError(400, code, result.message);
  if (code === 'FORBIDDEN') return new HttpError(403, code, result.message);
  // As POST /commands answers it (the IETF Idempotency-Key draft's status for a key sent with another request).
  if (code === 'IDEMPOTENCY_KEY_REUSED') return new HttpError(422, code, result.message);
  if (NOT_FOUND.has(code)) return new HttpError(404, code, result.message);
  if (CONFLICT.has(code)) return new HttpError(409, code, result.message);
  if (code === 'UNAVAILABLE') return new HttpError(503, code, result.message);
  if (code === 'INTERNAL') return new HttpError(500, code, result.message);
  return new HttpError(409, code, result.message);
}
