import { afterEach, describe, expect, test, vi } from 'vitest';
// Solid's reactive browser build: under Node, 'solid-js' resolves to its non-reactive server build.
// @ts-expect-error the build file itself has no type declarations
vi.mock('solid-js', async () => await import('../../node_modules/solid-js/dist/solid.js'));
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { Command, CommandResult } from '../../shared/commands.ts';
import type { ManagedView } from '../../shared/rollout.ts';
import type { Session } from './api.ts';
import { createManagedWorkspace, type LocalManagedWorkspace } from './managed.ts';

const session: Session = {
  serverUrl: 'http://server.test',
  token: 't',
  accountId: 'demo',
  role: 'managed',
  personId: 'mia',
  personName: 'Mia',
  managedAccountId: 'm1',
};

/** A server for one managed account: installs add an instance; a key answered once answers the same again. */
function fakeServer() {
  const view: ManagedView = {
    managedAccountId: 'm1',
    managedAccountName: 'Fabrikam',
    timeZone: 'UTC',
    locale: 'en-US',
    instances: [],
    installable: [],
  };
  const results = new Map<string, CommandResult>();
  const ran: { key: string; command: Command }[] = [];
  const state = { down: false, refuseWith: undefined as number | undefined };
  const fetch = async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    if (state.down) throw new TypeError('Failed to fetch');
    const path = new URL(String(url)).pathname;
    if (path === '/api/managed') return Response.json(structuredClone(view));
    if (path === '/api/accounts/demo/commands') {
      if (state.refuseWith) return Response.json({ error: { code: 'FORBIDDEN', message: 'Not for you.' } }, { status: state.refuseWith });
      const { idempotencyKey, command } = JSON.parse(String(init?.body)) as { idempotencyKey: string; command: Command };
      const first = results.get(idempotencyKey);
      if (first) return Response.json(first);
      ran.push({ key: idempotencyKey, command });
      if (command.type === 'INSTALL')
        view.instances.push({
          instanceId: `i${view.instances.length + 1}`,
          packId: command.packId,
          packName: command.packId,
          installationType: 'MULTI',
          releaseNumber: 1,
          atomIds: [],
          environmentIds: [],
          installedAt: '2026-12-02T00:00:00.000Z',
        });
      const result: CommandResult = { idempotencyKey, status: 'SUCCESS', message: `Ran ${command.type}.` };
      results.set(idempotencyKey, result);
      return Response.json(result);
    }
    return new Response('not found', { status: 404 });
  };
  return { view, ran, state, fetch: fetch as typeof globalThis.fetch };
}

const opened: LocalManagedWorkspace[] = [];
afterEach(async () => {
  for (const workspace of opened.splice(0)) await workspace.close();
});

let keys = 0;
async function open(server: ReturnType<typeof fakeServer>, factory: IDBFactory, connect = true) {
  const workspace = await createManagedWorkspace(session, {
    fetch: server.fetch,
    indexedDB: factory,
    IDBKeyRange,
    connect,
    pollMs: 0,
    newKey: () => `key-${++keys}`,
    clock: { now: () => new Date('2026-12-02T10:00:00.000Z') },
  });
  opened.push(workspace);
  return workspace;
}

const install = (packId: string): Command => ({ type: 'INSTALL', packId, managedAccountId: 'm1', integrationPackOverrideName: packId });

async function until(check: () => boolean) {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(check()).toBe(true);
}

describe('ManagedWorkspace', () => {
  test('the view it received is read from the device when offline (a reload without network)', async () => {
    const server = fakeServer();
    const factory = new IDBFactory();
    const first = await open(server, factory);
    await until(() => first.view() !== undefined);
    expect(first.status().state).toBe('online');
    expect(first.view()?.managedAccountName).toBe('Fabrikam');
    await first.close();

    server.state.down = true;
    const reloaded = await open(server, factory, false);
    expect(reloaded.status().state).toBe('offline');
    expect(reloaded.view()?.managedAccountName).toBe('Fabrikam');
    expect(reloaded.viewAt()).toBe('2026-12-02T10:00:00.000Z');
  });

  test('a command asked for offline is queued on the device and sent once, with its key, when back online', async () => {
    const server = fakeServer();
    const factory = new IDBFactory();
    const first = await open(server, factory, false);
    const outcome = await first.command(install('orders'));
    expect(outcome).toEqual({ queued: true, idempotencyKey: expect.any(String) });
    const key = outcome.queued ? outcome.idempotencyKey : '';
    await until(() => first.pendingCommands().length === 1);
    await first.close();
    expect(server.ran).toEqual([]);

    // A reload: the outbox is still there; going online sends it, then reads the view again.
    const reloaded = await open(server, factory, false);
    expect(reloaded.pendingCommands().map((row) => row.idempotencyKey)).toEqual([key]);
    reloaded.connect();
    await until(() => reloaded.pendingCommands().length === 0 && (reloaded.view()?.instances.length ?? 0) === 1);
    expect(server.ran).toEqual([{ key, command: install('orders') }]);
    expect(reloaded.notices()).toEqual([{ level: 'info', code: 'COMMAND_SUCCESS', message: 'Ran INSTALL.' }]);
  });

  test('a server that does not answer keeps commands queued, in order, until a read succeeds', async () => {
    const server = fakeServer();
    const workspace = await open(server, new IDBFactory());
    await until(() => workspace.status().state === 'online');
    server.state.down = true;
    expect((await workspace.command(install('a'))).queued).toBe(true);
    expect((await workspace.command(install('b'))).queued).toBe(true);
    expect(workspace.status().state).toBe('unreachable');
    server.state.down = false;
    await workspace.refresh();
    await until(() => workspace.pendingCommands().length === 0);
    expect(server.ran.map(({ command }) => (command as { packId: string }).packId)).toEqual(['a', 'b']);
    expect(workspace.status().state).toBe('online');

    // Online, a command answers at once and the view follows.
    const now = await workspace.command(install('c'));
    expect(now).toEqual({ queued: false, result: expect.objectContaining({ status: 'SUCCESS' }) });
    await until(() => workspace.view()?.instances.length === 3);
  });

  test('a command the server refuses before running it leaves the outbox with the reason', async () => {
    const server = fakeServer();
    const workspace = await open(server, new IDBFactory());
    await until(() => workspace.status().state === 'online');
    server.state.refuseWith = 403;
    const outcome = await workspace.command(install('a'));
    expect(outcome).toEqual({
      queued: false,
      result: expect.objectContaining({ status: 'ERROR', code: 'FORBIDDEN', message: 'Not for you.' }),
    });
    await until(() => workspace.pendingCommands().length === 0);
  });
});
