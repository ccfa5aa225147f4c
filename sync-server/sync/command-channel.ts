/**
 * Command frames from the socket (type 102): parse the envelope, hand it to the one command path
 * (commands/path.ts), and say what to send back (type 103, or a notice when there is no key to answer).
 */
import { parseCommandEnvelope, type CommandEnvelope, type CommandResult, type Notice } from '../../shared/index.ts';

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
