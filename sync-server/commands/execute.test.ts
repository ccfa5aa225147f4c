import { expect, test } from 'vitest';
import { readHistory, readReleases } from '../../shared/schema.ts';
import { admin, managedUser, run, seedDoc, viewer } from './testing.ts';

const now = new Date('2025-03-10T12:00:00Z');
const release = { type: 'RELEASE', packId: 'orders', releaseSchedule: 'IMMEDIATELY' } as const;

test('every command, refused or not, is recorded: who, when, what, result', () => {
  const doc = seedDoc();
  run(doc, admin, now, release, 'history-key-1');
  run(doc, admin, new Date('2025-03-10T12:05:00Z'), release, 'history-key-2');
  expect(readHistory(doc)).toEqual([
    {
      id: 'history-key-1',
      kind: 'RELEASE',
      actor: 'Ada Admin',
      at: '2025-03-10T12:00:00.000Z',
      summary: 'Release Immediate of Pack orders',
      status: 'SUCCESS',
      message: 'Pack orders release 1 is released and can be installed now.',
      packId: 'orders',
      requestId: 'rq_history-key-1',
      releaseNumber: 1,
    },
    {
      id: 'history-key-2',
      kind: 'RELEASE',
      actor: 'Ada Admin',
      at: '2025-03-10T12:05:00.000Z',
      summary: 'Release Immediate of Pack orders',
      status: 'ERROR',
      code: 'NOTHING_TO_RELEASE',
      message: 'There are no Pending or Available versions to release.',
      packId: 'orders',
    },
  ]);
});

test('roles: viewers run nothing, managed users cannot release or delete', () => {
  const doc = seedDoc();
  expect(run(doc, viewer, now, release)).toMatchObject({ status: 'ERROR', code: 'FORBIDDEN', message: 'Viewers cannot run commands.' });
  expect(run(doc, managedUser('acme'), now, release)).toMatchObject({ status: 'ERROR', code: 'FORBIDDEN' });
  expect(run(doc, managedUser('acme'), now, { type: 'DELETE_PACK', packId: 'orders' }).code).toBe('FORBIDDEN');
  expect(readReleases(doc, 'orders')).toEqual([]);
  expect(readHistory(doc).map((r) => [r.actor, r.status])).toEqual([
    ['Vic Viewer', 'ERROR'],
    ['User of acme', 'ERROR'],
    ['User of acme', 'ERROR'],
  ]);
});

test('a command sent twice with one idempotency key runs once and returns the first result', () => {
  const doc = seedDoc();
  const first = run(doc, admin, now, release, 'same-key-123');
  const again = run(doc, admin, new Date('2025-03-11T00:00:00Z'), release, 'same-key-123');
  expect(again).toEqual(first);
  expect(readReleases(doc, 'orders')).toHaveLength(1);
  expect(readHistory(doc)).toHaveLength(1);
});

test('an idempotency key reused for another command is refused without running it', () => {
  const doc = seedDoc();
  run(doc, admin, now, release, 'reused-key-1');
  const other = run(doc, admin, now, { type: 'DELETE_PACK', packId: 'orders' }, 'reused-key-1');
  expect(other).toMatchObject({ status: 'ERROR', code: 'IDEMPOTENCY_KEY_REUSED' });
  expect(readReleases(doc, 'orders')).toHaveLength(1);
});

test('a command makes one document update (its writes and its history record together)', () => {
  const doc = seedDoc();
  let updates = 0;
  doc.on('update', () => (updates += 1));
  run(doc, admin, now, release);
  expect(updates).toBe(1);
});
