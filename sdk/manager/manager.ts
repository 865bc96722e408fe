import { KubeConfig } from '@kubernetes/client-node';
import { pino, type Logger } from 'pino';
import { Client } from '../client/client.ts';
import type { TransportOptions } from '../client/transport.ts';
import { ControllerBuilder, type ControllerHost } from '../controller/controller-builder.ts';
import type { Controller } from '../controller/controller.ts';
import { EventRecorder } from '../controller/event-recorder.ts';
import { InformerCache, type InformerCacheOptions } from '../informer/informer-cache.ts';
import { metricsRegistry } from '../metrics/registry.ts';
import { policyRules, type KindUse, type Permission } from '../rbac/policy-rules.ts';
import type { WebhookServer, WebhookServerOptions } from '../webhook/webhook-server.ts';
import { LeaderElectionLostError, LeaderElector, type LeaderElectionOptions } from './leader-election.ts';
import {
  metricsRoutes,
  probeRoutes,
  type BindAddress,
  type HealthCheck,
  type RouteServer,
} from './probe-server.ts';

/** Something the manager starts and stops besides controllers, e.g. a webhook server. */
export interface Runnable {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Run only while this replica is the leader; default false (webhooks serve on every replica). */
  readonly needLeaderElection?: boolean;
}

export interface ManagerOptions {
  /** Default: `KubeConfig.loadFromDefault()` (KUBECONFIG, ~/.kube/config, or in-cluster). */
  readonly kubeConfig?: KubeConfig;
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
  readonly logger?: Logger;
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
  /** Ports actually bound, once started (useful with port 0). */
  metricsPort: number | undefined;
  healthProbePort: number | undefined;

  private constructor(client: Client, options: ManagerOptions, logger: Logger) {
    this.client = client;
    this.options = options;
    this.logger = logger;
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

  static async create(options: ManagerOptions = {}): Promise<Manager> {
    const kubeConfig = options.kubeConfig ?? defaultKubeConfig();
    const logger = options.logger ?? pino({ name: 'typerator' });
    const client = await Client.fromKubeConfig(kubeConfig, { logger, ...options.client });
    return new Manager(client, options, logger);
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
   */
  async start(signal: AbortSignal): Promise<void> {
    if (this.started) throw new Error('the manager is already started');
    this.started = true;
    const background = this.runnables.filter((r) => !r.needLeaderElection);
    const leaderOnly = this.runnables.filter((r) => r.needLeaderElection);
    const leadership = new AbortController();
    let holding: Promise<void> | undefined;
    try {
      await this.startServers();
      for (const runnable of background) await runnable.start();
      this.cache.start();
      await this.cache.waitForSync(this.options.cacheSyncTimeoutMs ?? 120_000);
      this.logger.info({ controllers: this.controllers.map((c) => c.name) }, 'caches synced');
      if (this.elector) {
        await this.elector.acquire(signal);
        holding = this.elector.holdUntil(leadership.signal);
      }
      for (const controller of this.controllers) controller.start();
      for (const runnable of leaderOnly) await runnable.start();
      await waitForAbortOrLoss(signal, holding);
    } catch (error) {
      if (error instanceof LeaderElectionLostError || !signal.aborted) {
        // Leadership lost or start-up failed: stop reconciling at once, then clean up.
        this.logger.error({ err: error }, 'manager stopping because of an error');
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
   * stop, 1 on an error. A second signal exits at once.
   */
  async runUntilSignal(): Promise<never> {
    const stop = new AbortController();
    const onSignal = (name: NodeJS.Signals) => {
      if (stop.signal.aborted) {
        this.logger.warn({ signal: name }, 'second signal: exiting at once');
        process.exit(1);
      }
      this.logger.info({ signal: name }, 'signal received');
      stop.abort();
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    let code = 0;
    try {
      await this.start(stop.signal);
    } catch (error) {
      this.logger.error({ err: error }, 'manager exited with an error');
      code = 1;
    }
    this.logger.flush();
    process.exit(code);
  }

  private async startServers(): Promise<void> {
    const metricsAddress = this.options.metricsBindAddress ?? ':8080';
    if (metricsAddress !== false) {
      const server = metricsRoutes(metricsRegistry);
      this.metricsPort = await server.listen(metricsAddress);
      this.servers.push(server);
    }
    const probeAddress = this.options.healthProbeBindAddress ?? ':8081';
    if (probeAddress !== false) {
      const server = probeRoutes(this.liveness, this.readiness);
      this.healthProbePort = await server.listen(probeAddress);
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

function defaultKubeConfig(): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromDefault();
  return kubeConfig;
}

/** Resolves when `signal` aborts; rejects if the leadership hold ends with an error. */
function waitForAbortOrLoss(signal: AbortSignal, holding: Promise<void> | undefined): Promise<void> {
  const aborted = new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  return holding ? Promise.race([aborted, holding.then(() => aborted)]) : aborted;
}
