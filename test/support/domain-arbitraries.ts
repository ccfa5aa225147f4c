/** fast-check generators for the domain: catalogs, packs, releases. Shared by unit and fuzz tests. */
import fc from 'fast-check';
import type { ComponentType, PublishedComponent, ReleasedComponent } from '../../shared/index.ts';

/** Versions as the platform publishes them: 1, 2, …, n. */
export const versionsUpTo = (n: number): number[] => Array.from({ length: n }, (_, index) => index + 1);

const componentNames = ['Orders', 'orders', 'Invoices', 'Customer API', 'Sync', 'Ünïcode Ñame', '注文'];

export interface CatalogOptions {
  minComponents?: number;
  maxComponents?: number;
  /** Allow API Service components (false: Process only). */
  apiServices?: boolean;
}

export function catalogArb({ minComponents = 0, maxComponents = 12, apiServices = true }: CatalogOptions = {}) {
  const type: fc.Arbitrary<ComponentType> = apiServices ? fc.constantFrom('PROCESS', 'API_SERVICE') : fc.constant('PROCESS');
  return fc
    .array(fc.record({ name: fc.constantFrom(...componentNames), type, versionCount: fc.integer({ min: 1, max: 5 }) }), {
      minLength: minComponents,
      maxLength: maxComponents,
    })
    .map(
      (list) =>
        new Map<string, PublishedComponent>(
          list.map(({ name, type, versionCount }, index) => {
            const id = `c${String(index).padStart(3, '0')}`;
            return [id, { id, name, type, versions: versionsUpTo(versionCount) }];
          }),
        ),
    );
}

/** Ids that are in no catalog: components a pack or an old release may still name. */
const UNKNOWN_IDS = ['gone-1', 'gone-2'];

export interface PublicationScenario {
  catalog: Map<string, PublishedComponent>;
  componentIds: string[];
  release: ReleasedComponent[] | undefined;
}

/** A catalog, what the pack holds now, and its current release (versions never above the latest). */
export function publicationScenarioArb(options: CatalogOptions & { unknownIds?: boolean } = {}): fc.Arbitrary<PublicationScenario> {
  return catalogArb(options).chain((catalog) => {
    const ids = [...catalog.keys(), ...(options.unknownIds === false ? [] : UNKNOWN_IDS)];
    const versionOf = (id: string) => {
      const latest = catalog.get(id)?.versions.length ?? 3;
      return fc.integer({ min: 1, max: latest });
    };
    const releaseArb: fc.Arbitrary<ReleasedComponent[] | undefined> = fc.option(
      fc
        .subarray(ids)
        .chain((released) =>
          released.length === 0
            ? fc.constant([])
            : fc
                .tuple(...released.map(versionOf))
                .map((versions) => released.map((componentId, index) => ({ componentId, version: versions[index]! }))),
        ),
      { nil: undefined },
    );
    return fc.record({ catalog: fc.constant(catalog), componentIds: fc.subarray(ids), release: releaseArb });
  });
}
