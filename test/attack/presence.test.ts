/**
 * Attack: presence that is not tied to the token. A viewer claims an admin's personId and name, or
 * takes over the awareness client id of an admin who is reconnecting. The server sets the `user`
 * fields from the session, and an awareness client id belongs to the person who first used it.
 */
import * as encoding from 'lib0/encoding';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { MessageType } from '../../shared/index.ts';
import { synced, waitFor, type TestClient } from '../server/helpers.ts';
import { greeted, rawClient, startArena, type Arena } from './support.ts';

let arena: Arena;
beforeEach(async () => {
  arena = await startArena();
});
afterEach(() => arena.close());

interface PresenceState {
  user?: { personId?: string; name?: string; color?: string };
  viewing?: string;
}
const statesOf = (client: TestClient) => client.provider.awareness.getStates() as Map<number, PresenceState>;

function awarenessFrame(entries: { clientId: number; clock: number; state: unknown }[]): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(inner, entry.clientId);
    encoding.writeVarUint(inner, entry.clock);
    encoding.writeVarString(inner, JSON.stringify(entry.state));
  }
  const outer = encoding.createEncoder();
  encoding.writeVarUint(outer, MessageType.awareness);
  encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner));
  return encoding.toUint8Array(outer);
}

test("a viewer's presence claiming an admin's id and name reaches others as the viewer", async () => {
  const observer = arena.client(arena.bob);
  const viewer = arena.client(arena.val);
  await Promise.all([synced(observer), synced(viewer)]);
  viewer.provider.awareness.setLocalState({
    user: { personId: 'demo-admin-1', name: 'Avery Admin', color: '#123456' },
    viewing: 'demo-p01',
  });
  const viewerId = viewer.provider.awareness.clientID;
  await waitFor([observer], () => statesOf(observer).has(viewerId), 'the observer sees the viewer');
  expect(statesOf(observer).get(viewerId)).toEqual({
    user: { personId: 'demo-viewer-1', name: 'Val Viewer', color: '#123456' },
    viewing: 'demo-p01',
  });
});

test("a viewer cannot take a reconnecting admin's presence id", async () => {
  const observer = arena.client(arena.bob);
  const ann = arena.client(arena.ann);
  await Promise.all([synced(observer), synced(ann)]);
  const annId = ann.provider.awareness.clientID;
  ann.provider.awareness.setLocalState({ user: { personId: 'demo-admin-1', name: 'Avery Admin', color: '#aa0000' } });
  await waitFor([observer], () => statesOf(observer).get(annId)?.user?.name === 'Avery Admin', 'the observer sees ann');
  ann.provider.disconnect();
  await waitFor([observer], () => !statesOf(observer).has(annId), 'ann left');

  const viewer = rawClient(arena, arena.val, { proto: false });
  await greeted(viewer);
  viewer.send(
    awarenessFrame([
      { clientId: annId, clock: 1_000, state: { user: { personId: 'demo-admin-1', name: 'Avery Admin' }, viewing: 'hijacked' } },
    ]),
  );

  ann.provider.connect();
  await synced(ann);
  ann.provider.awareness.setLocalState({ user: { personId: 'demo-admin-1', name: 'Avery Admin', color: '#aa0000' }, viewing: 'demo-p02' });
  await waitFor([observer], () => statesOf(observer).get(annId)?.viewing !== undefined, 'the observer sees ann again');
  expect(statesOf(observer).get(annId)?.viewing).toBe('demo-p02');
  expect(statesOf(observer).get(annId)?.user?.personId).toBe('demo-admin-1');
});
