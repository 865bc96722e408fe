import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Histogram, Registry } from 'prom-client';
import type { ScrapeTarget } from '../../../sdk/testing/prometheus.ts';
import { ArrivalRate } from './arrival-rate.ts';
import {
  defaultLatencyModel,
  meanLatencySeconds,
  sampleLatencySeconds,
  type LatencyModel,
} from './latency-model.ts';
import { watchReadyPods, type ReadyPods, type ReadyPodsOptions } from './ready-pods.ts';

/** Where the replica count comes from: a callback, or the Ready pods of a workload in the cluster. */
export type ReplicaSource = (() => number) | ReadyPodsOptions;

/** Options for {@link startDemoService}. */
export interface DemoServiceOptions {
  /** Names the service; {@link DemoService.target} labels its series `app=<name>`. Default `demo`. */
  readonly name?: string;
  readonly replicas: ReplicaSource;
  /** Overrides of {@link defaultLatencyModel}; {@link DemoService.setModel} changes it later. */
  readonly model?: Partial<LatencyModel>;
  /** Histogram buckets in seconds; they must include the latency target the tests use (0.2). */
  readonly buckets?: readonly number[];
  /** The window the arrival rate is measured over; default 2000 ms. */
  readonly rateWindowMs?: number;
  /** [0, 1) source for latency draws; a seeded one makes runs repeatable. */
  readonly random?: () => number;
}

/** A running demo service. */
export interface DemoService {
  readonly name: string;
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** `127.0.0.1:<port>`, what Prometheus scrapes. */
  readonly address: string;
  /** The current model (defaults merged with overrides). */
  readonly model: LatencyModel;
  /** Ready replicas as the service sees them now. */
  replicas(): number;
  /** Requests per second arriving now (over the rate window). */
  arrivalRate(): number;
  /** The mean latency a request would get now, in seconds. */
  meanLatencySeconds(): number;
  /** Changes the model at run time (e.g. turns `replicaIndependent` on). */
  setModel(changes: Partial<LatencyModel>): void;
  /** The scrape target for this service, labelled `app=<name>` plus `labels`. */
  target(labels?: Readonly<Record<string, string>>): ScrapeTarget;
  close(): Promise<void>;
}

export const METRIC_NAME = 'http_request_duration_seconds';
export const DEFAULT_BUCKETS: readonly number[] = [0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 5];

function checkedModel(model: LatencyModel): LatencyModel {
  for (const [key, value] of Object.entries(model)) {
    if (typeof value === 'number' && !(value >= 0 && Number.isFinite(value))) {
      throw new RangeError(`latency model ${key} must be a finite number ≥ 0, got ${value}`);
    }
  }
  if (!(model.perReplicaCapacity > 0)) throw new RangeError('latency model perReplicaCapacity must be > 0');
  return model;
}

/**
 * Starts a real HTTP server on a free loopback port. Every request other than `GET /metrics` is one
 * request of the service: it draws a latency from the model for the current arrival rate and
 * replica count, observes it into the `http_request_duration_seconds` histogram and answers at
 * once (200, or 503 while no replica is ready). It does not sleep for the latency: the histogram,
 * which is what Prometheus and the operator see, carries the modelled latency, and runs stay fast.
 * `GET /metrics` serves the histogram in the Prometheus text format.
 */
export async function startDemoService(options: DemoServiceOptions): Promise<DemoService> {
  const name = options.name ?? 'demo';
  let model = checkedModel({ ...defaultLatencyModel, ...options.model });
  const random = options.random ?? Math.random;
  const arrivals = new ArrivalRate(options.rateWindowMs ?? 2_000);
  const source = options.replicas;
  const pods: ReadyPods | undefined = typeof source === 'function' ? undefined : await watchReadyPods(source);
  const replicas = typeof source === 'function' ? source : () => pods?.current() ?? 0;

  // A registry of its own: two demo services in one test process must not share series.
  const registry = new Registry();
  const histogram = new Histogram({
    name: METRIC_NAME,
    help: 'Latency of the demo service requests (modelled, see test/support/sla/latency-model.ts).',
    buckets: [...(options.buckets ?? DEFAULT_BUCKETS)],
    registers: [registry],
  });

  const serveMetrics = async (res: ServerResponse) => {
    const body = await registry.metrics();
    res.writeHead(200, { 'content-type': registry.contentType });
    res.end(body);
  };
  const serveRequest = (res: ServerResponse) => {
    arrivals.record();
    const ready = replicas();
    const seconds = sampleLatencySeconds(model, arrivals.perSecond(), ready, random);
    histogram.observe(seconds);
    const status = !model.replicaIndependent && ready <= 0 ? 503 : 200;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ latencySeconds: seconds, replicas: ready }));
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    // The body is not used, but must be read for the keep-alive connection to carry the next request.
    req.resume();
    if (req.method === 'GET' && req.url === '/metrics') {
      serveMetrics(res).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    } else {
      serveRequest(res);
    }
  });
  server.keepAliveTimeout = 30_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: '127.0.0.1', port: 0 }, resolve);
    });
  } catch (error) {
    pods?.stop();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const address = `127.0.0.1:${port}`;

  return {
    name,
    url: `http://${address}`,
    address,
    get model() {
      return model;
    },
    replicas,
    arrivalRate: () => arrivals.perSecond(),
    meanLatencySeconds: () => meanLatencySeconds(model, arrivals.perSecond(), replicas()),
    setModel: (changes) => {
      model = checkedModel({ ...model, ...changes });
    },
    target: (labels = {}) => ({ address, labels: { app: name, ...labels } }),
    close: async () => {
      pods?.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
