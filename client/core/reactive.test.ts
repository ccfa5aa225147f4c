import { afterEach, describe, expect, test, vi } from 'vitest';
// Solid's reactive browser build: under Node, 'solid-js' resolves to its non-reactive server build.
// @ts-expect-error the build file itself has no type declarations
vi.mock('solid-js', async () => await import('../../node_modules/solid-js/dist/solid.js'));
import { createEffect, createRoot } from 'solid-js';
import * as Y from 'yjs';
import { matchesFilter, type PublishedComponent } from '../../shared/index.ts';
import { component, deliver, offlineWorkspace, seedAccount, seedCatalog, until } from '../../test/client/support.ts';
import { ComponentFilterIndex } from './filter.ts';
import { liveSignal, reuseById, sameJson } from './reactive.ts';
import type { LocalWorkspace } from './workspace.ts';

const open: LocalWorkspace[] = [];
afterEach(async () => {
  for (const workspace of open.splice(0)) await workspace.close();
});

describe('helpers', () => {
  test('reuseById keeps unchanged items by identity', () => {
    const a = { id: 'a', name: 'A' };
    const b = { id: 'b', name: 'B' };
    const next = reuseById(
      [a, b],
      [
        { id: 'b', name: 'B2' },
        { id: 'a', name: 'A' },
        { id: 'c', name: 'C' },
      ],
    );
    expect(next[1]).toBe(a);
    expect(next[0]).not.toBe(b);
    expect(next.map((item) => item.name)).toEqual(['B2', 'A', 'C']);
  });

  test('a live signal that waits for another read, disposed before it ran, counts as answered (nothing waits for it for ever)', async () => {
    let queried = false;
    const signal = liveSignal(
      async () => {
        queried = true;
        return 1;
      },
      0,
      { after: new Promise(() => {}) },
    );
    signal.dispose();
    await signal.ready;
    expect(queried).toBe(false);
    expect(signal.get()).toBe(0);
  });

  test('sameJson ignores undefined fields and compares deeply', () => {
    expect(sameJson({ a: 1, b: undefined, c: [1, { d: 2 }] }, { a: 1, c: [1, { d: 2 }] })).toBe(true);
    expect(sameJson({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
  });
});

describe('fine-grained reactivity', () => {
  test('an edit to one pack re-runs only what reads that pack', async () => {
    const workspace = await offlineWorkspace();
    open.push(workspace);
    const server = new Y.Doc();
    seedAccount(server);
    seedCatalog(server, [component('c1', 'Orders')]);
    deliver(server, workspace.doc);
    const first = await workspace.addPack({ name: 'Alpha', description: '', installationType: 'SINGLE' });
    const second = await workspace.addPack({ name: 'Beta', description: '', installationType: 'SINGLE' });
    const alpha = first.ok ? first.value : '';
    const beta = second.ok ? second.value : '';
    await until(() => workspace.packs().length === 2, 'the list');

    const runs = { alpha: 0, beta: 0, alphaPublications: 0, list: 0 };
    let betaItem: unknown;
    const dispose = createRoot((dispose) => {
      createEffect(() => {
        workspace.pack(alpha)();
        runs.alpha++;
      });
      createEffect(() => {
        workspace.pack(beta)();
        runs.beta++;
      });
      createEffect(() => {
        workspace.publications(alpha)();
        runs.alphaPublications++;
      });
      createEffect(() => {
        betaItem = workspace.packs().find((item) => item.id === beta);
        runs.list++;
      });
      return dispose;
    });
    await until(() => workspace.pack(alpha)()?.name === 'Alpha' && workspace.pack(beta)()?.name === 'Beta', 'both packs');
    await workspace.settled();
    const before = { ...runs };
    const betaItemBefore = betaItem;

    await workspace.savePack(alpha, { name: 'Alpha 2', description: 'changed' });
    await until(
      () => workspace.pack(alpha)()?.name === 'Alpha 2' && workspace.packs().some((item) => item.name === 'Alpha 2'),
      'the rename',
    );
    await workspace.addComponents(alpha, ['c1']);
    await until(() => workspace.publications(alpha)().length === 1, 'the publication row');

    expect(runs.alpha).toBeGreaterThan(before.alpha);
    expect(runs.alphaPublications).toBeGreaterThan(before.alphaPublications);
    expect(runs.beta).toBe(before.beta); // Beta's details never re-rendered
    expect(betaItem).toBe(betaItemBefore); // Beta's row object is the same: <For> keeps its DOM
    expect(workspace.publications(alpha)()[0]).toMatchObject({ componentName: 'Orders', pendingVersion: 1 });
    // Every call for one pack shares one live query.
    expect(workspace.pack(alpha)).toBe(workspace.pack(alpha));
    dispose();
  });

  test('a remote change to the catalog updates publications and the filter', async () => {
    const workspace = await offlineWorkspace();
    open.push(workspace);
    const server = new Y.Doc();
    seedAccount(server);
    seedCatalog(server, [component('c1', 'Orders'), component('c2', 'Invoices')]);
    deliver(server, workspace.doc);
    const added = await workspace.addPack({ name: 'Alpha', description: '', installationType: 'SINGLE' });
    const alpha = added.ok ? added.value : '';
    await workspace.addComponents(alpha, ['c1']);
    await until(() => workspace.catalog().length === 2, 'the catalog');
    expect(workspace.filterComponents('ORD').map((c) => c.id)).toEqual(['c1']);

    seedCatalog(server, [component('c1', 'Orders renamed', 'PROCESS', [1, 2]), component('c3', 'More orders')]);
    deliver(server, workspace.doc);
    await until(() => workspace.catalog().length === 3, 'the new catalog');
    expect(
      workspace
        .filterComponents(' orders ')
        .map((c) => c.id)
        .sort(),
    ).toEqual(['c1', 'c3']);
    await until(() => workspace.publications(alpha)()[0]?.pendingVersion === 2, 'the newer version');
  });
});

describe('Filter Components', () => {
  const names = ['Orders', 'orders API', 'Invoice Sync', 'Ünïcode Ñame', '注文処理', 'Customer Lookup API'];
  const catalog: PublishedComponent[] = Array.from({ length: 600 }, (_, i) => component(`c${i}`, `${names[i % names.length]} ${i}`));

  test('answers exactly what matchesFilter says', () => {
    const index = new ComponentFilterIndex(catalog);
    for (const filter of ['', '  ', 'ord', 'ORD', ' api ', 'ñame', '注文', '1', 'zzz', 'Sync 2']) {
      expect(index.filter(filter)).toEqual(catalog.filter((c) => matchesFilter(c.name, filter)));
    }
  });

  test('50,000 components: time per keystroke (figure printed, not asserted)', () => {
    const big: PublishedComponent[] = Array.from({ length: 50_000 }, (_, i) =>
      component(`c${i}`, `${names[i % names.length]} component ${i}`),
    );
    let start = performance.now();
    const index = new ComponentFilterIndex(big);
    const build = performance.now() - start;
    const keystrokes = ['o', 'or', 'ord', 'orde', 'order', 'orders', 'orders 4', 'orders 49', 'x'];
    start = performance.now();
    let total = 0;
    for (let round = 0; round < 10; round++) for (const filter of keystrokes) total += index.filter(filter).length;
    const perKeystroke = (performance.now() - start) / (10 * keystrokes.length);
    console.log(`Filter Components on 50,000: index built in ${build.toFixed(1)} ms; ${perKeystroke.toFixed(2)} ms per keystroke`);
    expect(total).toBeGreaterThan(0);
  });
});
