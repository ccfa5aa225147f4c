/**
 * The client core against the REAL sync server over loopback: an in-process server on port 0 over
 * SQLite in a temp dir (test/server/helpers.ts), workspaces on fake IndexedDB speaking through `ws`.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import { readPacks, type ComponentType, type PublishedComponent } from '../../shared/index.ts';
import type { Session } from '../../client/core/api.ts';
import { memoryStorage, signIn } from '../../client/core/session.ts';
import { createWorkspace, type LocalWorkspace } from '../../client/core/workspace.ts';
import { executeCommand } from '../../sync-server/commands/execute.ts';
import { startTestServer, type TestServer } from '../server/helpers.ts';
import { IDBFactory, IDBKeyRange } from './support.ts';

export interface LoopbackServer extends TestServer {
  /** How many times the command executor ran, per idempotency key. */
  executions: Map<string, number>;
  publish(name: string, type?: ComponentType): Promise<PublishedComponent>;
  session(token: string): Promise<Session>;
  /** The packs as durably stored on the server (read from its store, not from memory). */
  storedPacks(accountId?: string): Promise<ReturnType<typeof readPacks>>;
}

export async function startLoopbackServer(): Promise<LoopbackServer> {
  const executions = new Map<string, number>();
  const test = await startTestServer({
    executeCommand: (context, command) => {
      executions.set(context.idempotencyKey, (executions.get(context.idempotencyKey) ?? 0) + 1);
      return executeCommand(context, command);
    },
  });
  return Object.assign(test, {
    executions,
    async publish(name: string, type: ComponentType = 'PROCESS') {
      const response = await fetch(`${test.server.url}/api/accounts/demo/components`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${test.tokens.admin}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name, type }),
      });
      if (response.status !== 201) throw new Error(`publish ${name}: ${response.status} ${await response.text()}`);
      return (await response.json()) as PublishedComponent;
    },
    async session(token: string) {
      const result = await signIn(test.server.url, token, { storage: memoryStorage() });
      if (!result.ok) throw new Error(result.error.message);
      return result.value;
    },
    async storedPacks(accountId = 'demo') {
      const stored = await test.server.store.docs.load(accountId);
      const doc = new Y.Doc();
      if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
      for (const update of stored.updates) Y.applyUpdate(doc, update);
      return readPacks(doc);
    },
  });
}

export interface ClientHandle {
  workspace: LocalWorkspace;
  factory: IDBFactory;
}

export async function openClient(session: Session, options: { factory?: IDBFactory; connect?: boolean } = {}): Promise<ClientHandle> {
  const factory = options.factory ?? new IDBFactory();
  const workspace = await createWorkspace(session, {
    indexedDB: factory,
    IDBKeyRange,
    WebSocketPolyfill: WebSocket,
    connect: options.connect ?? true,
    backoff: { baseMs: 20, maxMs: 200 },
    random: () => 0.5,
    commandWaitMs: 10_000,
  });
  return { workspace, factory };
}

/**
 * Resolves once `check()` holds. Re-checks whenever one of the documents changes (the tables follow
 * a few milliseconds later, so also on a short bounded tick); rejects naming `what` after `timeoutMs`.
 */
export function waitFor(
  check: () => boolean | Promise<boolean>,
  what: string,
  docs: readonly Y.Doc[] = [],
  timeoutMs = 10_000,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let done = false;
    let checking = false;
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      clearInterval(tick);
      clearTimeout(timer);
      for (const doc of docs) doc.off('update', wake);
      error ? reject(error) : resolve();
    };
    const wake = () => {
      if (done || checking) return;
      checking = true;
      Promise.resolve()
        .then(check)
        .then(
          (ok) => ok && finish(),
          (error: Error) => finish(error),
        )
        .finally(() => (checking = false));
    };
    const tick = setInterval(wake, 20);
    const timer = setTimeout(() => finish(new Error(`Timed out after ${timeoutMs} ms waiting for: ${what}`)), timeoutMs);
    for (const doc of docs) doc.on('update', wake);
    wake();
  });
}

export const isSaved = (workspace: LocalWorkspace) => workspace.status().state === 'saved';
