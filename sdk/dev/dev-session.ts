import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CoreV1Event, KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { pino } from 'pino';
import { Client } from '../client/client.ts';
import { loadKubeConfig } from '../client/load-kubeconfig.ts';
import { ForbiddenError, InvalidError, NotFoundError } from '../client/errors.ts';
import { kinds } from '../client/resource-kind.ts';
import { clusterFolder, recordFile, runningCluster, type ClusterRecord } from '../cli/cluster-state.ts';
import { Manager } from '../manager/manager.ts';
import { importOperatorSetup } from '../runner/operator-module.ts';
import { ensureBinaries } from '../testing/binaries.ts';
import { startControlPlane, type ControlPlane } from '../testing/control-plane.ts';
import { waitUntil } from '../testing/wait-until.ts';
import { ensureDevCertificates } from '../webhook/dev-certificates.ts';
import { mutatingWebhookConfiguration, validatingWebhookConfiguration } from '../webhook/manifests.ts';
import type { WebhookServer } from '../webhook/webhook-server.ts';
import { applyObject, installCrds, kindOf } from './apply-objects.ts';
import type { DevConfig } from './dev-config.ts';
import { readManifests, type ManifestObject } from './manifest-files.ts';
import { objectProgress } from './object-progress.ts';
import { eventLine, renderScreen, rowLine, type ViewState, type WatchedRow } from './live-view.ts';
import { createLogger } from '../logging/logger.ts';

/** The default name of the local cluster `typerator dev` runs, for `typerator env` and `cluster down`. */
export const DEV_CLUSTER_NAME = 'dev';
const FIELD_MANAGER = 'typerator-dev';
const WEBHOOK_CONFIGURATION_NAME = 'typerator-dev';

/** How `typerator dev` runs. */
export interface DevOptions {
  readonly config: DevConfig;
  /** The local cluster's name (its state folder); default {@link DEV_CLUSTER_NAME}. */
  readonly name?: string;
  /** Run against this existing cluster instead of starting a local one. */
  readonly kubeconfig?: string;
  /** kwok nodes of the local cluster. */
  readonly nodes: number;
  /** Serve the operators' webhooks and register them; default: on when the apiserver is local. */
  readonly webhooks?: boolean;
  /** Bring the samples to ready and return instead of watching until stopped. */
  readonly once: boolean;
  /** With `once`: how long the samples may take. */
  readonly timeoutMs: number;
  /** Stops a running session (Ctrl-C). */
  readonly signal: AbortSignal;
  /** Start-up is over: from now on `signal` stops gracefully. */
  readonly onStarted: () => void;
  readonly out: NodeJS.WriteStream;
  readonly progress: (line: string) => void;
}

/** A sample could not be applied or did not become ready; the message says which and why. */
export class DevSessionError extends Error {
  override readonly name = 'DevSessionError';
}

const isLoopback = (server: string): boolean => /^https?:\/\/(127\.|localhost[:/]|\[::1\])/.test(server);

function shortName(object: KubernetesObject): string {
  const names = (object as { spec?: { names?: { shortNames?: string[]; plural?: string } } }).spec?.names;
  return names?.shortNames?.[0] ?? names?.plural ?? '';
}

function label(object: KubernetesObject): string {
  const { group } = kindOf(object);
  const namespace = object.metadata?.namespace ?? 'default';
  return `${object.kind}${group ? `.${group}` : ''} ${namespace}/${object.metadata?.name}`;
}

/** Retries what fails while things settle (webhook not yet reachable, kind not yet discovered). */
async function applyUntilAccepted(
  client: Client,
  sample: ManifestObject,
  signal: AbortSignal,
): Promise<void> {
  try {
    await waitUntil(
      async () => {
        try {
          await applyObject(client, sample.object, FIELD_MANAGER);
          return true;
        } catch (error) {
          if (error instanceof InvalidError || error instanceof ForbiddenError) throw new Stop(error);
          throw error;
        }
      },
      { what: `${sample.source} to be applied`, timeoutMs: 60_000, intervalMs: 500, signal },
    );
  } catch (error) {
    const cause = error instanceof Stop ? error.cause : error;
    throw new DevSessionError(`${sample.source}: ${(cause as Error).message}`);
  }
}

/** Ends a retry loop early with the error that will not go away by waiting. */
class Stop extends Error {
  constructor(cause: unknown) {
    super((cause as Error).message, { cause });
  }
}

/**
 * `typerator dev`: a local cluster (or the given one), the project's CRDs, every operator of the
 * project on one manager with development webhook certificates, the samples applied, and a live
 * view until stopped (or, with `once`, until the samples are ready). Returns the exit code.
 */
export async function runDevSession(options: DevOptions): Promise<number> {
  const { config, progress } = options;
  const name = options.name ?? DEV_CLUSTER_NAME;
  const state = clusterFolder(name);
  let plane: ControlPlane | undefined;
  let client: Client | undefined;
  let manager: Manager | undefined;
  let running: Promise<void> | undefined;
  const stopManager = new AbortController();
  let webhookRegistered = false;
  const cleanUp = async () => {
    stopManager.abort();
    await running?.catch(() => undefined);
    if (webhookRegistered && client && !plane) {
      // An existing cluster must not keep calling a webhook that is gone.
      await client
        .resource(kinds.ValidatingWebhookConfiguration)
        .delete({ name: WEBHOOK_CONFIGURATION_NAME })
        .catch(() => undefined);
      await client
        .resource(kinds.MutatingWebhookConfiguration)
        .delete({ name: WEBHOOK_CONFIGURATION_NAME })
        .catch(() => undefined);
    }
    client?.close();
    if (plane) {
      await plane.stop();
      rmSync(state, { recursive: true, force: true });
    }
  };

  try {
    const crds = config.crds ? readManifests([config.crds]) : [];
    const samples = readManifests(config.samples);
    const setups = await Promise.all(config.operators.map(importOperatorSetup));

    let kubeConfig: KubeConfig;
    let where: string;
    if (options.kubeconfig) {
      kubeConfig = loadKubeConfig({ path: options.kubeconfig });
      where = `cluster ${kubeConfig.getCurrentCluster()?.server ?? '?'} (${options.kubeconfig})`;
    } else {
      const existing = runningCluster(name);
      if (existing)
        throw new DevSessionError(
          `a local cluster named "${name}" is already running (pid ${existing.pid}): stop it (Ctrl-C where it runs, or \`npx typerator cluster down --name ${name}\`) or pass --name <another>`,
        );
      ensureBinaries();
      rmSync(state, { recursive: true, force: true });
      mkdirSync(state, { recursive: true });
      progress(
        `starting a local cluster: etcd, kube-apiserver, controller-manager, scheduler, ${options.nodes} kwok nodes`,
      );
      const started = Date.now();
      plane = await startControlPlane({ tier: 'full', nodes: options.nodes, dir: join(state, 'plane') });
      const record: ClusterRecord = {
        name,
        tier: 'full',
        nodes: options.nodes,
        pid: process.pid,
        kubeconfig: plane.kubeconfigPath,
        server: plane.server,
      };
      writeFileSync(recordFile(state), JSON.stringify(record, null, 2));
      kubeConfig = plane.kubeConfig();
      where = `local cluster ${plane.server}, ${options.nodes} kwok nodes (up in ${((Date.now() - started) / 1000).toFixed(1)} s)`;
    }
    const server = kubeConfig.getCurrentCluster()?.server ?? '';
    client = await Client.fromKubeConfig(kubeConfig);

    if (crds.length > 0) {
      progress(`installing ${crds.length} CRDs from ${relative(process.cwd(), config.crds ?? '') || '.'}`);
      await installCrds(client, crds, FIELD_MANAGER);
    }

    mkdirSync(state, { recursive: true });
    const logFile = join(state, 'operators.log');
    const logger = createLogger({
      component: 'typerator-dev',
      format: 'json',
      destination: pino.destination({ dest: logFile, sync: false }),
    });
    const webhooks = options.webhooks ?? isLoopback(server);
    let caPem: string | undefined;
    let webhookOption = {};
    if (webhooks) {
      const certificates = await ensureDevCertificates({ dir: join(state, 'webhook-certificates') });
      caPem = certificates.caPem;
      webhookOption = {
        webhook: {
          host: '127.0.0.1',
          port: 0,
          certFile: certificates.certFile,
          keyFile: certificates.keyFile,
        },
      };
    }
    manager = await Manager.create({
      kubeConfig,
      logger,
      metricsBindAddress: '127.0.0.1:0',
      healthProbeBindAddress: '127.0.0.1:0',
      ...webhookOption,
    });
    for (const setup of setups) await setup(manager);
    const webhookServer: WebhookServer | undefined = webhooks ? await manager.webhookServer() : undefined;
    progress(
      `running ${config.operators.length} operator(s): ${config.operators.map((f) => relative(process.cwd(), f)).join(', ')}`,
    );
    running = manager.start(stopManager.signal);
    // Settles with the manager's error if it stops on its own (start-up failed, leadership lost).
    const failed: Promise<Error | undefined> = running.then(
      () => undefined,
      (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
    );

    if (webhookServer && caPem !== undefined) {
      await Promise.race([
        waitUntil(() => webhookPort(webhookServer) !== undefined, {
          what: 'the webhook server to listen',
          timeoutMs: 30_000,
        }),
        failed.then((error) => {
          if (error) throw error;
        }),
      ]);
      const endpoint = { url: webhookServer.url, caBundlePem: caPem };
      const validating = validatingWebhookConfiguration(webhookServer, {
        name: WEBHOOK_CONFIGURATION_NAME,
        endpoint,
      });
      const mutating = mutatingWebhookConfiguration(webhookServer, {
        name: WEBHOOK_CONFIGURATION_NAME,
        endpoint,
      });
      for (const configuration of [validating, mutating])
        if ((configuration.webhooks?.length ?? 0) > 0) {
          await applyObject(client, configuration, FIELD_MANAGER);
          webhookRegistered = true;
        }
    }

    for (const sample of samples) await applyUntilAccepted(client, sample, options.signal);
    const startedError = await Promise.race([failed, sleep(0).then(() => undefined)]);
    if (startedError) throw startedError;
    options.onStarted();

    const header = [
      `typerator dev · ${where}`,
      `operators: ${config.operators.map((f) => relative(process.cwd(), f)).join(', ') || '(none configured in package.json typerator.dev.operators)'}` +
        (webhookServer ? ` · webhooks ${webhookServer.url} (dev certificates)` : ''),
      `kubectl beside it: eval "$(npx typerator env)" && kubectl get ${[...crds.map(({ object }) => shortName(object)), 'pods'].join(',')}`,
      `operator logs: ${logFile} · ${options.once ? 'waiting for the samples to be ready' : 'Ctrl-C stops everything'}`,
    ];
    const view = new SampleView(client, samples, options.out);
    try {
      return await watchSamples(view, header, options, failed, logFile);
    } finally {
      view.finish();
    }
  } finally {
    await cleanUp();
  }
}

/** Draws the samples every second until stopped, or with `once` until they are all ready. */
async function watchSamples(
  view: SampleView,
  header: readonly string[],
  options: DevOptions,
  failed: Promise<Error | undefined>,
  logFile: string,
): Promise<number> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    let snapshot: ViewState;
    try {
      snapshot = await view.read();
    } catch (error) {
      // Stopping: a read that failed meanwhile (the cluster going away) is not worth reporting.
      if (options.signal.aborted) return stopping(options);
      throw error;
    }
    view.draw(header, snapshot);
    if (options.once && snapshot.rows.every((row) => row.progress?.ready === true)) {
      options.out.write(`all ${snapshot.rows.length} samples are ready\n`);
      return 0;
    }
    if (options.once && Date.now() > deadline) {
      const waiting = snapshot.rows.filter((row) => row.progress?.ready !== true).map((row) => rowLine(row));
      throw new DevSessionError(
        `samples not ready after ${options.timeoutMs / 1000} s:\n  ${waiting.join('\n  ')}\n(operator logs: ${logFile})`,
      );
    }
    const crashed = await Promise.race([
      failed,
      // Often enough to show a rollout's steps, which take a second or two on kwok nodes.
      sleep(250, undefined, { signal: options.signal }).catch(() => undefined),
    ]);
    if (crashed) throw crashed;
    if (options.signal.aborted) return stopping(options);
  }
}

function stopping(options: DevOptions): number {
  options.progress('stopping the operators and the cluster');
  return 0;
}

function webhookPort(server: WebhookServer): number | undefined {
  try {
    return server.port;
  } catch {
    return undefined;
  }
}

/** Reads the samples and recent events, and draws them: a redrawn screen on a terminal, changes otherwise. */
class SampleView {
  private readonly shown = new Map<string, string>();
  private readonly shownEvents = new Set<string>();
  private readonly namespaces: ReadonlySet<string>;
  private readonly terminal: boolean;
  private readonly client: Client;
  private readonly samples: readonly ManifestObject[];
  private readonly out: NodeJS.WriteStream;

  constructor(client: Client, samples: readonly ManifestObject[], out: NodeJS.WriteStream) {
    this.client = client;
    this.samples = samples;
    this.out = out;
    this.namespaces = new Set(samples.map(({ object }) => object.metadata?.namespace ?? 'default'));
    this.terminal = out.isTTY;
    if (this.terminal) out.write('\u001b[?25l');
  }

  private events: readonly CoreV1Event[] = [];
  private reads = 0;

  /** The samples on every call; the events on every fourth (they change less and cost more). */
  async read(): Promise<ViewState> {
    const rows: WatchedRow[] = await Promise.all(
      this.samples.map(async ({ object }): Promise<WatchedRow> => {
        const resource = this.client.resource(kindOf(object));
        const namespace = (await resource.isNamespaced())
          ? (object.metadata?.namespace ?? 'default')
          : undefined;
        try {
          const live = await resource.get({
            name: object.metadata?.name ?? '',
            ...(namespace ? { namespace } : {}),
          });
          return { label: label(object), progress: objectProgress(live) };
        } catch (error) {
          if (error instanceof NotFoundError) return { label: label(object), progress: undefined };
          throw error;
        }
      }),
    );
    if (this.reads++ % 4 === 0) this.events = await this.readEvents();
    return { rows, events: this.events };
  }

  private async readEvents(): Promise<CoreV1Event[]> {
    return (
      await Promise.all(
        [...this.namespaces].map(
          async (namespace) => (await this.client.resource(kinds.Event).list({ namespace })).items,
        ),
      )
    )
      .flat()
      .sort((a, b) => eventMillis(a) - eventMillis(b));
  }

  draw(header: readonly string[], state: ViewState): void {
    if (this.terminal) {
      this.out.write(`\u001b[H\u001b[2J${renderScreen(header, state, this.out.columns || 120)}\n`);
      return;
    }
    if (this.shown.size === 0) this.out.write(`${header.join('\n')}\n`);
    const time = new Date().toISOString().slice(11, 19);
    for (const row of state.rows) {
      const line = rowLine(row);
      if (this.shown.get(row.label) !== line) this.out.write(`${time} ${line}\n`);
      this.shown.set(row.label, line);
    }
    for (const event of state.events) {
      const key = `${event.metadata.uid}/${event.count ?? 1}`;
      if (!this.shownEvents.has(key)) this.out.write(`${time} event ${eventLine(event)}\n`);
      this.shownEvents.add(key);
    }
  }

  finish(): void {
    if (this.terminal) this.out.write('\u001b[?25h\n');
  }
}

function eventMillis(event: {
  lastTimestamp?: Date;
  eventTime?: Date;
  metadata: { creationTimestamp?: Date };
}): number {
  const when = event.lastTimestamp ?? event.eventTime ?? event.metadata.creationTimestamp;
  return when ? new Date(when).getTime() : 0;
}
