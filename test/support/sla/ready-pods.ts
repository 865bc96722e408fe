import type { V1Pod } from '@kubernetes/client-node';
import type { Client } from '../../../sdk/client/client.ts';
import { kinds } from '../../../sdk/client/resource-kind.ts';

/** Which pods are the demo service's replicas: a workload's pods, by namespace and label selector. */
export interface ReadyPodsOptions {
  readonly client: Client;
  readonly namespace: string;
  /** e.g. `app=web`. */
  readonly labelSelector: string;
  /** Default 250 ms: a scale-up shows in the latency within a poll of the pods turning Ready. */
  readonly pollMs?: number;
}

/** A live count of Ready pods, polled from the cluster. */
export interface ReadyPods {
  /** The count at the last successful poll. */
  current(): number;
  /** The last poll's error, if it failed (the count then keeps its previous value). */
  readonly lastError: unknown;
  stop(): void;
}

function isReady(pod: V1Pod): boolean {
  if (pod.metadata?.deletionTimestamp) return false;
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/**
 * Polls the Ready pods matching `labelSelector` in `namespace`, the way a Service's endpoints
 * follow them; resolves after the first successful poll, so the first count is real.
 */
export async function watchReadyPods(options: ReadyPodsOptions): Promise<ReadyPods> {
  const pods = options.client.resource(kinds.Pod);
  const readyCount = async () =>
    (await pods.list({ namespace: options.namespace, labelSelector: options.labelSelector })).items.filter(
      isReady,
    ).length;
  // The first poll is not caught: a wrong namespace or missing RBAC should fail the start.
  let count = await readyCount();
  let lastError: unknown;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const poll = async () => {
    try {
      count = await readyCount();
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      void poll().finally(schedule);
    }, options.pollMs ?? 250);
    // A forgotten stop() must not keep a test process alive.
    timer.unref();
  };
  schedule();
  return {
    current: () => count,
    get lastError() {
      return lastError;
    },
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
