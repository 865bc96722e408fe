import { Agent, request } from 'node:http';

/** Options for {@link startLoadGenerator}. */
export interface LoadGeneratorOptions {
  /** The service's base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Requests per second to send; 0 sends nothing until {@link LoadGenerator.setRate}. */
  readonly rate: number;
  /** Path requested; default `/`. */
  readonly path?: string;
  /**
   * Requests allowed in flight at once (default 64); beyond it a due request is counted as
   * `dropped` instead of piling up, so a stalled service cannot make the generator grow without end.
   */
  readonly maxInFlight?: number;
}

/** What the generator has done so far. */
export interface LoadStats {
  readonly sent: number;
  /** Answered with 2xx. */
  readonly succeeded: number;
  /** Answered with another status, or failed to connect. */
  readonly failed: number;
  /** Due but not sent because `maxInFlight` requests were still open. */
  readonly dropped: number;
}

/** A running load generator. */
export interface LoadGenerator {
  readonly rate: number;
  /** Changes the rate from now on (req/s). */
  setRate(rate: number): void;
  stats(): LoadStats;
  /** Stops sending and waits for the requests in flight. */
  stop(): Promise<void>;
}

// The scheduler's tick: fine enough that 100 req/s goes out as 2 per tick, not 100 in a burst.
const TICK_MS = 20;

function checkedRate(rate: number): number {
  if (!(rate >= 0 && Number.isFinite(rate)))
    throw new RangeError(`load rate must be a finite number ≥ 0, got ${rate}`);
  return rate;
}

/**
 * Sends GET requests to a service at a controlled rate over loopback keep-alive connections. Each
 * tick sends the requests owed since the last one (rate × elapsed time, the fraction carried over),
 * so the long-run rate is exact even when timers fire late.
 */
export function startLoadGenerator(options: LoadGeneratorOptions): LoadGenerator {
  let rate = checkedRate(options.rate);
  const maxInFlight = options.maxInFlight ?? 64;
  const target = new URL(options.path ?? '/', options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: maxInFlight });
  const counts = { sent: 0, succeeded: 0, failed: 0, dropped: 0 };
  const inFlight = new Set<Promise<void>>();
  let owed = 0;
  let last = performance.now();

  const send = () => {
    counts.sent++;
    const done = new Promise<void>((resolve) => {
      const req = request(target, { agent, method: 'GET' }, (res) => {
        const ok = (res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300;
        res.resume();
        res.on('end', () => {
          if (ok) counts.succeeded++;
          else counts.failed++;
          resolve();
        });
        res.on('error', () => {
          counts.failed++;
          resolve();
        });
      });
      req.on('error', () => {
        counts.failed++;
        resolve();
      });
      req.end();
    });
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
  };

  const timer = setInterval(() => {
    const now = performance.now();
    owed += (rate * (now - last)) / 1_000;
    last = now;
    while (owed >= 1) {
      owed--;
      if (inFlight.size >= maxInFlight) counts.dropped++;
      else send();
    }
  }, TICK_MS);

  return {
    get rate() {
      return rate;
    },
    setRate: (next) => {
      rate = checkedRate(next);
    },
    stats: () => ({ ...counts }),
    stop: async () => {
      clearInterval(timer);
      await Promise.all(inFlight);
      agent.destroy();
    },
  };
}
