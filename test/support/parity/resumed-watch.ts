// A watch that outlives its connection: the apiserver (or an idle timeout) may end a watch at any
// time, and a harness that counts events must not silently stop counting.
import type { KubernetesObject } from '@kubernetes/client-node';
import { isGone } from '../../../sdk/client/errors.ts';
import type { ResourceClient } from '../../../sdk/client/resource-client.ts';
import type { WatchEvent } from '../../../sdk/client/watch-stream.ts';

/** How long to wait before watching again after a watch ended. */
const RESUME_DELAY_MS = 50;

/**
 * Watches `namespace` from `resourceVersion`, calling `next` for every event; when the watch ends or
 * fails it is started again from the last version seen, so no event is lost. A version too old to
 * resume from (410 Gone) means events were lost: `failed` is told, and the watch stops.
 */
export function resumedWatch<T extends KubernetesObject>(
  api: ResourceClient<T>,
  namespace: string,
  resourceVersion: string | undefined,
  next: (event: WatchEvent<T>) => void,
  failed: (error: unknown) => void,
): { close(): void } {
  let version = resourceVersion;
  let closed = false;
  let subscription: { unsubscribe(): void } | undefined;
  const resume = () => {
    if (closed) return;
    setTimeout(start, RESUME_DELAY_MS);
  };
  function start(): void {
    if (closed) return;
    subscription = api
      .watch({ namespace, ...(version === undefined ? {} : { resourceVersion: version }) })
      .subscribe({
        next: (event) => {
          version = event.object.metadata?.resourceVersion ?? version;
          if (event.type !== 'BOOKMARK') next(event);
        },
        complete: resume,
        error: (error: unknown) => {
          if (isGone(error)) failed(error);
          else resume();
        },
      });
  }
  start();
  return {
    close() {
      closed = true;
      subscription?.unsubscribe();
    },
  };
}
