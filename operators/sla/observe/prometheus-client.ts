// A small client of Prometheus's HTTP query API (/api/v1/query): instant queries only, which is all
// the SLA operator asks. Every failure is a PrometheusQueryError naming the URL and the query, so a
// status condition can say exactly what could not be read.

/** One element of an instant vector: its labels, value and evaluation time (ms since the epoch). */
export interface PrometheusSample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  readonly timestampMs: number;
}

/** Why a query gave no usable answer. */
export type PrometheusFailure = 'unreachable' | 'timeout' | 'http' | 'rejected' | 'malformed';

/** A query that did not produce a vector: the server is down, refused it, or answered nonsense. */
export class PrometheusQueryError extends Error {
  override readonly name = 'PrometheusQueryError';
  readonly failure: PrometheusFailure;
  readonly url: string;
  readonly query: string;

  constructor(failure: PrometheusFailure, url: string, query: string, detail: string) {
    super(`Prometheus at ${url}: ${detail} (query: ${query})`);
    this.failure = failure;
    this.url = url;
    this.query = query;
  }
}

export interface PrometheusClientOptions {
  /** How long one query may take; default 5 s. */
  readonly timeoutMs?: number;
}

interface QueryResponse {
  status?: string;
  errorType?: string;
  error?: string;
  data?: { resultType?: string; result?: unknown };
}

const DEFAULT_TIMEOUT_MS = 5_000;

function parseValue(pair: unknown): { value: number; timestampMs: number } | undefined {
  if (!Array.isArray(pair) || pair.length !== 2) return undefined;
  const [seconds, text] = pair as [unknown, unknown];
  if (typeof seconds !== 'number' || typeof text !== 'string') return undefined;
  // Prometheus writes NaN and ±Inf as "NaN", "+Inf", "-Inf"; Number() reads all three.
  return { value: Number(text), timestampMs: Math.round(seconds * 1000) };
}

/** Reads instant vectors (or scalars, as a one-sample vector) from one Prometheus server. */
export class PrometheusClient {
  readonly url: string;
  private readonly timeoutMs: number;

  constructor(url: string, options: PrometheusClientOptions = {}) {
    this.url = url.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** Evaluates `query` at `at` (default: now on the server). */
  async query(query: string, at?: Date): Promise<PrometheusSample[]> {
    const endpoint = `${this.url}/api/v1/query`;
    const form = new URLSearchParams({ query });
    if (at) form.set('time', String(at.getTime() / 1000));
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        body: form,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      const cause =
        error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
      throw timedOut
        ? new PrometheusQueryError('timeout', endpoint, query, `no answer within ${this.timeoutMs} ms`)
        : new PrometheusQueryError('unreachable', endpoint, query, `cannot connect (${cause})`);
    }
    let body: QueryResponse;
    try {
      body = (await response.json()) as QueryResponse;
    } catch {
      throw new PrometheusQueryError('http', endpoint, query, `HTTP ${response.status} without a JSON body`);
    }
    if (body.status !== 'success') {
      const detail = `${body.errorType ?? `HTTP ${response.status}`}: ${body.error ?? 'no reason given'}`;
      throw new PrometheusQueryError('rejected', endpoint, query, detail);
    }
    return this.samples(body, endpoint, query);
  }

  private samples(body: QueryResponse, endpoint: string, query: string): PrometheusSample[] {
    const malformed = (what: string) => new PrometheusQueryError('malformed', endpoint, query, what);
    const { resultType, result } = body.data ?? {};
    if (resultType === 'scalar') {
      const value = parseValue(result);
      if (!value) throw malformed('a scalar result that is not [time, "value"]');
      return [{ labels: {}, ...value }];
    }
    if (resultType !== 'vector' || !Array.isArray(result))
      throw malformed(`expected an instant vector, got ${resultType ?? 'no resultType'}`);
    return result.map((element: unknown) => {
      const { metric, value } = (element ?? {}) as { metric?: unknown; value?: unknown };
      const parsed = parseValue(value);
      if (!parsed || typeof metric !== 'object' || metric === null)
        throw malformed('a vector element without metric and [time, "value"]');
      return { labels: metric as Record<string, string>, ...parsed };
    });
  }
}
