import { describe, expect, test } from 'vitest';
import type { AccountSummary, PendingReleaseSummary } from '../../shared/attention.ts';
import { refresh, type KeyValueStore, type RefreshDeps } from './refresh.ts';
import { optionalPermissionFor, parseServerUrl, parseToken } from './settings.ts';
import { badgeFor, StorageKey, syncStatus, type Badge, type CachedSummary } from './state.ts';

const SERVER = 'http://127.0.0.1:9';

function summary(overrides: Partial<AccountSummary> = {}): AccountSummary {
  return {
    accountId: 'demo',
    accountName: 'Demo Publisher',
    timeZone: 'UTC',
    locale: 'en-US',
    generatedAt: '2026-12-01T10:00:00.000Z',
    packs: [
      { packId: 'p1', packName: 'Orders', pendingCount: 2, availableCount: 1, canRelease: true, reasons: ['2 Pending, 1 Available'] },
    ],
    pendingReleases: [],
    managedAccounts: [],
    badgeCount: 1,
    ...overrides,
  };
}

const tomorrow = (packId: string, autoApplyAt: string): PendingReleaseSummary => ({
  packId,
  packName: packId,
  releaseNumber: 2,
  releaseOnDate: autoApplyAt.slice(0, 10),
  autoApplyAt,
  isUpdate: true,
  instancesPending: 2,
});

/** An in-memory server: answers the two routes like the sync server does, or is unreachable. */
class FakeServer {
  reachable = true;
  token = 'good';
  summary = summary();
  readonly requests: string[] = [];
  fetch = async (url: string, init?: RequestInit): Promise<Response> => {
    this.requests.push(url);
    if (!this.reachable) throw new TypeError('Failed to fetch');
    const auth = new Headers(init?.headers).get('Authorization');
    if (auth !== `Bearer ${this.token}`) return Response.json({ error: { message: 'Unknown token' } }, { status: 401 });
    if (url === `${SERVER}/api/me`) return Response.json({ accountId: 'demo', role: 'viewer', personId: 'v', personName: 'Viv' });
    if (url === `${SERVER}/api/accounts/demo/summary`) return Response.json(this.summary);
    return new Response('not found', { status: 404 });
  };
}

function harness(settings = { serverUrl: SERVER, token: 'good' }) {
  const data = new Map<string, unknown>([[StorageKey.settings, settings]]);
  const store: KeyValueStore = {
    get: async <T>(key: string) => structuredClone(data.get(key)) as T | undefined,
    set: async (key, value) => void data.set(key, structuredClone(value)),
  };
  const server = new FakeServer();
  const badges: Badge[] = [];
  const notified: string[] = [];
  let now = new Date('2026-12-01T10:00:00Z');
  const deps: RefreshDeps = {
    store,
    fetch: server.fetch,
    now: () => now,
    setBadge: async (badge) => void badges.push(badge),
    notify: async (release) => (notified.push(release.packId), true),
  };
  return { data, server, badges, notified, deps, setNow: (iso: string) => (now = new Date(iso)) };
}

describe('refresh', () => {
  test('caches the summary and sets the badge to the count of packs that need attention', async () => {
    const h = harness();
    const cache = await refresh(h.deps);
    expect(cache?.summary?.badgeCount).toBe(1);
    expect(h.data.get(StorageKey.cache)).toEqual(cache);
    expect(h.badges.at(-1)?.text).toBe('1');
    expect(syncStatus(cache, true, new Date('2026-12-01T10:01:00Z')).state).toBe('fresh');
  });

  test('offline: keeps the last summary, marks it stale, the badge keeps the count in grey', async () => {
    const h = harness();
    await refresh(h.deps);
    h.server.reachable = false;
    h.setNow('2026-12-01T10:05:00Z');
    const cache = await refresh(h.deps);
    expect(cache?.summary?.badgeCount).toBe(1);
    expect(cache?.refreshedAt).toBe('2026-12-01T10:00:00.000Z');
    const status = syncStatus(cache, true, new Date('2026-12-01T10:05:00Z'));
    expect(status).toMatchObject({ state: 'offline', refreshedAt: '2026-12-01T10:00:00.000Z' });
    expect(h.badges.at(-1)).toMatchObject({ text: '1', color: '#6b7280' });
  });

  test('a refused token is an error a person can act on; the badge says so when there is no summary', async () => {
    const h = harness({ serverUrl: SERVER, token: 'bad' });
    const cache = await refresh(h.deps);
    expect(cache?.error?.code).toBe('UNAUTHORIZED');
    expect(cache?.error?.message).toMatch(/refused this token \(401\)/);
    expect(h.badges.at(-1)?.text).toBe('!');
  });

  test('no settings: nothing is fetched and the badge is empty', async () => {
    const h = harness();
    h.data.clear();
    expect(await refresh(h.deps)).toBeUndefined();
    expect(h.server.requests).toEqual([]);
    expect(h.badges.at(-1)?.text).toBe('');
  });

  test('a reminder once per release, a day before it is auto-applied, also from the cache while offline', async () => {
    const h = harness();
    h.server.summary = summary({
      pendingReleases: [tomorrow('soon', '2026-12-02T00:00:00.000Z'), tomorrow('later', '2026-12-05T00:00:00.000Z')],
    });
    await refresh(h.deps);
    await refresh(h.deps);
    expect(h.notified).toEqual(['soon']);
    h.server.reachable = false;
    h.setNow('2026-12-04T06:00:00Z');
    await refresh(h.deps);
    expect(h.notified).toEqual(['soon', 'later']);
    expect(h.data.get(StorageKey.notifiedReleases)).toEqual(['soon#2', 'later#2']);
  });

  test('the stale mark comes after three missed refreshes even without an error', () => {
    const cache: CachedSummary = {
      serverUrl: SERVER,
      summary: summary(),
      refreshedAt: '2026-12-01T10:00:00.000Z',
      attemptedAt: '2026-12-01T10:00:00.000Z',
    };
    expect(syncStatus(cache, true, new Date('2026-12-01T10:15:00Z')).state).toBe('fresh');
    expect(syncStatus(cache, true, new Date('2026-12-01T10:15:01Z')).state).toBe('stale');
    expect(badgeFor(cache, true, new Date('2026-12-01T10:15:01Z')).title).toMatch(/not up to date/);
  });
});

describe('options input', () => {
  test.each([
    ['http://localhost:8080/', true, 'http://localhost:8080'],
    ['  https://packs.example.com/app/ ', true, 'https://packs.example.com/app'],
    ['localhost:8080', false, undefined],
    ['ftp://example.com', false, undefined],
    ['http://x.test/?token=1', false, undefined],
    ['', false, undefined],
  ])('server address %j', (input, ok, value) => {
    const result = parseServerUrl(input);
    expect(result.ok).toBe(ok);
    if (result.ok) expect(result.value).toBe(value);
    else expect(result.error.message.length).toBeGreaterThan(10);
  });

  test('only servers outside localhost and 127.0.0.1 need an optional host permission', () => {
    expect(optionalPermissionFor('http://localhost:8080')).toBeUndefined();
    expect(optionalPermissionFor('http://127.0.0.1:4000')).toBeUndefined();
    expect(optionalPermissionFor('https://localhost:8443')).toBe('https://localhost/*');
    expect(optionalPermissionFor('https://packs.example.com/app')).toBe('https://packs.example.com/*');
  });

  test('a token is required and has no spaces', () => {
    expect(parseToken(' abc ').ok).toBe(true);
    expect(parseToken('').ok).toBe(false);
    expect(parseToken('a b').ok).toBe(false);
  });
});
