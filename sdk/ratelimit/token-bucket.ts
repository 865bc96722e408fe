import { systemClock, type Clock } from '../clock/clock.ts';

/**
 * A token bucket: `qps` tokens per second refill a bucket of `burst` tokens. Each take removes one
 * token; when none is left the caller is told how long to wait. Tokens may go negative so that
 * concurrent callers are handed successive slots instead of all waking at once.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly qps: number;
  private readonly burst: number;
  private readonly clock: Clock;

  constructor(qps: number, burst: number, clock: Clock = systemClock) {
    if (!(qps > 0) || !(burst >= 1))
      throw new RangeError(`token bucket needs qps > 0 and burst ≥ 1 (got ${qps}, ${burst})`);
    this.qps = qps;
    this.burst = burst;
    this.clock = clock;
    this.tokens = burst;
    this.last = clock.now();
  }

  /** Reserves one token and returns the wait in milliseconds before using it (0 if available now). */
  reserve(): number {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.qps) * 1000);
  }

  /** Waits for a token. */
  async take(signal?: AbortSignal): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await this.clock.sleep(wait, signal);
  }
}
