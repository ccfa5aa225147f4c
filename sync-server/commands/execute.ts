/**
 * Runs one command against an account's document. Called by the room inside its serialized queue,
 * with a server origin; the room persists the resulting updates before it replies. Deterministic given
 * `context.now` and `context.idempotencyKey` (ids derive from the key). One module per command; this
 * file runs the module and records every command it runs, refused by a rule or not, in the history.
 * The role check and idempotency happen before, on the one command path (path.ts).
 */
import type * as Y from 'yjs';
import type { Command, CommandResult } from '../../shared/commands.ts';
import type { HistoryRecord } from '../../shared/history.ts';
import type { Role } from '../../shared/identity.ts';
import { writeHistory } from '../../shared/schema.ts';
import { setAccountSettings } from './account-settings.ts';
import { applyUpdate } from './apply-update.ts';
import { changeAttachment } from './attachments.ts';
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
  role: Role;
  /** For role 'managed': the managed account the person belongs to. */
  managedAccountId?: string;
}

export interface CommandContext {
  doc: Y.Doc;
  actor: Actor;
  now: Date;
  idempotencyKey: string;
  /** Origin to pass to every doc transaction the command makes. */
  origin: unknown;
}

export function executeCommand(context: CommandContext, command: Command): CommandResult {
  let outcome: Outcome;
  context.doc.transact(() => {
    outcome = run(context, command);
    writeHistory(context.doc, historyRecord(context, command, outcome), context.origin);
  }, context.origin);
  return resultOf(context.idempotencyKey, outcome!);
}

function run(context: CommandContext, command: Command): Outcome {
  try {
    return dispatch(context, command);
  } catch (error) {
    // Handlers check everything before writing, so a throw here has changed nothing yet.
    return refused(`${command.type}`, { code: 'INTERNAL', message: `The server could not run ${command.type}: ${String(error)}` });
  }
}

function dispatch(context: CommandContext, command: Command): Outcome {
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
  }
}

function historyRecord(context: CommandContext, command: Command, outcome: Outcome): HistoryRecord {
  const { summary, status, message, code, packId, managedAccountId, requestId, releaseNumber, instanceId } = outcome;
  return {
    id: context.idempotencyKey,
    kind: command.type,
    actor: context.actor.personName,
    at: context.now.toISOString(),
    summary,
    status,
    message,
    ...(packId === undefined ? {} : { packId }),
    ...(managedAccountId === undefined ? {} : { managedAccountId }),
    ...(code === undefined ? {} : { code }),
    ...(requestId === undefined ? {} : { requestId }),
    ...(releaseNumber === undefined ? {} : { releaseNumber }),
    ...(instanceId === undefined ? {} : { instanceId }),
  };
}

function resultOf(
  idempotencyKey: string,
  outcome: Pick<Outcome, 'status' | 'message' | 'code' | 'requestId' | 'releaseNumber' | 'instanceId'>,
): CommandResult {
  return {
    idempotencyKey,
    status: outcome.status,
    message: outcome.message,
    ...(outcome.code === undefined ? {} : { code: outcome.code }),
    ...(outcome.requestId === undefined ? {} : { requestId: outcome.requestId }),
    ...(outcome.releaseNumber === undefined ? {} : { releaseNumber: outcome.releaseNumber }),
    ...(outcome.instanceId === undefined ? {} : { instanceId: outcome.instanceId }),
  };
}
