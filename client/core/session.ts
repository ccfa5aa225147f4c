/**
 * Signing in: the server address and a token, checked with `GET /api/me`, remembered on the device.
 */
import { fail, ok, type Result } from '../../shared/result.ts';
import { parseMe } from '../../shared/identity.ts';
import type { Session } from './api.ts';

/** The part of localStorage we use (so tests and the extension can pass their own). */
export interface SessionStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface SessionDeps {
  fetch?: typeof fetch;
  storage?: SessionStorage;
}

export const SESSION_KEY = 'integration-packs.session';

export function memoryStorage(): SessionStorage {
  const values = new Map<string, string>();
  return {
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => void values.set(key, value),
    removeItem: (key) => void values.delete(key),
  };
}

let fallbackStorage: SessionStorage | undefined;
function defaultStorage(): SessionStorage {
  if (typeof localStorage !== 'undefined') return localStorage;
  return (fallbackStorage ??= memoryStorage());
}

/** The server's origin, normalized: `localhost:8080` → `http://localhost:8080`, no trailing slash. */
export function normalizeServerUrl(input: string): Result<string> {
  const trimmed = input.trim();
  if (trimmed === '') return fail('SERVER_REQUIRED', 'Enter the server address, e.g. http://localhost:8080.', 'serverUrl');
  try {
    const url = new URL(/^[a-z]+:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`);
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      return fail('SERVER_INVALID', 'The server address must start with http:// or https://.', 'serverUrl');
    return ok(`${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`);
  } catch {
    return fail('SERVER_INVALID', `"${trimmed}" is not a server address.`, 'serverUrl');
  }
}

/** Checks the token with the server and remembers the session on this device. */
export async function signIn(serverUrl: string, token: string, deps: SessionDeps = {}): Promise<Result<Session>> {
  const origin = normalizeServerUrl(serverUrl);
  if (!origin.ok) return origin;
  const trimmedToken = token.trim();
  if (trimmedToken === '') return fail('TOKEN_REQUIRED', 'Enter your token.', 'token');
  const doFetch = deps.fetch ?? globalThis.fetch.bind(globalThis);
  let response: Response;
  try {
    response = await doFetch(`${origin.value}/api/me`, { headers: { Authorization: `Bearer ${trimmedToken}` } });
  } catch {
    return fail('SERVER_UNREACHABLE', `Could not reach ${origin.value}. Check the address and your network.`, 'serverUrl');
  }
  if (response.status === 401 || response.status === 403) return fail('TOKEN_REJECTED', 'The server did not accept this token.', 'token');
  if (!response.ok) return fail('SERVER_ERROR', `The server answered ${response.status} ${response.statusText}.`.trim(), 'serverUrl');
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const me = parseMe(body);
  if (!me) return fail('SERVER_INVALID', 'The server did not answer like an Integration Packs server.', 'serverUrl');
  const session: Session = { serverUrl: origin.value, token: trimmedToken, ...me };
  (deps.storage ?? defaultStorage()).setItem(SESSION_KEY, JSON.stringify(session));
  return ok(session);
}

/** The session remembered on this device, if any (works offline). */
export function loadSession(storage: SessionStorage = defaultStorage()): Session | undefined {
  const raw = storage.getItem(SESSION_KEY);
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<Session>;
    const me = parseMe(value);
    if (!me || typeof value.serverUrl !== 'string' || typeof value.token !== 'string') return undefined;
    return { serverUrl: value.serverUrl, token: value.token, ...me };
  } catch {
    return undefined;
  }
}

/** Forgets the session on this device (the account's local database stays, for the next sign-in). */
export function signOut(storage: SessionStorage = defaultStorage()): void {
  storage.removeItem(SESSION_KEY);
}
