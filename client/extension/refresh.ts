/**
 * One refresh: ask the server for the summary, cache it (or the reason it failed, keeping the last
 * summary), then update the badge and show any reminder due. The browser APIs come in through
 * `RefreshDeps`, so this runs the same in the service worker and in a unit test.
 */
import { releaseKey, type PendingReleaseSummary } from '../../shared/attention.ts';
import { getAccountSummary, type Fetch } from './server-api.ts';
import type { Settings } from './settings.ts';
import { badgeFor, notifiedToKeep, remindersDue, StorageKey, type Badge, type CachedSummary } from './state.ts';

export interface KeyValueStore {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
}

export interface RefreshDeps {
  store: KeyValueStore;
  fetch: Fetch;
  now(): Date;
  setBadge(badge: Badge): Promise<void>;
  /** Shows one reminder; resolves false when it could not be shown (it is then tried again later). */
  notify(release: PendingReleaseSummary, cache: CachedSummary): Promise<boolean>;
}

export async function refresh(deps: RefreshDeps): Promise<CachedSummary | undefined> {
  const settings = await deps.store.get<Settings>(StorageKey.settings);
  const previous = await deps.store.get<CachedSummary>(StorageKey.cache);
  const attemptedAt = deps.now().toISOString();
  let cache: CachedSummary | undefined;
  if (settings) {
    const result = await getAccountSummary(settings, deps.fetch);
    const kept = previous?.serverUrl === settings.serverUrl ? previous : undefined;
    cache = result.ok
      ? { serverUrl: settings.serverUrl, summary: result.value.summary, refreshedAt: attemptedAt, attemptedAt }
      : { ...kept, serverUrl: settings.serverUrl, attemptedAt, error: result.error };
    await deps.store.set(StorageKey.cache, cache);
  }
  await showState(deps, cache, settings !== undefined);
  return cache;
}

/** Badge and reminders from the cache alone (also what runs when the server cannot be reached). */
export async function showState(deps: RefreshDeps, cache: CachedSummary | undefined, configured: boolean): Promise<void> {
  const now = deps.now();
  await deps.setBadge(badgeFor(cache, configured, now));
  if (!cache) return;
  const notified = (await deps.store.get<string[]>(StorageKey.notifiedReleases)) ?? [];
  const shown: string[] = [];
  for (const release of remindersDue(cache, notified, now)) if (await deps.notify(release, cache)) shown.push(releaseKey(release));
  const keep = cache.error ? notified : notifiedToKeep(notified, cache.summary);
  if (shown.length > 0 || keep.length !== notified.length) await deps.store.set(StorageKey.notifiedReleases, [...keep, ...shown]);
}
