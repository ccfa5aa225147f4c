/** reconcilePack: what the server keeps of a client's edit. Every kind of violation, then properties. */
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { fc } from '../test/support/fast-check.ts';
import {
  applyPackEdit,
  packEditArb,
  validPackArb,
  validPackEditArb,
  worldArb,
  type PackEdit,
  type ReconcileWorld,
} from '../test/support/pack-edits.ts';
import { limits } from './limits.ts';
import type { IntegrationPack, PackTombstone, PublishedComponent } from './model.ts';
import { reconcilePack, type ReconcileContext } from './reconcile.ts';
import { validatePack } from './rules.ts';
import { packsMap, readPack, readRawPack, repairPack, writeNewPack } from './schema.ts';

const catalog = new Map<string, PublishedComponent>();
for (let index = 0; index < 105; index++) {
  const id = `p${String(index).padStart(3, '0')}`;
  catalog.set(id, { id, name: `Process ${index}`, type: 'PROCESS', versions: [1] });
}
catalog.set('api', { id: 'api', name: 'Customer API', type: 'API_SERVICE', versions: [1] });
const context: ReconcileContext = { account: { multiInstallEnabled: true }, catalog, tombstones: new Map() };

const previous: IntegrationPack = {
  id: 'pack-1',
  name: 'Orders',
  description: 'Order sync',
  installationType: 'MULTI',
  componentIds: ['p000', 'p001'],
  createdAt: '2026-03-01T10:00:00.000Z',
  createdBy: 'person-ada',
};

/** The pack as the server accepted it, then the client's edits, then what reconcile says. */
function reconcileAfter(edits: PackEdit[], before: IntegrationPack | null = previous, ctx: ReconcileContext = context) {
  const doc = new Y.Doc();
  if (before) writeNewPack(doc, before);
  for (const edit of edits) applyPackEdit(doc, 'pack-1', edit);
  return reconcilePack('pack-1', before ?? undefined, readRawPack(packsMap(doc).get('pack-1')), ctx);
}
const set = (key: string, value: unknown): PackEdit => ({ kind: 'set', key, value });
const add = (id: string, value: unknown = true): PackEdit => ({ kind: 'addComponent', id, value });
const remove = (id: string): PackEdit => ({ kind: 'removeComponent', id });
const first = (count: number) => [...catalog.keys()].filter((id) => id !== 'api').slice(0, count);

describe('an edit to an existing pack: valid parts kept, each violation reverted and reported', () => {
  test.each([
    { why: 'no change', edits: [], codes: [], accepted: previous },
    { why: 'a new name is kept', edits: [set('name', 'Orders v2')], codes: [], accepted: { ...previous, name: 'Orders v2' } },
    {
      why: 'a new description is kept',
      edits: [set('description', '😀'.repeat(500))],
      codes: [],
      accepted: { ...previous, description: '😀'.repeat(500) },
    },
    { why: 'an empty name is reverted', edits: [set('name', '  ')], codes: ['NAME_REQUIRED'], accepted: previous },
    { why: 'a name over 100 characters is reverted', edits: [set('name', 'n'.repeat(101))], codes: ['NAME_TOO_LONG'], accepted: previous },
    { why: 'a name that is not text is reverted', edits: [set('name', 42)], codes: ['NAME_INVALID'], accepted: previous },
    { why: 'a name written as Y.Text is reverted', edits: [set('name', { yText: 'Orders' })], codes: ['NAME_INVALID'], accepted: previous },
    { why: 'a removed name is reverted', edits: [{ kind: 'deleteKey', key: 'name' }], codes: ['NAME_INVALID'], accepted: previous },
    {
      why: 'a name with spaces is kept trimmed',
      edits: [set('name', '  Orders v2 ')],
      codes: ['NAME_NOT_TRIMMED'],
      accepted: { ...previous, name: 'Orders v2' },
    },
    {
      why: 'a description over 500 characters is reverted',
      edits: [set('description', '😀'.repeat(501))],
      codes: ['DESCRIPTION_TOO_LONG'],
      accepted: previous,
    },
    {
      why: 'a description that is not text is reverted',
      edits: [set('description', null)],
      codes: ['DESCRIPTION_INVALID'],
      accepted: previous,
    },
    {
      why: 'the type cannot change once the pack is added',
      edits: [set('installationType', 'SINGLE')],
      codes: ['TYPE_FIXED'],
      accepted: previous,
    },
    {
      why: 'the type cannot be removed',
      edits: [{ kind: 'deleteKey', key: 'installationType' }],
      codes: ['TYPE_FIXED'],
      accepted: previous,
    },
    { why: 'creation fields cannot change', edits: [set('createdBy', 'mallory')], codes: ['CREATED_FIXED'], accepted: previous },
    { why: 'unknown fields are removed', edits: [set('color', 'red')], codes: ['UNKNOWN_FIELD'], accepted: previous },
    {
      why: 'components that are not a map are restored',
      edits: [{ kind: 'replaceComponents', value: ['p005'] }],
      codes: ['COMPONENTS_INVALID'],
      accepted: previous,
    },
    {
      why: 'a Process added to a Multiple Attachments pack is kept',
      edits: [add('p002')],
      codes: [],
      accepted: { ...previous, componentIds: ['p000', 'p001', 'p002'] },
    },
    {
      why: 'an API Service added to a Multiple Attachments pack is reverted, other additions kept',
      edits: [add('api'), add('p002')],
      codes: ['API_SERVICE_IN_MULTI'],
      accepted: { ...previous, componentIds: ['p000', 'p001', 'p002'] },
    },
    { why: 'an unpublished component is reverted', edits: [add('nope')], codes: ['COMPONENT_UNKNOWN'], accepted: previous },
    { why: 'a removal is always kept', edits: [remove('p000')], codes: [], accepted: { ...previous, componentIds: ['p001'] } },
    {
      why: 'a component marked with something else than true is kept and marked true',
      edits: [add('p002', 1)],
      codes: ['COMPONENT_VALUE_INVALID'],
      accepted: { ...previous, componentIds: ['p000', 'p001', 'p002'] },
    },
    {
      why: 'deleting the pack by hand is reverted (deleting is a command)',
      edits: [{ kind: 'deletePack' }],
      codes: ['DELETE_IS_A_COMMAND'],
      accepted: previous,
    },
    {
      why: 'replacing the pack by a value that is not a pack is reverted',
      edits: [{ kind: 'replacePack', value: 'x' }],
      codes: ['DELETE_IS_A_COMMAND'],
      accepted: previous,
    },
    {
      why: 'fields are judged independently: valid description kept, invalid name reverted',
      edits: [set('name', ''), set('description', 'New words')],
      codes: ['NAME_REQUIRED'],
      accepted: { ...previous, description: 'New words' },
    },
  ] satisfies { why: string; edits: PackEdit[]; codes: string[]; accepted: IntegrationPack }[])('$why', ({ edits, codes, accepted }) => {
    const result = reconcileAfter(edits);
    expect(result.violations.map((violation) => violation.code)).toEqual(codes);
    expect(result.accepted).toEqual(accepted);
    for (const violation of result.violations) {
      expect(violation.packId).toBe('pack-1');
      expect(violation.message).toMatch(/\.$/);
    }
  });

  test('"A pack holds at most 100 components": past 100 the pack keeps the first 100 by id, and says how many went', () => {
    const full = { ...previous, installationType: 'SINGLE' as const, componentIds: first(98) };
    const result = reconcileAfter(
      first(103)
        .slice(98)
        .map((id) => add(id)),
      full,
    );
    expect(result.accepted?.componentIds).toEqual(first(100));
    expect(result.violations).toEqual([
      expect.objectContaining({ code: 'TOO_MANY_COMPONENTS', message: expect.stringContaining('the last 3 by id were removed') }),
    ]);
  });

  test('past 100 the result depends only on the merged components, not on which edit came first', () => {
    const base = { ...previous, installationType: 'SINGLE' as const, componentIds: first(40) };
    const ann = first(100).slice(40); // 60 more: 100, valid alone
    const bob = ['api']; // 1 more: 41, valid alone; sorts before all of them
    const merged = [...ann, ...bob].map((id) => add(id));
    const annFirst = reconcileAfter(merged, { ...base, componentIds: [...base.componentIds, ...ann] });
    const bobFirst = reconcileAfter(merged, { ...base, componentIds: [...base.componentIds, ...bob] });
    expect(annFirst.accepted?.componentIds).toEqual(bobFirst.accepted?.componentIds);
    expect(annFirst.accepted?.componentIds).toHaveLength(limits.componentsPerPack);
    expect(annFirst.accepted?.componentIds).toContain('api');
  });

  test('removing and adding in one edit stays within 100', () => {
    const full = { ...previous, installationType: 'SINGLE' as const, componentIds: first(100) };
    const result = reconcileAfter([remove('p000'), add('p100')], full);
    expect(result.violations).toEqual([]);
    expect(result.accepted?.componentIds).toContain('p100');
    expect(result.accepted?.componentIds).not.toContain('p000');
  });
});

describe('a new pack: added whole, or not at all', () => {
  const fresh: IntegrationPack = { ...previous, id: 'pack-1', installationType: 'SINGLE', componentIds: ['p000', 'api'] };
  const writeFresh = (pack: object): PackEdit[] =>
    Object.entries(pack).flatMap(([key, value]): PackEdit[] =>
      key === 'id'
        ? []
        : key === 'componentIds'
          ? [{ kind: 'addMany', ids: [] }, ...(value as string[]).map((id) => add(id))]
          : [set(key, value)],
    );

  test.each([
    { why: 'a valid pack is added', pack: fresh, codes: [], accepted: fresh },
    { why: 'a name with spaces is added trimmed', pack: { ...fresh, name: ' Orders ' }, codes: ['NAME_NOT_TRIMMED'], accepted: fresh },
    { why: 'without a name it is not added', pack: { ...fresh, name: '' }, codes: ['NAME_REQUIRED'], accepted: undefined },
    {
      why: 'with a description over 500 characters it is not added',
      pack: { ...fresh, description: 'd'.repeat(501) },
      codes: ['DESCRIPTION_TOO_LONG'],
      accepted: undefined,
    },
    {
      why: 'a Multiple Attachments pack needs the multi-install feature',
      pack: { ...fresh, installationType: 'MULTI' as const, componentIds: [] },
      codes: ['MULTI_INSTALL_DISABLED'],
      accepted: undefined,
      multi: false,
    },
    {
      why: 'an unknown type is not added',
      pack: { ...fresh, installationType: 'BOTH' as unknown as 'SINGLE' },
      codes: ['TYPE_INVALID'],
      accepted: undefined,
    },
    {
      why: 'a pack missing its creation fields is malformed',
      pack: { ...fresh, createdAt: undefined as unknown as string },
      codes: ['PACK_MALFORMED'],
      accepted: undefined,
    },
    { why: 'a pack with unknown fields is malformed', pack: { ...fresh, color: 'red' }, codes: ['PACK_MALFORMED'], accepted: undefined },
    {
      why: 'a new Multiple Attachments pack is added without its API Service components',
      pack: { ...fresh, installationType: 'MULTI' as const },
      codes: ['API_SERVICE_IN_MULTI'],
      accepted: { ...fresh, installationType: 'MULTI' as const, componentIds: ['p000'] },
    },
  ])('$why', ({ pack, codes, accepted, multi }) => {
    const ctx = { ...context, account: { multiInstallEnabled: multi ?? true } };
    const result = reconcileAfter(writeFresh(pack), null, ctx);
    expect(result.violations.map((violation) => violation.code)).toEqual(codes);
    expect(result.accepted).toEqual(accepted && { ...accepted, componentIds: [...accepted.componentIds].sort() });
    if (!accepted && codes.length) expect(result.violations[0]!.message).toMatch(/^The new integration pack was not added: /);
  });

  test('a pack deleted since the client last synced is not brought back, and the notice says who deleted it', () => {
    const tombstone: PackTombstone = { packId: 'pack-1', name: 'Orders', deletedAt: '2026-03-05T09:00:00.000Z', deletedBy: 'Grace' };
    const result = reconcileAfter(writeFresh(fresh), null, { ...context, tombstones: new Map([['pack-1', tombstone]]) });
    expect(result.accepted).toBeUndefined();
    expect(result.violations).toEqual([
      expect.objectContaining({ code: 'PACK_DELETED', message: expect.stringMatching(/"Orders" was deleted by Grace on 2026-03-05/) }),
    ]);
  });

  test('no pack before and none now: nothing to keep, nothing to report', () => {
    expect(reconcilePack('pack-1', undefined, undefined, context)).toEqual({ accepted: undefined, violations: [] });
  });
});

// ---------------------------------------------------------------------------------------------
// Properties: any edits by any client

const world: fc.Arbitrary<Case> = worldArb.chain((w) => {
  const anyAccount = { ...w, account: { multiInstallEnabled: true } };
  return fc.record({
    world: fc.constant(w),
    previous: fc.option(validPackArb(w), { nil: undefined, freq: 2 }),
    added: fc.option(validPackArb(anyAccount), { nil: undefined, freq: 3 }),
    tombstoned: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
    edits: fc.array(packEditArb([...w.catalog.keys()].slice(-10), [...w.catalog.keys()]), { maxLength: 6 }),
  });
});

interface Case {
  world: ReconcileWorld;
  /** The pack as the server last accepted it, if it did. */
  previous: IntegrationPack | undefined;
  /** When there is no previous pack: one a client added (valid, or not in this account). */
  added: IntegrationPack | undefined;
  tombstoned: boolean;
  edits: PackEdit[];
}

function run({ world: w, previous: before, added, tombstoned, edits }: Case) {
  const tombstones = new Map<string, PackTombstone>(
    !before && tombstoned ? [['pack-1', { packId: 'pack-1', name: 'Old', deletedAt: '2026-01-01T00:00:00.000Z', deletedBy: 'x' }]] : [],
  );
  const ctx: ReconcileContext = { account: w.account, catalog: w.catalog, tombstones };
  const doc = new Y.Doc();
  if (before ?? added) writeNewPack(doc, (before ?? added)!);
  for (const edit of edits) applyPackEdit(doc, 'pack-1', edit);
  const raw = readRawPack(packsMap(doc).get('pack-1'));
  return { ctx, doc, raw, result: reconcilePack('pack-1', before, raw, ctx) };
}

describe('reconcile properties', () => {
  test('what the server keeps is always a valid pack', () => {
    fc.assert(
      fc.property(world, (input) => {
        const { ctx, result } = run(input);
        if (result.accepted) expect(validatePack(result.accepted, ctx.account, ctx.catalog)).toEqual({ ok: true, value: undefined });
      }),
    );
  });

  test('the type never changes, removals are always kept, and a deleted pack never comes back', () => {
    fc.assert(
      fc.property(world, (input) => {
        const { raw, result } = run(input);
        if (input.previous && result.accepted) expect(result.accepted.installationType).toBe(input.previous.installationType);
        if (raw?.componentsIsMap && result.accepted) {
          const now = new Set(raw.componentIds);
          expect(result.accepted.componentIds.filter((id) => !now.has(id))).toEqual([]);
        }
        if (!input.previous && input.tombstoned) expect(result.accepted).toBeUndefined();
      }),
    );
  });

  test('nothing is changed silently: no violation means the document already holds exactly what is kept', () => {
    fc.assert(
      fc.property(world, (input) => {
        const { doc, raw, result } = run(input);
        if (result.violations.length > 0) return;
        if (!raw && !input.previous) return; // a non-pack value where no pack ever was: removed without a notice
        let updates = 0;
        doc.on('update', () => updates++);
        repairPack(doc, 'pack-1', raw, result.accepted);
        expect(updates).toBe(0);
      }),
    );
  });

  test('after the repair the document reconciles cleanly to the same pack (every violation was reverted)', () => {
    fc.assert(
      fc.property(world, (input) => {
        const { ctx, doc, raw, result } = run(input);
        repairPack(doc, 'pack-1', raw, result.accepted, 'server');
        expect(readPack(doc, 'pack-1')).toEqual(result.accepted);
        const again = reconcilePack('pack-1', result.accepted, readRawPack(packsMap(doc).get('pack-1')), ctx);
        expect(again).toEqual({ accepted: result.accepted, violations: [] });
      }),
    );
  });

  test('valid edits are kept whole, with no violation', () => {
    const validScenario = worldArb
      .filter((w) => [...w.catalog.values()].some((c) => c.type === 'PROCESS'))
      .chain((w) =>
        validPackArb(w).chain((pack) => {
          const allowed = [...w.catalog.values()]
            .filter((c) => pack.installationType === 'SINGLE' || c.type === 'PROCESS')
            .map((c) => c.id)
            .slice(0, 12);
          return fc.record({
            world: fc.constant(w),
            pack: fc.constant(pack),
            edits: fc.array(validPackEditArb(allowed), { maxLength: 8 }),
          });
        }),
      );
    fc.assert(
      fc.property(validScenario, ({ world: w, pack, edits }) => {
        const doc = new Y.Doc();
        writeNewPack(doc, pack);
        for (const edit of edits) applyPackEdit(doc, pack.id, edit);
        const edited = readPack(doc, pack.id)!;
        fc.pre(edited.componentIds.length <= limits.componentsPerPack);
        const result = reconcilePack(pack.id, pack, readRawPack(packsMap(doc).get(pack.id)), { ...w, tombstones: new Map() });
        expect(result).toEqual({ accepted: edited, violations: [] });
      }),
    );
  });
});
