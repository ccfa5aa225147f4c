/**
 * Reads one frame a client sent on /sync into a tagged value, checking it completely before the room
 * touches its document: a frame that does not decode throws FrameError with the close code to use
 * (1002 malformed, 1003 a type this server does not accept). No I/O, no document.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { CloseCode, MessageType } from '../../shared/protocol.ts';

export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

export interface AwarenessEntry {
  clientId: number;
  clock: number;
  /** The state's JSON text as sent ('null' when the client goes away). */
  json: string;
}

export type ClientFrame =
  | { kind: 'syncStep1'; stateVector: Uint8Array }
  /** `answer`: a sync step 2 (the client's answer to our step 1) rather than an update as it happens. */
  | { kind: 'update'; update: Uint8Array; decoded: DecodedUpdate; answer: boolean }
  | { kind: 'awareness'; entries: AwarenessEntry[] }
  | { kind: 'queryAwareness' }
  | { kind: 'command'; payload: unknown };

export class FrameError extends Error {
  constructor(
    readonly closeCode: number,
    message: string,
  ) {
    super(message);
  }
}

const malformed = (message: string) => new FrameError(CloseCode.protocolError, message);

function readSync(decoder: decoding.Decoder): ClientFrame {
  const syncType = decoding.readVarUint(decoder);
  const payload = decoding.readVarUint8Array(decoder);
  switch (syncType) {
    case syncProtocol.messageYjsSyncStep1:
      Y.decodeStateVector(payload);
      return { kind: 'syncStep1', stateVector: payload };
    case syncProtocol.messageYjsSyncStep2:
    case syncProtocol.messageYjsUpdate: {
      const decoded = Y.decodeUpdate(payload);
      return { kind: 'update', update: payload, decoded, answer: syncType === syncProtocol.messageYjsSyncStep2 };
    }
    default:
      throw malformed(`Unknown sync message type ${syncType}.`);
  }
}

function readAwareness(decoder: decoding.Decoder): ClientFrame {
  const inner = decoding.createDecoder(decoding.readVarUint8Array(decoder));
  const count = decoding.readVarUint(inner);
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(inner);
    const clock = decoding.readVarUint(inner);
    const json = decoding.readVarString(inner);
    JSON.parse(json);
    entries.push({ clientId, clock, json });
  }
  if (decoding.hasContent(inner)) throw malformed('Trailing bytes after the awareness update.');
  return { kind: 'awareness', entries };
}

/** Parses one client frame; `proto` says whether the client speaks our types 100+. */
export function parseClientFrame(frame: Uint8Array, proto: boolean): ClientFrame {
  try {
    const decoder = decoding.createDecoder(frame);
    const type = decoding.readVarUint(decoder);
    let parsed: ClientFrame;
    switch (type) {
      case MessageType.sync:
        parsed = readSync(decoder);
        break;
      case MessageType.awareness:
        parsed = readAwareness(decoder);
        break;
      case MessageType.queryAwareness:
        parsed = { kind: 'queryAwareness' };
        break;
      case MessageType.command:
        if (!proto) throw new FrameError(CloseCode.unsupportedData, 'Commands need the proto=1 connection parameter.');
        parsed = { kind: 'command', payload: JSON.parse(decoding.readVarString(decoder)) };
        break;
      default:
        throw new FrameError(CloseCode.unsupportedData, `Message type ${type} is not accepted from clients.`);
    }
    if (decoding.hasContent(decoder)) throw malformed('Trailing bytes after the message.');
    return parsed;
  } catch (error) {
    if (error instanceof FrameError) throw error;
    throw malformed(`Malformed frame: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function encodeAwarenessEntries(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, entry.json);
  }
  return encoding.toUint8Array(encoder);
}

/** Frames the server sends (types 0 and 1 for everyone). */
export function syncFrame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

export const updateFrame = (update: Uint8Array) => syncFrame((encoder) => syncProtocol.writeUpdate(encoder, update));
export const step1Frame = (doc: Y.Doc) => syncFrame((encoder) => syncProtocol.writeSyncStep1(encoder, doc));
export const step2Frame = (update: Uint8Array) =>
  syncFrame((encoder) => {
    encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2);
    encoding.writeVarUint8Array(encoder, update);
  });

export function awarenessFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.awareness);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}
