/**
 * How the demo service's latency depends on load: a queueing-style model, so that the fraction of
 * requests under a threshold falls smoothly as load per replica rises and recovers when replicas
 * are added. Latency = base + an exponential sojourn time whose mean is service / (1 − utilisation),
 * as in an M/M/1 queue, with utilisation = arrival rate / (ready replicas × per-replica capacity).
 */
export interface LatencyModel {
  /** Latency every request has whatever the load (network, fixed work), in seconds. */
  readonly baseSeconds: number;
  /** Mean of the load-dependent part at zero load, in seconds; it grows as 1 / (1 − utilisation). */
  readonly serviceSeconds: number;
  /** Requests per second one ready replica absorbs before utilisation reaches 1. */
  readonly perReplicaCapacity: number;
  /**
   * The bottleneck is shared (a database, say): utilisation = rate / perReplicaCapacity whatever
   * the replica count, so scaling does not help.
   */
  readonly replicaIndependent: boolean;
  /** The longest latency one request can have (a client timeout), in seconds. */
  readonly maxSeconds: number;
}

export const defaultLatencyModel: LatencyModel = {
  baseSeconds: 0.02,
  serviceSeconds: 0.02,
  perReplicaCapacity: 20,
  replicaIndependent: false,
  maxSeconds: 10,
};

// Past this the mean would diverge: an overloaded service is slow, not infinitely slow.
const MAX_UTILISATION = 0.99;

/** Utilisation at `rate` req/s over `replicas` ready replicas; Infinity when none is ready. */
export function utilisation(model: LatencyModel, rate: number, replicas: number): number {
  const servers = model.replicaIndependent ? 1 : replicas;
  if (servers <= 0) return Infinity;
  return Math.max(0, rate) / (servers * model.perReplicaCapacity);
}

/** Mean of the load-dependent part, in seconds. */
function queueMeanSeconds(model: LatencyModel, rate: number, replicas: number): number {
  const load = Math.min(utilisation(model, rate, replicas), MAX_UTILISATION);
  return model.serviceSeconds / (1 - load);
}

/** The mean latency a request sees, in seconds (`maxSeconds` when no replica is ready). */
export function meanLatencySeconds(model: LatencyModel, rate: number, replicas: number): number {
  if (!model.replicaIndependent && replicas <= 0) return model.maxSeconds;
  return Math.min(model.baseSeconds + queueMeanSeconds(model, rate, replicas), model.maxSeconds);
}

/** One request's latency, drawn from the model, in seconds. `random` returns [0, 1). */
export function sampleLatencySeconds(
  model: LatencyModel,
  rate: number,
  replicas: number,
  random: () => number = Math.random,
): number {
  if (!model.replicaIndependent && replicas <= 0) return model.maxSeconds;
  const exponential = -Math.log(1 - random()) * queueMeanSeconds(model, rate, replicas);
  return Math.min(model.baseSeconds + exponential, model.maxSeconds);
}

/**
 * The expected fraction of requests faster than `thresholdSeconds`: what a good-ratio query should
 * approach, so tests can pick rates and replica counts that meet or break an objective.
 */
export function expectedGoodFraction(
  model: LatencyModel,
  rate: number,
  replicas: number,
  thresholdSeconds: number,
): number {
  if (!model.replicaIndependent && replicas <= 0) return thresholdSeconds >= model.maxSeconds ? 1 : 0;
  if (thresholdSeconds >= model.maxSeconds) return 1;
  const slack = thresholdSeconds - model.baseSeconds;
  if (slack <= 0) return 0;
  return 1 - Math.exp(-slack / queueMeanSeconds(model, rate, replicas));
}
