import type { V1Container, V1PodTemplateSpec } from '@kubernetes/client-node';
import { parseQuantity } from './quantity.ts';
import type { Pricing } from './settings.ts';

// A forward cost model: what one more replica costs is known from the pod template before scaling,
// which is what a ceiling needs (OpenCost's figures come after the fact). Like OpenCost, a replica
// is charged for what it requests; usage above the request is not known here and not charged.

const GIB = 2 ** 30;

/** What one replica of the pod template costs per hour, and what it is made of. */
export interface ReplicaCost {
  /** $ per hour. */
  readonly costPerReplica: number;
  readonly cpuCores: number;
  readonly memoryGiB: number;
  /** Containers with no CPU or no memory request (and no limit standing in for it): not fully priced. */
  readonly unpriced: readonly string[];
}

/** A ConfigMap price that is missing or not a number. */
export class PricingConfigError extends Error {
  override readonly name = 'PricingConfigError';
  readonly configMap: string;
  readonly key: string;

  constructor(configMap: string, key: string, problem: string) {
    super(
      `ConfigMap ${configMap} key ${key} ${problem}; write US dollars per hour as a number, e.g. 0.031611`,
    );
    this.configMap = configMap;
    this.key = key;
  }
}

interface Requested {
  cpu: number;
  memory: number;
}

// A missing request defaults to the limit (the apiserver does the same when only a limit is set).
function containerRequests(container: V1Container, unpriced: string[]): Requested {
  const amount = (resource: 'cpu' | 'memory') => {
    const quantity = container.resources?.requests?.[resource] ?? container.resources?.limits?.[resource];
    return quantity === undefined ? undefined : parseQuantity(quantity);
  };
  const cpu = amount('cpu');
  const memory = amount('memory');
  if (cpu === undefined || memory === undefined) unpriced.push(container.name);
  return { cpu: cpu ?? 0, memory: memory ?? 0 };
}

/**
 * The pod's effective request, as the scheduler counts it: app containers plus sidecars (init
 * containers with restartPolicy Always), or the largest plain init container if that is more,
 * plus the pod overhead.
 */
function podRequests(template: V1PodTemplateSpec | undefined, unpriced: string[]): Requested {
  const spec = template?.spec;
  const sum: Requested = { cpu: 0, memory: 0 };
  const largestInit: Requested = { cpu: 0, memory: 0 };
  for (const container of spec?.initContainers ?? []) {
    const requested = containerRequests(container, unpriced);
    if (container.restartPolicy === 'Always') {
      sum.cpu += requested.cpu;
      sum.memory += requested.memory;
    } else {
      largestInit.cpu = Math.max(largestInit.cpu, requested.cpu);
      largestInit.memory = Math.max(largestInit.memory, requested.memory);
    }
  }
  for (const container of spec?.containers ?? []) {
    const requested = containerRequests(container, unpriced);
    sum.cpu += requested.cpu;
    sum.memory += requested.memory;
  }
  const overhead = spec?.overhead ?? {};
  return {
    cpu:
      Math.max(sum.cpu, largestInit.cpu) +
      (overhead['cpu'] === undefined ? 0 : parseQuantity(overhead['cpu'])),
    memory:
      Math.max(sum.memory, largestInit.memory) +
      (overhead['memory'] === undefined ? 0 : parseQuantity(overhead['memory'])),
  };
}

/** Cost per hour of one replica of `template` at `pricing`. */
export function replicaCost(template: V1PodTemplateSpec | undefined, pricing: Pricing): ReplicaCost {
  const unpriced: string[] = [];
  const { cpu, memory } = podRequests(template, unpriced);
  const memoryGiB = memory / GIB;
  return {
    costPerReplica: cpu * pricing.cpuPerCoreHour + memoryGiB * pricing.memoryPerGiBHour,
    cpuCores: cpu,
    memoryGiB,
    unpriced,
  };
}

/** The most replicas `ceilingPerHour` pays for; undefined when a replica costs nothing (no bound). */
export function ceilingReplicas(ceilingPerHour: number, costPerReplica: number): number | undefined {
  if (!(costPerReplica > 0)) return undefined;
  // A hair of tolerance so 3 / 0.5 lands on 6, not 5.999999.
  return Math.floor(ceilingPerHour / costPerReplica + 1e-9);
}

/** Prices read from a ConfigMap's data under the configured keys. */
export function pricingFromConfigMap(
  configMap: string,
  data: Readonly<Record<string, string>> | undefined,
  keys: { readonly cpuKey: string; readonly memoryKey: string },
): Pricing {
  const price = (key: string) => {
    const text = data?.[key];
    if (text === undefined) throw new PricingConfigError(configMap, key, 'is missing');
    const value = Number(text.trim());
    if (text.trim() === '' || !Number.isFinite(value) || value < 0)
      throw new PricingConfigError(configMap, key, `is ${JSON.stringify(text)}, not a price`);
    return value;
  };
  return { cpuPerCoreHour: price(keys.cpuKey), memoryPerGiBHour: price(keys.memoryKey) };
}
