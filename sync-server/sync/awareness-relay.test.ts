import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { defaultLimits } from '../config.ts';
import { AwarenessRelay } from './awareness-relay.ts';
import { Connection, type SyncSocket } from './connection.ts';

const socket = (): SyncSocket => ({ readyState: 1, bufferedAmount: 0, send: () => {}, close: () => {} });
const session = { accountId: 'demo', role: 'admin' as const, personId: 'p', personName: 'P' };
const other = { ...session, personId: 'q', personName: 'Q' };
const entry = (clientId: number, clock: number, state: unknown) => ({ clientId, clock, json: JSON.stringify(state) });

test('a connection speaks only for its own clients; echoes of others are dropped without a notice', () => {
  const frames: Uint8Array[] = [];
  const relay = new AwarenessRelay(new Y.Doc(), defaultLimits, (frame) => frames.push(frame));
  const a = new Connection(socket(), session, true, defaultLimits);
  const b = new Connection(socket(), other, true, defaultLimits);
  expect(relay.receive(a, [entry(1, 1, { user: { name: 'Ann' } })])).toBeUndefined();
  expect(relay.receive(b, [entry(1, 2, { user: { name: 'Impostor' } }), entry(2, 1, { user: { name: 'Bob' } })])).toBeUndefined();
  expect(relay.awareness.getStates().get(1)).toEqual({ user: { name: 'Ann' } });
  expect(relay.awareness.getStates().get(2)).toEqual({ user: { name: 'Bob' } });
  relay.disconnect(a);
  expect(relay.awareness.getStates().has(1)).toBe(false);
  expect(frames.length).toBeGreaterThanOrEqual(3);
  relay.destroy();
});

test("another connection of the same person (a second tab) may relay its sibling's presence", () => {
  const relay = new AwarenessRelay(new Y.Doc(), defaultLimits, () => {});
  const tab1 = new Connection(socket(), session, true, defaultLimits);
  const tab2 = new Connection(socket(), session, true, defaultLimits);
  relay.receive(tab1, [entry(1, 1, { viewing: 'p1' })]);
  relay.receive(tab2, [entry(1, 2, { viewing: 'p2' })]);
  expect(relay.awareness.getStates().get(1)).toEqual({ viewing: 'p2' });
  relay.disconnect(tab1);
  expect(relay.awareness.getStates().get(1)).toEqual({ viewing: 'p2' });
  relay.destroy();
});

test('a state over the size cap is not shared and its sender is told; the per-connection id cap holds', () => {
  const relay = new AwarenessRelay(
    new Y.Doc(),
    { ...defaultLimits, maxAwarenessStateBytes: 50, maxAwarenessClientsPerConnection: 2 },
    () => {},
  );
  const a = new Connection(socket(), session, true, defaultLimits);
  expect(relay.receive(a, [entry(1, 1, { name: 'x'.repeat(100) })])?.code).toBe('AWARENESS_REFUSED');
  expect(relay.awareness.getStates().has(1)).toBe(false);
  relay.receive(a, [entry(2, 1, {}), entry(3, 1, {}), entry(4, 1, {})]);
  expect([...relay.awareness.getStates().keys()].filter((id) => id !== relay.awareness.clientID).sort()).toEqual([2, 3]);
  relay.destroy();
});
