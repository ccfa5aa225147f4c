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

test('one frame larger than the bound goes out to a drained queue; the reader is closed only once more than the bound piles up behind it', () => {
  const bound = defaultLimits.maxBufferedBytes;
  const log: string[] = [];
  let queued = 0;
  const socket: SyncSocket = {
    readyState: 1,
    get bufferedAmount() {
      return queued;
    },
    send: (data) => {
      queued += data.byteLength;
      log.push(`send ${data.byteLength}`);
    },
    close: (code) => log.push(`close ${code}`),
    terminate: () => log.push('terminate'),
  };
  const connection = new Connection(socket, session, false, defaultLimits);
  connection.send(new Uint8Array(20 * bound)); // the first sync of a big document
  connection.send(new Uint8Array(bound / 2)); // updates behind it, within the bound
  expect(log).toEqual([`send ${20 * bound}`, `send ${bound / 2}`]);
  connection.send(new Uint8Array(bound));
  connection.send(new Uint8Array(1));
  expect(log.slice(2)).toEqual([`send ${bound}`, 'close 1013']);
});

test('a reader closed for being slow is dropped if it does not take its close frame', async () => {
  const { socket, log } = fakeSocket(defaultLimits.maxBufferedBytes + 1);
  socket.terminate = () => log.push('terminate');
  new Connection(socket, session, false, defaultLimits).send(new Uint8Array([1]));
  await new Promise<void>((resolve) => {
    const poll = setInterval(() => log.includes('terminate') && (clearInterval(poll), resolve()), 5);
  });
  expect(log).toEqual(['close 1013', 'terminate']);
});

test('sync step 1 requests are limited per connection: a burst, then a slow refill', () => {
  const connection = new Connection(fakeSocket().socket, session, false, defaultLimits);
  const allowed = Array.from({ length: 400 }, () => connection.allowSyncStep1()).filter(Boolean).length;
  expect(allowed).toBe(defaultLimits.syncStep1Burst);
});
