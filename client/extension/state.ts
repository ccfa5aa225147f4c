/**
 * What the extension remembers between service-worker runs, and the pure reading of it: the sync
 * status, the badge and which reminders are due. Everything takes `now` so it is testable and so the
 * popup and the worker give the same answer from the cache while offline.
 */
import { releaseKey, releasesAutoAppliedSoon, type AccountSummary, type PendingReleaseSummary } from '../../shared/attention.ts';
import type { RuleError } from '../../shared/result.ts';
import { ErrorCode } from './server-api.ts';

/** chrome.storage.local keys. */
export const StorageKey = {
  settings: 'settings',
  cache: 'cache',
  notifiedReleases: 'notifiedReleases',
} as const;

export interface CachedSummary {
  /** The server the summary came from. */
  serverUrl: string;
  summary?: AccountSummary;
  /** ISO instant of the last successful refresh. */
  refreshedAt?: string;
  /** ISO instant of the last attempt, successful or not. */
  attemptedAt: string;
  /** Why the last attempt failed; absent when it succeeded. */
  error?: RuleError;
}

export const REFRESH_PERIOD_MINUTES = 5;
/** A summary older than three missed refreshes is marked stale even if no error was seen. */
export const STALE_AFTER_MS = 3 * REFRESH_PERIOD_MINUTES * 60_000;

export type SyncStatus =
  | { state: 'not-configured' }
  | { state: 'never-refreshed'; error?: RuleError }
  | { state: 'fresh'; refreshedAt: string }
  | { state: 'stale'; refreshedAt: string }
  | { state: 'offline'; refreshedAt?: string; error: RuleError }
  | { state: 'error'; refreshedAt?: string; error: RuleError };

export function syncStatus(cache: CachedSummary | undefined, configured: boolean, now: Date): SyncStatus {
  if (!configured) return { state: 'not-configured' };
  if (!cache || (!cache.refreshedAt && !cache.error)) return { state: 'never-refreshed' };
  const refreshedAt = cache.refreshedAt;
  if (cache.error) {
    const state = cache.error.code === ErrorCode.UNREACHABLE ? 'offline' : 'error';
    return refreshedAt ? { state, refreshedAt, error: cache.error } : { state, error: cache.error };
  }
  if (!refreshedAt) return { state: 'never-refreshed' };
  return now.getTime() - Date.parse(refreshedAt) > STALE_AFTER_MS ? { state: 'stale', refreshedAt } : { state: 'fresh', refreshedAt };
}

export interface Badge {
  text: string;
  color: string;
  title: string;
}

const ATTENTION_COLOR = '#b45309';
const STALE_COLOR = '#6b7280';
const ERROR_COLOR = '#b91c1c';

/** The action badge: how many packs need attention; grey when that number may be out of date. */
export function badgeFor(cache: CachedSummary | undefined, configured: boolean, now: Date): Badge {
  const status = syncStatus(cache, configured, now);
  const summary = cache?.summary;
  if (status.state === 'not-configured')
    return { text: '', color: STALE_COLOR, title: 'Integration Packs: set the server and token in Options' };
  if (!summary) {
    const error = 'error' in status ? status.error : undefined;
    return error
      ? { text: '!', color: ERROR_COLOR, title: `Integration Packs: ${error.message}` }
      : { text: '', color: STALE_COLOR, title: 'Integration Packs: not refreshed yet' };
  }
  const count = summary.badgeCount;
  const what = count === 1 ? '1 integration pack needs attention' : `${count} integration packs need attention`;
  const fresh = status.state === 'fresh';
  return {
    text: count > 0 ? String(count) : '',
    color: fresh ? ATTENTION_COLOR : STALE_COLOR,
    title: `Integration Packs (${summary.accountName}): ${what}${fresh ? '' : ' (not up to date)'}`,
  };
}

/** Releases to announce now: auto-applied within a day and not announced before. */
export function remindersDue(cache: CachedSummary | undefined, notified: readonly string[], now: Date): PendingReleaseSummary[] {
  const done = new Set(notified);
  return releasesAutoAppliedSoon(cache?.summary?.pendingReleases ?? [], now).filter((release) => !done.has(releaseKey(release)));
}

/** The announced releases worth remembering: those still pending (the list stays bounded). */
export function notifiedToKeep(notified: readonly string[], summary: AccountSummary | undefined): string[] {
  if (!summary) return [...notified];
  const pending = new Set(summary.pendingReleases.map(releaseKey));
  return notified.filter((key) => pending.has(key));
}
