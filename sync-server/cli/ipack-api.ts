/**
 * The REST API as the ipack CLI calls it: the token (Bearer), JSON in and out, and every failure as
 * an ApiFailure carrying the exit code a pipeline can branch on.
 */

/** Exit codes: what a pipeline can tell apart. */
export const Exit = {
  ok: 0,
  /** The release ended in ERROR or was canceled. */
  releaseFailed: 1,
  usage: 2,
  /** 401 or 403: no valid token, or the token may not do this. */
  refused: 3,
  notFound: 4,
  /** 400, 409, 412, 422: the API refused the request (a rule, a conflict, a stale ETag, a reused key). */
  rejected: 5,
  /** 5xx, or the server could not be reached. */
  unavailable: 6,
  /** --wait ran out of time while the release was still IN_PROGRESS. */
  timedOut: 7,
} as const;

export class ApiFailure extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
    readonly body?: unknown,
  ) {
    super(message);
  }
}

export interface ApiOptions {
  url: string;
  token: string;
  /** Sent as Idempotency-Key on writes. */
  idempotencyKey?: string;
}

export interface ApiAnswer<T> {
  status: number;
  body: T;
  headers: Headers;
}

function exitCodeFor(status: number): number {
  if (status === 401 || status === 403) return Exit.refused;
  if (status === 404) return Exit.notFound;
  if (status >= 500) return Exit.unavailable;
  return Exit.rejected;
}

export async function callApi<T>(
  options: ApiOptions,
  method: string,
  path: string,
  body?: unknown,
  { write = method !== 'GET' } = {},
): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = { Authorization: `Bearer ${options.token}`, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (write && options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
  let response: Response;
  try {
    response = await fetch(new URL(path, options.url), { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  } catch (error) {
    throw new ApiFailure(Exit.unavailable, `Could not reach ${options.url}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    throw new ApiFailure(Exit.unavailable, `${method} ${path} answered ${response.status} with a body that is not JSON.`);
  }
  if (response.status >= 400) {
    const error = (parsed as { error?: { code?: string; message?: string; field?: string } } | undefined)?.error;
    const field = error?.field ? ` (${error.field})` : '';
    throw new ApiFailure(
      exitCodeFor(response.status),
      `${response.status} ${error?.code ?? 'ERROR'}${field}: ${error?.message ?? 'the request failed'}`,
      parsed,
    );
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}

/** Every page of a query, following queryToken through queryMore (at most `maxPages`). */
export async function queryAll<T>(options: ApiOptions, objectPath: string, filter: unknown, maxPages = 1000): Promise<T[]> {
  type Page = { result: T[]; queryToken?: string };
  let page = (await callApi<Page>(options, 'POST', `${objectPath}/query`, filter, { write: false })).body;
  const records = [...page.result];
  for (let count = 1; page.queryToken && count < maxPages; count++) {
    page = (await callApi<Page>(options, 'POST', `${objectPath}/queryMore`, { queryToken: page.queryToken }, { write: false })).body;
    records.push(...page.result);
  }
  return records;
}

export interface ReleaseStatus {
  requestId: string;
  name?: string;
  releaseStatus: 'IN_PROGRESS' | 'SCHEDULED' | 'SUCCESS' | 'ERROR' | 'CANCELED';
  releaseNumber?: number;
  releaseOnDate?: string;
  message?: string;
  ReleasePackagedComponents: { ReleasePackagedComponent: { componentId: string; version: number; releasedVersion?: number }[] };
}

/** Polls a release's status while it answers 202 (IN_PROGRESS), every `intervalMs`, for at most `timeoutMs`. */
export async function waitForRelease(
  options: ApiOptions,
  statusPath: string,
  { intervalMs, timeoutMs, now = () => Date.now() }: { intervalMs: number; timeoutMs: number; now?: () => number },
): Promise<ReleaseStatus> {
  const deadline = now() + timeoutMs;
  for (;;) {
    const answer = await callApi<ReleaseStatus>(options, 'GET', statusPath);
    if (answer.status !== 202) return answer.body;
    if (now() + intervalMs > deadline)
      throw new ApiFailure(
        Exit.timedOut,
        `Release ${answer.body.requestId} is still IN_PROGRESS after ${Math.round(timeoutMs / 1000)} s.`,
        answer.body,
      );
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
