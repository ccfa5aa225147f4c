/** Small pure helpers that turn workspace values into the words the page shows. */
import type { Notice } from '../../shared/protocol.ts';
import { countOf, Noun } from '../../shared/words.ts';
import type { CommandOutcome, SyncStatus } from '../core/api.ts';

export const QUEUED_MESSAGE = 'Queued — will run when back online';

/** "n changes" with the right plural. */
export const changes = (count: number): string => countOf(count, Noun.change);

/**
 * Offline / Connecting / Syncing — n changes not yet synced / Saved. Every edit is stored on this
 * device at once; what the count says is that the server does not have them yet.
 */
export function syncStatusText(status: SyncStatus): string {
  const waiting = status.unstored > 0 ? ` — ${changes(status.unstored)} not yet synced` : '';
  switch (status.state) {
    case 'offline':
      return `Offline${waiting}`;
    case 'connecting':
      return `Connecting${waiting}`;
    case 'syncing':
      return `Syncing${waiting}`;
    case 'saved':
      return 'Saved';
  }
}

/** "1 command queued" / "2 commands queued": commands waiting for the network. */
export const queuedText = (count: number): string => `${countOf(count, Noun.command)} queued`;

/** Two letters for an avatar: first letters of the first and last words, else the first two letters. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  const first = [...words[0]!][0] ?? '';
  if (words.length === 1) return [...words[0]!].slice(0, 2).join('').toUpperCase();
  const last = [...words[words.length - 1]!][0] ?? '';
  return (first + last).toUpperCase();
}

/** A sentence about a command for the person who asked; `kind` picks its look (a queued one is not a success yet). */
export interface Outcome {
  ok: boolean;
  kind: 'done' | 'queued' | 'refused';
  text: string;
}

/** What a command outcome means to the person who asked: queued, done, or the server's reason. */
export function outcomeText(outcome: CommandOutcome): Outcome {
  if (outcome.queued) return { ok: true, kind: 'queued', text: QUEUED_MESSAGE };
  const ok = outcome.result.status === 'SUCCESS';
  return { ok, kind: ok ? 'done' : 'refused', text: outcome.result.message };
}

/** "3 instances in 2 managed accounts". */
export function reachText(instanceCount: number, accountCount: number): string {
  return `${countOf(instanceCount, Noun.instance)} in ${countOf(accountCount, Noun.managedAccount)}`;
}

/** yyyy-MM-dd of the day after a yyyy-MM-dd date (calendar arithmetic, no time zone involved). */
export function nextCalendarDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

export interface NoticeGroup {
  notice: Notice;
  /** Where the repeats of this notice are in the workspace's list. */
  indexes: number[];
}

/** Repeats of one notice (same level, code and message) as one group, in order of first appearance. */
export function groupNotices(notices: readonly Notice[]): NoticeGroup[] {
  const groups = new Map<string, NoticeGroup>();
  notices.forEach((notice, index) => {
    const key = `${notice.level}\u0000${notice.code}\u0000${notice.message}`;
    const group = groups.get(key);
    if (group) group.indexes.push(index);
    else groups.set(key, { notice, indexes: [index] });
  });
  return [...groups.values()];
}
