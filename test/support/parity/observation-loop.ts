// Polls one workload object, checking invariants at every observation and keeping each one, so a
// scenario can wait for a state or hold one while nothing it forbids happens.
import { setTimeout as sleep } from 'node:timers/promises';

/** Checks one observation against the previous one; returns what is wrong, if anything. */
export type Invariant<O> = (previous: O | undefined, o: O) => string | undefined;

/** An invariant failed: waits end at once instead of retrying. */
export class InvariantBroken extends Error {
  override readonly name = 'InvariantBroken';
}

/** What a workload's harness supplies to the loop. */
export interface ObservationSource<O, S> {
  /** Who is observed, for messages: `built-in ns/name`. */
  readonly label: string;
  observe(): Promise<O>;
  /** Invariants every scenario of this workload holds to. */
  readonly alwaysOn: Invariant<O>;
  /** The summary, and whether its status describes the spec it was read with. */
  readSummary(): Promise<{ summary: S; current: boolean }>;
  /** What to add to a timeout's message (e.g. why pods are not Ready). */
  diagnose?(): Promise<string>;
}

export interface ObservationLoop<O, S> {
  /** Every observation so far, in order. */
  readonly observations: O[];
  /** Polls until `done` holds for a current summary, checking the invariants at every observation. */
  waitFor(done: (s: S) => boolean, invariant?: Invariant<O>, timeoutMs?: number): Promise<S>;
  /** Observes for `ms`, checking the invariants throughout; returns the last summary. */
  holdFor(ms: number, invariant?: Invariant<O>): Promise<S>;
}

const POLL_MS = 100;

/**
 * A loop over `source`. Loops over several objects of one run may share `observations`, so the
 * always-on invariants compare each observation with the run's previous one.
 */
export function observationLoop<O, S>(
  source: ObservationSource<O, S>,
  observations: O[] = [],
): ObservationLoop<O, S> {
  const none: Invariant<O> = () => undefined;

  async function check(invariant: Invariant<O>): Promise<void> {
    const o = await source.observe();
    const previous = observations.at(-1);
    const broken = source.alwaysOn(previous, o) ?? invariant(previous, o);
    observations.push(o);
    if (broken)
      throw new InvariantBroken(`${source.label}: invariant broken: ${broken} in ${JSON.stringify(o)}`);
  }

  return {
    observations,
    async waitFor(done, invariant = none, timeoutMs = 60_000) {
      // Not waitUntil: a broken invariant must end the wait at once, not count as "not yet".
      const deadline = Date.now() + timeoutMs;
      let lastError: unknown;
      for (;;) {
        try {
          await check(invariant);
          // Right after a spec change the children can already be new while the status is still
          // the previous generation's: a state only counts once the status in that read is current.
          const { summary, current } = await source.readSummary();
          if (current && done(summary)) {
            // The observation above may predate the state `done` just saw: record the settled
            // state too, so sequences never depend on poll timing.
            await check(invariant);
            return summary;
          }
        } catch (error) {
          if (error instanceof InvariantBroken) throw error;
          lastError = error;
        }
        if (Date.now() > deadline) {
          const diagnosis = (await source.diagnose?.().catch((error: unknown) => String(error))) ?? '';
          throw new Error(
            `${source.label} did not settle in ${timeoutMs / 1000} s; last observation ${JSON.stringify(observations.at(-1))}${diagnosis ? `; ${diagnosis}` : ''}`,
            { cause: lastError },
          );
        }
        await sleep(POLL_MS);
      }
    },
    async holdFor(ms, invariant = none) {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        await check(invariant);
        await sleep(POLL_MS);
      }
      return (await source.readSummary()).summary;
    },
  };
}

/**
 * One observation loop per object name, made on first use, all sharing `observations` (so the
 * always-on invariants compare each observation with the run's previous one, whatever it was of).
 */
export function loopsByName<O, S>(
  sourceFor: (name: string) => ObservationSource<O, S>,
  observations: O[],
): (name: string) => ObservationLoop<O, S> {
  const loops = new Map<string, ObservationLoop<O, S>>();
  return (name) => {
    let loop = loops.get(name);
    if (!loop) {
      loop = observationLoop(sourceFor(name), observations);
      loops.set(name, loop);
    }
    return loop;
  };
}
