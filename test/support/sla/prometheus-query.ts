// PromQL from tests, through the operator's own Prometheus client (one client, one error type).
import {
  PrometheusClient,
  PrometheusQueryError,
  type PrometheusSample,
} from '../../../operators/sla/observe/prometheus-client.ts';

export { PrometheusQueryError };

/** Runs `query` at Prometheus's now; the result as an instant vector (values may be NaN). */
export function queryVector(
  prometheusUrl: string,
  query: string,
  timeoutMs = 5_000,
): Promise<PrometheusSample[]> {
  return new PrometheusClient(prometheusUrl, { timeoutMs }).query(query);
}

/** The value of a query expected to give at most one series; undefined when it gives none. */
export async function queryValue(
  prometheusUrl: string,
  query: string,
  timeoutMs = 5_000,
): Promise<number | undefined> {
  const samples = await queryVector(prometheusUrl, query, timeoutMs);
  if (samples.length > 1) throw new Error(`${query}: expected one series, got ${samples.length}`);
  return samples[0]?.value;
}
