/**
 * How often a person's refused commands are recorded one by one: a token bucket per person (burst
 * `burst`, then one every `refillMs`). Past it, refusals are counted instead, and the next one
 * recorded says how many were not (`refusalsNotRecorded`). So a flood of refused commands (2,000
 * from one managed-account user) leaves a bounded trail, and nothing of it reaches the document.
 */
import type { Clock } from '../config.ts';

export interface RefusalAuditOptions {
  burst: number;
  refillMs: number;
}

export const defaultRefusalAudit: RefusalAuditOptions = { burst: 20, refillMs: 5_000 };

interface Bucket {
  tokens: number;
  at: number;
  notRecorded: number;
}

/** At most this many people are tracked per account; the longest idle is forgotten first. */
const MAX_TRACKED = 10_000;

export class RefusalAudit {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly clock: Clock,
    private readonly options: RefusalAuditOptions = defaultRefusalAudit,
  ) {}

  /** Whether this refusal is recorded; when it is, how many of the person's before it were not. */
  admit(personId: string): { record: true; notRecorded: number } | { record: false } {
    const now = this.clock.now().getTime();
    let bucket = this.buckets.get(personId);
    if (!bucket) {
      if (this.buckets.size >= MAX_TRACKED) this.buckets.delete(this.buckets.keys().next().value!);
      bucket = { tokens: this.options.burst, at: now, notRecorded: 0 };
    }
    this.buckets.delete(personId);
    this.buckets.set(personId, bucket);
    const refill = Math.floor(Math.max(0, now - bucket.at) / this.options.refillMs);
    if (refill > 0) {
      bucket.tokens = Math.min(this.options.burst, bucket.tokens + refill);
      bucket.at = bucket.tokens === this.options.burst ? now : bucket.at + refill * this.options.refillMs;
    }
    if (bucket.tokens < 1) {
      bucket.notRecorded += 1;
      return { record: false };
    }
    bucket.tokens -= 1;
    const notRecorded = bucket.notRecorded;
    bucket.notRecorded = 0;
    return { record: true, notRecorded };
  }
}
