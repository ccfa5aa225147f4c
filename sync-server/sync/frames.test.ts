import * as encoding from 'lib0/encoding';
import { expect, test } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { encodeCommand } from '../../shared/index.ts';
import { encodeAwarenessEntries, FrameError, parseClientFrame } from './frames.ts';

const sync = (write: (encoder: encoding.Encoder) => void) => {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  write(encoder);
  return encoding.toUint8Array(encoder);
};

test('reads sync step 1, updates, awareness, queryAwareness and (for proto clients) commands', () => {
  const doc = new Y.Doc();
  doc.getMap('packs').set('a', 1);
  expect(
    parseClientFrame(
      sync((e) => syncProtocol.writeSyncStep1(e, doc)),
      false,
    ).kind,
  ).toBe('syncStep1');
  const update = parseClientFrame(
    sync((e) => syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(doc))),
    false,
  );
  expect(update.kind === 'update' && update.decoded.structs.length).toBe(1);
  const awareness = encoding.createEncoder();
  encoding.writeVarUint(awareness, 1);
  encoding.writeVarUint8Array(awareness, encodeAwarenessEntries([{ clientId: 5, clock: 1, json: '{"user":{}}' }]));
  expect(parseClientFrame(encoding.toUint8Array(awareness), false)).toEqual({
    kind: 'awareness',
    entries: [{ clientId: 5, clock: 1, json: '{"user":{}}' }],
  });
  expect(parseClientFrame(new Uint8Array([3]), false)).toEqual({ kind: 'queryAwareness' });
  const command = { idempotencyKey: 'key-00001', command: { type: 'DELETE_PACK' as const, packId: 'p' } };
  expect(parseClientFrame(encodeCommand(command), true)).toEqual({ kind: 'command', payload: command });
});

test('malformed frames throw FrameError with 1002, unacceptable types with 1003', () => {
  const codeOf = (frame: Uint8Array, proto = false) => {
    try {
      parseClientFrame(frame, proto);
      return 'accepted';
    } catch (error) {
      return error instanceof FrameError ? error.closeCode : 'other error';
    }
  };
  expect(codeOf(new Uint8Array([]))).toBe(1002);
  expect(codeOf(new Uint8Array([0, 1, 3, 0, 0]))).toBe(1002);
  expect(codeOf(new Uint8Array([102, 2, 0x7b, 0x7d]))).toBe(1003);
  expect(codeOf(new Uint8Array([102, 1, 0x7b]), true)).toBe(1002);
  expect(codeOf(new Uint8Array([101, 0]))).toBe(1003);
  expect(codeOf(new Uint8Array([2, 0]))).toBe(1003);
});
