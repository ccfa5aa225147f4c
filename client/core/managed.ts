/**
 * createManagedWorkspace: a managed account's person does not sync the publisher's document; the
 * server derives their view (GET /api/managed, shared/rollout.ts deriveManagedView) and they act
 * through commands (POST /api/accounts/:id/commands). This keeps the last view in IndexedDB so the
 * page reads offline, and puts every command in the device's outbox first: it is sent at once when
 * the server answers, else after the next successful read, oldest first, each with the idempotency
 * key made when the person asked (a repeat answers the first result instead of running twice).
 */
import { nanoid } from 'nanoid';
import { createSignal } from 'solid-js';
import type { Command, CommandResult } from '../../shared/commands.ts';
import type { Notice } from '../../shared/protocol.ts';
import type { ManagedView } from '../../shared/rollout.ts';
import type { CommandOutcome, ManagedStatus, ManagedWorkspace, Session } from './api.ts';
import { openManagedDb, type ManagedDb, type StoredView } from './managed-db.ts';
import type { OutboxRow } from './db.ts';
import { liveSignal } from './reactive.ts';

export interface ManagedWorkspaceOptions {
  fetch?: typeof fetch;
  /** IndexedDB to use (tests pass fake-indexeddb's); the browser's by default. */
  indexedDB?: IDBFactory;
  IDBKeyRange?: typeof IDBKeyRange;
  databaseName?: string;
  clock?: { now(): Date };
  newKey?: () => string;
  /** Ask the server at once (default true). */
  connect?: boolean;
  /** Read the view again this often while online (default 15 s; 0: only on refresh()). */
  pollMs?: number;
  onError?: (error: unknown) => void;
}

/** The workspace plus its database, for tests. */
export interface LocalManagedWorkspace extends ManagedWorkspace {
  readonly db: ManagedDb;
}

const VIEW_KEY = 'view';
const POLL_MS = 15_000;

/** Why a request did not get an answer we can use: nobody answered, or the server refused. */
type Failure = { unreachable: true; message: string } | { unreachable: false; code: string; message: string };

async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  const fallback = {
    code: `HTTP_${response.status}`,
    message: `The server answered ${response.status} ${response.statusText}`.trim() + '.',
  };
  try {
    const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
    const { code, message } = body.error ?? {};
    return typeof message === 'string' ? { code: typeof code === 'string' ? code : fallback.code, message } : fallback;
  } catch {
    return fallback;
  }
}

export async function createManagedWorkspace(session: Session, options: ManagedWorkspaceOptions = {}): Promise<LocalManagedWorkspace> {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const clock = options.clock ?? { now: () => new Date() };
  const newKey = options.newKey ?? (() => nanoid());
  const reportError = options.onError ?? ((error: unknown) => console.error('Integration packs client:', error));
  const db = openManagedDb(options.databaseName ?? `ipm:${session.accountId}:${session.personId}`, {
    ...(options.indexedDB ? { indexedDB: options.indexedDB } : {}),
    ...(options.IDBKeyRange ? { IDBKeyRange: options.IDBKeyRange } : {}),
  });
  await db.open();

  const stored = liveSignal(async () => (await db.meta.get(VIEW_KEY))?.value as StoredView | undefined, undefined, {
    onError: reportError,
  });
  const outbox = liveSignal(() => db.outbox.orderBy('createdAt').toArray(), [] as OutboxRow[], { onError: reportError });
  await Promise.all([stored.ready, outbox.ready]);

  const [status, setStatus] = createSignal<ManagedStatus>(
    { state: 'offline' },
    { equals: (a, b) => a.state === b.state && a.problem === b.problem },
  );
  const [notices, setNotices] = createSignal<Notice[]>([]);
  let online = false;
  let closed = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  const headers = { Authorization: `Bearer ${session.token}` };

  const unreachable = (): Failure => {
    if (online) setStatus({ state: 'unreachable' });
    return { unreachable: true, message: `Could not reach ${session.serverUrl}.` };
  };

  const readView = async (): Promise<void> => {
    let response: Response;
    try {
      response = await doFetch(`${session.serverUrl}/api/managed`, { headers });
    } catch {
      unreachable();
      return;
    }
    if (response.status >= 500) {
      unreachable();
      return;
    }
    if (!response.ok) {
      setStatus({ state: 'online', problem: (await errorOf(response)).message });
      return;
    }
    const view = (await response.json()) as ManagedView;
    if (closed) return;
    await db.meta.put({ key: VIEW_KEY, value: { view, at: clock.now().toISOString() } satisfies StoredView });
    if (online) setStatus({ state: 'online' });
  };

  /** One command on the wire: its result, or why there is none yet (then it stays queued). */
  const post = async (row: OutboxRow): Promise<CommandResult | Failure> => {
    let response: Response;
    try {
      await db.outbox.update(row.idempotencyKey, { sends: row.sends + 1 });
      response = await doFetch(`${session.serverUrl}/api/accounts/${encodeURIComponent(session.accountId)}/commands`, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify({ idempotencyKey: row.idempotencyKey, command: row.command }),
      });
    } catch {
      return unreachable();
    }
    if (response.status >= 500) return unreachable();
    if (response.ok) return (await response.json()) as CommandResult;
    // Refused before it ran (a role that may not, a malformed command, a reused key): final.
    const { code, message } = await errorOf(response);
    return { idempotencyKey: row.idempotencyKey, status: 'ERROR', code, message };
  };

  // Sends run one at a time, oldest first: a command never overtakes one asked for before it.
  const waiters = new Map<string, (result: CommandResult) => void>();
  let sending: Promise<void> = Promise.resolve();
  const sendQueued = (): Promise<void> => {
    sending = sending.then(async () => {
      let answered = 0;
      for (const row of await db.outbox.orderBy('createdAt').toArray()) {
        if (!online || closed) break;
        const answer = await post(row);
        if (!('status' in answer)) break;
        answered += 1;
        await db.outbox.delete(row.idempotencyKey);
        const waiter = waiters.get(row.idempotencyKey);
        if (waiter) waiter(answer);
        else
          setNotices((list) => [
            ...list,
            {
              level: answer.status === 'SUCCESS' ? 'info' : 'error',
              code: answer.code ?? `COMMAND_${answer.status}`,
              message: answer.message,
            },
          ]);
      }
      if (answered > 0 && online && !closed) await readView();
    });
    sending = sending.catch(reportError);
    return sending;
  };

  const refresh = async (): Promise<void> => {
    if (!online || closed) return;
    await readView();
    if (status().state === 'online' && outbox.get().length > 0) await sendQueued();
  };

  const workspace: LocalManagedWorkspace = {
    kind: 'managed',
    session,
    db,
    view: () => stored.get()?.view,
    viewAt: () => stored.get()?.at,
    status,
    pendingCommands: outbox.get,
    notices,
    dismissNotice: (index) => setNotices((list) => list.filter((_, i) => i !== index)),
    refresh,
    async command(command: Command): Promise<CommandOutcome> {
      const row: OutboxRow = { idempotencyKey: newKey(), command, createdAt: clock.now().toISOString(), sends: 0 };
      await db.outbox.add(row);
      const queued: CommandOutcome = { queued: true, idempotencyKey: row.idempotencyKey };
      if (!online) return queued;
      let result: CommandResult | undefined;
      waiters.set(row.idempotencyKey, (answer) => (result = answer));
      await sendQueued();
      waiters.delete(row.idempotencyKey);
      return result ? { queued: false, result } : queued;
    },
    connect() {
      if (online || closed) return;
      online = true;
      setStatus({ state: 'connecting' });
      void refresh();
      const every = options.pollMs ?? POLL_MS;
      if (every > 0) timer = setInterval(() => void refresh(), every);
    },
    disconnect() {
      online = false;
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      setStatus({ state: 'offline' });
    },
    async close() {
      if (closed) return;
      workspace.disconnect();
      closed = true;
      await sending;
      stored.dispose();
      outbox.dispose();
      db.close();
    },
  };
  if (options.connect !== false) workspace.connect();
  return workspace;
}
