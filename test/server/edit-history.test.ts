/**
 * The edit history of Name and Description (issue 16 item 13), over real sockets and the server's
 * tables: each accepted edit is recorded once with the person its client id is bound to, the
 * server's time and the values before and after, as the merged document has them; a refused,
 * repaired or read-only update records nothing (a client id taken from someone else: see
 * test/attack/forged-client-id.test.ts).
 */
import { afterEach, expect, test } from 'vitest';
import * as Y from 'yjs';
import { packsMap, readPack, writeNewPack, writePackDescription, writePackName, type HistoryPage } from '../../shared/index.ts';
import type { Clock } from '../../sync-server/config.ts';
import { connectClient, covers, startTestServer, synced, waitFor, type TestClient, type TestServer } from './helpers.ts';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A clock the test moves by hand. */
function manualClock(start: string): Clock & { set(iso: string): void } {
  let now = new Date(start);
  return { now: () => now, set: (iso) => (now = new Date(iso)) } as Clock & { set(iso: string): void };
}

async function server(clock = manualClock('2026-12-02T09:00:00.000Z')): Promise<TestServer> {
  const t = await startTestServer({ clock });
  cleanup.push(() => t.close());
  await t.server.rooms.mutate('demo', (doc, origin) =>
    writeNewPack(
      doc,
      {
        id: 'big',
        name: 'Big',
        description: 'Before',
        installationType: 'SINGLE',
        componentIds: [],
        createdAt: '2026-01-01T00:00:00.000Z',
        createdBy: 'ann',
      },
      origin,
    ),
  );
  return t;
}

function client(t: TestServer, token: string, doc?: Y.Doc): TestClient {
  const c = connectClient({ wsUrl: t.wsUrl, accountId: 'demo', token, proto: true, ...(doc ? { doc } : {}) });
  cleanup.push(() => c.destroy());
  return c;
}

const room = (t: TestServer) => t.server.rooms.room('demo');

/** Waits until the server has everything the client wrote, stored. */
async function delivered(t: TestServer, c: TestClient): Promise<void> {
  const mine = Y.encodeStateVector(c.doc);
  await waitFor([c], () => covers(Y.encodeStateVector(room(t).doc), mine), 'the server has the client’s edits');
  await room(t).committed();
}

async function edits(t: TestServer, token = t.tokens.admin): Promise<HistoryPage['records']> {
  const response = await fetch(`${t.server.url}/api/accounts/demo/history?packId=big&kind=EDIT_PACK`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as HistoryPage).records;
}

const essentials = (records: HistoryPage['records']) =>
  records.map(({ actorId, actor, at, field, oldValue, newValue, kind, status }) => ({
    actorId,
    actor,
    at,
    field,
    oldValue,
    newValue,
    kind,
    status,
  }));

test('two admins’ edits are recorded with who, when and old → new, newest first, in the tables', async () => {
  const clock = manualClock('2026-12-02T09:00:00.000Z');
  const t = await server(clock);
  const ann = client(t, t.tokens.admin);
  const bob = client(t, t.tokens.admin2);
  await Promise.all([synced(ann), synced(bob)]);

  writePackName(ann.doc, 'big', 'Big Toolkit');
  await delivered(t, ann);
  clock.set('2026-12-02T09:05:00.000Z');
  writePackDescription(bob.doc, 'big', 'After');
  await delivered(t, bob);
  clock.set('2026-12-02T09:10:00.000Z');
  // One update changing both fields: two records.
  bob.doc.transact(() => {
    packsMap(bob.doc).get('big')!.set('name', 'Big Kit');
    packsMap(bob.doc).get('big')!.set('description', '');
  });
  await delivered(t, bob);
  // An update that changes neither (the same value again, components) records nothing.
  writePackName(ann.doc, 'big', 'Big Kit');
  await delivered(t, ann);

  const records = await edits(t);
  expect(essentials(records)).toEqual([
    {
      actorId: 'bob',
      actor: 'bob',
      at: '2026-12-02T09:10:00.000Z',
      field: 'description',
      oldValue: 'After',
      newValue: '',
      kind: 'EDIT_PACK',
      status: 'SUCCESS',
    },
    {
      actorId: 'bob',
      actor: 'bob',
      at: '2026-12-02T09:10:00.000Z',
      field: 'name',
      oldValue: 'Big Toolkit',
      newValue: 'Big Kit',
      kind: 'EDIT_PACK',
      status: 'SUCCESS',
    },
    {
      actorId: 'bob',
      actor: 'bob',
      at: '2026-12-02T09:05:00.000Z',
      field: 'description',
      oldValue: 'Before',
      newValue: 'After',
      kind: 'EDIT_PACK',
      status: 'SUCCESS',
    },
    {
      actorId: 'ann',
      actor: 'ann',
      at: '2026-12-02T09:00:00.000Z',
      field: 'name',
      oldValue: 'Big',
      newValue: 'Big Toolkit',
      kind: 'EDIT_PACK',
      status: 'SUCCESS',
    },
  ]);
  expect(records[3]!.summary).toBe('Name changed from “Big” to “Big Toolkit”.');
  expect(records[0]!.summary).toBe('Description changed from “After” to (empty).');
  // A viewer reads them too; they are not in the document (edits are many: only the tables hold them).
  expect(essentials(await edits(t, t.tokens.viewer))).toEqual(essentials(records));
  expect([...room(t).doc.getMap('recentHistory').values()].some((r) => (r as { kind: string }).kind === 'EDIT_PACK')).toBe(false);

  // They survive a restart: they are rows of the audit table, stored with the update.
  await t.server.close();
  const again = await startTestServer({ dataDir: t.dataDir, store: await t.reopenStore(), clock });
  cleanup.push(() => again.close());
  expect(essentials(await edits(again))).toEqual(essentials(records));
});

test('offline edits merged later: recorded when merged, by their author, as the merged document changed', async () => {
  const clock = manualClock('2026-12-02T09:00:00.000Z');
  const t = await server(clock);
  const ann = client(t, t.tokens.admin);
  const bob = client(t, t.tokens.admin2);
  await Promise.all([synced(ann), synced(bob)]);
  ann.provider.disconnect();
  writePackName(ann.doc, 'big', 'Ann’s offline name');
  writePackDescription(ann.doc, 'big', 'Ann’s offline description');
  clock.set('2026-12-02T09:01:00.000Z');
  writePackName(bob.doc, 'big', 'Bob’s name');
  await delivered(t, bob);
  clock.set('2026-12-02T10:00:00.000Z');
  ann.provider.connect();
  await synced(ann);
  await delivered(t, ann);
  await waitFor([ann, bob], () => readPack(ann.doc, 'big')?.name === readPack(bob.doc, 'big')?.name, 'both see the merged name');

  const final = readPack(room(t).doc, 'big')!;
  const records = [...(await edits(t))].reverse();
  // Bob's edit first; Ann's when it arrived (her description surely, her name only if it won the merge).
  expect(essentials(records.slice(0, 1))).toMatchObject([{ actorId: 'bob', field: 'name', oldValue: 'Big', newValue: 'Bob’s name' }]);
  expect(essentials(records.slice(1)).filter((r) => r.field === 'description')).toEqual([
    expect.objectContaining({ actorId: 'ann', at: '2026-12-02T10:00:00.000Z', oldValue: 'Before', newValue: 'Ann’s offline description' }),
  ]);
  // Each field's records chain: every old value is the previous new one, and the last is what the pack says.
  for (const field of ['name', 'description'] as const) {
    const chain = records.filter((r) => r.field === field);
    for (let i = 1; i < chain.length; i++) expect(chain[i]!.oldValue).toBe(chain[i - 1]!.newValue);
    expect(chain.at(-1)!.newValue).toBe(final[field]);
  }
  const annNameWon = final.name === 'Ann’s offline name';
  expect(records.filter((r) => r.field === 'name' && r.actorId === 'ann')).toHaveLength(annNameWon ? 1 : 0);
});

test('refused, repaired and read-only updates record nothing', async () => {
  const t = await server();
  const ann = client(t, t.tokens.admin);
  const val = client(t, t.tokens.viewer);
  await Promise.all([synced(ann), synced(val)]);

  // Refused whole (a write outside packs in the same update): the name is not changed, nothing recorded.
  ann.doc.transact(() => {
    packsMap(ann.doc).get('big')!.set('name', 'Sneaky');
    ann.doc.getMap('releases').set('big', 'mine');
  });
  await waitFor([ann], () => ann.notices.some((n) => n.code !== undefined), 'the refusal notice');
  // Repaired (a blank name breaks the rule): the server puts the old one back.
  const ann2 = client(t, t.tokens.admin);
  await synced(ann2);
  writePackName(ann2.doc, 'big', '   ');
  await waitFor([ann2], () => ann2.notices.length > 0 && readPack(ann2.doc, 'big')?.name === 'Big', 'the repair');
  // A viewer's edit is not applied.
  writePackName(val.doc, 'big', 'Viewer was here');
  await waitFor([val], () => val.notices.some((n) => n.code === 'READ_ONLY'), 'read-only notice');
  await room(t).committed();

  expect(readPack(room(t).doc, 'big')!.name).toBe('Big');
  expect(await edits(t)).toEqual([]);
});

test('the history route filters by kind and refuses a malformed one', async () => {
  const t = await server();
  const ann = client(t, t.tokens.admin);
  await synced(ann);
  writePackName(ann.doc, 'big', 'Renamed');
  await delivered(t, ann);
  const all = await fetch(`${t.server.url}/api/accounts/demo/history?packId=big`, {
    headers: { Authorization: `Bearer ${t.tokens.admin}` },
  });
  expect(((await all.json()) as HistoryPage).records.map((r) => r.kind)).toContain('EDIT_PACK');
  const other = await fetch(`${t.server.url}/api/accounts/demo/history?packId=big&kind=RELEASE`, {
    headers: { Authorization: `Bearer ${t.tokens.admin}` },
  });
  expect(((await other.json()) as HistoryPage).records).toEqual([]);
  const bad = await fetch(`${t.server.url}/api/accounts/demo/history?kind=not%20a%20kind`, {
    headers: { Authorization: `Bearer ${t.tokens.admin}` },
  });
  expect(bad.status).toBe(400);
});

test('an edit through the API (UPDATE_PACK) is in the edit history too, beside its command record', async () => {
  const t = await server();
  const result = await t.server.rooms.command(
    'demo',
    { accountId: 'demo', personId: 'bob', personName: 'Bob B.', role: 'admin' },
    { idempotencyKey: 'edit-via-api', command: { type: 'UPDATE_PACK', packId: 'big', name: 'Via API', description: 'Before' } },
  );
  expect(result.status).toBe('SUCCESS');
  expect(essentials(await edits(t))).toEqual([
    expect.objectContaining({ actorId: 'bob', actor: 'Bob B.', field: 'name', oldValue: 'Big', newValue: 'Via API' }),
  ]);
});
