/** The extension's options: which server to ask, with which token. */
import { packSegment } from '../../shared/pack-route.ts';
import { fail, ok, type Result } from '../../shared/result.ts';

export interface Settings {
  /** http(s) address of the sync server (it also serves the PWA), without a trailing slash. */
  serverUrl: string;
  token: string;
}

export const DEFAULT_SERVER_URL = 'http://localhost:8080';

/** Hosts the manifest grants up front (`host_permissions`); any other origin is asked for on save. */
const BUILT_IN_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1']);

/** Checks and normalizes what was typed in "Server address". */
export function parseServerUrl(input: string): Result<string> {
  const text = input.trim();
  if (text === '') return fail('SERVER_REQUIRED', 'Enter the server address, e.g. http://localhost:8080.', 'serverUrl');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail('SERVER_INVALID', `"${text}" is not an address; write it like http://localhost:8080.`, 'serverUrl');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return fail('SERVER_INVALID', 'The server address must start with http:// or https://.', 'serverUrl');
  if (url.search || url.hash || url.username || url.password)
    return fail('SERVER_INVALID', 'The server address cannot hold a query, a fragment or credentials.', 'serverUrl');
  return ok(`${url.origin}${url.pathname.replace(/\/+$/, '')}`);
}

export function parseToken(input: string): Result<string> {
  const token = input.trim();
  if (token === '') return fail('TOKEN_REQUIRED', 'Enter a token (npm run token -- --account ID --role admin mints one).', 'token');
  if (/\s/.test(token)) return fail('TOKEN_INVALID', 'A token has no spaces; paste it again.', 'token');
  return ok(token);
}

/** The match pattern to request for a server outside the built-in hosts, or undefined when none is needed. */
export function optionalPermissionFor(serverUrl: string): string | undefined {
  const url = new URL(serverUrl);
  if (url.protocol === 'http:' && BUILT_IN_HOSTS.has(url.hostname)) return undefined;
  return `${url.protocol}//${url.hostname}/*`;
}

/** Where the PWA shows a pack. */
export const packUrl = (serverUrl: string, packId: string): string => `${serverUrl}/packs/${packSegment(packId)}`;
