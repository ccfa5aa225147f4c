import { expect, test } from 'vitest';
import type * as Y from 'yjs';
import { Root } from '../../shared/schema.ts';
import { admin, run, seedAccount } from './testing.ts';

const now = new Date('2025-03-10T12:00:00Z');
const release = { type: 'RELEASE', packId: 'orders', releaseSchedule: 'IMMEDIATELY' } as const;

test('every command, refused or not, is recorded: who, when, what, result; only what changed something is projected', () => {
  const account = seedAccount();
  run(account, admin, now, release, 'history-key-1');
  run(account, admin, new Date('2025-03-10T12:05:00Z'), release, 'history-key-2');
  expect(account.history).toEqual([
    {
      id: '1',
      seq: 1,
      idempotencyKey: 'history-key-1',
      kind: 'RELEASE',
      actor: 'Ada Admin',
      actorId: 'p-ada',
      at: '2025-03-10T12:00:00.000Z',
      summary: 'Release Immediate of Pack orders',
      status: 'SUCCESS',
      message: 'Pack orders release 1 is released and can be installed now.',
      packId: 'orders',
      requestId: 'rq_history-key-1',
      releaseNumber: 1,
      instancesUpdated: 0,
      instancesFailed: 0,
    },
    {
      id: '2',
      seq: 2,
      idempotencyKey: 'history-key-2',
      kind: 'RELEASE',
      actor: 'Ada Admin',
      actorId: 'p-ada',
      at: '2025-03-10T12:05:00.000Z',
      summary: 'Release Immediate of Pack orders',
      status: 'ERROR',
      code: 'NOTHING_TO_RELEASE',
      message: 'There are no Pending or Available versions to release.',
      packId: 'orders',
    },
  ]);
  expect(account.changes.filter((change) => change.op === 'audit').map((change) => change.op === 'audit' && change.projected)).toEqual([
    true,
    false,
  ]);
  expect(account.records.recentHistory('orders').map((record) => record.seq)).toEqual([1]);
});

test('a command changes the records; the document changes only where the projection shows them', () => {
  const account = seedAccount();
  const touched = new Set<string>();
  account.doc.on('afterTransaction', (transaction: Y.Transaction) => {
    for (const type of transaction.changed.keys()) for (const [name, root] of account.doc.share) if (root === type) touched.add(name);
  });
  run(account, admin, now, release);
  expect(account.changes.map((change) => change.op)).toEqual(['releases', 'effect', 'audit']);
  expect([...touched].sort()).toEqual([Root.recentHistory, Root.releases]);
});
