/** Latencies in 0.1 ms buckets up to 1 s (above: one overflow bucket), mergeable across processes. */
const BUCKET_MICROS = 100;
const BUCKETS = 10_000;

export interface HistogramJson {
  /** [bucket, count] pairs of the non-empty buckets; bucket BUCKETS is the overflow. */
  counts: [number, number][];
  maxMicros: number;
}

export class Histogram {
  private readonly counts = new Float64Array(BUCKETS + 1);
  private maxMicros = 0;
  total = 0;

  add(micros: number): void {
    const bucket = Math.min(BUCKETS, Math.max(0, Math.floor(micros / BUCKET_MICROS)));
    this.counts[bucket]! += 1;
    this.total += 1;
    if (micros > this.maxMicros) this.maxMicros = micros;
  }

  /** Counts `n` samples as later than anything measured (never delivered in time). */
  addMissing(n: number): void {
    this.counts[BUCKETS]! += n;
    this.total += n;
    this.maxMicros = Number.POSITIVE_INFINITY;
  }

  merge(json: HistogramJson): void {
    for (const [bucket, count] of json.counts) {
      this.counts[bucket]! += count;
      this.total += count;
    }
    this.maxMicros = Math.max(this.maxMicros, json.maxMicros);
  }

  /** The q-quantile in ms (the upper edge of its bucket); Infinity when it falls in the overflow. */
  quantileMs(q: number): number {
    if (this.total === 0) return Number.NaN;
    const rank = Math.ceil(q * this.total);
    let seen = 0;
    for (let bucket = 0; bucket <= BUCKETS; bucket++) {
      seen += this.counts[bucket]!;
      if (seen >= rank) return bucket === BUCKETS ? Number.POSITIVE_INFINITY : ((bucket + 1) * BUCKET_MICROS) / 1000;
    }
    return Number.POSITIVE_INFINITY;
  }

  get maxMs(): number {
    return this.maxMicros / 1000;
  }

  toJSON(): HistogramJson {
    const counts: [number, number][] = [];
    this.counts.forEach((count, bucket) => {
      if (count > 0) counts.push([bucket, count]);
    });
    return { counts, maxMicros: this.maxMicros };
  }
}
