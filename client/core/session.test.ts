import { describe, expect, test } from 'vitest';
import { loadSession, memoryStorage, normalizeServerUrl, SESSION_KEY, signIn, signOut } from './session.ts';

const me = { accountId: 'demo', role: 'admin', personId: 'ann', personName: 'Ann' };
const fakeFetch = (status: number, body: unknown, seen: { url?: string; auth?: string } = {}): typeof fetch =>
  (async (url: string, init?: RequestInit) => {
    seen.url = url;
    seen.auth = (init?.headers as Record<string, string> | undefined)?.Authorization;
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  }) as unknown as typeof fetch;

describe('sign in', () => {
  test('checks the token with GET /api/me and remembers the session on the device', async () => {
    const storage = memoryStorage();
    const seen: { url?: string; auth?: string } = {};
    const result = await signIn(' localhost:8080/ ', ' tok ', { fetch: fakeFetch(200, me, seen), storage });
    expect(seen).toEqual({ url: 'http://localhost:8080/api/me', auth: 'Bearer tok' });
    expect(result).toEqual({ ok: true, value: { serverUrl: 'http://localhost:8080', token: 'tok', ...me } });
    expect(loadSession(storage)).toEqual(result.ok && result.value);
    signOut(storage);
    expect(loadSession(storage)).toBeUndefined();
  });

  test('says what went wrong, and remembers nothing', async () => {
    const storage = memoryStorage();
    expect(await signIn('http://x', 'bad', { fetch: fakeFetch(401, {}), storage })).toMatchObject({
      ok: false,
      error: { code: 'TOKEN_REJECTED', field: 'token' },
    });
    const unreachable = (async () => {
      throw new TypeError('fetch failed');
    }) as unknown as typeof fetch;
    expect(await signIn('http://x', 't', { fetch: unreachable, storage })).toMatchObject({
      ok: false,
      error: { code: 'SERVER_UNREACHABLE' },
    });
    expect(await signIn('http://x', 't', { fetch: fakeFetch(200, { hello: 1 }), storage })).toMatchObject({
      ok: false,
      error: { code: 'SERVER_INVALID' },
    });
    expect(await signIn('', 't', { storage })).toMatchObject({ ok: false, error: { code: 'SERVER_REQUIRED' } });
    expect(await signIn('http://x', ' ', { storage })).toMatchObject({ ok: false, error: { code: 'TOKEN_REQUIRED' } });
    expect(storage.getItem(SESSION_KEY)).toBeNull();
  });

  test('a damaged remembered session is ignored', () => {
    const storage = memoryStorage();
    storage.setItem(SESSION_KEY, '{not json');
    expect(loadSession(storage)).toBeUndefined();
    storage.setItem(SESSION_KEY, JSON.stringify({ ...me, role: 'owner', serverUrl: 'http://x', token: 't' }));
    expect(loadSession(storage)).toBeUndefined();
  });

  test('server addresses', () => {
    expect(normalizeServerUrl('https://packs.example/')).toEqual({ ok: true, value: 'https://packs.example' });
    expect(normalizeServerUrl('ftp://x')).toMatchObject({ ok: false });
  });
});
