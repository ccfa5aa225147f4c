/**
 * The mirror property: after any sequence of local edits (through the Workspace), undo/redo, and
 * remote changes (server-owned roots written by a "server" doc, pack edits by a peer doc, exchanged
 * in any order and any batching), the Dexie tables equal what the document says.
 * Seeded (test/support/fast-check.ts): a failure prints the seed and path that reproduce it.
 */
import { expect, test, vi } from 'vitest';
// @ts-expect-error the build file itself has no type declarations
vi.mock('solid-js', async () => await import('../../node_modules/solid-js/dist/solid.js'));
import * as Y from 'yjs';
import {
  packsMap,
  readPacks,
  Root,
  writeAddComponents,
  writeComponent,
  writeManagedAccount,
  writeNewPack,
  writePackDescription,
  writePackName,
  writeReleases,
  writeProjected,
  writeRemoveComponent,
  type Release,
} from '../../shared/index.ts';
import type { LocalWorkspace } from '../../client/core/workspace.ts';
import { fc, seed } from '../support/fast-check.ts';
import { component, deliver, documentView, offlineWorkspace, seedAccount, SERVER_ORIGIN, tableView } from './support.ts';

const NAMES = ['Orders', 'orders', 'Invoices', 'Ünïcode', '注文', 'Zeta', ' padded '];
const COMPONENTS = ['c0', 'c1', 'c2', 'c3', 'c4', 'c5'];

type Op =
  | { kind: 'addPack'; name: number; multi: boolean }
  | { kind: 'save'; pack: number; name: number; description: string }
  | { kind: 'addComponents'; pack: number; components: number[] }
  | { kind: 'removeComponent'; pack: number; component: number }
  | { kind: 'undo'; pack: number }
  | { kind: 'redo'; pack: number }
  | { kind: 'publish'; component: number; versions: number; api: boolean }
  | { kind: 'releases'; pack: number; count: number }
  | { kind: 'rollout'; instances: number; pack: number }
  | { kind: 'managedAccount'; id: number; name: number }
  | { kind: 'history'; id: number; pack: number; remove: boolean }
  | { kind: 'serverDeletesPack'; pack: number }
  | { kind: 'peerEdit'; pack: number; name: number; component: number; add: boolean }
  | { kind: 'peerAddsPack'; name: number }
  | { kind: 'pushLocal' }
  | { kind: 'pullRemote' }
  | { kind: 'peerSync' }
  | { kind: 'settle' };

const index = fc.nat({ max: 20 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('addPack' as const), name: index, multi: fc.boolean() }),
  fc.record({ kind: fc.constant('save' as const), pack: index, name: index, description: fc.string({ maxLength: 12 }) }),
  fc.record({ kind: fc.constant('addComponents' as const), pack: index, components: fc.array(index, { maxLength: 3 }) }),
  fc.record({ kind: fc.constant('removeComponent' as const), pack: index, component: index }),
  fc.record({ kind: fc.constant('undo' as const), pack: index }),
  fc.record({ kind: fc.constant('redo' as const), pack: index }),
  fc.record({ kind: fc.constant('publish' as const), component: index, versions: fc.integer({ min: 1, max: 4 }), api: fc.boolean() }),
  fc.record({ kind: fc.constant('releases' as const), pack: index, count: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant('rollout' as const), instances: fc.nat({ max: 3 }), pack: index }),
  fc.record({ kind: fc.constant('managedAccount' as const), id: fc.nat({ max: 3 }), name: index }),
  fc.record({ kind: fc.constant('history' as const), id: fc.nat({ max: 5 }), pack: index, remove: fc.boolean() }),
  fc.record({ kind: fc.constant('serverDeletesPack' as const), pack: index }),
  fc.record({ kind: fc.constant('peerEdit' as const), pack: index, name: index, component: index, add: fc.boolean() }),
  fc.record({ kind: fc.constant('peerAddsPack' as const), name: index }),
  fc.constant({ kind: 'pushLocal' as const }),
  fc.constant({ kind: 'pullRemote' as const }),
  fc.constant({ kind: 'peerSync' as const }),
  fc.constant({ kind: 'settle' as const }),
);

const pick = <T>(list: readonly T[], i: number): T | undefined => (list.length === 0 ? undefined : list[i % list.length]);

async function run(ops: Op[]): Promise<void> {
  let ids = 0;
  const workspace = await offlineWorkspace({ newId: () => `p${ids++}`, onError: () => {} });
  try {
    await runOn(workspace, ops);
  } finally {
    await workspace.close();
  }
}

async function runOn(workspace: LocalWorkspace, ops: Op[]): Promise<void> {
  const local = workspace.doc;
  const server = new Y.Doc();
  const peer = new Y.Doc();
  seedAccount(server);
  for (const id of COMPONENTS.slice(0, 3)) writeComponent(server, component(id, `Component ${id}`), SERVER_ORIGIN);
  deliver(server, local);
  deliver(server, peer);
  let peerPacks = 0;
  const packIds = (doc: Y.Doc) => readPacks(doc).map((pack) => pack.id);

  for (const op of ops) {
    switch (op.kind) {
      case 'addPack':
        await workspace.addPack({ name: NAMES[op.name % NAMES.length]!, description: '', installationType: op.multi ? 'MULTI' : 'SINGLE' });
        break;
      case 'save': {
        const id = pick(packIds(local), op.pack);
        if (id) await workspace.savePack(id, { name: NAMES[op.name % NAMES.length]!, description: op.description });
        break;
      }
      case 'addComponents': {
        const id = pick(packIds(local), op.pack);
        if (id)
          await workspace.addComponents(
            id,
            op.components.map((c) => COMPONENTS[c % COMPONENTS.length]!),
          );
        break;
      }
      case 'removeComponent': {
        const pack = pick(readPacks(local), op.pack);
        const componentId = pack && pick(pack.componentIds, op.component);
        if (pack && componentId) await workspace.removeComponent(pack.id, componentId);
        break;
      }
      case 'undo': {
        const id = pick(packIds(local), op.pack);
        if (id) workspace.undo(id);
        break;
      }
      case 'redo': {
        const id = pick(packIds(local), op.pack);
        if (id) workspace.redo(id);
        break;
      }
      case 'publish': {
        const id = COMPONENTS[op.component % COMPONENTS.length]!;
        const versions = Array.from({ length: op.versions }, (_, i) => i + 1);
        writeComponent(
          server,
          component(id, `Component ${id} ${op.versions}`, op.api ? 'API_SERVICE' : 'PROCESS', versions),
          SERVER_ORIGIN,
        );
        break;
      }
      case 'releases': {
        const id = pick(packIds(server), op.pack);
        if (!id) break;
        const releases: Release[] = Array.from({ length: op.count }, (_, i) => ({
          packId: id,
          number: i + 1,
          components: [{ componentId: 'c0', version: 1 }],
          releaseSchedule: 'IMMEDIATELY',
          status: 'SUCCESS',
          releasedBy: 'server',
          releasedAt: `2026-01-0${i + 1}T00:00:00.000Z`,
          requestId: `r${i}`,
        }));
        writeReleases(server, id, releases, SERVER_ORIGIN);
        break;
      }
      case 'rollout': {
        const packId = pick(packIds(server), op.pack);
        if (packId)
          writeProjected(
            server,
            Root.rollout,
            packId,
            op.instances === 0
              ? undefined
              : {
                  packId,
                  instances: op.instances,
                  accounts: 1,
                  byRelease: [{ releaseNumber: 1, instances: op.instances }],
                  pending: 0,
                  failed: 0,
                },
            SERVER_ORIGIN,
          );
        break;
      }
      case 'managedAccount':
        writeManagedAccount(server, { id: `m${op.id}`, name: NAMES[op.name % NAMES.length]! }, SERVER_ORIGIN);
        break;
      case 'history': {
        const packId = pick(packIds(server), op.pack);
        writeProjected(
          server,
          Root.recentHistory,
          String(op.id + 1),
          op.remove
            ? undefined
            : {
                id: String(op.id + 1),
                seq: op.id + 1,
                kind: 'RELEASE',
                actor: 'Bob',
                at: `2026-01-0${op.id + 1}T00:00:00.000Z`,
                summary: 'released',
                status: 'SUCCESS',
                ...(packId ? { packId } : {}),
              },
          SERVER_ORIGIN,
        );
        break;
      }
      case 'serverDeletesPack': {
        const pack = pick(readPacks(server), op.pack);
        if (pack)
          server.transact(() => {
            packsMap(server).delete(pack.id);
            writeProjected(server, Root.releases, pack.id, undefined, SERVER_ORIGIN);
            writeProjected(server, Root.rollout, pack.id, undefined, SERVER_ORIGIN);
            writeProjected(
              server,
              Root.deletedPacks,
              pack.id,
              { packId: pack.id, name: pack.name, deletedAt: '2026-02-01T00:00:00.000Z', deletedBy: 'Bob' },
              SERVER_ORIGIN,
            );
          }, SERVER_ORIGIN);
        break;
      }
      case 'peerEdit': {
        const pack = pick(readPacks(peer), op.pack);
        if (!pack) break;
        const componentId = COMPONENTS[op.component % COMPONENTS.length]!;
        peer.transact(() => {
          writePackName(peer, pack.id, NAMES[op.name % NAMES.length]!);
          writePackDescription(peer, pack.id, `peer ${op.name}`);
          if (op.add) writeAddComponents(peer, pack.id, [componentId]);
          else writeRemoveComponent(peer, pack.id, componentId);
        });
        break;
      }
      case 'peerAddsPack':
        writeNewPack(peer, {
          id: `q${peerPacks++}`,
          name: NAMES[op.name % NAMES.length]!,
          description: '',
          installationType: 'SINGLE',
          componentIds: ['c1'],
          createdAt: '2026-01-01T00:00:00.000Z',
          createdBy: 'Peer',
        });
        break;
      case 'pushLocal':
        deliver(local, server, 'client');
        break;
      case 'pullRemote':
        deliver(server, local);
        break;
      case 'peerSync':
        deliver(peer, server, 'peer');
        deliver(server, peer, 'server');
        break;
      case 'settle':
        await workspace.settled();
        expect(await tableView(workspace.db)).toEqual(documentView(local));
        break;
    }
  }
  // Whatever is still in flight, then everything exchanged once more.
  deliver(peer, server, 'peer');
  deliver(server, local);
  await workspace.settled();
  expect(await tableView(workspace.db)).toEqual(documentView(local));
  expect(packsMap(local).size).toBe(readPacks(local).length);
}

test(`the tables equal the document after any sequence of local and remote operations (seed ${seed})`, async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 30 }), (ops) => run(ops)),
    { numRuns: Number(process.env.FC_NUM_RUNS ?? 40) },
  );
}, 120_000);
