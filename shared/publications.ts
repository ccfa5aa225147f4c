/**
 * The Publications table of a pack, derived from what the pack holds now, its current release and the
 * component catalog. The page, the release preview, the server's release command and the extension all
 * read it from here.
 */
import type { ComponentType, PublishedComponent, Release, ReleasedComponent } from './model.ts';
import { latestVersion } from './rules.ts';

export const DELETED = 'Deleted' as const;

export interface PublicationRow {
  componentId: string;
  componentName: string;
  componentType: ComponentType | undefined;
  /** Version in the current release, if the pack is released and holds it. */
  currentVersion: number | undefined;
  /** In the pack but not in the current release: the latest version; in the release but removed: "Deleted". */
  pendingVersion: number | typeof DELETED | undefined;
  /** In the current release and a newer version has been published since: the latest version. */
  availableVersion: number | undefined;
  /** Whether the component is in the pack now (false for "Deleted" rows). */
  inPack: boolean;
}

export interface PublicationsInput {
  componentIds: readonly string[];
  currentRelease: Pick<Release, 'components'> | undefined;
  catalog: ReadonlyMap<string, PublishedComponent>;
}

export function derivePublications({ componentIds, currentRelease, catalog }: PublicationsInput): PublicationRow[] {
  const released = new Map<string, number>();
  for (const { componentId, version } of currentRelease?.components ?? []) released.set(componentId, version);
  const inPack = new Set(componentIds);
  const ids = new Set<string>([...componentIds, ...released.keys()]);

  const rows: PublicationRow[] = [];
  for (const componentId of ids) {
    const component = catalog.get(componentId);
    const latest = component ? latestVersion(component) : undefined;
    const currentVersion = released.get(componentId);
    const isInPack = inPack.has(componentId);
    let pendingVersion: PublicationRow['pendingVersion'];
    let availableVersion: number | undefined;
    if (isInPack && currentVersion === undefined) pendingVersion = latest;
    else if (!isInPack && currentVersion !== undefined) pendingVersion = DELETED;
    else if (isInPack && currentVersion !== undefined && latest !== undefined && latest > currentVersion) availableVersion = latest;
    rows.push({
      componentId,
      componentName: component?.name ?? componentId,
      componentType: component?.type,
      currentVersion,
      pendingVersion,
      availableVersion,
      inPack: isInPack,
    });
  }
  return rows.sort((a, b) => a.componentName.localeCompare(b.componentName) || a.componentId.localeCompare(b.componentId));
}

/** Release Integration Pack is enabled only when some version is Pending or Available. */
export function canRelease(rows: readonly PublicationRow[]): boolean {
  return rows.some((row) => row.pendingVersion !== undefined || row.availableVersion !== undefined);
}

/** What a new release would hold: Pending and Available versions, unchanged Current ones, no Deleted ones. */
export function nextReleaseContent(rows: readonly PublicationRow[]): ReleasedComponent[] {
  const content: ReleasedComponent[] = [];
  for (const row of rows) {
    if (!row.inPack) continue;
    const pending = typeof row.pendingVersion === 'number' ? row.pendingVersion : undefined;
    const version = pending ?? row.availableVersion ?? row.currentVersion;
    if (version !== undefined) content.push({ componentId: row.componentId, version });
  }
  return content;
}

export interface ReleaseChange {
  componentId: string;
  componentName: string;
  kind: 'added' | 'updated' | 'removed';
  from?: number;
  to?: number;
}

/** The preview shown before OK: what the release adds, updates (from → to) and removes. */
export function releaseChanges(rows: readonly PublicationRow[]): ReleaseChange[] {
  const changes: ReleaseChange[] = [];
  for (const row of rows) {
    const base = { componentId: row.componentId, componentName: row.componentName };
    if (row.pendingVersion === DELETED) changes.push({ ...base, kind: 'removed', from: row.currentVersion! });
    else if (typeof row.pendingVersion === 'number') changes.push({ ...base, kind: 'added', to: row.pendingVersion });
    else if (row.availableVersion !== undefined)
      changes.push({ ...base, kind: 'updated', from: row.currentVersion!, to: row.availableVersion });
  }
  return changes;
}

/** A pack's component as the platform's API names it (PublisherPackagedComponent). */
export interface PackagedComponent {
  componentId: string;
  componentName: string;
  componentType: ComponentType | undefined;
  /** The version in the current release. */
  currentVersion: number | undefined;
  /** The version a new release would bring, when it differs from the current one (the page's Pending or Available version). */
  pendingVersion: number | undefined;
  /** The newest published version. */
  latestVersion: number | undefined;
  /** Removed from the pack: the next release drops it (the page's "Deleted"). */
  deleted: boolean;
}

/** The Publications table in the platform API's terms: one entry per row, same order. */
export function derivePackagedComponents(input: PublicationsInput): PackagedComponent[] {
  return derivePublications(input).map((row) => {
    const component = input.catalog.get(row.componentId);
    return {
      componentId: row.componentId,
      componentName: row.componentName,
      componentType: row.componentType,
      currentVersion: row.currentVersion,
      pendingVersion: typeof row.pendingVersion === 'number' ? row.pendingVersion : row.availableVersion,
      latestVersion: component ? latestVersion(component) : undefined,
      deleted: row.pendingVersion === DELETED,
    };
  });
}
