/**
 * The one path every command takes, whichever way it came (the socket's type 102, POST
 * /api/accounts/:id/commands, the REST API, the scheduler): the role rule (shared/commands.ts), the
 * one idempotency store, the execution, and its result stored in the same transaction as the changes
 * it made. A key is bound to its command's fingerprint: a retry (same key, same command) gets the
 * first result, also while the first run is still being stored; the key sent with another command
 * is answered IDEMPOTENCY_KEY_REUSED and nothing runs.
 */
import type * as Y from 'yjs';
import {
  commandFingerprint,
  idempotencyKeyReused,
  roleRefusal,
  type Command,
  type CommandEnvelope,
  type CommandResult,
} from '../../shared/index.ts';
import type { Clock } from '../config.ts';
import type { CommandResultRecord, RecordStore, StoredCommandResult } from '../storage/types.ts';
import type { Actor, CommandContext } from './execute.ts';

export type CommandExecutor = (context: CommandContext, command: Command) => CommandResult;

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
  mutate<T>(fn: (doc: Y.Doc, origin: unknown) => T): Promise<T>;
}

export interface CommandPathDeps {
  room: CommandRoom;
  records: Pick<RecordStore, 'getCommandResult'>;
  clock: Clock;
  executeCommand: CommandExecutor;
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

export function runCommand(deps: CommandPathDeps, actor: Actor, envelope: CommandEnvelope): Promise<CommandResult> {
  const { idempotencyKey: key, command } = envelope;
  const refused = roleRefusal(actor.role, command.type);
  if (refused) return Promise.resolve({ idempotencyKey: key, status: 'ERROR', ...refused });
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
    return deps.room.mutate((doc, origin) => {
      let outcome: CommandResult;
      try {
        outcome = deps.executeCommand({ doc, origin, now: deps.clock.now(), idempotencyKey: key, actor: actorOf(actor) }, command);
      } catch (error) {
        outcome = {
          idempotencyKey: key,
          status: 'ERROR',
          code: 'INTERNAL',
          message: `The server could not run ${command.type}: ${String(error)}`,
        };
      }
      deps.recordResult({ accountId: deps.room.name, idempotencyKey: key, fingerprint, result: outcome });
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
