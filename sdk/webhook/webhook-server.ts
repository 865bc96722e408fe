import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { createRequire } from 'node:module';
import type createExpressApp from 'express';
import type { Express, NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { BindAddressError } from '../errors/bind-address-error.ts';
import type { MutatingHandler, ValidatingHandler } from './admission-handler.ts';
import { handlerFailure, mutateRequest, validateRequest } from './admission-responses.ts';
import type { AdmissionRequest, AdmissionResponse, AdmissionReview } from './admission-review.ts';
import {
  CertificateWatcher,
  certificateFilesIn,
  type CertificateFiles,
  type ServingKeyPair,
} from './certificate-watcher.ts';
import { CONVERSION_API_VERSION, type ConversionReview } from './conversion-review.ts';
import { convertRequest, converterFunction, type ConversionFunction, type Converter } from './converter.ts';
import { ensureDevCertificates, type DevCertificateOptions } from './dev-certificates.ts';
import { WebhookCertificateError, WebhookRegistrationError, WebhookRequestError } from './errors.ts';
import { parseAdmissionReview, parseConversionReview, parseJsonBody } from './review-parsing.ts';
import {
  admissionPath,
  conversionPath,
  type AdmissionTarget,
  type ConversionTarget,
} from './webhook-target.ts';
import { webhookMetrics, type WebhookMetrics } from './webhook-metrics.ts';
import { readRequestBody } from './request-body.ts';
import { createLogger } from '../logging/logger.ts';

/** Options for {@link WebhookServer}. */
export interface WebhookServerOptions {
  /** Default 0.0.0.0. */
  readonly host?: string;
  /** Default 9443, the port controller-runtime uses; 0 picks a free one (see {@link WebhookServer.port}). */
  readonly port?: number;
  /** Folder holding the serving pair, named `tls.crt`/`tls.key` unless `certName`/`keyName` say otherwise. */
  readonly certDir?: string;
  readonly certName?: string;
  readonly keyName?: string;
  /** Explicit serving certificate and key files; take precedence over `certDir`. */
  readonly certFile?: string;
  readonly keyFile?: string;
  /** Generate a development CA and serving certificate (see {@link ensureDevCertificates}) and serve it. */
  readonly devCertificates?: DevCertificateOptions;
  /** Largest accepted request body; default 3 MiB (the apiserver's own request limit). */
  readonly bodyLimitBytes?: number;
  /**
   * Time budget of each handler; default 9 s, inside the apiserver's default 10 s webhook timeout.
   * A target's `handlerTimeoutMs` overrides it; a shorter `timeoutSeconds` shortens it.
   */
  readonly handlerTimeoutMs?: number;
  /** How long `stop()` waits for in-flight requests before cutting connections; default 10 s. */
  readonly shutdownTimeoutMs?: number;
  /** Quiet time after a certificate file event before reloading; default 100 ms. */
  readonly certReloadDebounceMs?: number;
  /** Fallback certificate re-read interval; default 10 s, 0 disables. */
  readonly certPollIntervalMs?: number;
  /** Default: a pino logger at info (per-request lines are at debug). */
  readonly logger?: Logger;
  /** Where the webhook metrics are registered; default a new Registry. */
  readonly registry?: Registry;
}

/** A registered admission handler, as manifests need it. */
export interface AdmissionRegistration {
  readonly type: 'validating' | 'mutating';
  readonly path: string;
  readonly target: AdmissionTarget;
}

/** A registered conversion handler, as manifests need it. */
export interface ConversionRegistration {
  readonly type: 'conversion';
  readonly path: string;
  readonly target: ConversionTarget;
}

type AdmissionRoute = AdmissionRegistration & {
  readonly answer: (request: AdmissionRequest) => Promise<AdmissionResponse>;
};
type ConversionRoute = ConversionRegistration & { readonly convert: ConversionFunction };
type Route = AdmissionRoute | ConversionRoute;

const MIB = 1024 * 1024;
/** Applied at start and on every certificate reload, which replaces the whole secure context. */
const TLS_OPTIONS = { minVersion: 'TLSv1.2' } as const;
/** Time kept for the answer to travel back before the apiserver's own webhook timeout. */
const APISERVER_MARGIN_MS = 500;
const JSON_CONTENT_TYPE = /^application\/json\s*(;|$)/i;
const PLAIN_TEXT = 'text/plain; charset=utf-8';

/**
 * An HTTPS server for admission (validating, mutating) and CRD conversion webhooks. Handlers are
 * typed per kind and registered at paths derived from their group, version and kind. The serving
 * certificate is reloaded when its files change, without a restart.
 */
export class WebhookServer {
  readonly logger: Logger;
  readonly registry: Registry;
  private readonly options: WebhookServerOptions;
  private readonly routes = new Map<string, Route>();
  private readonly metrics: WebhookMetrics;
  /** Created on first use of `app`: a server that only answers reviews never loads express. */
  private expressApp: Express | undefined;
  private server: Server | undefined;
  private watcher: CertificateWatcher | undefined;
  private caPem: string | undefined;
  private readonly bodyLimitBytes: number;
  private fallbacksInstalled = false;

  constructor(options: WebhookServerOptions = {}) {
    this.options = options;
    this.logger = options.logger ?? createLogger({ component: 'webhook-server' });
    this.registry = options.registry ?? new Registry();
    this.metrics = webhookMetrics(this.registry);
    this.bodyLimitBytes = options.bodyLimitBytes ?? 3 * MIB;
  }

  /**
   * An express app for other routes (e.g. health checks), added before `start()`. Registered
   * webhook paths are answered before it sees a request.
   */
  get app(): Express {
    if (!this.expressApp) {
      const createApp = createRequire(import.meta.url)('express') as typeof createExpressApp;
      const app = createApp();
      app.disable('x-powered-by');
      app.disable('etag');
      this.expressApp = app;
    }
    return this.expressApp;
  }

  /** Registers a validating handler for a kind; returns its path. */
  validate<T>(target: AdmissionTarget, handler: ValidatingHandler<T>): string {
    const path = target.path ?? admissionPath('validate', target);
    const timeoutMs = this.timeoutFor(target);
    return this.register({
      type: 'validating',
      path,
      target,
      answer: (request) => validateRequest(handler, request, path, timeoutMs),
    });
  }

  /** Registers a mutating handler for a kind; returns its path. */
  mutate<T>(target: AdmissionTarget, handler: MutatingHandler<T>): string {
    const path = target.path ?? admissionPath('mutate', target);
    const timeoutMs = this.timeoutFor(target);
    return this.register({
      type: 'mutating',
      path,
      target,
      answer: (request) => mutateRequest(handler, request, path, timeoutMs),
    });
  }

  /** Registers a CRD conversion handler; returns its path. */
  convert(target: ConversionTarget, converter: Converter): string {
    const path = target.path ?? conversionPath(target);
    return this.register({ type: 'conversion', path, target, convert: converterFunction(converter) });
  }

  /** Every registered handler, in registration order (manifests are generated from these). */
  registrations(): readonly (AdmissionRegistration | ConversionRegistration)[] {
    return [...this.routes.values()].map((route) =>
      route.type === 'conversion'
        ? { type: 'conversion', path: route.path, target: route.target }
        : { type: route.type, path: route.path, target: route.target },
    );
  }

  /** The bound port once started (useful with `port: 0`). */
  get port(): number {
    const address = this.server?.address();
    if (!address || typeof address === 'string') throw new Error('the webhook server is not listening');
    return address.port;
  }

  /** `https://<host>:<port>`; a wildcard host is reported as 127.0.0.1. */
  get url(): string {
    const host = this.options.host ?? '0.0.0.0';
    const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
    return `https://${reachable.includes(':') ? `[${reachable}]` : reachable}:${this.port}`;
  }

  /** The CA that signed the development certificate, once started with `devCertificates`. */
  get devCaPem(): string | undefined {
    return this.caPem;
  }

  /** Loads the certificate, starts watching it and listens; resolves once listening. */
  async start(): Promise<void> {
    if (this.server) throw new Error('the webhook server is already started');
    const files = await this.certificateFiles();
    const watcher = new CertificateWatcher(files, {
      logger: this.logger,
      onChange: (pair) => {
        this.server?.setSecureContext({ ...pair, ...TLS_OPTIONS });
      },
      ...(this.options.certReloadDebounceMs !== undefined
        ? { debounceMs: this.options.certReloadDebounceMs }
        : {}),
      ...(this.options.certPollIntervalMs !== undefined
        ? { pollIntervalMs: this.options.certPollIntervalMs }
        : {}),
    });
    const pair: ServingKeyPair = watcher.start();
    this.installFallbacks();
    const server = createServer({ ...pair, ...TLS_OPTIONS }, (request, response) => {
      this.dispatch(request, response);
    });
    this.server = server;
    this.watcher = watcher;
    // A client that resets mid-handshake must not surface as an unhandled error.
    server.on('tlsClientError', (error) => {
      this.logger.debug({ err: error }, 'TLS handshake failed');
    });
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(this.options.port ?? 9443, this.options.host ?? '0.0.0.0', () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      watcher.stop();
      this.server = undefined;
      this.watcher = undefined;
      throw BindAddressError.listenFailed(
        'webhooks',
        `${this.options.host ?? '0.0.0.0'}:${this.options.port ?? 9443}`,
        error,
        "set --webhook-port or WEBHOOK_PORT (the webhook server's port option, ManagerOptions.webhook.port) to a free port",
      );
    }
    this.logger.info({ url: this.url, paths: [...this.routes.keys()] }, 'webhook server listening');
  }

  /** Stops accepting connections, lets in-flight requests finish (bounded) and closes. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.watcher?.stop();
    this.watcher = undefined;
    const closed = new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
    server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => {
        resolve('timeout');
      }, this.options.shutdownTimeoutMs ?? 10_000);
    });
    if ((await Promise.race([closed, deadline])) === 'timeout') {
      this.logger.warn('in-flight webhook requests did not finish in time; closing their connections');
      server.closeAllConnections();
      await closed;
    }
    clearTimeout(timer);
  }

  /** Unknown paths and errors are answered after any routes added to `app` before `start()`. */
  private installFallbacks(): void {
    if (this.fallbacksInstalled || !this.expressApp) return;
    this.fallbacksInstalled = true;
    this.expressApp.use((request: Request, response: Response) => {
      reply(response, 404, PLAIN_TEXT, `no webhook is registered at ${request.path}`);
    });
    this.expressApp.use((error: unknown, request: Request, response: Response, next: NextFunction) => {
      if (response.headersSent) next(error);
      else this.answerError(error, request.path, response);
    });
  }

  private register(route: Route): string {
    if (!route.path.startsWith('/'))
      throw new WebhookRegistrationError(`webhook path must start with /: ${route.path}`);
    if (this.routes.has(route.path))
      throw new WebhookRegistrationError(`a webhook is already registered at ${route.path}`);
    this.routes.set(route.path, route);
    return route.path;
  }

  /**
   * A handler's time budget: its own, else the server's, shortened to end before the apiserver's
   * `timeoutSeconds` so the user reads the handler's timeout message, not a transport error.
   */
  private timeoutFor(target: {
    readonly handlerTimeoutMs?: number;
    readonly timeoutSeconds?: number;
  }): number {
    if (target.handlerTimeoutMs !== undefined) return target.handlerTimeoutMs;
    const serverDefault = this.options.handlerTimeoutMs ?? 9_000;
    if (target.timeoutSeconds === undefined) return serverDefault;
    return Math.min(
      serverDefault,
      Math.max(target.timeoutSeconds * 1000 - APISERVER_MARGIN_MS, APISERVER_MARGIN_MS),
    );
  }

  private async certificateFiles(): Promise<CertificateFiles> {
    const { certFile, keyFile, certDir, devCertificates } = this.options;
    if (certFile && keyFile) return { certFile, keyFile };
    if (devCertificates) {
      const generated = await ensureDevCertificates(devCertificates);
      this.caPem = generated.caPem;
      return generated;
    }
    if (certDir) return certificateFilesIn(certDir, this.options.certName, this.options.keyName);
    throw new WebhookCertificateError(
      'no serving certificate: set certFile and keyFile, certDir or devCertificates',
      [],
    );
  }

  /** Answers a registered webhook path itself; any other path goes to `app` if one was made. */
  private dispatch(request: IncomingMessage, response: ServerResponse): void {
    const url = request.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    const route = this.routes.get(path);
    if (!route) {
      if (this.expressApp) {
        this.installFallbacks();
        this.expressApp(request, response);
      } else reply(response, 404, PLAIN_TEXT, `no webhook is registered at ${path}`);
      return;
    }
    this.observe(route.path, response);
    if (request.method !== 'POST') {
      response.setHeader('allow', 'POST');
      reply(response, 405, PLAIN_TEXT, `${request.method} is not allowed; use POST`);
      return;
    }
    const contentType = request.headers['content-type'] ?? '';
    if (!JSON_CONTENT_TYPE.test(contentType)) {
      reply(
        response,
        415,
        PLAIN_TEXT,
        `Content-Type must be application/json, got ${JSON.stringify(contentType)}`,
      );
      return;
    }
    readRequestBody(request, this.bodyLimitBytes)
      .then((body) => this.answer(route, body, response))
      .catch((error: unknown) => {
        this.answerError(error, path, response);
      });
  }

  /** Counts the request and its latency under controller-runtime's metric names once it is answered. */
  private observe(webhook: string, response: ServerResponse): void {
    const stopTimer = this.metrics.latency.startTimer({ webhook });
    this.metrics.inFlight.inc({ webhook });
    let counted = false;
    const count = () => {
      if (counted) return;
      counted = true;
      stopTimer();
      this.metrics.inFlight.dec({ webhook });
      this.metrics.requests.inc({ webhook, code: String(response.statusCode) });
    };
    response.once('finish', count);
    response.once('close', count);
  }

  private async answer(route: Route, body: Buffer, response: ServerResponse): Promise<void> {
    const json = parseJsonBody(body);
    const review =
      route.type === 'conversion'
        ? await this.answerConversion(route, json)
        : await this.answerAdmission(route, json);
    reply(response, 200, 'application/json', JSON.stringify(review));
  }

  private async answerConversion(route: ConversionRoute, json: unknown): Promise<ConversionReview> {
    const request = parseConversionReview(json);
    const timeoutMs = this.timeoutFor(route.target);
    const result = await convertRequest(route.convert, request, route.path, timeoutMs);
    const fields = { uid: request.uid, webhook: route.path, desiredAPIVersion: request.desiredAPIVersion };
    if (result.result.status === 'Failure')
      this.logger.error({ ...fields, message: result.result.message }, 'conversion failed');
    else this.logger.debug({ ...fields, objects: request.objects.length }, 'conversion reviewed');
    return { apiVersion: CONVERSION_API_VERSION, kind: 'ConversionReview', response: result };
  }

  private async answerAdmission(route: AdmissionRoute, json: unknown): Promise<AdmissionReview> {
    const { apiVersion, request } = parseAdmissionReview(json);
    const fields = {
      uid: request.uid,
      webhook: route.path,
      kind: request.kind?.kind,
      operation: request.operation,
      namespace: request.namespace,
      name: request.name,
    };
    let result: AdmissionResponse;
    try {
      result = await route.answer(request);
    } catch (error) {
      this.logger.error({ ...fields, err: error }, 'webhook handler failed');
      result = handlerFailure(request.uid, route.path, error);
    }
    this.logger.debug(
      { ...fields, allowed: result.allowed, patched: result.patch !== undefined },
      'admission reviewed',
    );
    return { apiVersion, kind: 'AdmissionReview', response: result };
  }

  /** Answers a refused or failed request with its status; a closed connection gets nothing. */
  private answerError(error: unknown, path: string, response: ServerResponse): void {
    const { status, message } = describeRequestError(error);
    if (status >= 500) this.logger.error({ err: error, path }, 'webhook request failed');
    else this.logger.debug({ path, status, message }, 'webhook request refused');
    if (response.headersSent || response.destroyed) return;
    // A refused body may still be arriving: close the connection rather than read the rest.
    if (status === 413) response.shouldKeepAlive = false;
    reply(response, status, PLAIN_TEXT, message);
  }
}

/** Writes a reply with Node's own API: express's `send` adds ETag hashing and freshness checks a review never needs. */
function reply(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}

/** Maps errors of body reading, review parsing and `app` routes to a status and a message for the client. */
function describeRequestError(error: unknown): { status: number; message: string } {
  if (error instanceof WebhookRequestError) return { status: error.statusCode, message: error.message };
  const httpError = (typeof error === 'object' && error !== null ? error : {}) as {
    status?: unknown;
    message?: unknown;
  };
  if (typeof httpError.status === 'number' && httpError.status >= 400 && httpError.status < 500)
    return { status: httpError.status, message: String(httpError.message) };
  return { status: 500, message: 'internal error while serving the webhook request' };
}
