/**
 * The service worker. Chrome stops it when idle, so nothing lives in memory: the summary is cached in
 * chrome.storage.local and refreshed by a chrome.alarms alarm (which survives the worker), on install,
 * on browser start, when the options change, and when the popup asks.
 */
import type { PendingReleaseSummary } from '../../shared/attention.ts';
import { dateStyleOf, formatDate, formatDateTime } from '../../shared/date-format.ts';
import { refresh, type KeyValueStore, type RefreshDeps } from './refresh.ts';
import { packUrl } from './settings.ts';
import { REFRESH_PERIOD_MINUTES, StorageKey, type Badge, type CachedSummary } from './state.ts';

export const REFRESH_ALARM = 'refresh-summary';

const store: KeyValueStore = {
  async get<T>(key: string) {
    return (await chrome.storage.local.get(key))[key] as T | undefined;
  },
  async set(key, value) {
    await chrome.storage.local.set({ [key]: value });
  },
};

async function setBadge(badge: Badge): Promise<void> {
  await chrome.action.setBadgeText({ text: badge.text });
  await chrome.action.setBadgeBackgroundColor({ color: badge.color });
  await chrome.action.setTitle({ title: badge.title });
}

function reminderText(release: PendingReleaseSummary, cache: CachedSummary): chrome.notifications.NotificationCreateOptions {
  const style = dateStyleOf(cache.summary);
  const when = formatDateTime(release.autoApplyAt, style);
  const day = formatDate(release.releaseOnDate, style);
  const notesLine = release.notes ? `\nRelease notes: ${release.notes}` : '';
  const waiting = release.instancesPending === 1 ? '1 installation has' : `${release.instancesPending} installations have`;
  return {
    type: 'basic',
    iconUrl: chrome.runtime.getURL('icons/icon-192.png'),
    title: release.isUpdate ? `${release.packName}: update applied tomorrow` : `${release.packName}: released tomorrow`,
    message: release.isUpdate
      ? `Release ${release.releaseNumber} is applied automatically on ${day} (${when}); ${waiting} not applied it yet.${notesLine}`
      : `Release ${release.releaseNumber} becomes installable on ${day} (${when}).${notesLine}`,
    contextMessage: cache.summary?.accountName ?? cache.serverUrl,
    priority: 1,
  };
}

async function notify(release: PendingReleaseSummary, cache: CachedSummary): Promise<boolean> {
  try {
    await chrome.notifications.create(`${cache.serverUrl}\n${release.packId}\n${release.releaseNumber}`, reminderText(release, cache));
    return true;
  } catch (error) {
    console.warn('Could not show the release reminder', error);
    return false;
  }
}

const deps: RefreshDeps = { store, fetch: (input, init) => fetch(input, init), now: () => new Date(), setBadge, notify };

// One refresh at a time: install, startup and an options change can all ask at once.
let running: Promise<CachedSummary | undefined> = Promise.resolve(undefined);
export function refreshNow(): Promise<CachedSummary | undefined> {
  running = running.catch(() => undefined).then(() => refresh(deps));
  return running;
}

async function ensureAlarm(): Promise<void> {
  if (!(await chrome.alarms.get(REFRESH_ALARM)))
    await chrome.alarms.create(REFRESH_ALARM, { periodInMinutes: REFRESH_PERIOD_MINUTES, delayInMinutes: REFRESH_PERIOD_MINUTES });
}

export function handleAlarm(alarm: chrome.alarms.Alarm): Promise<CachedSummary | undefined> | undefined {
  return alarm.name === REFRESH_ALARM ? refreshNow() : undefined;
}

function onLifecycle(): void {
  void ensureAlarm();
  void refreshNow();
}

// Listeners are registered synchronously at the top level so a stopped worker is woken for them.
chrome.runtime.onInstalled.addListener(async (details) => {
  onLifecycle();
  // A new user first needs the server address and a token.
  if (details.reason === chrome.runtime.OnInstalledReason.INSTALL && !(await store.get(StorageKey.settings)))
    await chrome.runtime.openOptionsPage();
});
chrome.runtime.onStartup.addListener(onLifecycle);
chrome.alarms.onAlarm.addListener((alarm) => void handleAlarm(alarm));
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && StorageKey.settings in changes) void refreshNow();
});
chrome.runtime.onMessage.addListener((message: unknown, _sender, sendResponse) => {
  if ((message as { type?: unknown } | null)?.type !== 'refresh') return false;
  refreshNow().then(sendResponse, () => sendResponse(undefined));
  return true; // answers asynchronously
});
chrome.notifications.onClicked.addListener((notificationId) => {
  const [serverUrl, packId] = notificationId.split('\n');
  if (serverUrl && packId) void chrome.tabs.create({ url: packUrl(serverUrl, packId) });
  void chrome.notifications.clear(notificationId);
});

// The alarm handler, reachable from the DevTools console and from the browser test, so a refresh can
// be triggered without waiting for the alarm.
Object.assign(globalThis, { handleAlarm, refreshNow, REFRESH_ALARM });
