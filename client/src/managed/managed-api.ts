/**
 * The managed account's REST client: `GET /api/managed` for its installations and the packs it may
 * install, and `POST /api/accounts/:id/commands` for what it does. A managed account does not sync the
 * publisher's document; the server derives its view (shared/rollout.ts deriveManagedView).
 */
import type { Command, CommandResult } from '../../../shared/commands.ts';
import type { ManagedView } from '../../../shared/rollout.ts';
import type { Session } from '../../core/api.ts';

export type Fetch = typeof fetch;

export interface ManagedApi {
  view(): Promise<ManagedView>;
  /** Sends a command with a fresh idempotency key; a network failure is reported as a result. */
  command(command: Command): Promise<CommandResult>;
}

const newKey = (): string =>
  typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `k-${Date.now()}-${Math.random().toString(36).slice(2)}`;

async function readError(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { message?: unknown; error?: unknown };
    const nested = typeof body.error === 'object' && body.error !== null ? (body.error as { message?: unknown }).message : body.error;
    const text = typeof body.message === 'string' ? body.message : typeof nested === 'string' ? nested : undefined;
    if (text) return text;
  } catch {
    // not JSON: fall through to the status line
  }
  return `The server answered ${response.status} ${response.statusText}`.trim() + '.';
}

export function managedApi(
  session: Pick<Session, 'serverUrl' | 'token' | 'accountId'>,
  doFetch: Fetch = globalThis.fetch.bind(globalThis),
): ManagedApi {
  const headers = { Authorization: `Bearer ${session.token}` };
  return {
    async view() {
      let response: Response;
      try {
        response = await doFetch(`${session.serverUrl}/api/managed`, { headers });
      } catch {
        throw new Error(`Could not reach ${session.serverUrl}. Check your network.`);
      }
      if (!response.ok) throw new Error(await readError(response));
      return (await response.json()) as ManagedView;
    },
    async command(command) {
      const idempotencyKey = newKey();
      let response: Response;
      try {
        response = await doFetch(`${session.serverUrl}/api/accounts/${encodeURIComponent(session.accountId)}/commands`, {
          method: 'POST',
          headers: { ...headers, 'Content-Type': 'application/json' },
          body: JSON.stringify({ idempotencyKey, command }),
        });
      } catch {
        return {
          idempotencyKey,
          status: 'ERROR',
          code: 'OFFLINE',
          message: 'You are offline: nothing was changed. Try again when the network is back.',
        };
      }
      if (!response.ok) {
        // A refused command still comes back as a CommandResult body when the server could run it.
        try {
          const body = (await response.clone().json()) as Partial<CommandResult>;
          if (body.status === 'ERROR' && typeof body.message === 'string') return { ...body, idempotencyKey } as CommandResult;
        } catch {
          // fall through
        }
        return { idempotencyKey, status: 'ERROR', code: `HTTP_${response.status}`, message: await readError(response) };
      }
      return (await response.json()) as CommandResult;
    },
  };
}
