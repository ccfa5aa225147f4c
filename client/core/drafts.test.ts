import { afterEach, describe, expect, test, vi } from 'vitest';
// Solid's reactive browser build: under Node, 'solid-js' resolves to its non-reactive server build.
// @ts-expect-error the build file itself has no type declarations
vi.mock('solid-js', async () => await import('../../node_modules/solid-js/dist/solid.js'));
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { openPackDb, type PackDb } from './db.ts';
import { NEW_PACK, PackDrafts, type PackDraft } from './drafts.ts';

const opened: { db: PackDb; drafts: PackDrafts }[] = [];
afterEach(() => {
  for (const { db, drafts } of opened.splice(0)) {
    drafts.close();
    db.close();
  }
});

async function open(factory = new IDBFactory()) {
  const db = openPackDb('ip:acct:person', { indexedDB: factory, IDBKeyRange });
  await db.open();
  const errors: unknown[] = [];
  const drafts = new PackDrafts(db, (error) => errors.push(error));
  opened.push({ db, drafts });
  return { db, drafts, errors, factory };
}

const draft = (name: string, extra: Partial<PackDraft> = {}): PackDraft => ({
  name,
  description: 'd',
  base: { name: 'Orders', description: 'd' },
  keptAt: '2026-12-02T10:00:00.000Z',
  ...extra,
});

describe('PackDrafts', () => {
  test('a kept draft survives a reopened database (a reload), per pack', async () => {
    const first = await open();
    first.drafts.keep('p1', draft('Orders v2'));
    first.drafts.keep(NEW_PACK, draft('New one', { installationType: 'MULTI' }));
    await first.drafts.settled();
    first.drafts.close();
    first.db.close();
    opened.length = 0;

    const again = await open(first.factory);
    expect(await again.drafts.load('p1')).toMatchObject({ name: 'Orders v2', base: { name: 'Orders' } });
    expect(await again.drafts.load(NEW_PACK)).toMatchObject({ name: 'New one', installationType: 'MULTI' });
    expect(await again.drafts.load('p2')).toBeUndefined();
  });

  test('typing fast writes only the newest value, and load sees it before it is written', async () => {
    const { db, drafts } = await open();
    let puts = 0;
    db.meta.hook('creating', () => void puts++);
    db.meta.hook('updating', () => void puts++);
    for (const name of ['O', 'Or', 'Ord', 'Orde', 'Order']) drafts.keep('p1', draft(name));
    expect((await drafts.load('p1'))?.name).toBe('Order');
    await drafts.settled();
    expect((await db.meta.get('draft:p1'))?.value).toMatchObject({ name: 'Order' });
    expect(puts).toBeLessThanOrEqual(2);
  });

  test('undefined ends the draft; ids lists the packs that have one', async () => {
    const { drafts } = await open();
    drafts.keep('p1', draft('A'));
    drafts.keep('p2', draft('B'));
    await drafts.settled();
    await vi.waitFor(() => expect([...drafts.ids()].sort()).toEqual(['p1', 'p2']));
    drafts.keep('p1', undefined);
    await drafts.settled();
    expect(await drafts.load('p1')).toBeUndefined();
    await vi.waitFor(() => expect([...drafts.ids()]).toEqual(['p2']));
  });

  test('a failed write is reported and does not stop later ones', async () => {
    const { db, drafts, errors } = await open();
    let fail = true;
    db.meta.hook('creating', () => {
      if (fail) throw new Error('disk full');
    });
    drafts.keep('p1', draft('lost'));
    await drafts.settled();
    expect(errors).toHaveLength(1);
    fail = false;
    drafts.keep('p1', draft('kept'));
    await drafts.settled();
    expect((await drafts.load('p1'))?.name).toBe('kept');
  });
});
