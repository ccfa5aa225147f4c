/**
 * The audit trail: every command, who ran it, when, and its result. The whole trail lives in the
 * server's tables (served paged by GET /api/accounts/:id/history); the document carries only each
 * pack's newest records that changed something (RECENT_HISTORY_PER_PACK, root `recentHistory`).
 * Refused commands are audited too, at a bounded rate per person, and never reach the document.
 */
export interface HistoryRecord {
  /** Unique in the account: `String(seq)`. */
  id: string;
  /** The audit order within the account (1, 2, 3 …): newer records have higher numbers. */
  seq: number;
  /** The idempotency key of the command (for an automatic apply, the scheduler's own key). */
  idempotencyKey?: string;
  packId?: string;
  managedAccountId?: string;
  kind: string;
  /** Who: the token's person (display name), or "Scheduler". */
  actor: string;
  /** The person's id, when a person sent it. */
  actorId?: string;
  at: string;
  /** A sentence: what was asked and what happened. */
  summary: string;
  status: 'SUCCESS' | 'ERROR';
  message?: string;
  code?: string;
  requestId?: string;
  releaseNumber?: number;
  instanceId?: string;
  /** For an automatic apply on a release date: the instances it updated, and those that failed to apply. */
  instancesUpdated?: number;
  instancesFailed?: number;
  /** Refusals of the same person before this one that were not recorded one by one (over the audit rate). */
  refusalsNotRecorded?: number;
  /** For an edit of a pack's Name or Description (kind EDIT_PACK, shared/pack-edits.ts): the field, its value before and after. */
  field?: 'name' | 'description';
  oldValue?: string;
  newValue?: string;
}

/** How many of a pack's newest history records the document carries (the rest is paged over HTTP). */
export const RECENT_HISTORY_PER_PACK = 20;

/** One page of history, newest first, and the cursor of the next (older) page, if any. */
export interface HistoryPage {
  records: HistoryRecord[];
  nextCursor?: string;
}
