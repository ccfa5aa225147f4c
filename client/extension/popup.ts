/** The popup: packs that need attention, the next release dates and the sync status, from the cache. */
import type { AccountSummary } from '../../shared/attention.ts';
import { type DateStyle, dateStyleOf, formatDate, formatDateTime, formatTime } from '../../shared/date-format.ts';
import { countOf, Noun } from '../../shared/words.ts';
import { packUrl, type Settings } from './settings.ts';
import { StorageKey, syncStatus, type CachedSummary, type SyncStatus } from './state.ts';

const el = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
// Every date and time in the publisher account's zone and locale (the summary names them), saying the zone.
function statusText(status: SyncStatus, style: DateStyle): string {
  const dateTime = (iso: string) => formatDateTime(iso, style);
  const time = (iso: string) => formatTime(iso, style);
  switch (status.state) {
    case 'not-configured':
      return 'Not set up yet.';
    case 'never-refreshed':
      return 'Not refreshed yet.';
    case 'fresh':
      return `Last refreshed ${time(status.refreshedAt)}.`;
    case 'stale':
      return `Last refreshed ${dateTime(status.refreshedAt)} (stale).`;
    case 'offline':
      return status.refreshedAt
        ? `Offline: showing the summary of ${dateTime(status.refreshedAt)} (stale).`
        : `Offline: ${status.error.message}`;
    case 'error':
      return `Error: ${status.error.message}${status.refreshedAt ? ` Showing the summary of ${dateTime(status.refreshedAt)} (stale).` : ''}`;
  }
}

function packLink(serverUrl: string, packId: string, name: string): HTMLAnchorElement {
  const link = document.createElement('a');
  link.href = packUrl(serverUrl, packId);
  link.textContent = name;
  link.addEventListener('click', (event) => {
    event.preventDefault();
    void chrome.tabs.create({ url: link.href });
  });
  return link;
}

function item(...children: (Node | string | undefined)[]): HTMLLIElement {
  const li = document.createElement('li');
  for (const child of children) if (child !== undefined) li.append(child);
  return li;
}

function detail(text: string, className = 'why'): HTMLSpanElement {
  const span = document.createElement('span');
  span.className = className;
  span.textContent = text;
  return span;
}

function fill(list: HTMLElement, items: HTMLLIElement[], empty: string): void {
  list.replaceChildren(...(items.length > 0 ? items : [item(detail(empty, 'empty'))]));
}

function render(summary: AccountSummary | undefined, serverUrl: string): void {
  el('#account').textContent = summary ? `Integration Packs: ${summary.accountName}` : 'Integration Packs';
  const style = dateStyleOf(summary);
  const dateTime = (iso: string) => formatDateTime(iso, style);
  const date = (day: string) => formatDate(day, style);
  const packs = summary?.packs ?? [];
  fill(
    el('#packs'),
    packs.map((pack) => item(packLink(serverUrl, pack.packId, pack.packName), detail(pack.reasons.join('; ')))),
    summary ? 'Nothing needs attention.' : 'No summary yet.',
  );
  fill(
    el('#releases'),
    (summary?.pendingReleases ?? []).map((release) =>
      item(
        packLink(serverUrl, release.packId, release.packName),
        detail(`Release ${release.releaseNumber} on ${date(release.releaseOnDate)}`),
        detail(
          release.isUpdate
            ? `Applied automatically ${dateTime(release.autoApplyAt)}; ${countOf(release.instancesPending, Noun.installation)} waiting`
            : `Installable from ${dateTime(release.autoApplyAt)}`,
          'meta',
        ),
      ),
    ),
    'No release is pending.',
  );
  fill(
    el('#managed'),
    (summary?.managedAccounts ?? []).map((account) =>
      item(
        detail(account.name, 'name'),
        detail(
          account.pendingUpdates
            .map(
              (update) =>
                `${update.overrideName ?? update.packName} → release ${update.pendingReleaseNumber}${update.releaseOnDate ? ` on ${date(update.releaseOnDate)}` : ''}${update.lastError ? ` (failed: ${update.lastError})` : ''}`,
            )
            .join('; '),
        ),
      ),
    ),
    'No managed account has an update pending.',
  );
}

async function show(): Promise<void> {
  const stored = await chrome.storage.local.get([StorageKey.settings, StorageKey.cache]);
  const settings = stored[StorageKey.settings] as Settings | undefined;
  const cache = stored[StorageKey.cache] as CachedSummary | undefined;
  const status = syncStatus(cache, settings !== undefined, new Date());
  const statusLine = el('#sync-status');
  statusLine.dataset.state = status.state;
  document.body.dataset.state = status.state;
  statusLine.textContent = statusText(status, dateStyleOf(cache?.summary));
  render(cache?.summary, cache?.serverUrl ?? settings?.serverUrl ?? '');
  document.body.dataset.ready = 'true';
}

el('#refresh').addEventListener('click', async () => {
  el('#sync-status').textContent = 'Refreshing…';
  await chrome.runtime.sendMessage({ type: 'refresh' });
  await show();
});
el('#options').addEventListener('click', () => void chrome.runtime.openOptionsPage());
el('#setup').addEventListener('click', () => void chrome.runtime.openOptionsPage());
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && (StorageKey.cache in changes || StorageKey.settings in changes)) void show();
});
await show();
