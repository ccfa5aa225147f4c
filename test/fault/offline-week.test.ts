/**
 * Two admins offline for 7 simulated days, then back: the client core (createWorkspace on fake
 * IndexedDB, over ws) against the real server (SQLite, the auto-apply scheduler), one injected clock
 * for all three, no sleeping. While both are offline, each makes seeded random edits every day
 * (renames, descriptions, components added and removed, new packs, releases queued as commands), plus
 * the conflicts that only show when the two meet: each brings a 98-component pack to 100 with
 * different components (102 together, over the limit), one deletes a pack the other keeps editing,
 * and a pending release takes effect on day 3 while nobody is online. On day 7 both reconnect:
 * every queued command gets its one result, the documents of both devices and the server converge,
 * each device's tables equal its document, and every rule holds for every pack.
 */
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
// Solid's reactive browser build: under Node, 'solid-js' resolves to its non-reactive server build.
// @ts-expect-error the build file itself has no type declarations
vi.mock('solid-js', async () => await import('../../node_modules/solid-js/dist/solid.js'));
import fc from 'fast-check';
import WebSocket from 'ws';
import * as Y from 'yjs';
import {
  limits,
  readAccount,
  readCatalog,
  readRollout,
  readPack,
  readPacks,
  readReleases,
  validatePack,
  validateTypeUnchanged,
  type InstallationType,
  type PublishedComponent,
} from '../../shared/index.ts';
import type { Session } from '../../client/core/api.ts';
import { memoryStorage, signIn } from '../../client/core/session.ts';
import { createWorkspace, type LocalWorkspace } from '../../client/core/workspace.ts';
import type { Timer } from '../../sync-server/scheduler.ts';
import { isSaved, waitFor } from '../client/loopback-support.ts';
import { documentView, IDBFactory, IDBKeyRange, tableView } from '../client/support.ts';
import { sameState, startTestServer, type TestServer } from '../server/helpers.ts';
import { seedFor } from './support.ts';

const DAY = 24 * 60 * 60 * 1000;
const START = Date.parse('2025-06-02T09:00:00Z');
const manualTimer: Timer = { set: () => undefined, clear: () => undefined };

let now = START;
const clock = { now: () => new Date(now) };
let t: TestServer;
const workspaces: LocalWorkspace[] = [];

beforeAll(async () => {
  t = await startTestServer({ clock, scheduler: { timer: manualTimer } });
});
afterAll(async () => {
  for (const workspace of workspaces) await workspace.close();
  await t?.close();
});

let devices = 0;
async function open(token: string): Promise<LocalWorkspace> {
  const device = ++devices;
  let ids = 0;
  const signedIn = await signIn(t.server.url, token, { storage: memoryStorage() });
  if (!signedIn.ok) throw new Error(signedIn.error.message);
  const session: Session = signedIn.value;
  const workspace = await createWorkspace(session, {
    indexedDB: new IDBFactory(),
    IDBKeyRange,
    WebSocketPolyfill: WebSocket,
    clock,
    backoff: { baseMs: 20, maxMs: 200 },
    random: () => 0.5,
    commandWaitMs: 10_000,
    newId: () => `d${device}-pack-${++ids}`, // deterministic, so the seeded script picks the same packs every run
  });
  workspaces.push(workspace);
  return workspace;
}

const ok = <T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }, what: string): T => {
  if (!result.ok) throw new Error(`${what}: ${result.error.message}`);
  return result.value;
};

/** One random edit, read against the device's own state. */
type Op =
  | { kind: 'rename' | 'describe'; pick: number; text: string }
  | { kind: 'addComponent' | 'removeComponent'; pick: number; component: number }
  | { kind: 'newPack'; text: string; multi: boolean }
  | { kind: 'release'; pick: number; pending: boolean };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constantFrom('rename' as const, 'describe' as const),
      pick: fc.nat(),
      text: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constantFrom('addComponent' as const, 'removeComponent' as const),
      pick: fc.nat(),
      component: fc.nat(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('newPack' as const),
      text: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
      multi: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('release' as const), pick: fc.nat(), pending: fc.boolean() }) },
);

/** Applies an op through the Workspace (its own rule checks may refuse it; that is fine). Packs in `spared` are left alone. */
async function apply(
  workspace: LocalWorkspace,
  op: Op,
  catalog: readonly PublishedComponent[],
  spared: ReadonlySet<string>,
  types: Map<string, InstallationType>,
): Promise<boolean> {
  const packs = readPacks(workspace.doc)
    .filter((p) => !spared.has(p.id))
    .sort((a, b) => a.id.localeCompare(b.id));
  if (op.kind === 'newPack') {
    const result = await workspace.addPack({
      name: op.text.trim() || 'Pack',
      description: `Made offline on ${clock.now().toISOString().slice(0, 10)}`,
      installationType: op.multi ? 'MULTI' : 'SINGLE',
    });
    if (result.ok) types.set(result.value, op.multi ? 'MULTI' : 'SINGLE');
    return result.ok;
  }
  const pack = packs[op.pick % Math.max(1, packs.length)];
  if (!pack) return false;
  switch (op.kind) {
    case 'rename':
      return (await workspace.savePack(pack.id, { name: op.text.trim() || pack.name, description: pack.description })).ok;
    case 'describe':
      return (await workspace.savePack(pack.id, { name: pack.name, description: `${op.text} (${clock.now().toISOString().slice(0, 10)})` }))
        .ok;
    case 'addComponent':
      return (await workspace.addComponents(pack.id, [catalog[op.component % catalog.length]!.id])).ok;
    case 'removeComponent': {
      const id = pack.componentIds[op.component % Math.max(1, pack.componentIds.length)];
      return id !== undefined && (await workspace.removeComponent(pack.id, id)).ok;
    }
    case 'release': {
      const date = new Date(now + 2 * DAY).toISOString().slice(0, 10);
      return (
        await workspace.release(
          pack.id,
          op.pending ? { releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE', releaseOnDate: date } : { releaseSchedule: 'IMMEDIATELY' },
        )
      ).ok;
    }
  }
}

test('two admins offline for 7 days with random edits on both sides converge, and every rule holds', async () => {
  const seed = seedFor('offline week', 7_070_707);
  const processes: PublishedComponent[] = Array.from({ length: 110 }, (_, i) => ({
    id: `proc-${String(i).padStart(3, '0')}`,
    name: `Process ${i}`,
    type: 'PROCESS',
    versions: [1, 2],
  }));
  const apis: PublishedComponent[] = [0, 1].map((i) => ({ id: `api-${i}`, name: `API ${i}`, type: 'API_SERVICE', versions: [1] }));
  await t.server.rooms.mutate('demo', (_doc, _origin, records) => {
    for (const component of [...processes, ...apis]) records.putComponent(component);
    records.putManagedAccount({ id: 'm1', name: 'Managed One' });
  });

  // Day 0, online: Ann sets the scene.
  const ann = await open(t.tokens.admin);
  const bob = await open(t.tokens.admin2);
  await waitFor(
    () => isSaved(ann) && isSaved(bob) && readCatalog(ann.doc).size === 112 && readCatalog(bob.doc).size === 112,
    'both online with the catalog',
    [ann.doc, bob.doc],
  );
  const types = new Map<string, InstallationType>();
  const big = ok(await ann.addPack({ name: 'Big Pack', description: 'Near the component limit', installationType: 'SINGLE' }), 'big');
  ok(
    await ann.addComponents(
      big,
      processes.slice(0, 98).map((c) => c.id),
    ),
    'big components',
  );
  const doomed = ok(await ann.addPack({ name: 'Doomed Pack', description: 'Deleted mid-week', installationType: 'MULTI' }), 'doomed');
  const pending = ok(
    await ann.addPack({ name: 'Pending Pack', description: 'Re-released for day 3', installationType: 'SINGLE' }),
    'pending',
  );
  ok(await ann.addComponents(pending, [processes[0]!.id]), 'pending component');
  for (const [id, type] of [
    [big, 'SINGLE'],
    [doomed, 'MULTI'],
    [pending, 'SINGLE'],
  ] as const)
    types.set(id, type);
  expect(ok(await ann.release(pending, { releaseSchedule: 'IMMEDIATELY' }), 'release 1')).toMatchObject({
    queued: false,
    result: { status: 'SUCCESS' },
  });
  const install = await fetch(`${t.server.url}/api/accounts/demo/commands`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${t.tokens.admin}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ idempotencyKey: 'week-install-1', command: { type: 'INSTALL', packId: pending, managedAccountId: 'm1' } }),
  });
  expect(((await install.json()) as { status: string }).status).toBe('SUCCESS');
  ok(await ann.addComponents(pending, [processes[1]!.id]), 'pending second component');
  const dayThree = new Date(START + 3 * DAY).toISOString().slice(0, 10);
  expect(
    ok(await ann.release(pending, { releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE', releaseOnDate: dayThree }), 'release 2'),
  ).toMatchObject({ queued: false, result: { status: 'SUCCESS' } });
  await waitFor(
    () => isSaved(ann) && isSaved(bob) && sameState(ann.doc, bob.doc) && readRollout(bob.doc, pending)?.instances === 1,
    'both have day 0',
    [ann.doc, bob.doc],
  );

  // Days 1–7, offline.
  ann.disconnect();
  bob.disconnect();
  const spared = new Set([big, doomed, pending]);
  const scripts = fc.sample(fc.array(fc.array(opArb, { minLength: 8, maxLength: 16 }), { minLength: 7, maxLength: 7 }), {
    seed,
    numRuns: 2,
  });
  let applied = 0;
  let refused = 0;
  for (let day = 1; day <= 7; day++) {
    now = START + day * DAY;
    await t.server.scheduler.tick(); // the server's day: a due release is applied while both are away
    for (const [workspace, script] of [
      [ann, scripts[0]![day - 1]!],
      [bob, scripts[1]![day - 1]!],
    ] as const)
      for (const op of script) (await apply(workspace, op, [...processes, ...apis], spared, types)) ? applied++ : refused++;
    if (day === 2) ok(await ann.addComponents(big, [processes[100]!.id, processes[101]!.id]), 'Ann fills Big Pack');
    if (day === 3) expect(ok(await ann.deletePack(doomed), 'Ann deletes Doomed Pack').queued).toBe(true);
    if (day === 4 || day === 6)
      ok(await bob.savePack(doomed, { name: 'Doomed Pack', description: `Bob edits it on day ${day}` }), 'Bob edits Doomed Pack');
    if (day === 5) ok(await bob.addComponents(big, [processes[102]!.id, processes[103]!.id]), 'Bob fills Big Pack');
  }
  expect(ann.status().state).toBe('offline');
  expect(readPack(ann.doc, big)?.componentIds).toHaveLength(limits.componentsPerPack);
  expect(readPack(bob.doc, big)?.componentIds).toHaveLength(limits.componentsPerPack);
  await t.server.rooms.read('demo', (doc, records) => {
    expect(readReleases(doc, pending).find((r) => r.number === 2)?.status, 'the day-3 release took effect offline').toBe('SUCCESS');
    expect([...records.instances()][0]?.releaseNumber).toBe(2);
  });
  const queued = ann.pendingCommands().length + bob.pendingCommands().length;
  expect(queued).toBeGreaterThanOrEqual(1);

  // Day 7: back online, Ann first (her delete runs before Bob's edits to that pack arrive).
  ann.connect();
  await waitFor(() => isSaved(ann) && ann.pendingCommands().length === 0, 'Ann is back and her commands ran', [ann.doc], 30_000);
  bob.connect();
  const server = () => t.server.rooms.read('demo', (doc) => Y.encodeStateAsUpdate(doc));
  await waitFor(
    async () => {
      if (!isSaved(ann) || !isSaved(bob) || ann.pendingCommands().length + bob.pendingCommands().length > 0 || !sameState(ann.doc, bob.doc))
        return false;
      const serverDoc = new Y.Doc();
      Y.applyUpdate(serverDoc, await server());
      return sameState(serverDoc, ann.doc);
    },
    'both devices and the server converge with every command answered',
    [ann.doc, bob.doc],
    30_000,
  );
  await Promise.all([ann.settled(), bob.settled()]);

  const account = readAccount(ann.doc)!;
  const catalog = readCatalog(ann.doc);
  const rows: string[] = [];
  for (const workspace of [ann, bob]) {
    expect(await tableView(workspace.db), 'tables equal the document').toEqual(documentView(workspace.doc));
    for (const pack of readPacks(workspace.doc)) {
      const valid = validatePack(pack, account, catalog);
      if (!valid.ok) rows.push(`${pack.id}: ${valid.error.message}`);
      const created = types.get(pack.id);
      if (created && !validateTypeUnchanged(created, pack.installationType).ok) rows.push(`${pack.id}: type changed`);
    }
  }
  expect(rows).toEqual([]);
  expect(readPack(ann.doc, big)!.componentIds.length).toBeLessThanOrEqual(limits.componentsPerPack);
  expect(readPack(ann.doc, doomed)).toBeUndefined();
  expect(
    bob
      .notices()
      .filter((n) => n.packId === doomed)
      .map((n) => n.code),
    'Bob is told his edits to the deleted pack were dropped',
  ).toContain('OFFLINE_EDITS_DROPPED');
  expect(readRollout(ann.doc, pending)).toMatchObject({ instances: 1, byRelease: [{ releaseNumber: 2, instances: 1 }] });
  console.log(
    `offline week: ${applied} edits applied, ${refused} refused by the client's own rules, ${queued} commands queued, ${readPacks(ann.doc).length} packs`,
  );
}, 90_000);
