/**
 * 2,000 refused commands from one managed-account user (commands their role may not send, and
 * commands on another managed account's installations) leave the publisher's document byte for byte
 * as it was, stored and served, and leave a bounded audit trail that says how many were not recorded.
 */
import { afterEach, expect, test } from 'vitest';
import * as Y from 'yjs';
import type { Command } from '../../shared/index.ts';
import { startTestServer, type TestServer } from '../server/helpers.ts';
import { key, post, seedRecords } from './support.ts';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

test('2,000 refused commands from one managed-account user do not grow the document; the audit of them is bounded', async () => {
  let now = new Date('2026-12-01T10:00:00Z');
  t = await startTestServer({ clock: { now: () => now }, scheduler: false });
  const { instances } = await seedRecords(t);
  const m2Instance = instances[2]!; // in m2; the managed token belongs to m1
  const docBytes = () => t!.server.rooms.read('demo', (doc) => Y.encodeStateAsUpdate(doc));
  await t.server.rooms.room('demo').committed();
  const before = await docBytes();
  const storedBefore = await t.server.store.docs.sizes('demo');
  const auditBefore = (await t.server.store.records.history('demo', { limit: 10_000 })).length;

  const refused: Command[] = [
    { type: 'RELEASE', packId: 'orders', releaseSchedule: 'IMMEDIATELY' }, // the role may not
    { type: 'DELETE_PACK', packId: 'orders' }, // the role may not
    { type: 'INSTALL', packId: 'orders', managedAccountId: 'm2', integrationPackOverrideName: 'Mine' }, // another managed account
    { type: 'UNINSTALL', instanceId: m2Instance },
    { type: 'ATTACH_ATOM', instanceId: m2Instance, atomId: 'atom-x' },
    { type: 'APPLY_UPDATE', instanceId: 'no-such-instance' },
  ];
  const statuses = new Map<number, number>();
  for (let sent = 0; sent < 2_000; sent += 50)
    await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const { status, body } = await post(t!, t!.tokens.managed, refused[(sent + i) % refused.length]!);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status === 200) expect(body.status).toBe('ERROR');
      }),
    );
  expect(statuses.get(200)! + statuses.get(403)!).toBe(2_000);
  await t.server.rooms.room('demo').committed();

  expect(Buffer.from(await docBytes()).equals(Buffer.from(before))).toBe(true);
  expect(await t.server.store.docs.sizes('demo')).toEqual(storedBefore);
  const trail = (await t.server.store.records.history('demo', { limit: 10_000 })).slice(0, -auditBefore || undefined);
  expect(trail.length).toBeGreaterThan(0);
  expect(trail.length).toBeLessThanOrEqual(20);
  expect(trail.every((record) => record.status === 'ERROR' && record.actorId === 'max')).toBe(true);

  // Later, the next refusal is recorded with the count of those that were not.
  now = new Date('2026-12-01T10:01:00Z');
  expect((await post(t, t.tokens.managed, refused[3]!)).body.status).toBe('ERROR');
  await t.server.rooms.room('demo').committed();
  const [latest] = await t.server.store.records.history('demo', { limit: 1 });
  expect(latest).toMatchObject({ kind: 'UNINSTALL', actorId: 'max', refusalsNotRecorded: 2_000 - trail.length });
  expect(Buffer.from(await docBytes()).equals(Buffer.from(before))).toBe(true);
  // Refusals bind no idempotency key.
  expect(await t.server.store.records.getCommandResult('demo', key())).toBeUndefined();
}, 120_000);
