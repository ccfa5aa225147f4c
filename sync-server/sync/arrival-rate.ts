/**
 * How many events per second have been arriving lately: an exponentially decaying count (each event
 * adds 1/τ, which decays by e^(−Δt/τ)), so a burst raises it at once and a pause lets it fall within
 * a few τ. Pure: the caller passes the time (performance.now() in the server, any numbers in tests).
 */
export class ArrivalRate {
  private perMs = 0;
  private lastAt: number | undefined;

  constructor(private readonly timeConstantMs: number) {}

  /** An event at `at` (ms, never earlier than the one before). */
  record(at: number): void {
    this.perMs = this.decayedTo(at) + 1 / this.timeConstantMs;
    this.lastAt = at;
  }

  /** Events per second as of `at`. */
  perSecond(at: number): number {
    return this.decayedTo(at) * 1000;
  }

  private decayedTo(at: number): number {
    if (this.lastAt === undefined) return 0;
    return this.perMs * Math.exp(-Math.max(0, at - this.lastAt) / this.timeConstantMs);
  }
}
