import { sleepOn, type Clock, type TimerHandle } from './clock.ts';

interface PendingTimer {
  readonly due: number;
  readonly sequence: number;
  readonly callback: () => void;
}

/** Virtual time for tests: timers fire only when the test advances the clock. */
export class FakeClock implements Clock {
  private current: number;
  private sequence = 0;
  private readonly timers = new Set<PendingTimer>();

  constructor(start = 1_700_000_000_000) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimer(ms: number, callback: () => void): TimerHandle {
    const timer = { due: this.current + Math.max(0, ms), sequence: this.sequence++, callback };
    this.timers.add(timer);
    return { cancel: () => this.timers.delete(timer) };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal);
  }

  /** Timers not yet fired. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /**
   * Moves time forward by `ms`, firing due timers in order. Awaits a macrotask after each one so
   * promise chains they start can settle (and schedule further timers) before the next fires.
   */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      const next = [...this.timers]
        .filter((t) => t.due <= target)
        .sort((a, b) => a.due - b.due || a.sequence - b.sequence)[0];
      if (!next) break;
      this.timers.delete(next);
      this.current = Math.max(this.current, next.due);
      next.callback();
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.current = target;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
