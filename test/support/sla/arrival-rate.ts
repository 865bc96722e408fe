/**
 * The rate at which requests arrive, over a sliding window: the load the demo service's latency
 * model sees, measured from the real requests rather than told by the load generator.
 */
export class ArrivalRate {
  private readonly windowMs: number;
  private readonly now: () => number;
  private readonly arrivals: number[] = [];
  private head = 0;

  constructor(windowMs = 2_000, now: () => number = () => performance.now()) {
    if (!(windowMs > 0)) throw new RangeError(`the arrival-rate window must be positive, got ${windowMs} ms`);
    this.windowMs = windowMs;
    this.now = now;
  }

  /** Counts one arrival now. */
  record(): void {
    this.arrivals.push(this.now());
    this.forgetOld();
  }

  /** Arrivals per second over the last window. */
  perSecond(): number {
    this.forgetOld();
    return ((this.arrivals.length - this.head) * 1_000) / this.windowMs;
  }

  private forgetOld(): void {
    const cutoff = this.now() - this.windowMs;
    while (this.head < this.arrivals.length && (this.arrivals[this.head] ?? Infinity) < cutoff) this.head++;
    // Compact now and then instead of shifting on every arrival.
    if (this.head > 1_024 && this.head * 2 > this.arrivals.length) {
      this.arrivals.splice(0, this.head);
      this.head = 0;
    }
  }
}
