/** A PromQL instant query failed: Prometheus unreachable, or it answered with an error. */
export class PrometheusQueryError extends Error {
  override readonly name = 'PrometheusQueryError';
  readonly query: string;
  constructor(query: string, reason: string, options?: ErrorOptions) {
    super(`prometheus query ${JSON.stringify(query)} failed: ${reason}`, options);
    this.query = query;
  }
}

/** One series of an instant vector: its labels and its value (which may be NaN). */
export interface VectorSample {
  readonly metric: Readonly<Record<string, string>>;
  readonly value: number;
}

interface QueryResponse {
  readonly status: 'success' | 'error';
  readonly error?: string;
  readonly data?: { readonly resultType: string; readonly result: unknown };
}

/** Runs `query` through `/api/v1/query` at Prometheus's now; the result as an instant vector. */
export async function queryVector(
  prometheusUrl: string,
  query: string,
  timeoutMs = 5_000,
): Promise<VectorSample[]> {
  const url = new URL('/api/v1/query', prometheusUrl);
  url.searchParams.set('query', query);
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const cause =
      error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    throw new PrometheusQueryError(query, `cannot reach ${prometheusUrl} (${cause})`, { cause: error });
  }
  const body = (await response.json().catch(() => undefined)) as QueryResponse | undefined;
  if (!response.ok || body?.status !== 'success' || !body.data) {
    throw new PrometheusQueryError(query, `HTTP ${response.status}: ${body?.error ?? 'no JSON answer'}`);
  }
  if (body.data.resultType !== 'vector') {
    throw new PrometheusQueryError(query, `expected an instant vector, got a ${body.data.resultType}`);
  }
  const result = body.data.result as { metric: Record<string, string>; value: [number, string] }[];
  return result.map((s) => ({ metric: s.metric, value: Number(s.value[1]) }));
}

/** The value of a query expected to give at most one series; undefined when it gives none. */
export async function queryValue(
  prometheusUrl: string,
  query: string,
  timeoutMs = 5_000,
): Promise<number | undefined> {
  const samples = await queryVector(prometheusUrl, query, timeoutMs);
  if (samples.length > 1) throw new PrometheusQueryError(query, `expected one series, got ${samples.length}`);
  return samples[0]?.value;
}
