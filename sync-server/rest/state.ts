/**
 * What the REST routes read of an account, in one place: each function reads the account's
 * document through the room and builds the platform's JSON with the shared derivations.
 */
import type * as Y from 'yjs';
import type { IntegrationPack, PackInstance, Release } from '../../shared/model.ts';
import { derivePackagedComponents } from '../../shared/publications.ts';
import { publisherTimeZone } from '../../shared/release-plan.ts';
import { deriveManagedView } from '../../shared/rollout.ts';
import { currentRelease, isDue } from '../../shared/releases.ts';
import { catalogView, readAccount, readAllReleases, readManagedAccounts, readPack, readPacks, readReleases } from '../../shared/schema.ts';
import { HttpError, type ApiDeps } from '../http/route.ts';
import type { View } from './collection.ts';
import type { PublisherIntegrationPackJson } from './schemas.ts';

const defined = <T extends object>(value: T): T => Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;

export function publisherPackJson(doc: Y.Doc, pack: IntegrationPack): PublisherIntegrationPackJson {
  const components = derivePackagedComponents({
    componentIds: pack.componentIds,
    currentRelease: currentRelease(readReleases(doc, pack.id)),
    catalog: catalogView(doc),
  });
  return {
    '@type': 'PublisherIntegrationPack',
    id: pack.id,
    name: pack.name,
    Description: pack.description,
    installationType: pack.installationType,
    PublisherPackagedComponents: { PublisherPackagedComponent: components.map(defined) },
  };
}

export const withPublisherPacks = <R>(deps: ApiDeps, accountId: string, fn: (view: View<IntegrationPack>) => R): Promise<R> =>
  deps.rooms.read(accountId, (doc) => fn({ records: readPacks(doc), json: (pack) => publisherPackJson(doc, pack) }));

export const readPublisherPack = (deps: ApiDeps, accountId: string, packId: string): Promise<PublisherIntegrationPackJson | undefined> =>
  deps.rooms.read(accountId, (doc) => {
    const pack = readPack(doc, packId);
    return pack && publisherPackJson(doc, pack);
  });

/** A release in the platform's JSON. */
export function releaseJson(pack: IntegrationPack, release: Release) {
  return {
    '@type': 'ReleaseIntegrationPack' as const,
    id: pack.id,
    name: pack.name,
    installationType: pack.installationType,
    releaseSchedule: release.releaseSchedule,
    ...(release.releaseOnDate === undefined ? {} : { releaseOnDate: release.releaseOnDate }),
    requestId: release.requestId,
    ReleasePackagedComponents: {
      ReleasePackagedComponent: release.components.map(({ componentId, version }) => ({ componentId, version })),
    },
    ...(release.notes === undefined ? {} : { releaseNotes: release.notes }),
  };
}

export const readRelease = (deps: ApiDeps, accountId: string, packId: string, requestId: string) =>
  deps.rooms.read(accountId, (doc) => {
    const pack = readPack(doc, packId);
    const release = readReleases(doc, packId).find((candidate) => candidate.requestId === requestId);
    return pack && release && releaseJson(pack, release);
  });

export interface ReleaseState {
  pack: IntegrationPack | undefined;
  release: Release;
  /** The scheduled release's date has begun: its update is being applied. */
  applying: boolean;
  /** Installations of the pack whose update to this release failed. */
  failures: number;
}

/** The release a request made, wherever it is, and how far it got. */
export const readReleaseState = (deps: ApiDeps, accountId: string, requestId: string): Promise<ReleaseState | undefined> =>
  deps.rooms.read(accountId, (doc, records) => {
    for (const [packId, releases] of readAllReleases(doc)) {
      const release = releases.find((candidate) => candidate.requestId === requestId);
      if (!release) continue;
      const failures = records.instancesOfPack(packId).filter((instance) => instance.failedReleaseNumber === release.number).length;
      const applying = isDue(release, publisherTimeZone(readAccount(doc)), deps.clock.now());
      return { pack: readPack(doc, packId), release, applying, failures };
    }
    return undefined;
  });

/** What one managed account has: its installations, and the released packs it may install. */
export interface ManagedScope {
  instances: PackInstance[];
  installable: IntegrationPack[];
  /** Names packs in messages. */
  packName(packId: string): string;
}

/** Runs `fn` on a managed account of the publisher; 404 when the publisher has no such managed account. */
export const withManagedScope = <R>(
  deps: ApiDeps,
  accountId: string,
  managedAccountId: string,
  fn: (scope: ManagedScope) => R,
): Promise<R> =>
  deps.rooms
    .read(accountId, (doc, records) => {
      if (!readManagedAccounts(doc).some((account) => account.id === managedAccountId)) return { missing: true as const };
      const packs = readPacks(doc);
      const mine = [...records.instances()].filter((instance) => instance.managedAccountId === managedAccountId);
      const view = deriveManagedView(managedAccountId, packs, readAllReleases(doc), mine, readManagedAccounts(doc));
      const installableIds = new Set(view.installable.map((entry) => entry.packId));
      const scope: ManagedScope = {
        instances: mine,
        installable: packs.filter((pack) => installableIds.has(pack.id)),
        packName: (packId) => readPack(doc, packId)?.name ?? packId,
      };
      return { value: fn(scope) };
    })
    .then((answer) => {
      if ('missing' in answer)
        throw new HttpError(404, 'MANAGED_ACCOUNT_UNKNOWN', `${managedAccountId} is not a managed account of this publisher.`);
      return answer.value;
    });

/** The cancellation of the release a request made, from the audit trail (cancellations are few: paged by kind). */
export async function readCancellation(deps: ApiDeps, accountId: string, requestId: string) {
  let before: number | undefined;
  for (;;) {
    const page = await deps.store.records.history(accountId, { kind: 'CANCEL_RELEASE', limit: 200, ...(before ? { before } : {}) });
    const found = page.find((record) => record.status === 'SUCCESS' && record.requestId === requestId);
    if (found || page.length < 200) return found;
    before = page.at(-1)!.seq;
  }
}
