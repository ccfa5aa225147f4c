/**
 * Runs one command against an account's records (and, for DELETE_PACK, the document's `packs`).
 * Called on the one command path (path.ts) inside the room's transaction, after the role check and
 * the idempotency check; the path then audits it and stores its result with its changes.
 * Deterministic given `context.now` and `context.idempotencyKey` (ids derive from the key). One
 * module per command; this file dispatches and turns the module's outcome into a result and a record.
 */
import type * as Y from 'yjs';
import type { AnyCommand, CommandResult, CommandRole } from '../../shared/commands.ts';
import type { AccountRecords, NewHistoryRecord } from '../records/account-records.ts';
import { setAccountSettings } from './account-settings.ts';
import { applyUpdate } from './apply-update.ts';
import { changeAttachment } from './attachments.ts';
import { autoApply } from './auto-apply.ts';
import { cancelRelease } from './cancel-release.ts';
import { createPack } from './create-pack.ts';
import { deletePack } from './delete-pack.ts';
import { install } from './install.ts';
import { refused, type Outcome } from './outcome.ts';
import { release } from './release.ts';
import { uninstall } from './uninstall.ts';
import { updatePack } from './update-pack.ts';
import { updateRelease } from './update-release.ts';

export interface Actor {
  personId: string;
  personName: string;
  role: CommandRole;
  /** For role 'managed': the managed account the person belongs to. */
  managedAccountId?: string;
}

export interface CommandContext {
  /** The document: commands read packs there (and DELETE_PACK removes one). */
  doc: Y.Doc;
  /** The account's server-owned records (the truth); commands change them, never the projection. */
  records: AccountRecords;
  actor: Actor;
  now: Date;
  idempotencyKey: string;
  /** Origin to pass to every doc transaction the command makes. */
  origin: unknown;
}

/** What running a command gives the path: its result, and its record for the audit trail. */
export interface Execution {
  result: CommandResult;
  record: NewHistoryRecord;
}

export function executeCommand(context: CommandContext, command: AnyCommand): Execution {
  let outcome: Outcome;
  try {
    outcome = dispatch(context, command);
  } catch (error) {
    // Handlers check everything before they change anything, so a throw here has changed nothing yet.
    outcome = refused(`${command.type}`, { code: 'INTERNAL', message: `The server could not run ${command.type}: ${String(error)}` });
  }
  return { result: resultOf(context.idempotencyKey, outcome), record: historyRecord(context, command, outcome) };
}

function dispatch(context: CommandContext, command: AnyCommand): Outcome {
  switch (command.type) {
    case 'CREATE_PACK':
      return createPack(context, command);
    case 'UPDATE_PACK':
      return updatePack(context, command);
    case 'RELEASE':
      return release(context, command);
    case 'UPDATE_RELEASE':
      return updateRelease(context, command);
    case 'CANCEL_RELEASE':
      return cancelRelease(context, command);
    case 'DELETE_PACK':
      return deletePack(context, command);
    case 'SET_ACCOUNT_SETTINGS':
      return setAccountSettings(context, command);
    case 'INSTALL':
      return install(context, command);
    case 'UNINSTALL':
      return uninstall(context, command);
    case 'APPLY_UPDATE':
      return applyUpdate(context, command);
    case 'ATTACH_ATOM':
    case 'DETACH_ATOM':
    case 'ATTACH_ENVIRONMENT':
    case 'DETACH_ENVIRONMENT':
      return changeAttachment(context, command);
    case 'AUTO_APPLY':
      return autoApply(context, command);
  }
}

const defined = <K extends keyof Outcome>(outcome: Outcome, keys: readonly K[]): Partial<Pick<Outcome, K>> => {
  const picked: Partial<Pick<Outcome, K>> = {};
  for (const key of keys) if (outcome[key] !== undefined) picked[key] = outcome[key];
  return picked;
};

function historyRecord(context: CommandContext, command: AnyCommand, outcome: Outcome): NewHistoryRecord {
  const { actor } = context;
  return {
    kind: command.type,
    actor: actor.personName,
    ...(actor.role === 'system' ? {} : { actorId: actor.personId }),
    at: context.now.toISOString(),
    summary: outcome.summary,
    status: outcome.status,
    message: outcome.message,
    ...defined(outcome, [
      'packId',
      'managedAccountId',
      'code',
      'requestId',
      'releaseNumber',
      'instanceId',
      'instancesUpdated',
      'instancesFailed',
    ]),
  };
}

function resultOf(idempotencyKey: string, outcome: Outcome): CommandResult {
  return {
    idempotencyKey,
    status: outcome.status,
    message: outcome.message,
    ...defined(outcome, ['code', 'requestId', 'releaseNumber', 'instanceId', 'instancesUpdated', 'instancesFailed']),
  };
}
