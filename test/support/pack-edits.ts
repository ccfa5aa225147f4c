/**
 * Edits any client could make to one pack in a Y.Doc — valid or not, through our codec or around it
 * (a stock y-websocket client can write anything into `packs`). Generated as data, applied by
 * `applyPackEdit`, so a failing case prints readably.
 */
import fc from 'fast-check';
import * as Y from 'yjs';
import {
  limits,
  packsMap,
  PackKey,
  validateName,
  type IntegrationPack,
  type PublishedComponent,
  type PublisherAccount,
} from '../../shared/index.ts';

/** Marks a value to be written as a Y.Text (never allowed for a constrained field). */
export const AS_Y_TEXT = { yText: 'Orders' } as const;

export type PackEdit =
  | { kind: 'set'; key: string; value: unknown }
  | { kind: 'deleteKey'; key: string }
  | { kind: 'addComponent'; id: string; value: unknown }
  | { kind: 'addMany'; ids: readonly string[] }
  | { kind: 'removeComponent'; id: string }
  | { kind: 'replaceComponents'; value: unknown }
  | { kind: 'deletePack' }
  | { kind: 'replacePack'; value: unknown };

const longName = 'n'.repeat(limits.nameMaxLength + 1);
const longDescription = '😀'.repeat(limits.descriptionMaxLength + 1);

export const validNameArb = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
  .map((name) => name.trim())
  .filter((name) => validateName(name).ok);
export const validDescriptionArb = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.constantFrom('', '😀'.repeat(limits.descriptionMaxLength), 'd'.repeat(limits.descriptionMaxLength)),
);

const anyValue = fc.oneof(
  fc.constantFrom<unknown>(
    undefined,
    null,
    0,
    42,
    true,
    false,
    '',
    ' ',
    'SINGLE',
    'MULTI',
    'OTHER',
    longName,
    longDescription,
    AS_Y_TEXT,
    ['x'],
    { nested: 1 },
  ),
  fc.string({ maxLength: 20 }),
);

/** `componentIds`: what single edits pick from; `allIds`: what one "add many" edit adds (to cross 100). */
export function packEditArb(componentIds: readonly string[], allIds: readonly string[] = componentIds): fc.Arbitrary<PackEdit> {
  const ids = fc.constantFrom(...componentIds, 'unknown-component');
  const packKeys = fc.constantFrom(...Object.values(PackKey), 'color', 'installationtype');
  return fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('set' as const),
        key: fc.constant(PackKey.name),
        value: fc.oneof(
          validNameArb,
          validNameArb.map((n) => ` ${n} `),
          anyValue,
        ),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('set' as const),
        key: fc.constant(PackKey.description),
        value: fc.oneof(validDescriptionArb, anyValue),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('set' as const), key: packKeys, value: anyValue }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteKey' as const), key: packKeys }) },
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('addComponent' as const),
        id: ids,
        value: fc.oneof({ weight: 5, arbitrary: fc.constant<unknown>(true) }, anyValue),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('addMany' as const), ids: fc.constant([...allIds]) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('removeComponent' as const), id: ids }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('replaceComponents' as const), value: anyValue }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'deletePack' as const }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('replacePack' as const), value: anyValue }) },
  );
}

/** Edits that every rule allows, given the pack they start from. */
export function validPackEditArb(componentIds: readonly string[]): fc.Arbitrary<PackEdit> {
  return fc.oneof(
    fc.record({ kind: fc.constant('set' as const), key: fc.constant(PackKey.name), value: validNameArb }),
    fc.record({ kind: fc.constant('set' as const), key: fc.constant(PackKey.description), value: validDescriptionArb }),
    fc.record({ kind: fc.constant('addComponent' as const), id: fc.constantFrom(...componentIds), value: fc.constant(true) }),
    fc.record({ kind: fc.constant('removeComponent' as const), id: fc.constantFrom(...componentIds) }),
  );
}

const toY = (value: unknown): unknown => (value === AS_Y_TEXT ? new Y.Text(AS_Y_TEXT.yText) : value);

/** Applies one edit the way a client would, in its own transaction. */
export function applyPackEdit(doc: Y.Doc, packId: string, edit: PackEdit): void {
  doc.transact(() => {
    const packs = packsMap(doc);
    if (edit.kind === 'deletePack') return void packs.delete(packId);
    if (edit.kind === 'replacePack') return void packs.set(packId, toY(edit.value) as Y.Map<unknown>);
    let pack = packs.get(packId);
    if (!(pack instanceof Y.Map)) {
      pack = new Y.Map<unknown>();
      packs.set(packId, pack);
    }
    if (edit.kind === 'set') return void pack.set(edit.key, toY(edit.value));
    if (edit.kind === 'deleteKey') return void pack.delete(edit.key);
    if (edit.kind === 'replaceComponents') return void pack.set(PackKey.components, toY(edit.value));
    let components = pack.get(PackKey.components);
    if (!(components instanceof Y.Map)) {
      components = new Y.Map<unknown>();
      pack.set(PackKey.components, components);
    }
    const map = components as Y.Map<unknown>;
    if (edit.kind === 'addComponent') map.set(edit.id, toY(edit.value));
    else if (edit.kind === 'addMany') for (const id of edit.ids) map.set(id, true);
    else map.delete(edit.id);
  }, 'client');
}

export interface ReconcileWorld {
  account: Pick<PublisherAccount, 'multiInstallEnabled'>;
  catalog: Map<string, PublishedComponent>;
}

/** An account and a catalog large enough, sometimes, to cross the 100-component limit. */
export const worldArb: fc.Arbitrary<ReconcileWorld> = fc
  .record({
    multiInstallEnabled: fc.boolean(),
    processes: fc.oneof(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 95, max: 110 })),
    apiServices: fc.integer({ min: 0, max: 3 }),
  })
  .map(({ multiInstallEnabled, processes, apiServices }) => {
    const catalog = new Map<string, PublishedComponent>();
    for (let index = 0; index < processes; index++)
      catalog.set(`p${String(index).padStart(3, '0')}`, {
        id: `p${String(index).padStart(3, '0')}`,
        name: `Process ${index}`,
        type: 'PROCESS',
        versions: [1],
      });
    for (let index = 0; index < apiServices; index++)
      catalog.set(`api${index}`, { id: `api${index}`, name: `API ${index}`, type: 'API_SERVICE', versions: [1] });
    return { account: { multiInstallEnabled }, catalog };
  });

/** A pack that is valid in `world`: what the server accepted last. */
export function validPackArb(world: ReconcileWorld, id = 'pack-1'): fc.Arbitrary<IntegrationPack> {
  const types = world.account.multiInstallEnabled ? (['SINGLE', 'MULTI'] as const) : (['SINGLE'] as const);
  return fc.constantFrom(...types).chain((installationType) => {
    const allowed = [...world.catalog.values()]
      .filter((component) => installationType === 'SINGLE' || component.type !== 'API_SERVICE')
      .map((component) => component.id);
    return fc.record({
      id: fc.constant(id),
      name: validNameArb,
      description: validDescriptionArb,
      installationType: fc.constant(installationType),
      componentIds: fc.subarray(allowed, { maxLength: Math.min(allowed.length, limits.componentsPerPack) }).map((ids) => [...ids].sort()),
      createdAt: fc.constant('2026-03-01T10:00:00.000Z'),
      createdBy: fc.constant('person-ada'),
    });
  });
}
