import { afterEach, describe, expect, test, vi } from 'vitest';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { backoffDelay } from './backoff.ts';
import { SyncConnection, syncUrl, type ConnectionState } from './connection.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('backoff', () => {
  test('doubles up to the cap, between half and all of it', () => {
    const options = { baseMs: 500, maxMs: 30_000 };
    expect([0, 1, 2, 3, 10].map((attempt) => backoffDelay(attempt, () => 0, options))).toEqual([250, 500, 1000, 2000, 15_000]);
    expect([0, 1, 2, 3, 10].map((attempt) => backoffDelay(attempt, () => 1, options))).toEqual([500, 1000, 2000, 4000, 30_000]);
    expect(backoffDelay(1_000, () => 0.5, options)).toBe(22_500);
  });
});

test('syncUrl turns the server origin into the /sync WebSocket URL', () => {
  expect(syncUrl('http://localhost:8080')).toBe('ws://localhost:8080/sync');
  expect(syncUrl('https://packs.example/base/')).toBe('wss://packs.example/base/sync');
});

/** A socket whose connection is refused, as by a server that is down. */
class RefusedSocket {
  static opened: string[] = [];
  binaryType = 'arraybuffer';
  readyState = 0;
  onopen: (() => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  onmessage: ((event: unknown) => void) | null = null;
  constructor(url: string) {
    RefusedSocket.opened.push(url);
    void Promise.resolve().then(() => {
      this.readyState = 3;
      this.onclose?.({ code: 1006, reason: '' });
    });
  }
  send(): void {}
  close(): void {}
}

test('reconnects by itself with exponential backoff and jitter, and stops when told', async () => {
  vi.useFakeTimers();
  RefusedSocket.opened = [];
  const doc = new Y.Doc();
  const delays: number[] = [];
  const states: ConnectionState[] = [];
  const connection = new SyncConnection({
    serverUrl: 'http://127.0.0.1:9',
    accountId: 'acct-1',
    token: 'secret',
    doc,
    awareness: new Awareness(doc),
    WebSocketPolyfill: RefusedSocket,
    random: () => 0.5,
    backoff: { baseMs: 100, maxMs: 1000 },
    onState: (state) => states.push(state),
    onSynced: () => {},
    onStored: () => {},
    onNotice: () => {},
    onCommandResult: () => {},
    onReconnectScheduled: (delay) => delays.push(delay),
  });
  connection.connect();
  for (let i = 0; i < 6; i++) {
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(delays.at(-1) ?? 0);
  }
  expect(RefusedSocket.opened[0]).toBe('ws://127.0.0.1:9/sync/acct-1?token=secret&proto=1');
  expect(delays.slice(0, 6)).toEqual([75, 150, 300, 600, 750, 750]);
  expect(states).toContain('connecting');
  expect(connection.connectionState).toBe('offline');

  connection.disconnect();
  const attempts = RefusedSocket.opened.length;
  await vi.advanceTimersByTimeAsync(10_000);
  expect(RefusedSocket.opened.length).toBe(attempts);
  expect(connection.send(new Uint8Array([1]))).toBe(false);
  connection.destroy();
});
