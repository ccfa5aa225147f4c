import { describe, expect, it } from 'vitest';
import type { HistoryRecord } from '../../../shared/history.ts';
import type { Release } from '../../../shared/model.ts';
import { historyTimeline } from './history-timeline.ts';

const release = (number: number, requestId: string, at: string, extra: Partial<Release> = {}): Release => ({
  packId: 'p1',
  number,
  components: [],
  releaseSchedule: 'IMMEDIATELY',
  status: 'SUCCESS',
  releasedBy: 'Seed',
  releasedAt: at,
  requestId,
  ...extra,
});

const PARIS = { timeZone: 'Europe/Paris', locale: 'en-GB' };

describe('historyTimeline', () => {
  it('lists releases that have no record, so a released pack never reads as never released', () => {
    const entries = historyTimeline(
      [],
      [
        release(1, 'rq_a', '2026-01-01T10:00:00.000Z'),
        release(2, 'rq_b', '2026-02-01T10:00:00.000Z', { releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE', releaseOnDate: '2026-02-10' }),
      ],
      PARIS,
    );
    expect(entries.map((entry) => entry.summary)).toEqual([
      'Release 2: Release Pending on 10 Feb 2026 (Europe/Paris)',
      'Release 1: Release Immediate',
    ]);
    expect(entries[0]?.actor).toBe('Seed');
  });

  it('does not repeat a release that has its own record', () => {
    const record: HistoryRecord = {
      id: 'k1',
      seq: 1,
      packId: 'p1',
      kind: 'RELEASE',
      actor: 'Avery',
      at: '2026-03-01T10:00:00.000Z',
      summary: 'Release Immediate of Finance',
      status: 'SUCCESS',
      requestId: 'rq_c',
    };
    const entries = historyTimeline([record], [release(1, 'rq_a', '2026-01-01T10:00:00.000Z'), release(2, 'rq_c', record.at)], PARIS);
    expect(entries.map((entry) => entry.id)).toEqual(['k1', 'release-p1-1']);
  });

  it("shows each release's notes on its entry (its own record, found by requestId, or the release itself); other records get none", () => {
    const at = '2026-03-01T10:00:00.000Z';
    const records: HistoryRecord[] = [
      {
        id: 'k1',
        seq: 1,
        packId: 'p1',
        kind: 'RELEASE',
        actor: 'Avery',
        at,
        summary: 'Release Immediate of Finance',
        status: 'SUCCESS',
        requestId: 'rq_c',
      },
      {
        id: 'k2',
        seq: 2,
        packId: 'p1',
        kind: 'UPDATE_RELEASE',
        actor: 'Avery',
        at,
        summary: 'Change',
        status: 'SUCCESS',
        requestId: 'rq_c',
      },
    ];
    const entries = historyTimeline(
      records,
      [release(1, 'rq_a', '2026-01-01T10:00:00.000Z', { notes: 'First cut.' }), release(2, 'rq_c', at, { notes: 'Retries.' })],
      PARIS,
    );
    expect(entries.map((entry) => [entry.id, entry.notes])).toEqual([
      ['k2', undefined],
      ['k1', 'Retries.'],
      ['release-p1-1', 'First cut.'],
    ]);
  });
});
