/**
 * Read models of installations: the publisher's rollout of a pack (which managed accounts run which
 * release, which still have the update pending, which failed and why) and a managed account's own
 * view (GET /api/managed and the /managed page). Pure derivations of the document's data.
 */
import { type DateStyle, DEFAULT_LOCALE } from './date-format.ts';
import type { IntegrationPack, ManagedAccount, PackInstance, Release } from './model.ts';
import { installableRelease } from './releases.ts';

export type RolloutState = 'CURRENT' | 'PENDING' | 'FAILED' | 'BEHIND';

export interface RolloutRow {
  instanceId: string;
  managedAccountId: string;
  accountName: string;
  overrideName?: string;
  releaseNumber: number;
  pendingReleaseNumber?: number;
  /** yyyy-MM-dd the pending update is applied automatically, when its release is still scheduled. */
  pendingDate?: string;
  state: RolloutState;
  /** The reason an update failed to apply. */
  error?: string;
}

export interface Rollout {
  rows: RolloutRow[];
  /** Instances per release number they run. */
  byRelease: { releaseNumber: number; instances: number }[];
  pending: number;
  failed: number;
}

/**
 * What the document carries of a pack's rollout (root `rollout`): counts only, kept up to date by the
 * server after every change; the rows are paged over HTTP (GET /api/accounts/:id/rollout).
 */
export interface RolloutSummary {
  packId: string;
  /** Installations of the pack, and the managed accounts they are in. */
  instances: number;
  accounts: number;
  /** Instances per release number they run, newest release first. */
  byRelease: { releaseNumber: number; instances: number }[];
  /** Instances with an update pending (not failed). */
  pending: number;
  /** Instances waiting for each release they have pending (failed to apply it or not). */
  pendingByRelease: { releaseNumber: number; instances: number }[];
  /** Instances whose update failed to apply. */
  failed: number;
}

export function summarizeRollout(packId: string, instances: Iterable<PackInstance>): RolloutSummary {
  const accounts = new Set<string>();
  const counts = new Map<number, number>();
  const waiting = new Map<number, number>();
  let total = 0;
  let pending = 0;
  let failed = 0;
  for (const instance of instances) {
    if (instance.packId !== packId) continue;
    total += 1;
    accounts.add(instance.managedAccountId);
    counts.set(instance.releaseNumber, (counts.get(instance.releaseNumber) ?? 0) + 1);
    if (instance.pendingReleaseNumber !== undefined)
      waiting.set(instance.pendingReleaseNumber, (waiting.get(instance.pendingReleaseNumber) ?? 0) + 1);
    if (instance.lastError) failed += 1;
    else if (instance.pendingReleaseNumber !== undefined) pending += 1;
  }
  return {
    packId,
    instances: total,
    accounts: accounts.size,
    byRelease: [...counts]
      .map(([releaseNumber, count]) => ({ releaseNumber, instances: count }))
      .sort((a, b) => b.releaseNumber - a.releaseNumber),
    pending,
    pendingByRelease: [...waiting]
      .map(([releaseNumber, count]) => ({ releaseNumber, instances: count }))
      .sort((a, b) => b.releaseNumber - a.releaseNumber),
    failed,
  };
}

/** What a rollout row needs besides its instance: the pack's releases and the managed accounts' names. */
export interface RolloutContext {
  releases: readonly Release[];
  accountNames: ReadonlyMap<string, string>;
}

/**
 * One instance as a row. CURRENT: runs the newest release in effect; PENDING: an update waits for its
 * date or an early apply; FAILED: the update failed, with the reason; BEHIND: runs an older release
 * with nothing pending (only while a release is still being applied).
 */
export function rolloutRow(instance: PackInstance, context: RolloutContext): RolloutRow {
  const inEffect = installableRelease(context.releases)?.number ?? 0;
  const pendingNumber = instance.pendingReleaseNumber;
  const pending = pendingNumber === undefined ? undefined : context.releases.find((release) => release.number === pendingNumber);
  const state: RolloutState = instance.lastError
    ? 'FAILED'
    : pendingNumber !== undefined
      ? 'PENDING'
      : instance.releaseNumber >= inEffect
        ? 'CURRENT'
        : 'BEHIND';
  return {
    instanceId: instance.id,
    managedAccountId: instance.managedAccountId,
    accountName: context.accountNames.get(instance.managedAccountId) ?? instance.managedAccountId,
    ...(instance.overrideName ? { overrideName: instance.overrideName } : {}),
    releaseNumber: instance.releaseNumber,
    ...(pendingNumber !== undefined ? { pendingReleaseNumber: pendingNumber } : {}),
    ...(pending?.status === 'SCHEDULED' && pending.releaseOnDate ? { pendingDate: pending.releaseOnDate } : {}),
    state,
    ...(instance.lastError ? { error: instance.lastError } : {}),
  };
}

/** One row per instance, by account name, with the counts (the whole rollout of a pack at once). */
export function deriveRollout(
  packId: string,
  releases: readonly Release[],
  instances: readonly PackInstance[],
  managedAccounts: readonly ManagedAccount[],
): Rollout {
  const context: RolloutContext = { releases, accountNames: new Map(managedAccounts.map((account) => [account.id, account.name])) };
  const rows = instances.filter((instance) => instance.packId === packId).map((instance) => rolloutRow(instance, context));
  rows.sort(
    (a, b) =>
      a.accountName.localeCompare(b.accountName) ||
      (a.overrideName ?? '').localeCompare(b.overrideName ?? '') ||
      a.instanceId.localeCompare(b.instanceId),
  );
  const summary = summarizeRollout(packId, instances);
  return { rows, byRelease: summary.byRelease, pending: summary.pending, failed: summary.failed };
}

/** One page of a pack's rollout rows (in the store's order: managed account id, then instance id). */
export interface RolloutPage {
  rows: RolloutRow[];
  nextCursor?: string;
}

/** One installation as the managed account sees it. */
export interface ManagedInstanceView {
  instanceId: string;
  packId: string;
  packName: string;
  installationType: IntegrationPack['installationType'];
  overrideName?: string;
  /** "Version": the release the instance runs (the number of releases it has received). */
  releaseNumber: number;
  /** "Pending Version" and the date it will be applied. */
  pendingReleaseNumber?: number;
  pendingDate?: string;
  /** The release notes of the pending update (Release.notes). */
  pendingReleaseNotes?: string;
  lastError?: string;
  atomIds: string[];
  environmentIds: string[];
  installedAt: string;
}

export interface InstallablePackView {
  packId: string;
  name: string;
  description: string;
  installationType: IntegrationPack['installationType'];
  releaseNumber: number;
  /** The release notes of the release an install gets. */
  releaseNotes?: string;
  /** Single attachment packs install once per account. */
  canInstall: boolean;
}

export interface ManagedView {
  managedAccountId: string;
  managedAccountName: string;
  /** The publisher's time zone and locale: dates on the managed page are written in them (shared/date-format.ts). */
  timeZone: string;
  locale: string;
  instances: ManagedInstanceView[];
  installable: InstallablePackView[];
}

export function deriveManagedView(
  managedAccountId: string,
  packs: readonly IntegrationPack[],
  releasesByPack: ReadonlyMap<string, readonly Release[]>,
  instances: readonly PackInstance[],
  managedAccounts: readonly ManagedAccount[],
  style: DateStyle = { timeZone: 'UTC', locale: DEFAULT_LOCALE },
): ManagedView {
  const packById = new Map(packs.map((pack) => [pack.id, pack]));
  const mine = instances.filter((instance) => instance.managedAccountId === managedAccountId);
  const views: ManagedInstanceView[] = [];
  for (const instance of mine) {
    const pack = packById.get(instance.packId);
    if (!pack) continue;
    const releases = releasesByPack.get(pack.id) ?? [];
    const pending =
      instance.pendingReleaseNumber === undefined ? undefined : releases.find((r) => r.number === instance.pendingReleaseNumber);
    views.push({
      instanceId: instance.id,
      packId: pack.id,
      packName: pack.name,
      installationType: pack.installationType,
      ...(instance.overrideName ? { overrideName: instance.overrideName } : {}),
      releaseNumber: instance.releaseNumber,
      ...(instance.pendingReleaseNumber !== undefined ? { pendingReleaseNumber: instance.pendingReleaseNumber } : {}),
      ...(pending?.status === 'SCHEDULED' && pending.releaseOnDate ? { pendingDate: pending.releaseOnDate } : {}),
      ...(pending?.notes ? { pendingReleaseNotes: pending.notes } : {}),
      ...(instance.lastError ? { lastError: instance.lastError } : {}),
      atomIds: [...instance.atomIds],
      environmentIds: [...instance.environmentIds],
      installedAt: instance.installedAt,
    });
  }
  views.sort((a, b) => a.packName.localeCompare(b.packName) || (a.overrideName ?? '').localeCompare(b.overrideName ?? ''));

  const installable: InstallablePackView[] = [];
  for (const pack of packs) {
    const releases = releasesByPack.get(pack.id) ?? [];
    const release = installableRelease(releases);
    if (!release) continue;
    const installed = mine.some((instance) => instance.packId === pack.id);
    installable.push({
      packId: pack.id,
      name: pack.name,
      description: pack.description,
      installationType: pack.installationType,
      releaseNumber: release.number,
      ...(release.notes ? { releaseNotes: release.notes } : {}),
      canInstall: pack.installationType === 'MULTI' || !installed,
    });
  }
  installable.sort((a, b) => a.name.localeCompare(b.name) || a.packId.localeCompare(b.packId));
  return {
    managedAccountId,
    managedAccountName: managedAccounts.find((account) => account.id === managedAccountId)?.name ?? managedAccountId,
    timeZone: style.timeZone,
    locale: style.locale,
    instances: views,
    installable,
  };
}
