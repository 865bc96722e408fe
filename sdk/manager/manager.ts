import { constants } from 'node:os';
import type { Logger } from 'pino';
import { Client } from '../client/client.ts';
import { describeCredentials } from '../client/credentials.ts';
import { ForbiddenError, KubeConfigError, UnauthorizedError } from '../client/errors.ts';
import type { AnyKubeconfig } from '../client/kubeconfig/client-node-shape.ts';
import { readKubeconfig } from '../client/kubeconfig/read-kubeconfig.ts';
import { UnknownKindError } from '../client/resource-mapper.ts';
import type { TransportOptions } from '../client/transport.ts';
import { ControllerBuilder, type ControllerHost } from '../controller/controller-builder.ts';
import type { Controller } from '../controller/controller.ts';
import { EventRecorder } from '../controller/event-recorder.ts';
import { BindAddressError } from '../errors/bind-address-error.ts';
import { isSetupError } from '../errors/setup-error.ts';
import { InformerCache, type InformerCacheOptions } from '../informer/informer-cache.ts';
import type { ListFailure } from '../informer/informer.ts';
import { collectProcessMetrics, metricsRegistry } from '../metrics/registry.ts';
import { policyRules, type KindUse, type Permission } from '../rbac/policy-rules.ts';
import type { WebhookServer, WebhookServerOptions } from '../webhook/webhook-server.ts';
import { AccessDeniedError } from './access-denied-error.ts';
import { checkApiServer } from './apiserver-check.ts';
import { LeaderElectionLostError, LeaderElector, type LeaderElectionOptions } from './leader-election.ts';
import {
  metricsRoutes,
  probeRoutes,
  type BindAddress,
  type HealthCheck,
  type RouteServer,
} from './probe-server.ts';
import { createLogger } from '../logging/logger.ts';

/** Something the manager starts and stops besides controllers, e.g. a webhook server. */
export interface Runnable {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Run only while this replica is the leader; default false (webhooks serve on every replica). */
  readonly needLeaderElection?: boolean;
}

export interface ManagerOptions {
  /**
   * Typerator's own kubeconfig or a @kubernetes/client-node KubeConfig. Default: {@link readKubeconfig}
   * (KUBECONFIG, ~/.kube/config, or in-cluster), which does not load client-node. A kubeconfig that
   * cannot be used is reported by `start()`, see {@link Manager.create}.
   */
  readonly kubeConfig?: AnyKubeconfig;
  /** QPS/burst, retries, impersonation for the client. */
  readonly client?: TransportOptions;
  /** Watch and cache only this namespace. */
  readonly namespace?: string;
  readonly cache?: Omit<InformerCacheOptions, 'namespace' | 'logger'>;
  /** Lease-based leader election; default off. */
  readonly leaderElection?: LeaderElectionOptions;
  /** Prometheus /metrics; default `:8080`; `0` picks a free port; `false` disables. */
  readonly metricsBindAddress?: BindAddress;
  /** /healthz and /readyz; default `:8081`; `0` picks a free port; `false` disables. */
  readonly healthProbeBindAddress?: BindAddress;
  /** How long shutdown may take before the manager gives up waiting; default 30 s. */
  readonly gracefulShutdownTimeoutMs?: number;
  /**
   * Serve admission and conversion webhooks with these options (address, certificates). Every
   * operator on this manager registers its handlers on the one server {@link Manager.webhookServer}
   * returns; operators check {@link Manager.servesWebhooks} to turn their webhooks on.
   */
  readonly webhook?: Omit<WebhookServerOptions, 'logger' | 'registry'>;
  /** How long caches may take to sync; default 2 min. */
  readonly cacheSyncTimeoutMs?: number;
  /**
   * How long the start-up check of the apiserver (GET /version, retried while refused or 5xx) may
   * take before start-up fails with ApiServerUnreachableError; default 5 s.
   */
  readonly apiServerCheckTimeoutMs?: number;
  readonly logger?: Logger;
}

/**
 * Failed lists of a watched kind in a row after which start-up gives up on a 401, 403 or a kind
 * the apiserver does not serve (about 2 s with the reflector's backoff): RBAC or a CRD applied just
 * before the operator may take a moment to apply, but one that persists will not go away by waiting.
 */
const START_UP_LIST_ATTEMPTS = 3;

/** How long an interrupted start-up may take to wind down before the process exits anyway. */
const INTERRUPTED_START_UP_EXIT_MS = 5_000;

/** The exit status of a process ended by `signal`, as shells report it: 130 for SIGINT, 143 for SIGTERM. */
function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + constants.signals[signal];
}

/**
 * Logs why the process exits: a {@link SetupError} as one line, its message with `reason` (its name)
 * and no stack, since the message says what to fix; anything else with its stack.
 */
function logExitError(logger: Logger, error: unknown): void {
  if (isSetupError(error)) logger.error({ reason: error.name }, error.message);
  else logger.error({ err: error }, 'manager exited with an error');
}

/** Shutdown did not finish within the grace period. */
export class GracefulShutdownTimeoutError extends Error {
  override readonly name = 'GracefulShutdownTimeoutError';
}

/**
 * Hosts controllers and other runnables: shared informer caches and client, leader election,
 * /metrics, /healthz and /readyz, and graceful shutdown.
 *
 * @example
 * const manager = await Manager.create({ leaderElection: { name: 'my-operator', namespace: 'ops' } });
 * manager.controller('widgets').for(widgetKind).owns(kinds.ConfigMap).complete(reconcileWidget);
 * await manager.runUntilSignal(); // SIGTERM/SIGINT → graceful shutdown → exit 0
 */
export class Manager implements ControllerHost {
  readonly client: Client;
  readonly cache: InformerCache;
  readonly logger: Logger;
  readonly elector: LeaderElector | undefined;
  private readonly options: ManagerOptions;
  private readonly controllers: Controller[] = [];
  private readonly runnables: Runnable[] = [];
  private readonly watched: KindUse[] = [];
  private readonly permissions: Permission[] = [];
  private usesEvents = false;
  private readonly liveness = new Map<string, HealthCheck>([['ping', () => true]]);
  private readonly readiness = new Map<string, HealthCheck>();
  private servers: RouteServer[] = [];
  private webhooks: Promise<WebhookServer> | undefined;
  private started = false;
  /** Set once start-up is complete (caches synced, leadership held, controllers started). */
  private startedUp = false;
  /** Which credentials the client presents, for messages about refusals. */
  private readonly credentials: string;
  /** Why the client cannot work (a kubeconfig problem), reported by start(). */
  private readonly unusableBecause: KubeConfigError | undefined;
  /** Ports actually bound, once started (useful with port 0). */
  metricsPort: number | undefined;
  healthProbePort: number | undefined;

  private constructor(
    client: Client,
    options: ManagerOptions,
    logger: Logger,
    connection: { credentials: string; unusableBecause?: KubeConfigError },
  ) {
    this.client = client;
    this.options = options;
    this.logger = logger;
    this.credentials = connection.credentials;
    this.unusableBecause = connection.unusableBecause;
    this.cache = new InformerCache(client, {
      ...options.cache,
      ...(options.namespace ? { namespace: options.namespace } : {}),
      logger,
    });
    this.readiness.set('informers-synced', () => this.cache.hasSynced);
    this.elector = options.leaderElection
      ? new LeaderElector(client, options.leaderElection, logger)
      : undefined;
  }

  /**
   * Builds a manager. A kubeconfig that cannot be used (none found, a missing or unparsable file, no
   * current cluster, unreadable credentials) does not fail here: `start()` rejects with its
   * KubeConfigError, so `runUntilSignal` reports it as one line like every other start-up problem,
   * and an operator's main needs no error handling of its own. Requests fail with it meanwhile.
   */
  static async create(options: ManagerOptions = {}): Promise<Manager> {
    const logger = options.logger ?? createLogger({ component: 'typerator' });
    const clientOptions: TransportOptions = { logger, ...options.client };
    try {
      const kubeConfig = options.kubeConfig ?? readKubeconfig();
      const client = await Client.fromKubeConfig(kubeConfig, clientOptions);
      const credentials = describeCredentials(kubeConfig, options.client?.impersonate);
      return new Manager(client, options, logger, { credentials });
    } catch (error) {
      if (!(error instanceof KubeConfigError)) throw error;
      return new Manager(Client.unusable(error, clientOptions), options, logger, {
        credentials: 'the kubeconfig',
        unusableBecause: error,
      });
    }
  }

  /**
   * For an operator's main module: builds a manager with `build` (create it, register controllers)
   * and runs it until SIGTERM or SIGINT (see {@link runUntilSignal}). A SetupError thrown while
   * building, e.g. a malformed environment variable from {@link managerOptionsFromEnvironment}, is
   * reported the same way as one from start-up: one log line, exit code 1.
   *
   * @example
   * await Manager.run(async () => {
   *   const manager = await Manager.create(managerOptionsFromEnvironment(process.env, { leaseName: 'my-operator' }));
   *   setup(manager);
   *   return manager;
   * });
   */
  static async run(build: () => Manager | Promise<Manager>): Promise<never> {
    let manager: Manager;
    try {
      manager = await build();
    } catch (error) {
      // Settings given outright: the error being reported may be a malformed LOG_LEVEL itself.
      const logger = createLogger({
        component: 'typerator',
        level: 'info',
        format: process.stdout.isTTY ? 'pretty' : 'json',
      });
      logExitError(logger, error);
      logger.flush();
      process.exit(1);
    }
    return manager.runUntilSignal();
  }

  /** Starts a controller definition; see {@link ControllerBuilder}. */
  controller(name: string): ControllerBuilder {
    if (this.controllers.some((c) => c.name === name))
      throw new Error(`a controller named "${name}" already exists`);
    return new ControllerBuilder(this, name);
  }

  /** Called by the builder. */
  addController(controller: Controller, uses: readonly KindUse[]): void {
    this.controllers.push(controller);
    this.watched.push(...uses);
    if (this.started && (!this.elector || this.elector.isLeader)) controller.start();
  }

  /** Adds a runnable (e.g. the webhook server), started and stopped with the manager. */
  add(runnable: Runnable): void {
    if (this.started) throw new Error(`cannot add ${runnable.name} after the manager started`);
    this.runnables.push(runnable);
  }

  /** Whether the manager was created with webhook serving options (`ManagerOptions.webhook`). */
  get servesWebhooks(): boolean {
    return this.options.webhook !== undefined;
  }

  /**
   * The webhook server for this manager: shares its logger and /metrics registry, starts before the
   * caches sync and serves on every replica (not only the leader), and stops last. One server per
   * manager: the first call creates it from `ManagerOptions.webhook` overlaid with `options`, later
   * calls return it, so several operators in one process share its port. Loaded lazily, so
   * operators without webhooks never load express.
   */
  webhookServer(options: Omit<WebhookServerOptions, 'logger' | 'registry'> = {}): Promise<WebhookServer> {
    this.webhooks ??= this.createWebhookServer(options);
    return this.webhooks;
  }

  private async createWebhookServer(
    options: Omit<WebhookServerOptions, 'logger' | 'registry'>,
  ): Promise<WebhookServer> {
    const { WebhookServer } = await import('../webhook/webhook-server.ts');
    const server = new WebhookServer({
      ...this.options.webhook,
      ...options,
      logger: this.logger.child({ component: 'webhook' }),
      registry: metricsRegistry,
    });
    this.add({ name: 'webhook-server', start: () => server.start(), stop: () => server.stop() });
    return server;
  }

  /** Adds a liveness (/healthz) or readiness (/readyz) check. */
  addHealthCheck(kind: 'liveness' | 'readiness', name: string, check: HealthCheck): void {
    (kind === 'liveness' ? this.liveness : this.readiness).set(name, check);
  }

  /** Declares permissions the controllers need beyond the kinds they watch (for RBAC generation). */
  permit(...permissions: Permission[]): void {
    this.permissions.push(...permissions);
  }

  /**
   * The RBAC rules this manager needs: derived from what its controllers watch and own, plus
   * leases for leader election, events if an event recorder is used, and `permit()`ted extras.
   */
  rbacRules(): ReturnType<typeof policyRules> {
    const implicit: Permission[] = [];
    if (this.elector) {
      implicit.push({
        apiGroups: ['coordination.k8s.io'],
        resources: ['leases'],
        verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
      });
    }
    if (this.usesEvents)
      implicit.push({ apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] });
    return policyRules(this.watched, [...implicit, ...this.permissions]);
  }

  /** An event recorder reporting as `component`. */
  eventRecorder(component: string): EventRecorder {
    this.usesEvents = true;
    return new EventRecorder(this.client, component, this.logger);
  }

  /**
   * Runs until `signal` aborts, then shuts down gracefully: in-flight reconciles finish, the lease
   * is released, and everything stops within the grace period. Rejects if start-up fails, the
   * grace period runs out, or leadership is lost (then reconciles are aborted at once).
   *
   * Start-up checks, in order, and fails fast with a {@link SetupError} naming the cause and the fix:
   * the kubeconfig (KubeConfigError); the apiserver, with GET /version (ApiServerUnreachableError, or
   * AccessDeniedError for a 401); the metrics and probe addresses (BindAddressError); then each
   * watched kind's first lists (UnknownKindError for a kind not served, AccessDeniedError for a 403)
   * and the leader lease (AccessDeniedError). Aborting `signal` during start-up stops at once.
   */
  async start(signal: AbortSignal): Promise<void> {
    if (this.started) throw new Error('the manager is already started');
    this.started = true;
    const background = this.runnables.filter((r) => !r.needLeaderElection);
    const leaderOnly = this.runnables.filter((r) => r.needLeaderElection);
    const leadership = new AbortController();
    let holding: Promise<void> | undefined;
    try {
      if (this.unusableBecause) throw this.unusableBecause;
      this.logger.info({ server: this.client.transport.server.origin }, 'checking the apiserver');
      await checkApiServer(this.client.transport, {
        timeoutMs: this.options.apiServerCheckTimeoutMs ?? 5_000,
        signal,
        credentials: this.credentials,
      });
      await this.startServers();
      for (const runnable of background) await runnable.start();
      this.cache.start();
      await this.cache.waitForSync(this.options.cacheSyncTimeoutMs ?? 120_000, {
        signal,
        failFast: (failure) => this.startUpListFailure(failure),
      });
      this.logger.info({ controllers: this.controllers.map((c) => c.name) }, 'caches synced');
      if (this.elector) {
        await this.elector.acquire(signal);
        holding = this.elector.holdUntil(leadership.signal);
      }
      for (const controller of this.controllers) controller.start();
      for (const runnable of leaderOnly) await runnable.start();
      this.startedUp = true;
      await waitForAbortOrLoss(signal, holding);
    } catch (caught) {
      const error = this.explainRefusal(caught);
      if (error instanceof LeaderElectionLostError || !signal.aborted) {
        // Leadership lost or start-up failed: stop reconciling at once, then clean up. A SetupError
        // is the caller's to report (runUntilSignal logs it as one line).
        if (!isSetupError(error)) this.logger.error({ err: error }, 'manager stopping because of an error');
        await this.stopAll({ abortInFlight: true }, leadership, holding, leaderOnly, background).catch(
          () => undefined,
        );
        throw error;
      }
    }
    this.logger.info('shutting down gracefully');
    const timeoutMs = this.options.gracefulShutdownTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new GracefulShutdownTimeoutError(`shutdown did not finish within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      await Promise.race([
        this.stopAll({ abortInFlight: false }, leadership, holding, leaderOnly, background),
        deadline,
      ]);
      this.logger.info('manager stopped');
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Runs until SIGTERM or SIGINT, then shuts down gracefully and exits the process: 0 on a clean
   * stop, 1 on an error. A SetupError (a kubeconfig, apiserver, RBAC, CRD or port problem) is logged
   * as one line with its message and no stack; anything else with its stack. A signal during start-up
   * (caches syncing, waiting for the leader lease) stops at once and exits 130 (SIGINT) or 143
   * (SIGTERM), as if the process had been killed by it. A second signal exits at once.
   */
  async runUntilSignal(): Promise<never> {
    const stop = new AbortController();
    let interruptedStartUp: NodeJS.Signals | undefined;
    const onSignal = (name: NodeJS.Signals) => {
      if (stop.signal.aborted) {
        this.logger.warn({ signal: name }, 'second signal: exiting at once');
        process.exit(signalExitCode(name));
      }
      if (this.startedUp) {
        this.logger.info({ signal: name }, 'signal received');
      } else {
        interruptedStartUp = name;
        this.logger.info({ signal: name }, 'signal received during start-up: stopping');
        // Start-up waits end on the abort; this only guards against one that does not.
        setTimeout(() => process.exit(signalExitCode(name)), INTERRUPTED_START_UP_EXIT_MS).unref();
      }
      stop.abort();
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    let code = 0;
    try {
      await this.start(stop.signal);
      if (interruptedStartUp) code = signalExitCode(interruptedStartUp);
    } catch (error) {
      logExitError(this.logger, error);
      code = 1;
    }
    this.logger.flush();
    process.exit(code);
  }

  /** Ends the wait for caches on a refusal or missing kind that persists (see START_UP_LIST_ATTEMPTS). */
  private startUpListFailure({ error, consecutiveFailures }: ListFailure): Error | undefined {
    const permanent =
      error instanceof ForbiddenError ||
      error instanceof UnauthorizedError ||
      error instanceof UnknownKindError;
    return permanent && consecutiveFailures >= START_UP_LIST_ATTEMPTS
      ? this.explainRefusal(error)
      : undefined;
  }

  /** A 401 or 403 as an AccessDeniedError naming the credentials and the fix; anything else as is. */
  private explainRefusal<E>(error: E): E | AccessDeniedError {
    if (error instanceof ForbiddenError || error instanceof UnauthorizedError)
      return AccessDeniedError.from(error, this.credentials, this.client.transport.server.origin);
    return error;
  }

  private async startServers(): Promise<void> {
    const metricsAddress = this.options.metricsBindAddress ?? ':8080';
    if (metricsAddress !== false) {
      collectProcessMetrics();
      const server = metricsRoutes(metricsRegistry);
      this.metricsPort = await listenOn(
        server,
        metricsAddress,
        'metrics',
        'METRICS_BIND_ADDRESS or --metrics-bind-address',
        'metricsBindAddress',
      );
      this.servers.push(server);
    }
    const probeAddress = this.options.healthProbeBindAddress ?? ':8081';
    if (probeAddress !== false) {
      const server = probeRoutes(this.liveness, this.readiness);
      this.healthProbePort = await listenOn(
        server,
        probeAddress,
        'health probes',
        'HEALTH_PROBE_BIND_ADDRESS or --health-probe-bind-address',
        'healthProbeBindAddress',
      );
      this.servers.push(server);
    }
    this.logger.info(
      { metricsPort: this.metricsPort, healthProbePort: this.healthProbePort },
      'serving metrics and probes',
    );
  }

  private async stopAll(
    how: { abortInFlight: boolean },
    leadership: AbortController,
    holding: Promise<void> | undefined,
    leaderOnly: readonly Runnable[],
    background: readonly Runnable[],
  ): Promise<void> {
    await Promise.all(this.controllers.map((c) => c.stop(how)));
    for (const runnable of leaderOnly) await runnable.stop();
    leadership.abort();
    await holding?.catch(() => undefined);
    for (const runnable of background) await runnable.stop();
    await this.cache.stop();
    await Promise.all(this.servers.map((s) => s.close()));
    this.client.close();
  }
}

/** Listens, turning a failure into a BindAddressError that names the setting to change. */
async function listenOn(
  server: RouteServer,
  address: string,
  what: string,
  settings: string,
  option: keyof ManagerOptions,
): Promise<number> {
  try {
    return await server.listen(address);
  } catch (error) {
    if (error instanceof BindAddressError) throw error;
    throw BindAddressError.listenFailed(
      what,
      address,
      error,
      `set ${settings} (ManagerOptions.${option}) to a free host:port, or "off"`,
    );
  }
}

/** Resolves when `signal` aborts; rejects if the leadership hold ends with an error. */
function waitForAbortOrLoss(signal: AbortSignal, holding: Promise<void> | undefined): Promise<void> {
  const aborted = new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  return holding ? Promise.race([aborted, holding.then(() => aborted)]) : aborted;
}
