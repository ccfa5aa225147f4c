/** The audit trail: every command, who ran it, when, and its result. */
export interface HistoryRecord {
  /** The command's idempotency key. */
  id: string;
  packId?: string;
  managedAccountId?: string;
  kind: string;
  /** Who: the token's person (display name or id). */
  actor: string;
  at: string;
  /** A sentence: what was asked and what happened. */
  summary: string;
  status: 'SUCCESS' | 'ERROR';
  message?: string;
  /** The rest of the command's result, so a retry with the same idempotency key gets it back. */
  code?: string;
  requestId?: string;
  releaseNumber?: number;
  instanceId?: string;
  /** For an automatic apply on a release date: the instances it updated, and those that failed to apply. */
  instancesUpdated?: number;
  instancesFailed?: number;
}
