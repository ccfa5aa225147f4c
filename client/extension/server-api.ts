/** The two server calls the extension makes, with errors a person can act on. `fetch` is injected. */
import type { AccountSummary } from '../../shared/attention.ts';
import { parseMe, type Me } from '../../shared/identity.ts';
import { fail, ok, type Result } from '../../shared/result.ts';
import type { Settings } from './settings.ts';

export type { Me };

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** A request never hangs the worker: it gives up after this long. */
export const REQUEST_TIMEOUT_MS = 10_000;

export const ErrorCode = {
  UNREACHABLE: 'UNREACHABLE',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_RESPONSE: 'BAD_RESPONSE',
} as const;

async function serverMessage(response: Response): Promise<string | undefined> {
  try {
    const body: unknown = await response.json();
    if (body && typeof body === 'object') {
      const record = body as { message?: unknown; error?: unknown };
      const inner = record.error && typeof record.error === 'object' ? (record.error as { message?: unknown }).message : record.error;
      const message = record.message ?? inner;
      if (typeof message === 'string') return message;
    }
  } catch {
    // Not JSON: the status says enough.
  }
  return undefined;
}

async function getJson<T>(settings: Settings, path: string, fetchFn: Fetch): Promise<Result<T>> {
  let response: Response;
  try {
    response = await fetchFn(`${settings.serverUrl}${path}`, {
      headers: { Authorization: `Bearer ${settings.token}`, Accept: 'application/json' },
      cache: 'no-store',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch {
    return fail(
      ErrorCode.UNREACHABLE,
      `Cannot reach ${settings.serverUrl}: you are offline, the server is not running, or the address is wrong.`,
    );
  }
  if (response.status === 401)
    return fail(ErrorCode.UNAUTHORIZED, 'The server refused this token (401): check it, or mint a new one with npm run token.', 'token');
  if (response.status === 403) {
    const detail = await serverMessage(response);
    return fail(ErrorCode.FORBIDDEN, `This token may not read this account (403)${detail ? `: ${detail}` : '.'}`, 'token');
  }
  if (!response.ok) {
    const detail = await serverMessage(response);
    return fail(ErrorCode.BAD_RESPONSE, `The server answered ${response.status}${detail ? `: ${detail}` : '.'}`);
  }
  try {
    return ok((await response.json()) as T);
  } catch {
    return fail(ErrorCode.BAD_RESPONSE, `${settings.serverUrl} did not answer like an Integration Packs server (no JSON).`);
  }
}

export async function getMe(settings: Settings, fetchFn: Fetch): Promise<Result<Me>> {
  const body = await getJson<unknown>(settings, '/api/me', fetchFn);
  if (!body.ok) return body;
  const me = parseMe(body.value);
  return me ? ok(me) : fail(ErrorCode.BAD_RESPONSE, `${settings.serverUrl} did not answer like an Integration Packs server.`);
}

export async function getSummary(settings: Settings, accountId: string, fetchFn: Fetch): Promise<Result<AccountSummary>> {
  const summary = await getJson<AccountSummary>(settings, `/api/accounts/${encodeURIComponent(accountId)}/summary`, fetchFn);
  if (summary.ok && !Array.isArray(summary.value?.packs))
    return fail(ErrorCode.BAD_RESPONSE, 'The server sent a summary this extension cannot read; update the server or the extension.');
  return summary;
}

/** Who the token is and the account's summary: what the Check button and each refresh ask. */
export async function getAccountSummary(settings: Settings, fetchFn: Fetch): Promise<Result<{ me: Me; summary: AccountSummary }>> {
  const me = await getMe(settings, fetchFn);
  if (!me.ok) return me;
  if (me.value.role === 'managed')
    return fail(
      ErrorCode.FORBIDDEN,
      'This token belongs to a managed account; the extension needs a token of a publisher admin or viewer.',
      'token',
    );
  const summary = await getSummary(settings, me.value.accountId, fetchFn);
  if (!summary.ok) return summary;
  return ok({ me: me.value, summary: summary.value });
}
