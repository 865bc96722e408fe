import type { V1Lease, V1LeaseSpec } from '@kubernetes/client-node';
import { Gauge } from 'prom-client';
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../clock/clock.ts';
import type { Client } from '../client/client.ts';
import {
  AlreadyExistsError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnauthorizedError,
} from '../client/errors.ts';
import { kinds } from '../client/resource-kind.ts';
import { errorLogFields } from '../errors/error-log-fields.ts';
import { metricsRegistry, singletonMetric } from '../metrics/registry.ts';

/** Lease timing, controller-runtime's defaults: 15 s lease, 10 s renew deadline, 2 s retry. */
export interface LeaderElectionOptions {
  /** Lease name, e.g. `my-operator-leader`. */
  readonly name: string;
  readonly namespace: string;
  /** This candidate's identity; default hostname + random suffix. */
  readonly identity?: string;
  readonly leaseDurationMs?: number;
  readonly renewDeadlineMs?: number;
  readonly retryPeriodMs?: number;
  /** Give the lease up on shutdown so a successor takes over at once; default true. */
  readonly releaseOnCancel?: boolean;
}

const leaderStatus = singletonMetric(
  'leader_election_master_status',
  () =>
    new Gauge({
      name: 'leader_election_master_status',
      help: 'Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master.',
      labelNames: ['name'] as const,
      registers: [metricsRegistry],
    }),
);

/** Leadership was lost (the lease could not be renewed in time): stop reconciling at once. */
export class LeaderElectionLostError extends Error {
  override readonly name = 'LeaderElectionLostError';
}

/**
 * Refusals (401/403) in a row after which `acquire` gives up: RBAC applied just before start-up may
 * take a moment to apply, but a refusal that persists will not go away by waiting.
 */
const REFUSALS_BEFORE_GIVING_UP = 3;

/** RFC 3339 with microseconds, as metav1.MicroTime requires. */
const microTime = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

/**
 * Leader election on a coordination.k8s.io Lease, with client-go's rules: a candidate takes the
 * lease when it is free or its holder has not renewed it for a lease duration, as measured on
 * the candidate's own clock from when it last saw the record change (clocks of different
 * machines are never compared). The leader renews every retry period and steps down if it cannot
 * renew within the renew deadline.
 */
export class LeaderElector {
  readonly identity: string;
  private readonly client: Client;
  private readonly options: Required<Omit<LeaderElectionOptions, 'identity'>>;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private observedRecordJson = '';
  private observedAt = 0;
  private leading = false;
  /** The 401/403 the last attempt got, if it was refused. */
  private lastRefusal: ForbiddenError | UnauthorizedError | undefined;

  constructor(client: Client, options: LeaderElectionOptions, logger: Logger, clock: Clock = systemClock) {
    this.client = client;
    this.identity =
      options.identity ??
      `${process.env['HOSTNAME'] ?? 'typerator'}_${Math.random().toString(36).slice(2, 10)}`;
    this.options = {
      name: options.name,
      namespace: options.namespace,
      leaseDurationMs: options.leaseDurationMs ?? 15_000,
      renewDeadlineMs: options.renewDeadlineMs ?? 10_000,
      retryPeriodMs: options.retryPeriodMs ?? 2_000,
      releaseOnCancel: options.releaseOnCancel ?? true,
    };
    if (!(
      this.options.leaseDurationMs > this.options.renewDeadlineMs &&
      this.options.renewDeadlineMs > this.options.retryPeriodMs
    )) {
      throw new RangeError('leader election needs leaseDuration > renewDeadline > retryPeriod');
    }
    this.clock = clock;
    this.logger = logger.child({ lease: `${options.namespace}/${options.name}`, identity: this.identity });
    leaderStatus.set({ name: options.name }, 0);
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /**
   * Resolves once this candidate holds the lease; rejects if `signal` aborts first, or with the
   * apiserver's ForbiddenError or UnauthorizedError if it keeps refusing the lease requests.
   */
  async acquire(signal: AbortSignal): Promise<void> {
    this.logger.info('waiting to acquire the leader lease');
    let refusals = 0;
    for (;;) {
      signal.throwIfAborted();
      if (await this.tryAcquireOrRenew()) {
        this.leading = true;
        leaderStatus.set({ name: this.options.name }, 1);
        this.logger.info('acquired the leader lease');
        return;
      }
      refusals = this.lastRefusal ? refusals + 1 : 0;
      if (this.lastRefusal && refusals >= REFUSALS_BEFORE_GIVING_UP) throw this.lastRefusal;
      await this.clock.sleep(this.options.retryPeriodMs * (1 + Math.random() * 0.2), signal);
    }
  }

  /**
   * Renews until `signal` aborts (then releases if configured, and resolves) or until a renewal
   * fails for longer than the renew deadline (then rejects with LeaderElectionLostError).
   */
  async holdUntil(signal: AbortSignal): Promise<void> {
    let lastRenew = this.clock.now();
    while (!signal.aborted) {
      await this.clock.sleep(this.options.retryPeriodMs, signal).catch(() => undefined);
      // The sleep may have been cut short by the abort; the loop test's narrowing is stale here.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
      if (signal.aborted) break;
      if (await this.tryAcquireOrRenew()) {
        lastRenew = this.clock.now();
        continue;
      }
      if (this.clock.now() - lastRenew >= this.options.renewDeadlineMs) {
        this.stepDown();
        throw new LeaderElectionLostError(
          `lost the leader lease ${this.options.namespace}/${this.options.name}: not renewed within ${this.options.renewDeadlineMs} ms`,
        );
      }
    }
    if (this.options.releaseOnCancel) await this.release();
    this.stepDown();
  }

  private stepDown(): void {
    if (this.leading) this.logger.info('stopped leading');
    this.leading = false;
    leaderStatus.set({ name: this.options.name }, 0);
  }

  /** Gives the lease up so another candidate can take it without waiting for expiry. */
  async release(): Promise<void> {
    if (!this.leading) return;
    const leases = this.client.resource(kinds.Lease);
    try {
      const lease = await leases.get({ namespace: this.options.namespace, name: this.options.name });
      if (lease.spec?.holderIdentity !== this.identity) return;
      await leases.update({
        ...lease,
        spec: {
          ...lease.spec,
          holderIdentity: '',
          leaseDurationSeconds: 1,
          renewTime: microTime(this.clock.now()) as unknown as Date,
        },
      });
      this.logger.info('released the leader lease');
    } catch (error) {
      this.logger.warn({ err: error }, 'could not release the leader lease; it will expire');
    }
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const leases = this.client.resource(kinds.Lease);
    const key = { namespace: this.options.namespace, name: this.options.name };
    const now = this.clock.now();
    this.lastRefusal = undefined;
    const spec = (previous?: V1LeaseSpec): V1LeaseSpec => {
      const takingOver = previous?.holderIdentity !== this.identity;
      return {
        holderIdentity: this.identity,
        leaseDurationSeconds: Math.ceil(this.options.leaseDurationMs / 1000),
        acquireTime: (takingOver ? microTime(now) : previous.acquireTime) as unknown as Date,
        renewTime: microTime(now) as unknown as Date,
        leaseTransitions:
          (previous?.leaseTransitions ?? 0) + (takingOver && previous?.holderIdentity ? 1 : 0),
      };
    };
    try {
      let lease: V1Lease;
      try {
        lease = await leases.get(key);
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
        await leases.create({ metadata: { ...key }, spec: spec() });
        this.observe(JSON.stringify(spec()), now);
        return true;
      }
      const record = JSON.stringify(lease.spec ?? {});
      if (record !== this.observedRecordJson) this.observe(record, now);
      const holder = lease.spec?.holderIdentity ?? '';
      const durationMs = (lease.spec?.leaseDurationSeconds ?? 0) * 1000;
      const heldByOther = holder !== '' && holder !== this.identity;
      if (heldByOther && this.observedAt + durationMs > now) return false;
      await leases.update({ ...lease, spec: spec(lease.spec) });
      this.observe(JSON.stringify(lease.spec), now);
      return true;
    } catch (error) {
      if (error instanceof ForbiddenError || error instanceof UnauthorizedError) this.lastRefusal = error;
      if (!(error instanceof ConflictError || error instanceof AlreadyExistsError)) {
        this.logger.warn(errorLogFields(error), 'leader lease request failed');
      }
      return false;
    }
  }

  private observe(record: string, at: number): void {
    this.observedRecordJson = record;
    this.observedAt = at;
  }
}
