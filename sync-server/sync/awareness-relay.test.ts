import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { defaultLimits } from '../config.ts';
import { AwarenessRelay, stampPresence } from './awareness-relay.ts';
import { ClientIds } from './client-ids.ts';
import { Connection, type SyncSocket } from './connection.ts';

const socket = (): SyncSocket => ({ readyState: 1, bufferedAmount: 0, send: () => {}, close: () => {} });
const ann = { accountId: 'demo', role: 'admin' as const, personId: 'ann', personName: 'Ann' };
const bob = { ...ann, personId: 'bob', personName: 'Bob' };
const val = { ...ann, role: 'viewer' as const, personId: 'val', personName: 'Val' };
const entry = (clientId: number, clock: number, state: unknown) => ({ clientId, clock, json: JSON.stringify(state) });

function relayWith(limits = defaultLimits, owners = new ClientIds('demo', () => {})) {
  const frames: Uint8Array[] = [];
  return { relay: new AwarenessRelay(new Y.Doc(), limits, (frame) => frames.push(frame), owners), frames, owners };
}

test("the user fields come from the session: a viewer claiming an admin's id and name is shown as the viewer", () => {
  const { relay } = relayWith();
  const viewer = new Connection(socket(), val, true, defaultLimits);
  relay.receive(viewer, [entry(9, 1, { user: { personId: 'ann', name: 'Ann', color: '#123', role: 'admin' }, viewing: 'p1' })]);
  expect(relay.awareness.getStates().get(9)).toEqual({ user: { personId: 'val', name: 'Val', color: '#123' }, viewing: 'p1' });
  relay.destroy();
});

test.each([
  ['null (leaving)', 'null', 'null'],
  ['not an object', '42', '{"user":{"personId":"ann","name":"Ann"}}'],
  ['a long color', JSON.stringify({ user: { color: 'c'.repeat(65) } }), '{"user":{"personId":"ann","name":"Ann"}}'],
])('stampPresence: %s', (_what, json, stamped) => {
  expect(stampPresence(json, ann)).toBe(stamped);
});

test("a connection speaks only for its person's client ids; echoes of others are dropped without a notice", () => {
  const { relay, frames } = relayWith();
  const a = new Connection(socket(), ann, true, defaultLimits);
  const b = new Connection(socket(), bob, true, defaultLimits);
  expect(relay.receive(a, [entry(1, 1, { viewing: 'p1' })])).toBeUndefined();
  expect(relay.receive(b, [entry(1, 2, { viewing: 'hijacked' }), entry(2, 1, {})])).toBeUndefined();
  expect(relay.awareness.getStates().get(1)).toEqual({ user: { personId: 'ann', name: 'Ann' }, viewing: 'p1' });
  expect(relay.awareness.getStates().get(2)).toEqual({ user: { personId: 'bob', name: 'Bob' } });
  relay.disconnect(a);
  expect(relay.awareness.getStates().has(1)).toBe(false);
  expect(frames.length).toBeGreaterThanOrEqual(3);
  relay.destroy();
});

test("an id stays its person's after they disconnect: nobody takes a reconnecting admin's presence", () => {
  const { relay, owners } = relayWith();
  const admin = new Connection(socket(), ann, true, defaultLimits);
  relay.receive(admin, [entry(7, 1, {})]);
  relay.disconnect(admin);
  const viewer = new Connection(socket(), val, true, defaultLimits);
  relay.receive(viewer, [entry(7, 1_000, { viewing: 'hijacked' })]);
  expect(relay.awareness.getStates().has(7)).toBe(false);
  expect(owners.ownerOf(7)).toBe('ann');
  const back = new Connection(socket(), ann, true, defaultLimits);
  relay.receive(back, [entry(7, 3, { viewing: 'p2' })]);
  expect(relay.awareness.getStates().get(7)).toEqual({ user: { personId: 'ann', name: 'Ann' }, viewing: 'p2' });
  relay.destroy();
});

test('a document client id bound to someone (from the store) cannot be used for presence by anyone else', () => {
  const owners = new ClientIds('demo', () => {});
  owners.load([{ accountId: 'demo', clientId: 5, personId: 'bob' }]);
  const { relay } = relayWith(defaultLimits, owners);
  relay.receive(new Connection(socket(), ann, true, defaultLimits), [entry(5, 1, {})]);
  expect(relay.awareness.getStates().has(5)).toBe(false);
  relay.destroy();
});

test("another connection of the same person (a second tab) may relay its sibling's presence", () => {
  const { relay } = relayWith();
  const tab1 = new Connection(socket(), ann, true, defaultLimits);
  const tab2 = new Connection(socket(), ann, true, defaultLimits);
  relay.receive(tab1, [entry(1, 1, { viewing: 'p1' })]);
  relay.receive(tab2, [entry(1, 2, { viewing: 'p2' })]);
  expect(relay.awareness.getStates().get(1)).toMatchObject({ viewing: 'p2' });
  relay.disconnect(tab1);
  expect(relay.awareness.getStates().get(1)).toMatchObject({ viewing: 'p2' });
  relay.destroy();
});

test('a state over the size cap is not shared and its sender is told; the per-connection id cap holds', () => {
  const { relay } = relayWith({ ...defaultLimits, maxAwarenessStateBytes: 80, maxAwarenessClientsPerConnection: 2 });
  const a = new Connection(socket(), ann, true, defaultLimits);
  expect(relay.receive(a, [entry(1, 1, { note: 'x'.repeat(100) })])?.code).toBe('AWARENESS_REFUSED');
  expect(relay.awareness.getStates().has(1)).toBe(false);
  relay.receive(a, [entry(2, 1, {}), entry(3, 1, {}), entry(4, 1, {})]);
  expect([...relay.awareness.getStates().keys()].filter((id) => id !== relay.awareness.clientID).sort()).toEqual([2, 3]);
  relay.destroy();
});
