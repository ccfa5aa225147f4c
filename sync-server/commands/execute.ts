/**
 * Runs one command against an account's document. Called by the room inside its serialized queue,
 * with a server origin; the room persists the resulting updates before it replies. Owned by the
 * releases work (issue 7); this first version refuses everything.
 */
import type * as Y from 'yjs';
import type { Command, CommandResult } from '../../shared/index.ts';

export interface Actor {
  personId: string;
  personName: string;
  role: 'admin' | 'viewer' | 'managed';
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
  return {
    idempotencyKey: context.idempotencyKey,
    status: 'ERROR',
    code: 'NOT_IMPLEMENTED',
    message: `${command.type} is not available yet.`,
  };
}
