import { afterEach, expect, test, vi } from 'vitest';
// Solid's reactive browser build: under Node, 'solid-js' resolves to its non-reactive server build.
// @ts-expect-error the build file itself has no type declarations
vi.mock('solid-js', async () => await import('../../node_modules/solid-js/dist/solid.js'));
import type { HistoryPage, HistoryRecord } from '../../shared/index.ts';
import { editRecord } from '../../shared/pack-edits.ts';
import { offlineWorkspace, until } from '../../test/client/support.ts';
import type { LocalWorkspace } from './workspace.ts';

const open: LocalWorkspace[] = [];
afterEach(async () => {
  for (const workspace of open.splice(0)) await workspace.close();
});

const edit = (seq: number, oldValue: string, newValue: string): HistoryRecord => ({
  id: String(seq),
  seq,
  ...editRecord('p1', { field: 'name', oldValue, newValue }, { personId: 'ann', personName: 'Ann' }, `2026-12-02T09:0${seq}:00.000Z`),
});

/** The server's answers to GET /history, as the route serves them; the URLs asked, in order. */
function historyServer(pages: HistoryPage[]) {
  const asked: URL[] = [];
  const fetch = async (input: string | URL | Request) => {
    asked.push(new URL(String(input)));
    return new Response(JSON.stringify(pages[Math.min(asked.length, pages.length) - 1]), { status: 200 });
  };
  return { asked, fetch: fetch as typeof globalThis.fetch };
}

test('a pack’s edits: fetched by kind, newest first, replaced on refresh, read after a reload with no network', async () => {
  const server = historyServer([
    { records: [edit(2, 'B', 'C'), edit(1, 'A', 'B')] },
    { records: [edit(3, 'C', 'A'), edit(2, 'B', 'C'), edit(1, 'A', 'B')] },
  ]);
  const workspace = await offlineWorkspace({ fetch: server.fetch });
  open.push(workspace);
  const edits = workspace.packEdits('p1');

  expect((await workspace.refreshEdits('p1')).ok).toBe(true);
  expect(server.asked[0]!.pathname).toBe('/api/accounts/acct-1/history');
  expect(Object.fromEntries(server.asked[0]!.searchParams)).toEqual({ packId: 'p1', kind: 'EDIT_PACK', limit: '100' });
  await until(() => edits().length === 2, 'two edits');
  expect(edits().map((e) => [e.oldValue, e.newValue])).toEqual([
    ['B', 'C'],
    ['A', 'B'],
  ]);
  await workspace.refreshEdits('p1');
  await until(() => edits().length === 3, 'three edits');
  expect(edits()[0]).toMatchObject({ oldValue: 'C', newValue: 'A', actor: 'Ann', field: 'name' });
  expect(workspace.pageState('edits', 'p1')()).toMatchObject({ loaded: true, complete: true, loading: false });

  // They are not History panel entries: pages fetched without a kind carry them, the panel leaves them out.
  await workspace.db.historyPages.bulkPut([edit(4, 'A', 'D'), { ...edit(5, 'x', 'y'), kind: 'RELEASE', summary: 'Release 1' }]);
  await until(() => workspace.history('p1')().length === 1, 'the history without edits');
  expect(workspace.history('p1')()[0]!.kind).toBe('RELEASE');

  const factory = workspace.factory;
  await workspace.close();
  open.splice(0);
  const failing = (async () => {
    throw new TypeError('Failed to fetch');
  }) as typeof globalThis.fetch;
  const reloaded = await offlineWorkspace({ indexedDB: factory, fetch: failing });
  open.push(reloaded);
  await until(() => reloaded.packEdits('p1')().length === 3, 'the edits after a reload');
  const refused = await reloaded.refreshEdits('p1');
  expect(refused).toMatchObject({ ok: false, error: { message: 'The Name and Description history could not be loaded: Failed to fetch' } });
  expect(reloaded.packEdits('p1')()).toHaveLength(3);
});

test('Show more in History fetches on past pages of edits until it has a page of entries, or the end', async () => {
  const release = (seq: number): HistoryRecord => ({ ...edit(seq, 'x', 'y'), kind: 'RELEASE', summary: `Release ${seq}` });
  const edits = (from: number, count: number) => Array.from({ length: count }, (_, i) => edit(from - i, 'A', 'B'));
  // Newest first: 50 edits, then 30 edits and 20 entries, then 1 entry and the end.
  const server = historyServer([
    { records: edits(200, 50), nextCursor: 'c1' },
    { records: [...edits(150, 30), ...Array.from({ length: 20 }, (_, i) => release(120 - i))], nextCursor: 'c2' },
    { records: [release(99)] },
  ]);
  const workspace = await offlineWorkspace({ fetch: server.fetch });
  open.push(workspace);
  const history = workspace.history('p1');

  expect((await workspace.loadMore('history', 'p1')).ok).toBe(true);
  expect(server.asked.map((url) => url.searchParams.get('cursor'))).toEqual([null, 'c1', 'c2']);
  await until(() => history().length === 21, 'every entry of the three pages');
  expect(workspace.pageState('history', 'p1')()).toMatchObject({ loaded: true, complete: true });
});

test('Show more in History stops at a page of entries', async () => {
  const server = historyServer([
    {
      records: Array.from({ length: 50 }, (_, i) => ({ ...edit(100 - i, 'x', 'y'), kind: 'RELEASE', summary: 'Release' })),
      nextCursor: 'c1',
    },
  ]);
  const workspace = await offlineWorkspace({ fetch: server.fetch });
  open.push(workspace);
  expect((await workspace.loadMore('history', 'p1')).ok).toBe(true);
  expect(server.asked).toHaveLength(1);
  expect(workspace.pageState('history', 'p1')()).toMatchObject({ loaded: true, complete: false });
});
