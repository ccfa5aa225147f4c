/**
 * The one path every command takes, whichever way it came (the socket's type 102, POST
 * /api/accounts/:id/commands, the REST API, the scheduler): the role rule (shared/commands.ts), the
 * one idempotency store, the execution against the room's records, and the audit record and result
 * stored in the same transaction as the changes it made.
 *
 * A key is bound to its command's fingerprint: a retry (same key, same command) gets the first result,
 * also while the first run is still being stored; the key sent with another command is answered
 * IDEMPOTENCY_KEY_REUSED and nothing runs. A command refused without changing anything binds nothing
 * (a retry is checked afresh) and is audited at a bounded rate per person (refusal-audit.ts), never in
 * the document; a command that changed something is audited and projected into its pack's recent history.
 */
import type * as Y from 'yjs';
import {
  commandFingerprint,
  idempotencyKeyReused,
  roleRefusal,
  type AnyCommand,
  type AnyCommandEnvelope,
  type CommandResult,
} from '../../shared/index.ts';
import type { Clock } from '../config.ts';
import type { Logger } from '../log.ts';
import type { AccountRecords, NewHistoryRecord } from '../records/account-records.ts';
import type { RefusalAudit } from '../records/refusal-audit.ts';
import type { CommandResultRecord, RecordStore, StoredCommandResult } from '../storage/types.ts';
import type { Actor, CommandContext, Execution } from './execute.ts';

export type CommandExecutor = (context: CommandContext, command: AnyCommand) => Execution;

/** A command still being run or stored, by idempotency key. */
export interface InflightCommand {
  fingerprint: string;
  result: Promise<CommandResult>;
  /** What the store held under the key before this run (the run that binds the key, if any). */
  earlier: Promise<StoredCommandResult | undefined>;
}

/** What of the room the path uses. */
export interface CommandRoom {
  readonly name: string;
  readonly inflightCommands: Map<string, InflightCommand>;
  mutate<T>(fn: (doc: Y.Doc, origin: unknown, records: AccountRecords) => T): Promise<T>;
}

export interface CommandPathDeps {
  room: CommandRoom;
  records: Pick<RecordStore, 'getCommandResult'>;
  clock: Clock;
  executeCommand: CommandExecutor;
  refusals: RefusalAudit;
  log: Logger;
  /** Adds the result to the commit that stores the command's changes. */
  recordResult(record: CommandResultRecord): void;
}

/** Who sends a command, from the session of a token (or the scheduler's own). */
export const actorOf = (session: Actor): Actor => ({
  personId: session.personId,
  personName: session.personName,
  role: session.role,
  ...(session.managedAccountId === undefined ? {} : { managedAccountId: session.managedAccountId }),
});

/** The audit record of a command refused before it ran (its role may not send it). */
function roleRefusalRecord(actor: Actor, key: string, command: AnyCommand, at: Date, message: string): NewHistoryRecord {
  return {
    idempotencyKey: key,
    kind: command.type,
    actor: actor.personName,
    actorId: actor.personId,
    at: at.toISOString(),
    summary: `${command.type} by ${actor.personName}`,
    status: 'ERROR',
    code: 'FORBIDDEN',
    message,
    ...('packId' in command ? { packId: command.packId } : {}),
    ...('instanceId' in command ? { instanceId: command.instanceId } : {}),
    ...(actor.managedAccountId === undefined ? {} : { managedAccountId: actor.managedAccountId }),
  };
}

/** The refusal as it is audited, when the person's rate allows it (undefined: counted, not recorded). */
function admittedRefusal(refusals: RefusalAudit, actor: Actor, record: NewHistoryRecord): NewHistoryRecord | undefined {
  const admitted = refusals.admit(actor.personId);
  if (!admitted.record) return undefined;
  return admitted.notRecorded > 0 ? { ...record, refusalsNotRecorded: admitted.notRecorded } : record;
}

/**
 * Runs a command that passed the role and idempotency checks, inside the room's transaction, and
 * audits it: a command that changed something (or succeeded) is recorded and projected, and its result
 * is to be stored (`bindsKey`); one refused without a change is audited at the person's rate only.
 */
export function executeAudited(
  context: CommandContext,
  command: AnyCommand,
  execute: CommandExecutor,
  refusals: RefusalAudit,
): { result: CommandResult; bindsKey: boolean } {
  const { records } = context;
  const before = records.changeCount;
  const { result, record: executed } = execute(context, command);
  const record: NewHistoryRecord = { ...executed, idempotencyKey: context.idempotencyKey };
  const bindsKey = records.changeCount > before || result.status === 'SUCCESS';
  if (bindsKey) records.audit(record, { projected: true });
  else {
    const refusal = admittedRefusal(refusals, context.actor, record);
    if (refusal) records.audit(refusal, { projected: false });
  }
  return { result, bindsKey };
}

export function runCommand(deps: CommandPathDeps, actor: Actor, envelope: AnyCommandEnvelope): Promise<CommandResult> {
  const { idempotencyKey: key, command } = envelope;
  const refused = roleRefusal(actor.role, command.type);
  if (refused) {
    const result: CommandResult = { idempotencyKey: key, status: 'ERROR', ...refused };
    const record = admittedRefusal(deps.refusals, actor, roleRefusalRecord(actor, key, command, deps.clock.now(), refused.message));
    if (record)
      void deps.room
        .mutate((_doc, _origin, records) => records.audit(record, { projected: false }))
        .catch((error: unknown) => deps.log.warn(`Auditing a refused ${command.type} in ${deps.room.name} failed: ${String(error)}`));
    return Promise.resolve(result);
  }
  const fingerprint = commandFingerprint(command);
  const answerEarlier = (earlier: StoredCommandResult) =>
    earlier.fingerprint === undefined || earlier.fingerprint === fingerprint ? earlier.result : idempotencyKeyReused(key, command.type);
  const inflight = deps.room.inflightCommands.get(key);
  if (inflight) {
    if (inflight.fingerprint === fingerprint) return inflight.result;
    // Another command under this key is in flight: the key is that one's, unless a run stored before
    // binds it (the one in flight may be a refused reuse, and this the retry of the run that stored).
    return inflight.earlier.then((earlier) => (earlier ? answerEarlier(earlier) : idempotencyKeyReused(key, command.type)));
  }
  const earlierLookup = deps.records.getCommandResult(deps.room.name, key);
  const result = (async (): Promise<CommandResult> => {
    const earlier = await earlierLookup;
    if (earlier) return answerEarlier(earlier);
    return deps.room.mutate((doc, origin, records) => {
      const context: CommandContext = { doc, origin, records, now: deps.clock.now(), idempotencyKey: key, actor: actorOf(actor) };
      const { result: outcome, bindsKey } = executeAudited(context, command, deps.executeCommand, deps.refusals);
      if (bindsKey) deps.recordResult({ accountId: deps.room.name, idempotencyKey: key, fingerprint, result: outcome });
      return outcome;
    });
  })();
  deps.room.inflightCommands.set(key, { fingerprint, result, earlier: earlierLookup });
  const forget = () => {
    if (deps.room.inflightCommands.get(key)?.result === result) deps.room.inflightCommands.delete(key);
  };
  result.then(forget, forget);
  return result;
}
