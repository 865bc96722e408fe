import type { CoreV1Event, V1Deployment } from '@kubernetes/client-node';
import type { Client } from '../../../sdk/client/client.ts';
import { kinds } from '../../../sdk/client/resource-kind.ts';
import { waitUntil, type PrometheusServer, type ScrapeTarget } from '../../../sdk/testing/index.ts';
import {
  SLA_API_VERSION,
  type ApiSla,
  type ApiSlaCondition,
  type ApiSlaSpec,
} from '../../../operators/sla/api/types.ts';
import { apiSlaKind } from '../../../operators/sla/kinds.ts';
import { METRIC_NAME, startDemoService, type DemoService } from './demo-service.ts';
import { queryValue } from './prometheus-query.ts';
import type { LatencyModel } from './latency-model.ts';
import { startLoadGenerator, type LoadGenerator } from './load-generator.ts';

// One SLA scenario in a shared full-tier cluster: a namespace of its own, an apps/v1 Deployment whose
// pods carry app=<name> and CPU/memory requests, the demo service counting those pods' Ready ones
// live, a load generator, and a record of every spec.replicas the Deployment had.

/** The scrape targets of one Prometheus, shared by several scenarios (each adds its own). */
export class ScrapeTargets {
  private readonly targets = new Map<string, ScrapeTarget>();
  private readonly prometheus: PrometheusServer;

  constructor(prometheus: PrometheusServer) {
    this.prometheus = prometheus;
  }

  get url(): string {
    return this.prometheus.url;
  }

  add(target: ScrapeTarget): void {
    this.targets.set(target.address, target);
    this.prometheus.setTargets([...this.targets.values()]);
  }

  remove(target: ScrapeTarget): void {
    this.targets.delete(target.address);
    this.prometheus.setTargets([...this.targets.values()]);
  }
}

/** A change of the Deployment's spec.replicas, as seen by polling. */
export interface ReplicaChange {
  /** Date.now() when it was first seen. */
  readonly at: number;
  readonly replicas: number;
}

/**
 * Polls a Deployment's spec.replicas and keeps every value it takes. The operator changes it at
 * most once per evaluation interval (seconds), so a 200 ms poll sees every step.
 */
export class ReplicaHistory {
  readonly changes: ReplicaChange[] = [];
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  private readonly client: Client;
  private readonly namespace: string;
  private readonly name: string;

  private constructor(client: Client, namespace: string, name: string) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
  }

  static async start(client: Client, namespace: string, name: string): Promise<ReplicaHistory> {
    const history = new ReplicaHistory(client, namespace, name);
    await history.poll();
    history.schedule();
    return history;
  }

  /** The latest spec.replicas seen. */
  get current(): number {
    return this.changes.at(-1)?.replicas ?? 0;
  }

  /** The values in order, e.g. [2, 4, 8]. */
  get values(): number[] {
    return this.changes.map((change) => change.replicas);
  }

  /** Values seen since `since` (ms), with the value current at that moment first. */
  valuesSince(since: number): number[] {
    const before = this.changes.filter((change) => change.at <= since).at(-1);
    return [
      ...(before ? [before.replicas] : []),
      ...this.changes.filter((c) => c.at > since).map((c) => c.replicas),
    ];
  }

  /** Scaling actions seen: each change of spec.replicas after the first value. */
  get actions(): number {
    return Math.max(0, this.changes.length - 1);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async poll(): Promise<void> {
    const deployment = await this.client
      .resource(kinds.Deployment)
      .get({ namespace: this.namespace, name: this.name });
    const replicas = deployment.spec?.replicas ?? 1;
    if (this.changes.at(-1)?.replicas !== replicas) this.changes.push({ at: Date.now(), replicas });
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.poll()
        .catch(() => undefined)
        .finally(() => {
          this.schedule();
        });
    }, 200);
    this.timer.unref();
  }
}

/** How many times the direction of a replica series changes (up then down, or down then up). */
export function directionChanges(values: readonly number[]): number {
  let changes = 0;
  let last = 0;
  for (let i = 1; i < values.length; i++) {
    const step = Math.sign((values[i] ?? 0) - (values[i - 1] ?? 0));
    if (step === 0) continue;
    if (last !== 0 && step !== last) changes++;
    last = step;
  }
  return changes;
}

/**
 * Flaps: scale-downs followed, at any later time, by a scale-up (the definition of the decision
 * function's unit tests). An overshoot trimmed back (up, up, down) is none; down then up again is one.
 */
export function flaps(values: readonly number[]): number {
  let downSeen = false;
  let count = 0;
  for (let i = 1; i < values.length; i++) {
    const step = (values[i] ?? 0) - (values[i - 1] ?? 0);
    if (step < 0) downSeen = true;
    if (step > 0 && downSeen) {
      count++;
      downSeen = false;
    }
  }
  return count;
}

/** The condition of `type`, if the status has it. */
export const conditionOf = (sla: ApiSla | undefined, type: string): ApiSlaCondition | undefined =>
  sla?.status?.conditions?.find((condition) => condition.type === type);

/** Options of {@link startScenario}. */
export interface ScenarioOptions {
  readonly client: Client;
  /** Names the namespace, the Deployment, the app label and the ApiSla. */
  readonly name: string;
  readonly replicas: number;
  /** Requests per second from the start. */
  readonly rate: number;
  readonly model?: Partial<LatencyModel>;
  /** Scrape targets the demo service is added to. */
  readonly targets: ScrapeTargets;
  /**
   * Wait until Prometheus holds this long of the service's samples before returning, as it would
   * for a service that ran before its ApiSla was created; default 10 s (the tests' short window).
   */
  readonly warmUpMs?: number;
  /** Resource requests of the one container; default 100m CPU and 128Mi. */
  readonly requests?: { readonly cpu: string; readonly memory: string };
}

/** A running scenario. */
export interface Scenario {
  readonly name: string;
  readonly namespace: string;
  readonly demo: DemoService;
  readonly load: LoadGenerator;
  readonly replicas: ReplicaHistory;
  /** Creates the ApiSla `name` with `spec`. */
  createSla(spec: ApiSlaSpec): Promise<ApiSla>;
  /** The ApiSla as stored now. */
  sla(): Promise<ApiSla>;
  /** Events about the ApiSla, oldest first. */
  events(): Promise<CoreV1Event[]>;
  /** The Deployment's spec.replicas now (read, not polled). */
  specReplicas(): Promise<number>;
  stop(): Promise<void>;
}

/** Creates the namespace and the Deployment, starts the demo service and the load. */
export async function startScenario(options: ScenarioOptions): Promise<Scenario> {
  const { client, name } = options;
  const namespace = name;
  await client
    .resource(kinds.Namespace)
    .create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  const labels = { app: name };
  const deployment: V1Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: {
      replicas: options.replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: 'api',
              image: 'registry.example/demo-api:1',
              resources: { requests: { ...(options.requests ?? { cpu: '100m', memory: '128Mi' }) } },
            },
          ],
        },
      },
    },
  };
  await client.resource(kinds.Deployment).create(deployment);
  const demo = await startDemoService({
    name,
    replicas: { client, namespace, labelSelector: `app=${name}` },
    ...(options.model ? { model: options.model } : {}),
  });
  options.targets.add(demo.target());
  const load = startLoadGenerator({ url: demo.url, rate: options.rate });
  const replicas = await ReplicaHistory.start(client, namespace, name);
  const warmUpSeconds = Math.round((options.warmUpMs ?? 10_000) / 1000);
  // One sample a second (the tests' scrape interval); a sample or two of slack for timing.
  const samples = `count_over_time(${METRIC_NAME}_count{app="${name}"}[${warmUpSeconds}s])`;
  await waitUntil(async () => ((await queryValue(options.targets.url, samples)) ?? 0) >= warmUpSeconds - 1, {
    what: `${warmUpSeconds} s of ${name}'s samples in Prometheus`,
    timeoutMs: warmUpSeconds * 1000 + 30_000,
    intervalMs: 500,
  });
  const slas = client.resource(apiSlaKind);
  return {
    name,
    namespace,
    demo,
    load,
    replicas,
    createSla: (spec) =>
      slas.create({ apiVersion: SLA_API_VERSION, kind: 'ApiSla', metadata: { name, namespace }, spec }),
    sla: () => slas.get({ namespace, name }),
    events: async () => {
      const events = await client.resource(kinds.Event).list({
        namespace,
        fieldSelector: `involvedObject.kind=ApiSla,involvedObject.name=${name}`,
      });
      const time = (event: CoreV1Event) =>
        new Date(
          String(event.firstTimestamp ?? event.eventTime ?? event.metadata.creationTimestamp ?? 0),
        ).getTime();
      return events.items.sort((a, b) => time(a) - time(b));
    },
    specReplicas: async () =>
      (await client.resource(kinds.Deployment).get({ namespace, name })).spec?.replicas ?? 1,
    stop: async () => {
      replicas.stop();
      await load.stop();
      await demo.close();
    },
  };
}
