import { AsyncLocalStorage } from 'node:async_hooks';

/** Counts the writes (successful non-GET requests) made while a piece of work runs. */
export class WriteTally {
  count = 0;
}

// The tally of the reconcile the current async context belongs to, if any.
const currentTally = new AsyncLocalStorage<WriteTally>();

/** Runs `work` so that every write the client makes for it, however deep, is counted in `tally`. */
export function withWriteTally<T>(tally: WriteTally, work: () => T): T {
  return currentTally.run(tally, work);
}

/** Called by the transport after a write succeeded. */
export function recordWrite(): void {
  const tally = currentTally.getStore();
  if (tally) tally.count++;
}
