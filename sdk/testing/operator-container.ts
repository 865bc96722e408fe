// An operator image run through testcontainers against a local control plane, as a test of what
// ships: the image starts, reaches the apiserver with a kubeconfig copied in, and becomes ready.
import { readFileSync } from 'node:fs';
import type { StartedTestContainer } from 'testcontainers';
import type { ControlPlane } from './control-plane.ts';
import { OperatorContainerError } from './errors.ts';
import { freePort } from './free-port.ts';
import { waitUntil } from './wait-until.ts';

/** Options for {@link startOperatorContainer}. */
export interface OperatorContainerOptions {
  /** Arguments after the image's entry point, e.g. `['--operators=deployment']`. */
  readonly args?: readonly string[];
  /** Extra environment, on top of what this function sets (KUBECONFIG and the bind addresses). */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * The kubeconfig the operator uses, as YAML; default: the control plane's admin kubeconfig. Give
   * a ServiceAccount's to run with only its RBAC.
   */
  readonly kubeconfig?: string;
  /** How long the container may take until /readyz answers 200; default 120 s. */
  readonly readyTimeoutMs?: number;
  /**
   * Run as a restricted pod would: read-only root filesystem with a tmpfs /tmp, every capability
   * dropped, no privilege escalation. Default true.
   */
  readonly restricted?: boolean;
}

/** A running operator container; {@link stop} removes it. */
export interface OperatorContainer {
  readonly container: StartedTestContainer;
  /** `http://127.0.0.1:<port>`, where the runner serves /healthz and /readyz. */
  readonly probeUrl: string;
  /** `http://127.0.0.1:<port>`, where the runner serves /metrics. */
  readonly metricsUrl: string;
  /** Milliseconds from asking the container runtime to start the container until /readyz was 200. */
  readonly startToReadyMs: number;
  /** Everything the container wrote to stdout and stderr so far. */
  logs(): string;
  stop(): Promise<void>;
}

/** Where the kubeconfig is copied to inside the container. */
const KUBECONFIG_IN_CONTAINER = '/var/run/typerator/kubeconfig';

async function loadTestcontainers(): Promise<typeof import('testcontainers')> {
  try {
    return await import('testcontainers');
  } catch (error) {
    throw new OperatorContainerError(
      'startOperatorContainer needs the testcontainers package: npm install --save-dev testcontainers',
      { cause: error },
    );
  }
}

/**
 * Starts `image` (an operator image whose entry point is a Typerator runner, e.g. the one `npm run
 * image` builds) against `plane` and waits until its /readyz answers 200.
 *
 * The container shares the host's network, which is how it reaches a local control plane listening
 * on 127.0.0.1 (so this needs a Linux host or a Docker engine running on one). The container
 * runtime is whatever testcontainers finds: DOCKER_HOST, e.g. podman's Docker-compatible socket.
 */
export async function startOperatorContainer(
  image: string,
  plane: Pick<ControlPlane, 'kubeconfigPath'>,
  options: OperatorContainerOptions = {},
): Promise<OperatorContainer> {
  const { GenericContainer } = await loadTestcontainers();
  // GenericContainer offers no switch for a read-only root filesystem; its host config has one.
  class OperatorTestContainer extends GenericContainer {
    withReadOnlyRootFilesystem(): this {
      this.hostConfig.ReadonlyRootfs = true;
      return this;
    }
  }

  const probePort = await freePort();
  const metricsPort = await freePort();
  let logs = '';
  let ended = false;
  const kubeconfig = options.kubeconfig ?? readFileSync(plane.kubeconfigPath, 'utf8');
  let request = new OperatorTestContainer(image)
    .withNetworkMode('host')
    .withCommand([...(options.args ?? [])])
    .withEnvironment({
      KUBECONFIG: KUBECONFIG_IN_CONTAINER,
      HEALTH_PROBE_BIND_ADDRESS: `127.0.0.1:${probePort}`,
      METRICS_BIND_ADDRESS: `127.0.0.1:${metricsPort}`,
      ...options.env,
    })
    .withCopyContentToContainer([{ content: kubeconfig, target: KUBECONFIG_IN_CONTAINER, mode: 0o444 }])
    .withLogConsumer((stream) => {
      stream.on('data', (chunk: Buffer | string) => (logs += chunk.toString()));
      stream.on('end', () => (ended = true));
    });
  if (options.restricted ?? true)
    request = request
      .withReadOnlyRootFilesystem()
      .withTmpFs({ '/tmp': 'rw,size=64m' })
      .withDroppedCapabilities('ALL')
      .withSecurityOpt('no-new-privileges');

  const startedAt = performance.now();
  let container: StartedTestContainer;
  try {
    container = await request.start();
  } catch (error) {
    throw new OperatorContainerError(
      `cannot start ${image}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  const probeUrl = `http://127.0.0.1:${probePort}`;
  try {
    await waitUntil(
      async () => {
        if (ended) throw new OperatorContainerError(`the container exited before it was ready`);
        return (await fetch(`${probeUrl}/readyz`).catch(() => undefined))?.status === 200;
      },
      {
        what: `${image} to answer 200 on /readyz`,
        timeoutMs: options.readyTimeoutMs ?? 120_000,
        intervalMs: 100,
      },
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await container.stop({ remove: true }).catch(() => undefined);
    throw new OperatorContainerError(`${reason}\n--- container log ---\n${logs.slice(-8_000)}`, {
      cause: error,
    });
  }
  const startToReadyMs = performance.now() - startedAt;
  return {
    container,
    probeUrl,
    metricsUrl: `http://127.0.0.1:${metricsPort}`,
    startToReadyMs,
    logs: () => logs,
    async stop() {
      await container.stop({ remove: true, timeout: 10_000 });
    },
  };
}
