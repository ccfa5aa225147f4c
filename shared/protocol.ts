/**
 * The wire protocol on `/sync` (byte layout in PROTOCOL.md). Frames are y-websocket's: a varUint
 * message type, then its payload. Types 0 (sync) and 1 (awareness) are y-protocols' and all a stock
 * y-websocket client needs. Types 100+ are ours, JSON after the type, and the server sends them only to
 * clients that connect with the `proto` param equal to PROTOCOL_VERSION, since stock clients log
 * unknown types as errors.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as v from 'valibot';
import { CommandEnvelopeSchema, type CommandEnvelope, type CommandResult } from './commands.ts';

export const PROTOCOL_VERSION = '1';

export const MessageType = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
  /** server → client: the state vector of what is durably stored, after each commit. */
  stored: 100,
  /** server → client: a notice, e.g. an edit that was reverted and why. */
  notice: 101,
  /** client → server: a command envelope. */
  command: 102,
  /** server → client: a command's result. */
  commandResult: 103,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

export interface Notice {
  level: 'error' | 'warning' | 'info';
  code: string;
  message: string;
  /** The pack the notice is about, when there is one. */
  packId?: string;
}

export const NoticeSchema = v.object({
  level: v.picklist(['error', 'warning', 'info']),
  code: v.string(),
  message: v.string(),
  packId: v.optional(v.string()),
});

export const CommandResultSchema = v.object({
  idempotencyKey: v.string(),
  status: v.picklist(['SUCCESS', 'ERROR']),
  message: v.string(),
  code: v.optional(v.string()),
  requestId: v.optional(v.string()),
  releaseNumber: v.optional(v.number()),
  instanceId: v.optional(v.string()),
  instancesUpdated: v.optional(v.number()),
  instancesFailed: v.optional(v.number()),
});

/** WebSocket close codes the server uses. */
export const CloseCode = {
  normal: 1000,
  protocolError: 1002,
  unsupportedData: 1003,
  policyViolation: 1008,
  messageTooBig: 1009,
  serviceRestart: 1012,
  tryAgainLater: 1013,
} as const;

function frameJson(type: MessageType, payload: unknown): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  encoding.writeVarString(encoder, JSON.stringify(payload));
  return encoding.toUint8Array(encoder);
}

export const encodeStored = (stateVector: Uint8Array): Uint8Array => {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.stored);
  encoding.writeVarUint8Array(encoder, stateVector);
  return encoding.toUint8Array(encoder);
};
export const encodeNotice = (notice: Notice) => frameJson(MessageType.notice, notice);
export const encodeCommand = (envelope: CommandEnvelope) => frameJson(MessageType.command, envelope);
export const encodeCommandResult = (result: CommandResult) => frameJson(MessageType.commandResult, result);

export type ExtensionMessage =
  | { type: typeof MessageType.stored; stateVector: Uint8Array }
  | { type: typeof MessageType.notice; notice: Notice }
  | { type: typeof MessageType.command; envelope: CommandEnvelope }
  | { type: typeof MessageType.commandResult; result: CommandResult };

export const isExtensionType = (type: number): boolean => type >= 100 && type <= 103;

/**
 * Decodes one of our messages from a decoder positioned after the type. Throws an Error with a
 * readable message on malformed input (the caller closes the connection with 1002/1003).
 */
export function decodeExtensionMessage(type: number, decoder: decoding.Decoder): ExtensionMessage {
  switch (type) {
    case MessageType.stored:
      return { type, stateVector: decoding.readVarUint8Array(decoder) };
    case MessageType.notice:
      return { type, notice: v.parse(NoticeSchema, JSON.parse(decoding.readVarString(decoder))) };
    case MessageType.command:
      return { type, envelope: v.parse(CommandEnvelopeSchema, JSON.parse(decoding.readVarString(decoder))) };
    case MessageType.commandResult:
      return { type, result: v.parse(CommandResultSchema, JSON.parse(decoding.readVarString(decoder))) as CommandResult };
    default:
      throw new Error(`Unknown message type ${type}.`);
  }
}
