/** The Publications table: each column's sentence in the spec as a table row, then properties. */
import { describe, expect, test } from 'vitest';
import { fc } from '../test/support/fast-check.ts';
import { publicationScenarioArb, type PublicationScenario } from '../test/support/domain-arbitraries.ts';
import type { PublishedComponent, ReleasedComponent } from './model.ts';
import {
  canRelease,
  DELETED,
  derivePackagedComponents,
  derivePublications,
  nextReleaseContent,
  releaseChanges,
  type PublicationRow,
} from './publications.ts';
import { nextVersionNumber } from './rules.ts';

const catalog = new Map<string, PublishedComponent>([
  ['a', { id: 'a', name: 'Orders', type: 'PROCESS', versions: [1, 2, 3] }],
  ['b', { id: 'b', name: 'Customer API', type: 'API_SERVICE', versions: [1] }],
  ['c', { id: 'c', name: 'Invoices', type: 'PROCESS', versions: [1, 2] }],
]);
const release = (...components: [string, number][]) => ({
  components: components.map(([componentId, version]) => ({ componentId, version })),
});
type Columns = Pick<PublicationRow, 'componentId' | 'currentVersion' | 'pendingVersion' | 'availableVersion' | 'inPack'>;
const columns = (row: PublicationRow): Columns => ({
  componentId: row.componentId,
  currentVersion: row.currentVersion,
  pendingVersion: row.pendingVersion,
  availableVersion: row.availableVersion,
  inPack: row.inPack,
});
const row = (componentId: string, current?: number, pending?: number | typeof DELETED, available?: number, inPack = true): Columns => ({
  componentId,
  currentVersion: current,
  pendingVersion: pending,
  availableVersion: available,
  inPack,
});

describe('Publications columns', () => {
  test.each([
    {
      why: 'Current Version: a released component shows its version in the release; nothing newer, nothing else',
      componentIds: ['a'],
      current: release(['a', 3]),
      rows: [row('a', 3)],
      canRelease: false,
      next: [['a', 3]],
    },
    {
      why: 'Pending Version: never released, the pack holds it → the latest published version',
      componentIds: ['a'],
      current: undefined,
      rows: [row('a', undefined, 3)],
      canRelease: true,
      next: [['a', 3]],
    },
    {
      why: 'Pending Version: added since the release → the latest published version, no Current Version',
      componentIds: ['a', 'c'],
      current: release(['a', 3]),
      rows: [row('c', undefined, 2), row('a', 3)],
      canRelease: true,
      next: [
        ['c', 2],
        ['a', 3],
      ],
    },
    {
      why: 'Pending Version "Deleted": in the current release, removed from the pack; not in a new release',
      componentIds: [],
      current: release(['a', 3]),
      rows: [row('a', 3, DELETED, undefined, false)],
      canRelease: true,
      next: [],
    },
    {
      why: '"Deleted" wins over Available: a removed component with a newer version is still only Deleted',
      componentIds: ['c'],
      current: release(['a', 1], ['c', 2]),
      rows: [row('c', 2), row('a', 1, DELETED, undefined, false)],
      canRelease: true,
      next: [['c', 2]],
    },
    {
      why: 'Available Version: in the release and a newer version was published since → that version',
      componentIds: ['a'],
      current: release(['a', 1]),
      rows: [row('a', 1, undefined, 3)],
      canRelease: true,
      next: [['a', 3]],
    },
    {
      why: 'Available and unchanged rows side by side',
      componentIds: ['a', 'c'],
      current: release(['a', 2], ['c', 2]),
      rows: [row('c', 2), row('a', 2, undefined, 3)],
      canRelease: true,
      next: [
        ['c', 2],
        ['a', 3],
      ],
    },
    {
      why: 'Release Integration Pack is disabled for an empty pack never released',
      componentIds: [],
      current: undefined,
      rows: [],
      canRelease: false,
      next: [],
    },
    {
      why: 'an unpublished component in the pack has no version to release',
      componentIds: ['ghost'],
      current: undefined,
      rows: [row('ghost')],
      canRelease: false,
      next: [],
    },
  ])('$why', ({ componentIds, current, rows, canRelease: enabled, next }) => {
    const derived = derivePublications({ componentIds, currentRelease: current, catalog });
    expect(derived.map(columns)).toEqual(rows);
    expect(canRelease(derived)).toBe(enabled);
    expect(nextReleaseContent(derived)).toEqual(next.map(([componentId, version]) => ({ componentId, version })));
  });

  test('Component Name and Component Type come from the catalog; rows are listed by name', () => {
    const rows = derivePublications({ componentIds: ['a', 'b', 'c'], currentRelease: undefined, catalog });
    expect(rows.map((r) => [r.componentName, r.componentType])).toEqual([
      ['Customer API', 'API_SERVICE'],
      ['Invoices', 'PROCESS'],
      ['Orders', 'PROCESS'],
    ]);
  });

  test('a component missing from the catalog is listed under its id, without a type', () => {
    const [ghost] = derivePublications({ componentIds: ['ghost'], currentRelease: undefined, catalog });
    expect(ghost).toMatchObject({ componentName: 'ghost', componentType: undefined });
  });

  test('same names are ordered by id', () => {
    const twins = new Map<string, PublishedComponent>([
      ['z', { id: 'z', name: 'Same', type: 'PROCESS', versions: [1] }],
      ['y', { id: 'y', name: 'Same', type: 'PROCESS', versions: [1] }],
    ]);
    expect(derivePublications({ componentIds: ['z', 'y'], currentRelease: undefined, catalog: twins }).map((r) => r.componentId)).toEqual([
      'y',
      'z',
    ]);
  });
});

describe('releaseChanges: the preview before OK', () => {
  test('adds, updates (from → to) and removes, nothing for unchanged rows', () => {
    const rows = derivePublications({ componentIds: ['a', 'c'], currentRelease: release(['a', 1], ['b', 1]), catalog });
    expect(releaseChanges(rows)).toEqual([
      { componentId: 'b', componentName: 'Customer API', kind: 'removed', from: 1 },
      { componentId: 'c', componentName: 'Invoices', kind: 'added', to: 2 },
      { componentId: 'a', componentName: 'Orders', kind: 'updated', from: 1, to: 3 },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const derive = (scenario: PublicationScenario) =>
  derivePublications({
    componentIds: scenario.componentIds,
    currentRelease: scenario.release && { components: scenario.release },
    catalog: scenario.catalog,
  });
const asMap = (content: readonly ReleasedComponent[]) => new Map(content.map((c) => [c.componentId, c.version]));
const sameContent = (a: readonly ReleasedComponent[], b: readonly ReleasedComponent[]) => {
  const [left, right] = [asMap(a), asMap(b)];
  return left.size === right.size && [...left].every(([id, version]) => right.get(id) === version);
};
const latestOf = (scenario: PublicationScenario, id: string) => {
  const versions = scenario.catalog.get(id)?.versions ?? [];
  return versions.length ? Math.max(...versions) : undefined;
};

describe('Publications properties', () => {
  const scenarios = publicationScenarioArb();

  test('every component of the pack or of the current release appears exactly once, and no other', () => {
    fc.assert(
      fc.property(scenarios, (scenario) => {
        const ids = derive(scenario).map((r) => r.componentId);
        const expected = new Set([...scenario.componentIds, ...(scenario.release ?? []).map((c) => c.componentId)]);
        expect(ids.length).toBe(new Set(ids).size);
        expect(new Set(ids)).toEqual(expected);
      }),
    );
  });

  test('each row follows the spec: Current from the release, Pending and Available never together', () => {
    fc.assert(
      fc.property(scenarios, (scenario) => {
        const released = asMap(scenario.release ?? []);
        for (const r of derive(scenario)) {
          const inPack = scenario.componentIds.includes(r.componentId);
          const latest = latestOf(scenario, r.componentId);
          expect(r.inPack).toBe(inPack);
          expect(r.currentVersion).toBe(released.get(r.componentId));
          expect(r.pendingVersion !== undefined && r.availableVersion !== undefined).toBe(false);
          expect(r.pendingVersion === DELETED).toBe(!inPack && released.has(r.componentId));
          if (typeof r.pendingVersion === 'number') expect(r.pendingVersion).toBe(latest);
          expect(typeof r.pendingVersion === 'number').toBe(inPack && !released.has(r.componentId) && latest !== undefined);
          expect(r.availableVersion !== undefined).toBe(inPack && released.has(r.componentId) && latest! > released.get(r.componentId)!);
          if (r.availableVersion !== undefined) expect(r.availableVersion).toBe(latest);
        }
      }),
    );
  });

  test('the next release never contains a Deleted component and holds the latest version of every published component in the pack', () => {
    fc.assert(
      fc.property(scenarios, (scenario) => {
        const rows = derive(scenario);
        const content = nextReleaseContent(rows);
        const deleted = new Set(rows.filter((r) => r.pendingVersion === DELETED).map((r) => r.componentId));
        expect(content.some((c) => deleted.has(c.componentId) || !scenario.componentIds.includes(c.componentId))).toBe(false);
        const expected = scenario.componentIds
          .filter((id) => latestOf(scenario, id) !== undefined || asMap(scenario.release ?? []).has(id))
          .map((id) => ({ componentId: id, version: latestOf(scenario, id) ?? asMap(scenario.release ?? []).get(id)! }));
        expect(sameContent(content, expected)).toBe(true);
        expect(content.length).toBe(new Set(content.map((c) => c.componentId)).size);
      }),
    );
  });

  test('Release Integration Pack is enabled iff some version is Pending or Available, iff a release would change something', () => {
    fc.assert(
      fc.property(scenarios, (scenario) => {
        const rows = derive(scenario);
        const somethingPendingOrAvailable = rows.some((r) => r.pendingVersion !== undefined || r.availableVersion !== undefined);
        const changes = !sameContent(nextReleaseContent(rows), scenario.release ?? []);
        expect(canRelease(rows)).toBe(somethingPendingOrAvailable);
        expect(canRelease(rows)).toBe(changes);
      }),
    );
  });

  test('after releasing the next content nothing is Pending or Available, until a newer version of a pack component is published', () => {
    fc.assert(
      fc.property(scenarios, fc.nat(), (scenario, pick) => {
        const released: PublicationScenario = { ...scenario, release: nextReleaseContent(derive(scenario)) };
        const after = derive(released);
        expect(after.filter((r) => r.pendingVersion !== undefined || r.availableVersion !== undefined)).toEqual([]);
        expect(canRelease(after)).toBe(false);

        const publishedIds = [...scenario.catalog.keys()];
        if (publishedIds.length === 0) return;
        const id = publishedIds[pick % publishedIds.length]!;
        const component = scenario.catalog.get(id)!;
        const newer = nextVersionNumber(component);
        const catalog = new Map(scenario.catalog).set(id, { ...component, versions: [...component.versions, newer] });
        const rows = derive({ ...released, catalog });
        const inPack = scenario.componentIds.includes(id);
        expect(canRelease(rows)).toBe(inPack);
        if (inPack) expect(rows.find((r) => r.componentId === id)?.availableVersion).toBe(newer);
      }),
    );
  });

  test('the preview has one change per Pending or Available row, and applying it to the current release gives the next content', () => {
    fc.assert(
      fc.property(scenarios, (scenario) => {
        const rows = derive(scenario);
        const changes = releaseChanges(rows);
        expect(changes.length).toBe(rows.filter((r) => r.pendingVersion !== undefined || r.availableVersion !== undefined).length);
        const applied = asMap(scenario.release ?? []);
        for (const change of changes) {
          if (change.kind === 'removed') applied.delete(change.componentId);
          else applied.set(change.componentId, change.to!);
        }
        const fromChanges = [...applied].map(([componentId, version]) => ({ componentId, version }));
        expect(sameContent(fromChanges, nextReleaseContent(rows))).toBe(true);
      }),
    );
  });
});

describe('PublisherPackagedComponent (the API form of the table)', () => {
  test('current, pending (Pending or Available), latest and deleted, per row', () => {
    const components = derivePackagedComponents({ componentIds: ['a', 'c'], currentRelease: release(['a', 2], ['b', 1]), catalog });
    expect(components).toEqual([
      {
        componentId: 'b',
        componentName: 'Customer API',
        componentType: 'API_SERVICE',
        currentVersion: 1,
        pendingVersion: undefined,
        latestVersion: 1,
        deleted: true,
      },
      {
        componentId: 'c',
        componentName: 'Invoices',
        componentType: 'PROCESS',
        currentVersion: undefined,
        pendingVersion: 2,
        latestVersion: 2,
        deleted: false,
      },
      {
        componentId: 'a',
        componentName: 'Orders',
        componentType: 'PROCESS',
        currentVersion: 2,
        pendingVersion: 3,
        latestVersion: 3,
        deleted: false,
      },
    ]);
  });

  test('a component no longer in the catalog keeps its id as its name and has no type or latest version', () => {
    expect(derivePackagedComponents({ componentIds: ['gone'], currentRelease: undefined, catalog })).toEqual([
      {
        componentId: 'gone',
        componentName: 'gone',
        componentType: undefined,
        currentVersion: undefined,
        pendingVersion: undefined,
        latestVersion: undefined,
        deleted: false,
      },
    ]);
  });
});
