import type { V1ObjectMeta } from '@kubernetes/client-node';
import type { Int32, Int64 } from '../../../sdk/crd/index.ts';
import type { ConditionStatus } from '../../deployment/api/types.ts';

// The ApiSla kind: a latency objective ("99% of requests under 200 ms"), an optional cost ceiling,
// and the pods it is about. The terse forms (99%, 200ms, 3$/h, 28d) are checked here by CEL rules so
// the apiserver refuses a bad value naming the field; operators/sla/logic/parse.ts normalises them.
// Defaults live in logic/settings.ts (as for the Deployment kind), not in the schema. CEL avoids
// backslashes ([.] instead of \.) so the rules read the same in TypeScript, YAML and CEL.

/** API group of the SLA kinds. */
export const SLA_API_GROUP = 'sla.typerator.dev';
/** apiVersion of ApiSla. */
export const SLA_API_VERSION = 'sla.typerator.dev/v1alpha1';

export type { ConditionStatus };

/** Enforce scales the target; Advise computes and reports the same decision but never scales. */
export type SlaMode = 'Enforce' | 'Advise';

/** The workload the ApiSla scales through its scale subresource. */
export interface ScaleTargetRef {
  /** apps/v1 or apps.typerator.dev/v1. */
  apiVersion: string;
  /** Deployment, StatefulSet or ReplicaSet. */
  kind: string;
  /** Name, in the ApiSla's namespace. */
  name: string;
}

/** Where the latency histogram is read. */
export interface PrometheusSource {
  /**
   * Base URL of the Prometheus HTTP API; default http://prometheus-operated.monitoring.svc:9090.
   * @maxLength 2048
   * @validation rule="isURL(self) && self.matches('^https?://')" message="must be an http:// or https:// URL, e.g. http://prometheus.monitoring.svc:9090"
   */
  url?: string;
  /**
   * Histogram base name (no _bucket/_count suffix); default http_request_duration_seconds.
   * @maxLength 200
   * @validation rule="self.matches('^[a-zA-Z_:][a-zA-Z0-9_:]*$')" message="must be a Prometheus metric name such as http_request_duration_seconds"
   * @validation rule="!self.matches('_(bucket|count|sum)$')" message="name the histogram's base name, without the _bucket, _count or _sum suffix"
   */
  metric?: string;
}

/** A ConfigMap holding prices, read in the ApiSla's namespace. */
export interface PricingConfigMapRef {
  /** ConfigMap name. */
  name: string;
  /** Key holding $ per vCPU-hour; default cpuPerCoreHour. */
  cpuKey?: string;
  /** Key holding $ per GiB-hour of memory; default memoryPerGiBHour. */
  memoryKey?: string;
}

/**
 * Prices of requested resources. Default: OpenCost's published defaults (0.031611 $/vCPU-h,
 * 0.004237 $/GiB-h).
 * @validation rule="!has(self.configMapRef) || (!has(self.cpuPerCoreHour) && !has(self.memoryPerGiBHour))" message="set either the prices or configMapRef, not both"
 */
export interface SlaPricing {
  /**
   * US dollars per requested vCPU per hour.
   * @minimum 0
   */
  cpuPerCoreHour?: number;
  /**
   * US dollars per requested GiB of memory per hour.
   * @minimum 0
   */
  memoryPerGiBHour?: number;
  /** Read the prices from a ConfigMap instead. */
  configMapRef?: PricingConfigMapRef;
}

/**
 * Desired state of an ApiSla.
 * @validation rule="!has(self.minReplicas) || !has(self.maxReplicas) || self.minReplicas <= self.maxReplicas" message="must not exceed spec.maxReplicas" fieldPath=.minReplicas
 */
export interface ApiSlaSpec {
  /**
   * Share of requests that must meet the latency, above 1 and below 100: 99%, 99.9% or 99 (quote a bare
   * fraction: "99.9").
   * @maxLength 16
   * @validation rule="type(self) == int || self.matches('^ *[0-9]+([.][0-9]+)? *%? *$')" message="must be a percent such as 99%, 99.9% or \"99.9\""
   * @validation rule="type(self) == int ? (self > 1 && self < 100) : (!self.matches('^ *[0-9]+([.][0-9]+)? *%? *$') || (double(self.replace('%', '').trim()) > 1.0 && double(self.replace('%', '').trim()) < 100.0))" message="must be above 1% (write 99% rather than 0.99) and below 100% (100% leaves no error budget)"
   */
  percent: number | string;
  /**
   * Latency target: 200ms, 1.5s, 0.25s (units us, ms, s).
   * @maxLength 32
   * @validation rule="self.matches('^[0-9]+([.][0-9]+)?(us|ms|s)$')" message="must be a number with a unit: 200ms, 1.5s or 500us"
   * @validation rule="self.matches('[1-9]')" message="must be greater than zero"
   */
  latency: string;
  /**
   * Ceiling for what the target's replicas may cost: 3$/h, $3/h, 0.50 USD/h. No ceiling when absent.
   * @maxLength 32
   * @validation rule="self.matches('^ *[$]? *[0-9]+([.][0-9]+)? *([$]|USD|usd)? ?/ ?(h|hr|hour)$')" message="must be US dollars per hour: 3$/h, $3/h or 0.50 USD/h"
   * @validation rule="self.matches('[1-9]')" message="must be greater than zero"
   */
  cost?: string;
  /**
   * Labels of the pods that serve the API; the metric series are matched with the same labels.
   * @minProperties 1
   * @maxProperties 16
   */
  selector: Record<string, string>;
  /** The workload to scale; default: the one Deployment or StatefulSet owning the selected pods. */
  scaleTargetRef?: ScaleTargetRef;
  /**
   * Fewest replicas; default 1.
   * @minimum 1
   */
  minReplicas?: Int32;
  /**
   * Most replicas; default 10.
   * @minimum 1
   */
  maxReplicas?: Int32;
  /**
   * Window the objective and its error budget are measured over; default 28d.
   * @maxLength 32
   * @validation rule="self.matches('^([0-9]+(ms|s|m|h|d|w|y))+$')" message="must be a duration such as 30s, 5m, 1h, 28d or 1h30m"
   * @validation rule="self.matches('[1-9]')" message="must be greater than zero"
   */
  window?: string;
  /**
   * Short burn-rate window (reacts fast); default 5m.
   * @maxLength 32
   * @validation rule="self.matches('^([0-9]+(ms|s|m|h|d|w|y))+$')" message="must be a duration such as 30s, 5m, 1h, 28d or 1h30m"
   * @validation rule="self.matches('[1-9]')" message="must be greater than zero"
   */
  shortWindow?: string;
  /**
   * Long burn-rate window (confirms the burn is sustained); default 1h.
   * @maxLength 32
   * @validation rule="self.matches('^([0-9]+(ms|s|m|h|d|w|y))+$')" message="must be a duration such as 30s, 5m, 1h, 28d or 1h30m"
   * @validation rule="self.matches('[1-9]')" message="must be greater than zero"
   */
  longWindow?: string;
  /**
   * How often the objective is evaluated; default 30s.
   * @maxLength 32
   * @validation rule="self.matches('^([0-9]+(ms|s|m|h|d|w|y))+$')" message="must be a duration such as 30s, 5m, 1h, 28d or 1h30m"
   * @validation rule="self.matches('[1-9]')" message="must be greater than zero"
   */
  interval?: string;
  /**
   * How long burn rates must stay low before each scale-down step; default 5m.
   * @maxLength 32
   * @validation rule="self.matches('^([0-9]+(ms|s|m|h|d|w|y))+$')" message="must be a duration such as 30s, 5m, 1h, 28d or 1h30m"
   */
  stabilizationWindow?: string;
  /** Where the latency histogram is read. */
  prometheus?: PrometheusSource;
  /** Prices of requested CPU and memory. */
  pricing?: SlaPricing;
  /** Enforce (the default) scales; Advise only reports what it would do. */
  mode?: SlaMode;
  /**
   * Requests per second below which the indicator is Unknown and nothing is done; default 1.
   * @minimum 0
   */
  minRequestRate?: number;
}

/** The objective as normalised numbers. */
export interface ApiSlaObjective {
  /** Share of requests that must be fast, 0-1 (99% → 0.99). */
  ratio: number;
  /** Latency target in seconds. */
  latencySeconds: number;
  /** Cost ceiling in $ per hour; absent when there is none. */
  costPerHour?: number;
  /** The objective in words, e.g. "99% ≤ 200ms". */
  text: string;
}

/** How the indicator is measured. */
export interface ApiSlaIndicator {
  /** The histogram bucket used (the le label), e.g. "0.2". */
  le?: string;
  /** Whether le equals the latency target (otherwise it is the nearest lower boundary). */
  exact?: boolean;
}

/** Burn rates: observed bad share ÷ allowed bad share (1 spends the budget exactly over the window). */
export interface ApiSlaBurnRates {
  /** Over spec.shortWindow. */
  short?: number;
  /** Over spec.longWindow. */
  long?: number;
}

/** What bounds the replica count. */
export type ReplicaLimit = 'MinReplicas' | 'MaxReplicas' | 'CostCeiling';

/** Replica counts of the scale target. */
export interface ApiSlaReplicas {
  /** The target's spec.replicas. */
  current?: Int32;
  /** Ready pods of the target. */
  ready?: Int32;
  /** What the operator wants (or advises). */
  desired?: Int32;
  /** Most replicas the cost ceiling pays for; absent without a ceiling. */
  ceiling?: Int32;
  /** The bound that held desired back, if any. */
  limitedBy?: ReplicaLimit;
}

/** A scaling decision. */
export type SlaAction = 'ScaleUp' | 'ScaleDown' | 'Hold';

/** The last decision that was not a plain Hold. */
export interface ApiSlaDecision {
  /** When it was made (RFC 3339). */
  time: string;
  /** ScaleUp, ScaleDown or Hold. */
  action: SlaAction;
  /** Replicas before. */
  from: Int32;
  /** Replicas asked for. */
  to: Int32;
  /** One-word CamelCase cause. */
  reason: string;
  /** True when made in Advise mode (not applied). */
  advisory?: boolean;
}

/** The last scale-up, kept to check that it helped. */
export interface ApiSlaScaleUpRecord {
  /** When (RFC 3339). */
  time: string;
  /** Replicas before. */
  from: Int32;
  /** Replicas asked for. */
  to: Int32;
  /** Bad share of requests over the short window before the scale-up. */
  badRatio: number;
  /** Requests per second per ready pod before the scale-up. */
  requestsPerReadyPod: number;
  /** When all asked-for pods were first seen ready (RFC 3339). */
  readyAt?: string;
  /** True once the effectiveness check has run. */
  checked?: boolean;
}

/** A scale-up that did not help: latency stayed bad although each pod got fewer requests. */
export interface ApiSlaIneffective {
  /** When it was found (RFC 3339). */
  since: string;
  /** Replicas at the time. */
  replicas: Int32;
  /** Bad share before and after the scale-up, in words. */
  detail: string;
}

/** Bookkeeping the decision function needs across evaluations (kept so restarts lose nothing). */
export interface ApiSlaHistory {
  /** Since when both burn rates have been under the scale-down threshold (RFC 3339). */
  lowBurnSince?: string;
  /** The last scale-up. */
  lastScaleUp?: ApiSlaScaleUpRecord;
  /** Lowest requests per ready pod at which a scale-up was needed: scale-downs stay clear of it. */
  saturationPerPod?: number;
  /** Set while scaling is known not to help. */
  ineffective?: ApiSlaIneffective;
  /** The spec generation this history belongs to; a new generation clears `ineffective`. */
  generation?: Int64;
}

/** Preformatted text for the printer columns. */
export interface ApiSlaSummary {
  /** e.g. "99% ≤ 200ms". */
  objective?: string;
  /** Good share over the long window, e.g. "99.41%". */
  good?: string;
  /** Error budget left over the window, e.g. "82%". */
  budgetLeft?: string;
  /** Current/desired, e.g. "3/5". */
  replicas?: string;
  /** Current cost and ceiling per hour, e.g. "0.054/3". */
  costPerHour?: string;
}

/** An observation about an ApiSla. */
export interface ApiSlaCondition {
  /** Ready, MetricsAvailable, IndicatorExact, ObjectiveMet, CostWithinLimit or Achievable. */
  type: string;
  /** True, False or Unknown. */
  status: ConditionStatus;
  /** The generation the condition was computed for. */
  observedGeneration?: Int64;
  /** Last time the status changed. */
  lastTransitionTime?: string;
  /** One-word CamelCase cause. */
  reason?: string;
  /** Human-readable details. */
  message?: string;
}

/** Observed state of an ApiSla. */
export interface ApiSlaStatus {
  /** The generation this status describes. */
  observedGeneration?: Int64;
  /** The objective, normalised. */
  objective?: ApiSlaObjective;
  /** The bucket the indicator uses. */
  indicator?: ApiSlaIndicator;
  /** Share of requests at or under the latency, over the long window (0-1). */
  goodRatio?: number;
  /** Burn rates over the short and long windows. */
  burnRates?: ApiSlaBurnRates;
  /** Share of the window's error budget left (1 = untouched, below 0 = overspent). */
  errorBudgetRemaining?: number;
  /** Requests per second over the short window. */
  requestRate?: number;
  /** $ per hour one replica's requests cost. */
  costPerReplica?: number;
  /** $ per hour of the current replicas. */
  currentCost?: number;
  /** The cost ceiling in $ per hour. */
  ceilingCost?: number;
  /** Replica counts and what limits them. */
  replicas?: ApiSlaReplicas;
  /** The last scaling decision (or advice). */
  lastDecision?: ApiSlaDecision;
  /** What is happening, in one sentence. */
  message?: string;
  /** Text for the printer columns. */
  summary?: ApiSlaSummary;
  /** Bookkeeping for the decision function. */
  history?: ApiSlaHistory;
  /** Latest observations. */
  conditions?: ApiSlaCondition[];
}

/**
 * Keeps a latency objective true by scaling a workload within a cost ceiling, or says why it cannot.
 * @group sla.typerator.dev
 * @version v1alpha1
 * @plural apislas
 * @shortNames sla
 * @categories typerator
 * @subresource status
 * @printerColumn name=Objective type=string jsonPath=.status.summary.objective
 * @printerColumn name=Good type=string jsonPath=.status.summary.good description="Good share over the long window"
 * @printerColumn name=Budget-Left type=string jsonPath=.status.summary.budgetLeft
 * @printerColumn name=Replicas type=string jsonPath=.status.summary.replicas description="Current/desired"
 * @printerColumn name=$/h type=string jsonPath=.status.summary.costPerHour description="Current cost/ceiling"
 * @printerColumn name=Achievable type=string jsonPath=".status.conditions[?(@.type==\"Achievable\")].status"
 * @printerColumn name=Age type=date jsonPath=.metadata.creationTimestamp
 */
export interface ApiSla {
  apiVersion: string;
  kind: string;
  metadata?: V1ObjectMeta;
  spec: ApiSlaSpec;
  status?: ApiSlaStatus;
}
