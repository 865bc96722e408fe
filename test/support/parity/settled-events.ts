// Events as both flavors record them, read once they stop changing.
import { setTimeout as sleep } from 'node:timers/promises';
import type { CoreV1Event } from '@kubernetes/client-node';
import type { Client } from '../../../sdk/client/client.ts';
import { kinds } from '../../../sdk/client/resource-kind.ts';

/** By default, how far apart two reads of the events must agree before they count as settled. */
const EVENT_SETTLE_MS = 300;
/** How long to keep reading for events to settle, at most. */
const EVENT_SETTLE_LIMIT_MS = 15_000;

/**
 * The namespace's events that `describe` turns into text (undefined: left out), each repeated
 * `count` times, sorted: event times have one-second resolution, so they compare as a multiset.
 */
export async function settledEventMessages(
  client: Client,
  namespace: string,
  describe: (event: CoreV1Event) => string | undefined,
  settleMs = EVENT_SETTLE_MS,
): Promise<string[]> {
  const read = async () => {
    const events = await client.resource(kinds.Event).list({ namespace });
    return events.items
      .flatMap((e) => {
        const text = describe(e);
        return text === undefined ? [] : Array.from({ length: e.count ?? 1 }, () => text);
      })
      .sort();
  };
  // Both controllers write events asynchronously, as client-go's recorder does: the last ones can
  // land just after the state they describe (later still when kube-controller-manager's client is
  // at its rate limit). Read until two reads `settleMs` apart agree.
  let previous = await read();
  for (let attempt = 0; attempt < EVENT_SETTLE_LIMIT_MS / settleMs; attempt++) {
    await sleep(settleMs);
    const current = await read();
    if (JSON.stringify(current) === JSON.stringify(previous)) return current;
    previous = current;
  }
  return previous;
}
