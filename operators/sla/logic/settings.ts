import type { ApiSlaSpec, ScaleTargetRef, SlaMode } from '../api/types.ts';
import { parseDuration } from './durations.ts';
import { SlaSpecError } from './spec-error.ts';
import { parseCost, parseLatency, parsePercent } from './terse-forms.ts';

// Every default in one place, and the spec turned into numbers the rest of the logic uses. The
// burn-rate windows follow the SRE workbook's fast pair (5m/1h, short = long / 12); the measuring
// window is Pyrra's 28-day baseline; the stabilisation window is the HPA's 5-minute scale-down
// default; prices are OpenCost's published defaults (configs/default.json).

/** Defaults for every optional spec field. */
export const SLA_DEFAULTS = {
  minReplicas: 1,
  maxReplicas: 10,
  window: '28d',
  shortWindow: '5m',
  longWindow: '1h',
  interval: '30s',
  stabilizationWindow: '5m',
  prometheusUrl: 'http://prometheus-operated.monitoring.svc:9090',
  metric: 'http_request_duration_seconds',
  cpuPerCoreHour: 0.031611,
  memoryPerGiBHour: 0.004237,
  cpuKey: 'cpuPerCoreHour',
  memoryKey: 'memoryPerGiBHour',
  mode: 'Enforce',
  minRequestRate: 1,
} as const;

/** The objective as numbers. */
export interface SlaObjective {
  /** Share of requests that must be fast, e.g. 0.99. */
  readonly ratio: number;
  readonly latencySeconds: number;
  /** The ceiling in $ per hour; undefined when there is none. */
  readonly costPerHour: number | undefined;
}

/** Prices of requested resources, in $ per hour. */
export interface Pricing {
  readonly cpuPerCoreHour: number;
  readonly memoryPerGiBHour: number;
}

/** Where prices come from: the spec (or the defaults), or a ConfigMap the controller reads. */
export type PricingSource =
  | ({ readonly kind: 'prices' } & Pricing)
  | {
      readonly kind: 'configMap';
      readonly name: string;
      readonly cpuKey: string;
      readonly memoryKey: string;
    };

/** The spec with every default applied and every terse form parsed. Durations are milliseconds. */
export interface SlaSettings {
  readonly objective: SlaObjective;
  readonly selector: Readonly<Record<string, string>>;
  readonly scaleTargetRef: ScaleTargetRef | undefined;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly windowMs: number;
  readonly shortWindowMs: number;
  readonly longWindowMs: number;
  readonly intervalMs: number;
  readonly stabilizationWindowMs: number;
  readonly prometheus: { readonly url: string; readonly metric: string };
  readonly pricing: PricingSource;
  readonly mode: SlaMode;
  /** Requests per second below which the indicator is Unknown. */
  readonly minRequestRate: number;
  /** metadata.generation of the ApiSla, when known. */
  readonly generation: number | undefined;
}

function replicaBound(value: number | undefined, fallback: number, field: string): number {
  const bound = value ?? fallback;
  if (!Number.isInteger(bound) || bound < 1)
    throw new SlaSpecError(
      field,
      value,
      'is not a whole number of replicas',
      'write an integer of 1 or more',
    );
  return bound;
}

function pricingSource(spec: ApiSlaSpec): PricingSource {
  const pricing = spec.pricing ?? {};
  const { configMapRef } = pricing;
  if (configMapRef) {
    if (pricing.cpuPerCoreHour !== undefined || pricing.memoryPerGiBHour !== undefined)
      throw new SlaSpecError('spec.pricing', pricing, 'sets both prices and configMapRef', 'set one of them');
    return {
      kind: 'configMap',
      name: configMapRef.name,
      cpuKey: configMapRef.cpuKey ?? SLA_DEFAULTS.cpuKey,
      memoryKey: configMapRef.memoryKey ?? SLA_DEFAULTS.memoryKey,
    };
  }
  const price = (value: number | undefined, fallback: number, field: string) => {
    if (value === undefined) return fallback;
    if (!Number.isFinite(value) || value < 0)
      throw new SlaSpecError(field, value, 'is not a price', 'write US dollars per hour, 0 or more');
    return value;
  };
  return {
    kind: 'prices',
    cpuPerCoreHour: price(pricing.cpuPerCoreHour, SLA_DEFAULTS.cpuPerCoreHour, 'spec.pricing.cpuPerCoreHour'),
    memoryPerGiBHour: price(
      pricing.memoryPerGiBHour,
      SLA_DEFAULTS.memoryPerGiBHour,
      'spec.pricing.memoryPerGiBHour',
    ),
  };
}

/** Resolves defaults and parses the terse forms; throws SlaSpecError naming the first bad field. */
export function resolveSettings(spec: ApiSlaSpec, generation?: number): SlaSettings {
  const objective: SlaObjective = {
    ratio: parsePercent(spec.percent),
    latencySeconds: parseLatency(spec.latency),
    costPerHour: spec.cost === undefined ? undefined : parseCost(spec.cost),
  };
  if (Object.keys(spec.selector).length === 0)
    throw new SlaSpecError(
      'spec.selector',
      spec.selector,
      'is empty',
      'name at least one pod label, e.g. app: myapp',
    );
  const minReplicas = replicaBound(spec.minReplicas, SLA_DEFAULTS.minReplicas, 'spec.minReplicas');
  const maxReplicas = replicaBound(spec.maxReplicas, SLA_DEFAULTS.maxReplicas, 'spec.maxReplicas');
  if (minReplicas > maxReplicas)
    throw new SlaSpecError(
      'spec.minReplicas',
      minReplicas,
      `exceeds spec.maxReplicas (${maxReplicas})`,
      'lower it',
    );
  const windowMs = parseDuration(spec.window ?? SLA_DEFAULTS.window, 'spec.window');
  const shortWindowMs = parseDuration(spec.shortWindow ?? SLA_DEFAULTS.shortWindow, 'spec.shortWindow');
  const longWindowMs = parseDuration(spec.longWindow ?? SLA_DEFAULTS.longWindow, 'spec.longWindow');
  if (shortWindowMs >= longWindowMs)
    throw new SlaSpecError(
      'spec.shortWindow',
      spec.shortWindow ?? SLA_DEFAULTS.shortWindow,
      `is not shorter than spec.longWindow (${spec.longWindow ?? SLA_DEFAULTS.longWindow})`,
      'make it shorter; about a twelfth of the long window is usual',
    );
  if (longWindowMs > windowMs)
    throw new SlaSpecError(
      'spec.longWindow',
      spec.longWindow ?? SLA_DEFAULTS.longWindow,
      `is longer than spec.window (${spec.window ?? SLA_DEFAULTS.window})`,
      'make it at most the measuring window',
    );
  const minRequestRate = spec.minRequestRate ?? SLA_DEFAULTS.minRequestRate;
  if (!Number.isFinite(minRequestRate) || minRequestRate < 0)
    throw new SlaSpecError(
      'spec.minRequestRate',
      minRequestRate,
      'is not a rate',
      'write requests per second, 0 or more',
    );
  return {
    objective,
    selector: spec.selector,
    scaleTargetRef: spec.scaleTargetRef,
    minReplicas,
    maxReplicas,
    windowMs,
    shortWindowMs,
    longWindowMs,
    intervalMs: parseDuration(spec.interval ?? SLA_DEFAULTS.interval, 'spec.interval'),
    stabilizationWindowMs: parseDuration(
      spec.stabilizationWindow ?? SLA_DEFAULTS.stabilizationWindow,
      'spec.stabilizationWindow',
      { allowZero: true },
    ),
    prometheus: {
      url: spec.prometheus?.url ?? SLA_DEFAULTS.prometheusUrl,
      metric: spec.prometheus?.metric ?? SLA_DEFAULTS.metric,
    },
    pricing: pricingSource(spec),
    mode: spec.mode ?? SLA_DEFAULTS.mode,
    minRequestRate,
    generation,
  };
}
