/**
 * Collaboration through the real server: presence, commands answered online, the server's notices
 * (a reverted edit; offline edits to a pack someone deleted), status, and reconnecting by itself
 * after the server went away.
 */
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
// Solid's reactive browser build: under Node, 'solid-js' resolves to its non-reactive server build.
// @ts-expect-error the build file itself has no type declarations
vi.mock('solid-js', async () => await import('../../node_modules/solid-js/dist/solid.js'));
import { readPack, readReleases, writePackDescription, type PublishedComponent } from '../../shared/index.ts';
import type { LocalWorkspace } from '../../client/core/workspace.ts';
import { createSyncServer } from '../../sync-server/server.ts';
import { isSaved, openClient, startLoopbackServer, waitFor, type LoopbackServer } from './loopback-support.ts';
import { documentView, tableView } from './support.ts';

let server: LoopbackServer;
let orders: PublishedComponent;
const workspaces: LocalWorkspace[] = [];

beforeAll(async () => {
  server = await startLoopbackServer();
  orders = await server.publish('Orders Export');
});

afterAll(async () => {
  for (const workspace of workspaces) await workspace.close();
  await server.close();
});

async function client(token: string, options: Parameters<typeof openClient>[1] = {}) {
  const handle = await openClient(await server.session(token), options);
  workspaces.push(handle.workspace);
  return handle.workspace;
}

async function newPack(workspace: LocalWorkspace, name: string) {
  const added = await workspace.addPack({ name, description: '', installationType: 'SINGLE' });
  if (!added.ok) throw new Error(added.error.message);
  return added.value;
}

describe('collaboration', () => {
  test('presence: who else is online and which pack each is looking at', async () => {
    const ann = await client(server.tokens.admin);
    const bob = await client(server.tokens.admin2);
    await waitFor(() => isSaved(ann) && isSaved(bob), 'both online', [ann.doc, bob.doc]);
    const packId = await newPack(ann, 'Watched pack');
    ann.setViewing(packId);
    await waitFor(() => bob.peers().some((peer) => peer.personId === 'ann' && peer.packId === packId), 'Bob sees Ann on the pack');
    expect(bob.peers().find((peer) => peer.personId === 'ann')).toMatchObject({ name: 'ann', color: expect.stringMatching(/^hsl/) });
    expect(ann.peers().some((peer) => peer.personId === 'ann')).toBe(false);
    await waitFor(() => ann.peers().some((peer) => peer.personId === 'bob' && peer.packId === undefined), 'Ann sees Bob');
    bob.disconnect();
    await waitFor(() => !ann.peers().some((peer) => peer.personId === 'bob'), 'Bob gone from Ann’s list');
    expect(bob.peers()).toEqual([]);
    bob.connect();
  });

  test('a command answered online; its result, release and history reach the tables', async () => {
    const ann = await client(server.tokens.admin);
    await waitFor(() => isSaved(ann), 'online', [ann.doc]);
    const packId = await newPack(ann, 'Released online');
    await ann.addComponents(packId, [orders.id]);
    const outcome = await ann.release(packId, { releaseSchedule: 'IMMEDIATELY' });
    expect(outcome).toMatchObject({ ok: true, value: { queued: false, result: { status: 'SUCCESS', releaseNumber: 1 } } });
    await waitFor(() => ann.releases(packId)().length === 1 && ann.history(packId)().length === 1, 'release and history accessors', [
      ann.doc,
    ]);
    expect(ann.publications(packId)()).toEqual([
      expect.objectContaining({ componentId: orders.id, currentVersion: 1, pendingVersion: undefined }),
    ]);
    expect(await ann.db.outbox.count()).toBe(0);
    const deleted = await ann.deletePack(packId);
    expect(deleted).toMatchObject({ ok: true, value: { queued: false, result: { status: 'SUCCESS' } } });
    await waitFor(() => ann.pack(packId)() === undefined && !ann.packs().some((pack) => pack.id === packId), 'the pack gone', [ann.doc]);
  });

  test('an edit the server reverts comes back as a notice, and the tables show the reverted state', async () => {
    const ann = await client(server.tokens.admin);
    await waitFor(() => isSaved(ann), 'online', [ann.doc]);
    const packId = await newPack(ann, 'Guarded');
    await waitFor(() => isSaved(ann), 'stored', [ann.doc]);
    // A client that skips the rules (the Workspace itself refuses this): 501 characters.
    writePackDescription(ann.doc, packId, 'x'.repeat(501));
    await waitFor(() => ann.notices().some((notice) => notice.code === 'DESCRIPTION_TOO_LONG'), 'the notice', [ann.doc]);
    await waitFor(() => readPack(ann.doc, packId)?.description === '', 'the revert', [ann.doc]);
    await ann.settled();
    expect((await ann.db.packs.get(packId))?.description).toBe('');
    const index = ann.notices().findIndex((notice) => notice.code === 'DESCRIPTION_TOO_LONG');
    ann.dismissNotice(index);
    expect(ann.notices().some((notice) => notice.code === 'DESCRIPTION_TOO_LONG')).toBe(false);
  });

  test('offline edits to a pack someone deleted meanwhile: the person is told they were dropped', async () => {
    const ann = await client(server.tokens.admin);
    const bob = await client(server.tokens.admin2);
    await waitFor(() => isSaved(ann) && isSaved(bob), 'both online', [ann.doc, bob.doc]);
    const packId = await newPack(ann, 'Doomed pack');
    await waitFor(() => readPack(bob.doc, packId) !== undefined, 'Bob has it', [bob.doc]);
    ann.disconnect();
    await ann.savePack(packId, { name: 'Doomed pack', description: 'edited offline' });
    const deleted = await bob.deletePack(packId);
    expect(deleted).toMatchObject({ ok: true, value: { queued: false, result: { status: 'SUCCESS' } } });
    ann.connect();
    await waitFor(() => ann.notices().some((notice) => notice.code === 'OFFLINE_EDITS_DROPPED'), 'the notice', [ann.doc]);
    expect(ann.notices().find((notice) => notice.code === 'OFFLINE_EDITS_DROPPED')).toMatchObject({
      level: 'warning',
      packId,
      message: expect.stringMatching(/^Your offline edits to "Doomed pack" were dropped: bob deleted it on \d{4}-\d{2}-\d{2}\.$/),
    });
    await waitFor(() => isSaved(ann), 'saved', [ann.doc]);
    expect(readPack(ann.doc, packId)).toBeUndefined();
    await ann.settled();
    expect(await tableView(ann.db)).toEqual(documentView(ann.doc));
  });

  test('status: offline with a count, then saved; and reconnecting by itself after the server went away', async () => {
    const ann = await client(server.tokens.admin);
    await waitFor(() => isSaved(ann), 'online', [ann.doc]);
    const packId = await newPack(ann, 'Survives restarts');
    await waitFor(() => isSaved(ann), 'stored', [ann.doc]);

    const port = server.server.port;
    await server.server.close();
    await waitFor(() => ann.status().state !== 'saved' && ann.status().state !== 'syncing', 'Ann notices the server is gone');
    await ann.savePack(packId, { name: 'Survives restarts', description: 'written while the server was down' });
    expect(ann.status().unstored).toBe(1);

    // The server comes back on the same port and data directory; nobody calls connect().
    const restarted = await createSyncServer({ port, dataDir: server.dataDir, quiet: true });
    server.server = restarted;
    try {
      await waitFor(() => isSaved(ann), 'Ann reconnected and saved', [ann.doc], 15_000);
      expect((await server.storedPacks()).find((pack) => pack.id === packId)?.description).toBe('written while the server was down');
      expect(readReleases(ann.doc, packId)).toEqual([]);
    } finally {
      for (const workspace of workspaces.splice(0)) await workspace.close();
      await restarted.close();
    }
  });
});
