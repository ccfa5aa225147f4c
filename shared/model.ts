/**
 * The domain's types. Names follow the platform's API vocabulary
 * (PublisherIntegrationPack, ReleaseIntegrationPack, IntegrationPackInstance).
 */

export const InstallationType = { SINGLE: 'SINGLE', MULTI: 'MULTI' } as const;
export type InstallationType = (typeof InstallationType)[keyof typeof InstallationType];

/** What the page shows for each installation type. */
export const installationTypeLabel: Record<InstallationType, string> = {
  SINGLE: 'Single Attachment',
  MULTI: 'Multiple Attachments',
};

export const ComponentType = { PROCESS: 'PROCESS', API_SERVICE: 'API_SERVICE' } as const;
export type ComponentType = (typeof ComponentType)[keyof typeof ComponentType];

export const componentTypeLabel: Record<ComponentType, string> = {
  PROCESS: 'Process',
  API_SERVICE: 'API Service',
};

export const ReleaseSchedule = {
  IMMEDIATELY: 'IMMEDIATELY',
  RELEASE_ON_SPECIFIED_DATE: 'RELEASE_ON_SPECIFIED_DATE',
} as const;
export type ReleaseSchedule = (typeof ReleaseSchedule)[keyof typeof ReleaseSchedule];

export const ReleaseStatus = {
  IN_PROGRESS: 'IN_PROGRESS',
  SCHEDULED: 'SCHEDULED',
  SUCCESS: 'SUCCESS',
  ERROR: 'ERROR',
} as const;
export type ReleaseStatus = (typeof ReleaseStatus)[keyof typeof ReleaseStatus];

/** A publisher account: the owner of packs and of the component catalog. */
export interface PublisherAccount {
  id: string;
  name: string;
  /** The "multi-install integration packs" feature: enables the Integration Pack Type list. */
  multiInstallEnabled: boolean;
  /** IANA time zone; release dates are auto-applied at the start of the date here. */
  timeZone: string;
  /** BCP 47 locale every date and time is written in (shared/date-format.ts); en-US when absent. */
  locale?: string;
}

/** A published process or API Service component and its published versions (1, 2, 3, …). */
export interface PublishedComponent {
  id: string;
  name: string;
  type: ComponentType;
  /** Whole numbers in ascending order; a version is never deleted. */
  versions: number[];
}

/** A pack as the publisher edits it. `componentIds` is what the next release would hold. */
export interface IntegrationPack {
  id: string;
  name: string;
  description: string;
  installationType: InstallationType;
  componentIds: string[];
  createdAt: string;
  createdBy: string;
}

export interface ReleasedComponent {
  componentId: string;
  version: number;
}

/** One release of a pack. Releases are numbered 1, 2, 3 … per pack. */
export interface Release {
  packId: string;
  number: number;
  components: ReleasedComponent[];
  releaseSchedule: ReleaseSchedule;
  /** yyyy-MM-dd, only for RELEASE_ON_SPECIFIED_DATE. */
  releaseOnDate?: string;
  /** SCHEDULED until its date has been reached (pending), then SUCCESS. */
  status: ReleaseStatus;
  releasedBy: string;
  releasedAt: string;
  requestId: string;
  /** A pending release that an immediate re-release replaced before its date: the number of that release. */
  supersededBy?: number;
  /** When a scheduled release took effect (its date began and its update was applied everywhere). */
  appliedAt?: string;
  /** What the admin wrote about it in the release dialog (shared/release-notes.ts). */
  notes?: string;
}

export interface ManagedAccount {
  id: string;
  name: string;
}

/** IntegrationPackInstance: one installation of a pack in a managed account. */
export interface PackInstance {
  id: string;
  packId: string;
  managedAccountId: string;
  /** integrationPackOverrideName: only for multiple-attachment packs. */
  overrideName?: string;
  /** The release this instance runs. */
  releaseNumber: number;
  /** A pending update this instance has not applied yet. */
  pendingReleaseNumber?: number;
  atomIds: string[];
  environmentIds: string[];
  installedAt: string;
  /** Set when applying an update failed, with the reason. */
  lastError?: string;
  /** The release whose update failed to apply (with `lastError`); the scheduler does not retry it. */
  failedReleaseNumber?: number;
}

/** What a deleted pack leaves behind, so late offline edits to it can be explained. */
export interface PackTombstone {
  packId: string;
  name: string;
  deletedAt: string;
  deletedBy: string;
}
