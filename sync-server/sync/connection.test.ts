import { expect, test } from 'vitest';
import { defaultLimits } from '../config.ts';
import { Connection, type SyncSocket } from './connection.ts';

function fakeSocket(bufferedAmount = 0) {
  const log: string[] = [];
  const socket: SyncSocket = {
    readyState: 1,
    bufferedAmount,
    send: () => log.push('send'),
    close: (code) => log.push(`close ${code}`),
    pause: () => log.push('pause'),
    resume: () => log.push('resume'),
  };
  return { socket, log };
}
const session = { accountId: 'demo', role: 'admin' as const, personId: 'p', personName: 'P' };

test('a client sending faster than the rate is paused, then resumed, never closed', async () => {
  const { socket, log } = fakeSocket();
  const connection = new Connection(socket, session, false, { ...defaultLimits, messagesPerSecond: 1000, messageBurst: 3 });
  for (let i = 0; i < 5; i++) connection.throttle();
  expect(log).toEqual(['pause']);
  await new Promise<void>((resolve) => {
    const poll = setInterval(() => log.includes('resume') && (clearInterval(poll), resolve()), 1);
  });
  expect(log).toEqual(['pause', 'resume']);
});

test('a reader that lets too much pile up is closed with 1013 instead of buffering without end', () => {
  const { socket, log } = fakeSocket(defaultLimits.maxBufferedBytes + 1);
  const connection = new Connection(socket, session, false, defaultLimits);
  connection.send(new Uint8Array([1]));
  connection.send(new Uint8Array([1]));
  expect(log).toEqual(['close 1013']);
});

test('the frame limit is small until the first sync is answered', () => {
  const connection = new Connection(fakeSocket().socket, session, true, defaultLimits);
  expect(connection.maxFrameBytes).toBe(defaultLimits.maxMessageBytesBeforeSync);
  connection.synced = true;
  expect(connection.maxFrameBytes).toBe(defaultLimits.maxMessageBytes);
});
