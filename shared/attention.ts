/**
 * What in an account needs the publisher's attention: the summary the server's
 * `GET /api/accounts/:id/summary` returns and the browser extension shows (badge, popup, reminders).
 * Pure: the state and `now` are passed in. The summary is plain JSON (instants as ISO strings) so it
 * can travel over HTTP and be cached in extension storage as is.
 */
import { type DateStyle, DEFAULT_LOCALE, formatDate } from './date-format.ts';
import type { IntegrationPack, ManagedAccount, PackInstance, PublishedComponent, Release } from './model.ts';
import { canRelease, derivePublications } from './publications.ts';
import { autoApplyAt, currentRelease, pendingRelease } from './releases.ts';

export interface AttentionState {
  accountId: string;
  accountName: string;
  /** The publisher's time zone: pending releases are auto-applied at the start of their date there. */
  timeZone: string;
  /** The publisher's locale for dates (en-US when absent). */
  locale?: string;
  packs: readonly IntegrationPack[];
  catalog: ReadonlyMap<string, PublishedComponent>;
  /** packId → its releases. */
  releases: ReadonlyMap<string, readonly Release[]>;
  instances: readonly PackInstance[];
  managedAccounts: readonly ManagedAccount[];
}

/** A scheduled release whose date has not been reached yet (at most one per pack). */
export interface PendingReleaseSummary {
  packId: string;
  packName: string;
  releaseNumber: number;
  /** yyyy-MM-dd in the publisher's time zone. */
  releaseOnDate: string;
  /** ISO instant the update is auto-applied: the start of releaseOnDate in the publisher's time zone. */
  autoApplyAt: string;
  /** True when the pack had a release before this one (an update of installed instances). */
  isUpdate: boolean;
  /** Installed instances that have not applied it yet. */
  instancesPending: number;
  /** The release notes (Release.notes), for the extension's reminder. */
  notes?: string;
}

export interface PackAttention {
  packId: string;
  packName: string;
  /** Publications rows with a Pending Version (including "Deleted"). */
  pendingCount: number;
  /** Publications rows with an Available Version. */
  availableCount: number;
  /** Whether Release Integration Pack is enabled for this pack. */
  canRelease: boolean;
  pendingRelease?: PendingReleaseSummary;
  /** Why, as shown in the popup: "2 Pending, 1 Available", "Update pending until 2026-12-03". */
  reasons: string[];
}

export interface PendingUpdate {
  instanceId: string;
  packId: string;
  packName: string;
  overrideName?: string;
  releaseNumber: number;
  pendingReleaseNumber: number;
  releaseOnDate?: string;
  lastError?: string;
}

export interface ManagedAccountAttention {
  managedAccountId: string;
  name: string;
  pendingUpdates: PendingUpdate[];
}

export interface AccountSummary {
  accountId: string;
  accountName: string;
  timeZone: string;
  /** The publisher's locale: the extension writes dates with formatDateTime in timeZone and locale. */
  locale: string;
  /** ISO instant the summary was computed. */
  generatedAt: string;
  /** Packs that need attention, by name. */
  packs: PackAttention[];
  /** Pending releases, soonest first. */
  pendingReleases: PendingReleaseSummary[];
  /** Managed accounts with instances that have a pending update, by name. */
  managedAccounts: ManagedAccountAttention[];
  /** The action badge: how many packs need attention. */
  badgeCount: number;
}

const byName = (a: { name: string; id: string }, b: { name: string; id: string }) =>
  a.name.localeCompare(b.name) || a.id.localeCompare(b.id);

function summarizePendingRelease(
  pack: IntegrationPack,
  releases: readonly Release[],
  instances: readonly PackInstance[],
  timeZone: string,
): PendingReleaseSummary | undefined {
  const pending = pendingRelease(releases);
  const at = pending && autoApplyAt(pending, timeZone);
  if (!pending?.releaseOnDate || !at) return undefined;
  return {
    packId: pack.id,
    packName: pack.name,
    releaseNumber: pending.number,
    releaseOnDate: pending.releaseOnDate,
    autoApplyAt: at.toISOString(),
    isUpdate: releases.some((release) => release.number < pending.number),
    instancesPending: instances.filter((instance) => instance.packId === pack.id && instance.pendingReleaseNumber === pending.number)
      .length,
    ...(pending.notes ? { notes: pending.notes } : {}),
  };
}

function reasonsFor(pendingCount: number, availableCount: number, pending: PendingReleaseSummary | undefined, style: DateStyle): string[] {
  const reasons: string[] = [];
  const versions = [
    pendingCount > 0 ? `${pendingCount} Pending` : undefined,
    availableCount > 0 ? `${availableCount} Available` : undefined,
  ].filter((part) => part !== undefined);
  if (versions.length > 0) reasons.push(versions.join(', '));
  if (pending) reasons.push(`${pending.isUpdate ? 'Update' : 'Release'} pending until ${formatDate(pending.releaseOnDate, style)}`);
  return reasons;
}

export function summarizeAttention(state: AttentionState, now: Date): AccountSummary {
  const style: DateStyle = { timeZone: state.timeZone, locale: state.locale ?? DEFAULT_LOCALE };
  const packsById = new Map(state.packs.map((pack) => [pack.id, pack]));
  const packs: PackAttention[] = [];
  const pendingReleases: PendingReleaseSummary[] = [];

  for (const pack of [...state.packs].sort(byName)) {
    const releases = state.releases.get(pack.id) ?? [];
    const rows = derivePublications({
      componentIds: pack.componentIds,
      currentRelease: currentRelease(releases),
      catalog: state.catalog,
    });
    const releasable = canRelease(rows);
    const pending = summarizePendingRelease(pack, releases, state.instances, state.timeZone);
    if (pending) pendingReleases.push(pending);
    if (!releasable && !pending) continue;
    const pendingCount = rows.filter((row) => row.pendingVersion !== undefined).length;
    const availableCount = rows.filter((row) => row.availableVersion !== undefined).length;
    packs.push({
      packId: pack.id,
      packName: pack.name,
      pendingCount,
      availableCount,
      canRelease: releasable,
      ...(pending ? { pendingRelease: pending } : {}),
      reasons: reasonsFor(pendingCount, availableCount, pending, style),
    });
  }

  const updatesByAccount = new Map<string, PendingUpdate[]>();
  for (const instance of state.instances) {
    const pack = packsById.get(instance.packId);
    if (instance.pendingReleaseNumber === undefined || !pack) continue;
    const release = state.releases.get(pack.id)?.find((r) => r.number === instance.pendingReleaseNumber);
    const update: PendingUpdate = {
      instanceId: instance.id,
      packId: pack.id,
      packName: pack.name,
      releaseNumber: instance.releaseNumber,
      pendingReleaseNumber: instance.pendingReleaseNumber,
      ...(instance.overrideName !== undefined ? { overrideName: instance.overrideName } : {}),
      ...(release?.releaseOnDate !== undefined ? { releaseOnDate: release.releaseOnDate } : {}),
      ...(instance.lastError !== undefined ? { lastError: instance.lastError } : {}),
    };
    const list = updatesByAccount.get(instance.managedAccountId) ?? [];
    list.push(update);
    updatesByAccount.set(instance.managedAccountId, list);
  }
  const accountNames = new Map(state.managedAccounts.map((account) => [account.id, account.name]));
  const managedAccounts = [...updatesByAccount]
    .map(([id, pendingUpdates]) => ({
      managedAccountId: id,
      name: accountNames.get(id) ?? id,
      pendingUpdates: pendingUpdates.sort((a, b) => a.packName.localeCompare(b.packName) || a.instanceId.localeCompare(b.instanceId)),
    }))
    .sort((a, b) => byName({ name: a.name, id: a.managedAccountId }, { name: b.name, id: b.managedAccountId }));

  pendingReleases.sort((a, b) => a.autoApplyAt.localeCompare(b.autoApplyAt) || a.packName.localeCompare(b.packName));

  return {
    accountId: state.accountId,
    accountName: state.accountName,
    timeZone: state.timeZone,
    locale: style.locale,
    generatedAt: now.toISOString(),
    packs,
    pendingReleases,
    managedAccounts,
    badgeCount: packs.length,
  };
}

/** How far ahead of its auto-apply a pending release is announced ("a day before"). */
export const REMINDER_LEAD_MS = 24 * 60 * 60 * 1000;

/**
 * The pending releases auto-applied within the next `leadMs` after `now` (not yet applied).
 * Works on a cached summary: it reads only the stored instants, so it stays right while offline.
 */
export function releasesAutoAppliedSoon(
  pendingReleases: readonly PendingReleaseSummary[],
  now: Date,
  leadMs: number = REMINDER_LEAD_MS,
): PendingReleaseSummary[] {
  const from = now.getTime();
  return pendingReleases.filter((release) => {
    const at = Date.parse(release.autoApplyAt);
    return at > from && at - from <= leadMs;
  });
}

/** A stable id for one release of one pack, used to remember which reminders were shown. */
export const releaseKey = (release: Pick<PendingReleaseSummary, 'packId' | 'releaseNumber'>): string =>
  `${release.packId}#${release.releaseNumber}`;
