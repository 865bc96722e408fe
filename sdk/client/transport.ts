import {
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pino, type Logger } from 'pino';
import { systemClock, type Clock } from '../clock/clock.ts';
import { backoffDelay } from '../ratelimit/backoff.ts';
import { TokenBucket } from '../ratelimit/token-bucket.ts';
import {
  ConnectionError,
  KubeConfigError,
  TooManyRequestsError,
  UnauthorizedError,
  apiErrorFrom,
  type RequestDescription,
} from './errors.ts';
import { asKubeconfig, type AnyKubeconfig } from './kubeconfig/client-node-shape.ts';
import { ListBodyError, ListBodyParser } from './list-body-parser.ts';
import { credentialSourceFor } from './kubeconfig/credential-source-for.ts';
import type { CredentialSource } from './kubeconfig/credential-source.ts';
import { impersonationHeaders } from './kubeconfig/impersonation-headers.ts';
import { currentEntries, type KubeconfigUser } from './kubeconfig/kubeconfig.ts';
import { restClientLatency, restClientRequests } from './rest-client-metrics.ts';
import { SingleServerHttpsAgent } from './single-server-agent.ts';
import { recordWrite } from './write-tally.ts';

export { withFreshCredentials } from './kubeconfig/client-node-credentials.ts';

/** Options for how the client talks to the apiserver. */
export interface TransportOptions {
  /** Client-side rate limit in requests per second; default none (the server's flow control applies). */
  readonly qps?: number;
  /** Requests allowed at once above `qps`; default 2 × qps. */
  readonly burst?: number;
  /** Retries for 429s and transient failures; default 10 for 429 (like client-go), 5 otherwise. */
  readonly maxRetries?: number;
  /** Longest wait honoured from a Retry-After header; default 60 s. */
  readonly maxRetryAfterMs?: number;
  /** Impersonate this user (and groups) on every request. */
  readonly impersonate?: { readonly user: string; readonly groups?: readonly string[] };
  readonly userAgent?: string;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/** One HTTP request to the apiserver. */
export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly body?: unknown;
  readonly contentType?: string;
  readonly signal?: AbortSignal;
  /** Retry 429s and transient failures as {@link TransportOptions} say; default true. */
  readonly retry?: boolean;
}

const TRANSIENT_CODES = new Set([500, 502, 503, 504]);
const AUTH_REFRESH_MS = 30_000;

function credentialOf(headers: OutgoingHttpHeaders): string {
  return headers['authorization']?.toString() ?? '';
}

/** A source for a transport that never sends anything. */
const NO_CREDENTIALS: CredentialSource = { resolve: () => Promise.resolve({ tls: {}, headers: {} }) };

function retryAfterMs(header: string | undefined, now: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function queryString(query: HttpRequest['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

async function readBody(response: IncomingMessage): Promise<string> {
  response.setEncoding('utf8');
  let text = '';
  for await (const chunk of response) text += chunk as string;
  return text;
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * The HTTP layer under every Typerator client: one keep-alive connection pool per apiserver,
 * credentials from a kubeconfig (certificates, tokens, token files, exec plugins, impersonation;
 * auth-provider plugins through @kubernetes/client-node, imported only for them), an optional QPS/burst limit, retries (429 Retry-After for any verb; connection
 * failures and 5xx for reads), typed errors and client-go's request metrics.
 */
export class Transport {
  readonly server: URL;
  private readonly host: string;
  private readonly agent: HttpAgent;
  private readonly credentials: CredentialSource;
  private readonly user: KubeconfigUser | undefined;
  private readonly options: TransportOptions;
  private readonly clock: Clock;
  private readonly limiter: TokenBucket | undefined;
  private readonly logger: Logger;
  private authHeaders: OutgoingHttpHeaders = {};
  private authFetchedAt = -Infinity;
  /** The refresh under way, shared by every request that needs it. */
  private authPending: Promise<OutgoingHttpHeaders> | undefined;
  /** Why this transport cannot send anything (see {@link Transport.unusable}). */
  private unusableBecause: Error | undefined;

  private constructor(
    credentials: CredentialSource,
    user: KubeconfigUser | undefined,
    server: URL,
    agent: HttpAgent,
    options: TransportOptions,
  ) {
    this.credentials = credentials;
    this.user = user;
    this.server = server;
    this.host = server.host;
    this.agent = agent;
    this.options = options;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? pino({ level: 'silent' });
    this.limiter = options.qps
      ? new TokenBucket(options.qps, options.burst ?? Math.max(1, options.qps * 2), this.clock)
      : undefined;
  }

  /**
   * Builds a transport for the kubeconfig's current context: Typerator's own (see readKubeconfig),
   * or a @kubernetes/client-node KubeConfig, whose plain fields are read the same way.
   */
  static async create(kubeConfig: AnyKubeconfig, options: TransportOptions = {}): Promise<Transport> {
    const kubeconfig = asKubeconfig(kubeConfig);
    const { contextName: context, cluster, user } = currentEntries(kubeconfig);
    if (!cluster)
      throw new KubeConfigError(
        `the kubeconfig's current context "${context}" names no defined cluster: run \`kubectl config use-context <name>\``,
      );
    if (!URL.canParse(cluster.server))
      throw new KubeConfigError(
        `the kubeconfig's cluster "${cluster.name}" has server "${cluster.server}", which is not a URL (expected https://<host>:<port>)`,
      );
    const server = new URL(cluster.server);
    const credentials = credentialSourceFor(kubeconfig, cluster, options.clock);
    let tls;
    try {
      ({ tls } = await credentials.resolve(false));
    } catch (error) {
      // Unreadable certificate or token files, a failing exec plugin: the kubeconfig's user is unusable.
      throw new KubeConfigError(
        `cannot use the credentials of kubeconfig user "${user?.name ?? '(none)'}" (context "${context}"): ${(error as Error).message}`,
        { cause: error },
      );
    }
    const agent =
      server.protocol === 'https:'
        ? new SingleServerHttpsAgent({ keepAlive: true, ...tls })
        : new HttpAgent({ keepAlive: true });
    return new Transport(credentials, user, server, agent, options);
  }

  /**
   * A transport whose every request fails with `reason`, e.g. a {@link KubeConfigError}, so a
   * manager can still be built and report the reason when it starts.
   */
  static unusable(reason: Error, options: TransportOptions = {}): Transport {
    const transport = new Transport(
      NO_CREDENTIALS,
      undefined,
      new URL('https://unusable.invalid'),
      new HttpAgent(),
      options,
    );
    transport.unusableBecause = reason;
    return transport;
  }

  /** Sends a request and returns the parsed JSON body; throws a typed ApiError on failure. */
  async request<T>(request: HttpRequest): Promise<T> {
    const response = await this.send(request);
    const text = await readBody(response);
    return parseJson(text) as T;
  }

  /**
   * Sends a LIST and parses the response while it arrives, each item on its own (see
   * ListBodyParser): a large list never becomes one string, and parsing overlaps the transfer.
   */
  async requestList(request: HttpRequest): Promise<Record<string, unknown>> {
    const response = await this.send(request);
    const parser = new ListBodyParser();
    try {
      for await (const chunk of response) parser.push(chunk as Buffer);
      return parser.finish();
    } catch (error) {
      response.destroy();
      if (error instanceof ListBodyError)
        throw new ListBodyError(`the response to ${request.method} ${request.path}: ${error.message}`, {
          cause: error,
        });
      throw error;
    }
  }

  /** Sends a request and returns the open response stream (e.g. a watch) once it answered 2xx. */
  async stream(request: HttpRequest): Promise<IncomingMessage> {
    return this.send(request);
  }

  /** Closes idle pooled connections. */
  close(): void {
    this.agent.destroy();
  }

  /**
   * Credential headers, refreshed every AUTH_REFRESH_MS, or at once when `rejected` (the headers a
   * request got a 401 with) still carry the current credential. Concurrent callers share one
   * refresh, so a burst of rejected requests runs an exec plugin once.
   */
  private headers(rejected?: OutgoingHttpHeaders): Promise<OutgoingHttpHeaders> {
    if (this.authPending) return this.authPending;
    const stale =
      rejected !== undefined
        ? credentialOf(rejected) === credentialOf(this.authHeaders)
        : this.clock.now() - this.authFetchedAt > AUTH_REFRESH_MS;
    if (!stale) return Promise.resolve(this.authHeaders);
    this.authPending = this.fetchHeaders(rejected !== undefined).finally(
      () => (this.authPending = undefined),
    );
    return this.authPending;
  }

  private async fetchHeaders(fresh: boolean): Promise<OutgoingHttpHeaders> {
    const { headers } = await this.credentials.resolve(fresh);
    const all = { ...headers, ...impersonationHeaders(this.options.impersonate, this.user) };
    this.authHeaders = all;
    this.authFetchedAt = this.clock.now();
    return all;
  }

  private async send(request: HttpRequest): Promise<IncomingMessage> {
    if (this.unusableBecause) throw this.unusableBecause;
    const description: RequestDescription = { method: request.method, path: request.path };
    const safe = request.method === 'GET';
    const maxRetries = request.retry === false ? 0 : this.options.maxRetries;
    let refreshedAuth = false;
    for (let attempt = 0; ; attempt++) {
      if (this.limiter) await this.limiter.take(request.signal);
      const started = this.clock.now();
      let response: IncomingMessage;
      let auth: OutgoingHttpHeaders;
      try {
        auth = await this.headers();
        response = await this.sendOnce(request, auth);
      } catch (error) {
        restClientRequests.inc({ code: '<error>', method: request.method, host: this.host });
        if (request.signal?.aborted) throw error;
        const code = (error as NodeJS.ErrnoException).code;
        // A refused connection never reached the server, so any verb may retry.
        const retriable = safe || code === 'ECONNREFUSED';
        if (!retriable || attempt >= (maxRetries ?? 5)) throw new ConnectionError(description, error);
        const delay = backoffDelay({ initialMs: 100, maxMs: 5_000, jitter: 0.5 }, attempt);
        this.logger.debug(
          { method: request.method, path: request.path, attempt, delayMs: Math.round(delay), error: code },
          'retrying after connection failure',
        );
        await this.clock.sleep(delay, request.signal);
        continue;
      }
      const status = response.statusCode ?? 0;
      restClientRequests.inc({ code: String(status), method: request.method, host: this.host });
      restClientLatency.observe(
        { verb: request.method, host: this.host },
        (this.clock.now() - started) / 1000,
      );
      if (status >= 200 && status < 300) {
        if (request.method !== 'GET') recordWrite();
        return response;
      }

      const body = parseJson(await readBody(response));
      const error = apiErrorFrom(status, body, description);
      const waitMs = retryAfterMs(response.headers['retry-after'], this.clock.now());
      if (error instanceof TooManyRequestsError) error.retryAfterMs = waitMs;
      if (error instanceof UnauthorizedError && !refreshedAuth) {
        // Tokens from exec plugins and token files expire or rotate: fetch fresh ones once before giving up.
        refreshedAuth = true;
        await this.headers(auth);
        continue;
      }
      const throttled = status === 429;
      const transient = TRANSIENT_CODES.has(status) && (safe || waitMs !== undefined);
      if (!(throttled || transient) || attempt >= (maxRetries ?? (throttled ? 10 : 5))) throw error;
      const delay = Math.min(
        waitMs ?? backoffDelay({ initialMs: 200, maxMs: 5_000, jitter: 0.5 }, attempt),
        this.options.maxRetryAfterMs ?? 60_000,
      );
      this.logger.debug(
        { method: request.method, path: request.path, status, attempt, delayMs: Math.round(delay) },
        'retrying after server answer',
      );
      await this.clock.sleep(delay, request.signal);
    }
  }

  private sendOnce(request: HttpRequest, auth: OutgoingHttpHeaders): Promise<IncomingMessage> {
    const url = new URL(request.path + queryString(request.query), this.server);
    const payload =
      request.body === undefined
        ? undefined
        : typeof request.body === 'string'
          ? request.body
          : JSON.stringify(request.body);
    const headers: OutgoingHttpHeaders = {
      ...auth,
      accept: 'application/json',
      'user-agent': this.options.userAgent ?? 'typerator',
    };
    if (payload !== undefined) {
      headers['content-type'] = request.contentType ?? 'application/json';
      headers['content-length'] = Buffer.byteLength(payload);
    }
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(url, {
        method: request.method,
        headers,
        agent: this.agent,
        ...(request.signal ? { signal: request.signal } : {}),
      });
      req.once('response', resolve);
      req.once('error', reject);
      req.end(payload);
    });
  }
}
