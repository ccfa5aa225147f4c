import { expect, test } from 'vitest';
import { readHistory } from '../../shared/schema.ts';
import { admin, run, seedDoc } from './testing.ts';

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

test('a command makes one document update (its writes and its history record together)', () => {
  const doc = seedDoc();
  let updates = 0;
  doc.on('update', () => (updates += 1));
  run(doc, admin, now, release);
  expect(updates).toBe(1);
});
