/**
 * The command channel shared by the socket (type 102) and POST /api/accounts/:id/commands: check the
 * role, run each idempotency key at most once, and store the result in the same transaction as the
 * document changes the command made. Retries, also while the first run is still being stored, get
 * the first result.
 */
import type * as Y from 'yjs';
import {
  commandsByRole,
  parseCommandEnvelope,
  type Command,
  type CommandEnvelope,
  type CommandResult,
  type Notice,
} from '../../shared/index.ts';
import type { Session } from '../auth.ts';
import type { CommandContext } from '../commands/execute.ts';
import type { Clock } from '../config.ts';
import type { AccountStore, CommandResultRecord } from '../storage/types.ts';

export type CommandExecutor = (context: CommandContext, command: Command) => CommandResult;

/** What of the room the channel uses. */
export interface CommandRoom {
  readonly name: string;
  readonly inflightCommands: Map<string, Promise<CommandResult>>;
  mutate<T>(fn: (doc: Y.Doc, origin: unknown) => T): Promise<T>;
}

export interface CommandDeps {
  room: CommandRoom;
  accounts: AccountStore;
  clock: Clock;
  executeCommand: CommandExecutor;
  /** Adds the result to the commit that stores the command's changes. */
  recordResult(record: CommandResultRecord): void;
}

export function refusal(envelope: CommandEnvelope, session: Session): CommandResult | undefined {
  const allowed = session.role === 'viewer' ? undefined : commandsByRole[session.role];
  if (allowed?.has(envelope.command.type)) return undefined;
  return {
    idempotencyKey: envelope.idempotencyKey,
    status: 'ERROR',
    code: 'FORBIDDEN',
    message: session.role === 'viewer' ? 'Viewers cannot run commands.' : `The ${session.role} role cannot run ${envelope.command.type}.`,
  };
}

export function runCommand(deps: CommandDeps, session: Session, envelope: CommandEnvelope): Promise<CommandResult> {
  const refused = refusal(envelope, session);
  if (refused) return Promise.resolve(refused);
  const key = envelope.idempotencyKey;
  const inflight = deps.room.inflightCommands.get(key);
  if (inflight) return inflight;
  const run = (async (): Promise<CommandResult> => {
    const earlier = await deps.accounts.getCommandResult(deps.room.name, key);
    if (earlier) return earlier;
    return deps.room.mutate((doc, origin) => {
      let result: CommandResult;
      try {
        result = deps.executeCommand(
          {
            doc,
            origin,
            now: deps.clock.now(),
            idempotencyKey: key,
            actor: {
              personId: session.personId,
              personName: session.personName,
              role: session.role,
              ...(session.managedAccountId === undefined ? {} : { managedAccountId: session.managedAccountId }),
            },
          },
          envelope.command,
        );
      } catch (error) {
        result = {
          idempotencyKey: key,
          status: 'ERROR',
          code: 'INTERNAL',
          message: `The server could not run ${envelope.command.type}: ${String(error)}`,
        };
      }
      deps.recordResult({ accountId: deps.room.name, idempotencyKey: key, result });
      return result;
    });
  })();
  deps.room.inflightCommands.set(key, run);
  const forget = () => {
    if (deps.room.inflightCommands.get(key) === run) deps.room.inflightCommands.delete(key);
  };
  run.then(forget, forget);
  return run;
}

export type FrameReply = { kind: 'result'; result: CommandResult } | { kind: 'notice'; notice: Notice };

/**
 * A command frame from the socket: a malformed envelope is answered with an INVALID_COMMAND result
 * when it names its idempotency key (else a notice); a valid one runs through `run`.
 */
export async function commandFromFrame(payload: unknown, run: (envelope: CommandEnvelope) => Promise<CommandResult>): Promise<FrameReply> {
  const parsed = parseCommandEnvelope(payload);
  if (!parsed.ok) {
    const key = (payload as { idempotencyKey?: unknown } | null)?.idempotencyKey;
    return typeof key === 'string'
      ? { kind: 'result', result: { idempotencyKey: key, status: 'ERROR', code: 'INVALID_COMMAND', message: parsed.message } }
      : { kind: 'notice', notice: { level: 'error', code: 'INVALID_COMMAND', message: parsed.message } };
  }
  try {
    return { kind: 'result', result: await run(parsed.value) };
  } catch (error) {
    return {
      kind: 'result',
      result: {
        idempotencyKey: parsed.value.idempotencyKey,
        status: 'ERROR',
        code: 'UNAVAILABLE',
        message: `The command was not run: ${String(error)}`,
      },
    };
  }
}
