/** The wire protocol of /sync (PROTOCOL.md) and the command envelope. */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { messageAuth, messageAwareness, messageQueryAwareness, messageSync } from 'y-websocket';
import { fc } from '../test/support/fast-check.ts';
import { commandsByRole, parseCommandEnvelope, type CommandEnvelope, type CommandResult } from './commands.ts';
import {
  decodeExtensionMessage,
  encodeCommand,
  encodeCommandResult,
  encodeNotice,
  encodeStored,
  isExtensionType,
  MessageType,
  PROTOCOL_VERSION,
  type Notice,
} from './protocol.ts';

/** Reads a frame as a receiver does: the varUint type, then the message. */
function decodeFrame(frame: Uint8Array) {
  const decoder = decoding.createDecoder(frame);
  const type = decoding.readVarUint(decoder);
  const message = decodeExtensionMessage(type, decoder);
  expect(decoding.hasContent(decoder)).toBe(false);
  return message;
}

const envelope: CommandEnvelope = {
  idempotencyKey: 'key-12345',
  command: { type: 'RELEASE', packId: 'pack-1', releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE', releaseOnDate: '2026-04-01' },
};
const result: CommandResult = { idempotencyKey: 'key-12345', status: 'SUCCESS', message: 'Released.', requestId: 'r1', releaseNumber: 2 };
const notice: Notice = {
  level: 'error',
  code: 'DESCRIPTION_TOO_LONG',
  message: 'The description can contain up to 500 characters (this one has 501).',
  packId: 'pack-1',
};

describe('message types', () => {
  test('0 and 1 are y-websocket’s sync and awareness, 2 and 3 its auth and query-awareness', () => {
    expect([MessageType.sync, MessageType.awareness, MessageType.auth, MessageType.queryAwareness]).toEqual([
      messageSync,
      messageAwareness,
      messageAuth,
      messageQueryAwareness,
    ]);
  });

  test('ours are 100–103, one byte each on the wire, and the protocol version is "1"', () => {
    expect([MessageType.stored, MessageType.notice, MessageType.command, MessageType.commandResult]).toEqual([100, 101, 102, 103]);
    for (const type of [100, 101, 102, 103]) expect(isExtensionType(type)).toBe(true);
    for (const type of [0, 1, 2, 3, 99, 104]) expect(isExtensionType(type)).toBe(false);
    expect(PROTOCOL_VERSION).toBe('1');
  });
});

describe('frames round-trip', () => {
  test('stored: type 100, then the state vector as varUint8Array', () => {
    const doc = new Y.Doc();
    doc.getMap('packs').set('x', 1);
    const stateVector = Y.encodeStateVector(doc);
    const frame = encodeStored(stateVector);
    expect([...frame.slice(0, 2)]).toEqual([100, stateVector.length]);
    expect(decodeFrame(frame)).toEqual({ type: 100, stateVector });
  });

  test.each([
    { name: 'notice', frame: () => encodeNotice(notice), type: 101, payload: notice, expected: { type: 101, notice } },
    { name: 'command', frame: () => encodeCommand(envelope), type: 102, payload: envelope, expected: { type: 102, envelope } },
    { name: 'commandResult', frame: () => encodeCommandResult(result), type: 103, payload: result, expected: { type: 103, result } },
  ])('$name: type $type, then JSON as varString', ({ frame, type, payload, expected }) => {
    const bytes = frame();
    expect(bytes[0]).toBe(type);
    const decoder = decoding.createDecoder(bytes.subarray(1));
    expect(JSON.parse(decoding.readVarString(decoder))).toEqual(payload);
    expect(decodeFrame(bytes)).toEqual(expected);
  });

  test('any notice text survives the trip (UTF-8, emoji, long messages)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 300 }),
        fc.constantFrom('error', 'warning', 'info') as fc.Arbitrary<Notice['level']>,
        (message, level) => {
          const sent: Notice = { level, code: 'X', message };
          expect(decodeFrame(encodeNotice(sent))).toEqual({ type: 101, notice: sent });
        },
      ),
    );
  });

  const jsonFrame = (type: number, text: string) => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, type);
    encoding.writeVarString(encoder, text);
    return encoding.toUint8Array(encoder);
  };

  test.each([
    { why: 'not JSON', frame: jsonFrame(101, '{nope') },
    { why: 'a notice without a message', frame: jsonFrame(101, JSON.stringify({ level: 'error', code: 'X' })) },
    { why: 'a notice of an unknown level', frame: jsonFrame(101, JSON.stringify({ level: 'fatal', code: 'X', message: 'm' })) },
    {
      why: 'a command of an unknown type',
      frame: jsonFrame(102, JSON.stringify({ idempotencyKey: 'key-12345', command: { type: 'EXPLODE' } })),
    },
    { why: 'a result with an unknown status', frame: jsonFrame(103, JSON.stringify({ ...result, status: 'MAYBE' })) },
    { why: 'a truncated frame', frame: encodeNotice(notice).slice(0, 10) },
    { why: 'an unknown type', frame: jsonFrame(104, '{}') },
  ])('malformed input throws a readable Error: $why', ({ frame }) => {
    expect(() => decodeFrame(frame)).toThrow(Error);
  });

  test('an unknown type names itself', () => {
    expect(() => decodeExtensionMessage(7, decoding.createDecoder(new Uint8Array()))).toThrow('Unknown message type 7.');
  });
});

describe('command envelopes', () => {
  test.each([
    { why: 'a release', input: envelope, ok: true },
    {
      why: 'an immediate release',
      input: { idempotencyKey: 'key-12345', command: { type: 'RELEASE', packId: 'p', releaseSchedule: 'IMMEDIATELY' } },
      ok: true,
    },
    {
      why: 'an install with an override name',
      input: {
        idempotencyKey: 'key-12345',
        command: { type: 'INSTALL', packId: 'p', managedAccountId: 'm1', integrationPackOverrideName: 'EU' },
      },
      ok: true,
    },
    { why: 'a delete', input: { idempotencyKey: 'key-12345', command: { type: 'DELETE_PACK', packId: 'p' } }, ok: true },
    {
      why: 'a short idempotency key',
      input: { idempotencyKey: 'k', command: { type: 'DELETE_PACK', packId: 'p' } },
      ok: false,
      path: 'idempotencyKey',
    },
    {
      why: 'a date in another format',
      input: { idempotencyKey: 'key-12345', command: { ...envelope.command, releaseOnDate: '04/01/2026' } },
      ok: false,
      path: 'command.releaseOnDate',
    },
    {
      why: 'an unknown schedule',
      input: { idempotencyKey: 'key-12345', command: { ...envelope.command, releaseSchedule: 'LATER' } },
      ok: false,
      path: 'command.releaseSchedule',
    },
    {
      why: 'a pack id outside the pack-id rule',
      input: { idempotencyKey: 'key-12345', command: { ...envelope.command, packId: '' } },
      ok: false,
      path: 'command.packId',
    },
    {
      why: 'DELETE_PACK of a pack stored before the rule (an empty id)',
      input: { idempotencyKey: 'key-12345', command: { type: 'DELETE_PACK', packId: '' } },
      ok: true,
    },
    { why: 'not an object', input: 'RELEASE', ok: false },
  ])('$why', ({ input, ok, path }) => {
    const parsed = parseCommandEnvelope(input);
    expect(parsed.ok).toBe(ok);
    if (!parsed.ok) {
      expect(parsed.message).toMatch(/^Invalid command/);
      if (path) expect(parsed.message).toContain(`at ${path}`);
    }
  });

  test('managed accounts cannot release or delete packs; admins can send every command', () => {
    expect(commandsByRole.managed.has('RELEASE')).toBe(false);
    expect(commandsByRole.managed.has('DELETE_PACK')).toBe(false);
    expect(commandsByRole.managed.has('APPLY_UPDATE')).toBe(true);
    for (const type of commandsByRole.managed) expect(commandsByRole.admin.has(type)).toBe(true);
  });
});
