/**
 * Commands: the actions only the server may perform. Sent over the WebSocket (PROTOCOL.md) or
 * `POST /api/accounts/:id/commands`, each with an idempotency key: a retry returns the first result.
 * Field names follow the platform's API (releaseSchedule, releaseOnDate, integrationPackOverrideName).
 */
import * as v from 'valibot';
import type { Role } from './identity.ts';
import { PACK_ID_RULE, validatePackId } from './rules.ts';

const id = v.pipe(v.string(), v.minLength(1), v.maxLength(200));
/** A pack id under the one rule (shared/rules.ts), the same the document check uses for new packs. */
const packId = v.pipe(
  v.string(),
  v.check((value) => validatePackId(value).ok, PACK_ID_RULE),
);
/** DELETE_PACK takes any stored id, so a pack stored before the rule (e.g. id '') can still be deleted. */
const storedPackId = v.pipe(v.string(), v.maxLength(100_000));
const calendarDate = v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/, 'releaseOnDate must be yyyy-MM-dd'));

const releasedComponents = v.pipe(
  v.array(v.object({ componentId: id, version: v.pipe(v.number(), v.integer(), v.minValue(1)) })),
  v.maxLength(1000),
);

/** Generous caps on what a command may carry; the rules (shared/rules.ts) set the real limits. */
const packText = (max: number) => v.pipe(v.string(), v.maxLength(max));
const packComponentIds = v.pipe(v.array(id), v.maxLength(1000));

export const CommandSchema = v.variant('type', [
  /** Add Integration Pack, as an API call (the page adds packs by editing the `packs` root). */
  v.object({
    type: v.literal('CREATE_PACK'),
    name: packText(1000),
    description: v.optional(packText(5000)),
    installationType: v.picklist(['SINGLE', 'MULTI']),
    componentIds: v.optional(packComponentIds),
  }),
  /** Changes a pack's name, description and components (the list replaces the pack's), as an API call. */
  v.object({
    type: v.literal('UPDATE_PACK'),
    packId,
    name: v.optional(packText(1000)),
    description: v.optional(packText(5000)),
    installationType: v.optional(v.picklist(['SINGLE', 'MULTI'])),
    componentIds: v.optional(packComponentIds),
  }),
  v.object({
    type: v.literal('RELEASE'),
    packId,
    releaseSchedule: v.picklist(['IMMEDIATELY', 'RELEASE_ON_SPECIFIED_DATE']),
    releaseOnDate: v.optional(calendarDate),
    /** Versions chosen for some of the pack's components (an older one rolls back); the rest get the table's. */
    components: v.optional(releasedComponents),
    /** Release notes (shared/release-notes.ts checks the length). */
    notes: v.optional(v.pipe(v.string(), v.maxLength(20_000))),
  }),
  /** Changes a release pending its date: a new date (after today), other versions of its components, or its notes. */
  v.object({
    type: v.literal('UPDATE_RELEASE'),
    packId,
    releaseOnDate: v.optional(calendarDate),
    components: v.optional(releasedComponents),
    /** New release notes ('' removes them); absent keeps them. */
    notes: v.optional(v.pipe(v.string(), v.maxLength(20_000))),
  }),
  /** Cancels a release pending its date; installations waiting for it no longer wait. */
  v.object({ type: v.literal('CANCEL_RELEASE'), packId }),
  v.object({ type: v.literal('DELETE_PACK'), packId: storedPackId }),
  /** The publisher account's time zone and date locale (shared/account-settings.ts). */
  v.object({
    type: v.literal('SET_ACCOUNT_SETTINGS'),
    timeZone: v.optional(v.pipe(v.string(), v.maxLength(100))),
    locale: v.optional(v.pipe(v.string(), v.maxLength(100))),
  }),
  v.object({
    type: v.literal('INSTALL'),
    packId,
    managedAccountId: id,
    integrationPackOverrideName: v.optional(v.pipe(v.string(), v.maxLength(400))),
  }),
  v.object({ type: v.literal('UNINSTALL'), instanceId: id }),
  v.object({ type: v.literal('APPLY_UPDATE'), instanceId: id }),
  v.object({ type: v.literal('ATTACH_ATOM'), instanceId: id, atomId: id }),
  v.object({ type: v.literal('DETACH_ATOM'), instanceId: id, atomId: id }),
  v.object({ type: v.literal('ATTACH_ENVIRONMENT'), instanceId: id, environmentId: id }),
  v.object({ type: v.literal('DETACH_ENVIRONMENT'), instanceId: id, environmentId: id }),
]);
export type Command = v.InferOutput<typeof CommandSchema>;
export type CommandType = Command['type'];

export const CommandEnvelopeSchema = v.object({
  idempotencyKey: v.pipe(v.string(), v.minLength(8), v.maxLength(100)),
  command: CommandSchema,
});
export type CommandEnvelope = v.InferOutput<typeof CommandEnvelopeSchema>;

/**
 * What the server sends itself, on the same command path: the automatic apply of a scheduled release
 * on its date (the scheduler, role 'system'). Not in CommandSchema, so no client can send it.
 */
export interface SystemCommand {
  type: 'AUTO_APPLY';
  packId: string;
  releaseNumber: number;
}
export type AnyCommand = Command | SystemCommand;
export interface AnyCommandEnvelope {
  idempotencyKey: string;
  command: AnyCommand;
}

/** Who may send commands: the roles of tokens, and the server itself ('system', the scheduler). */
export type CommandRole = Role | 'system';

export interface CommandResult {
  idempotencyKey: string;
  status: 'SUCCESS' | 'ERROR';
  /** A sentence for the person who sent it. */
  message: string;
  code?: string;
  /** For RELEASE: the release's requestId and number; for INSTALL: the new instance id. */
  requestId?: string;
  releaseNumber?: number;
  instanceId?: string;
  /** For a release or an automatic apply: how many instances moved to the release, and how many failed to. */
  instancesUpdated?: number;
  instancesFailed?: number;
}

/** Parses an untrusted envelope; the error names the first problem. */
export function parseCommandEnvelope(input: unknown): { ok: true; value: CommandEnvelope } | { ok: false; message: string } {
  const result = v.safeParse(CommandEnvelopeSchema, input);
  if (result.success) return { ok: true, value: result.output };
  const issue = result.issues[0];
  const path = issue.path?.map((item) => String(item.key)).join('.') ?? '';
  return { ok: false, message: `Invalid command${path ? ` at ${path}` : ''}: ${issue.message}` };
}

/** Which roles may send which commands. */
export const commandsByRole: Record<Exclude<CommandRole, 'viewer'>, ReadonlySet<AnyCommand['type']>> = {
  admin: new Set([
    'CREATE_PACK',
    'UPDATE_PACK',
    'RELEASE',
    'UPDATE_RELEASE',
    'CANCEL_RELEASE',
    'DELETE_PACK',
    'SET_ACCOUNT_SETTINGS',
    'INSTALL',
    'UNINSTALL',
    'APPLY_UPDATE',
    'ATTACH_ATOM',
    'DETACH_ATOM',
    'ATTACH_ENVIRONMENT',
    'DETACH_ENVIRONMENT',
  ]),
  managed: new Set(['INSTALL', 'UNINSTALL', 'APPLY_UPDATE', 'ATTACH_ATOM', 'DETACH_ATOM', 'ATTACH_ENVIRONMENT', 'DETACH_ENVIRONMENT']),
  system: new Set(['AUTO_APPLY']),
};

/**
 * The role rule, written once: why this role may not send this command type, or undefined when it
 * may. The one command path (sync-server/commands/path.ts) asks it for every channel.
 */
export function roleRefusal(role: CommandRole, type: string): { code: 'FORBIDDEN'; message: string } | undefined {
  if (role === 'viewer') return { code: 'FORBIDDEN', message: 'Viewers cannot run commands.' };
  if ((commandsByRole[role] as ReadonlySet<string> | undefined)?.has(type)) return undefined;
  return { code: 'FORBIDDEN', message: `A ${role === 'managed' ? 'managed-account user' : role} cannot run ${type}.` };
}

/** Plain JSON with its object keys sorted, so equal values give equal text whoever built them. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/**
 * What an idempotency key is bound to: the whole command (its type, its target and its parameters),
 * as canonical text. A key sent again with the same fingerprint is a retry and gets the first result;
 * with another one it is a reuse, answered IDEMPOTENCY_KEY_REUSED without running anything.
 */
export const commandFingerprint = (command: object): string => canonicalJson(command);

/** The answer to a key reused for another command. */
export function idempotencyKeyReused(idempotencyKey: string, type: string): CommandResult {
  return {
    idempotencyKey,
    status: 'ERROR',
    code: 'IDEMPOTENCY_KEY_REUSED',
    message: `This idempotency key was already used for another command; send this ${type} with a new key.`,
  };
}
