// `startControlPlane({ runtime: 'k3s' })`: a whole Kubernetes (k3s) in one container through
// @testcontainers/k3s, for machines with a Docker engine and access to the rancher/k3s image. Pods
// really run there (k3s has a kubelet and containerd), unlike on the local tier's kwok nodes.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { ComponentName, ControlPlane, ControlPlaneOptions } from './control-plane.ts';
import { ControlPlaneStartError, UnsupportedOnK3sError } from './errors.ts';

/** The k3s release matching the Kubernetes minor version of the local tier's binaries. */
export const DEFAULT_K3S_IMAGE = 'rancher/k3s:v1.34.1-k3s1';

/**
 * The options that have no meaning in one k3s container, named so the caller can drop them:
 * kwok nodes and pod stages, the local storage switch and the `apiserver` tier.
 */
export function unsupportedK3sOptions(options: ControlPlaneOptions): string[] {
  const unsupported: string[] = [];
  if (options.tier === 'apiserver') unsupported.push("tier: 'apiserver' (k3s always runs a whole cluster)");
  if (options.nodes !== undefined) unsupported.push('nodes (k3s runs one real node, no kwok nodes)');
  if (options.podStages !== undefined) unsupported.push('podStages (kwok only; k3s runs pods for real)');
  if (options.storage === false) unsupported.push('storage: false (k3s brings its local-path provisioner)');
  return unsupported;
}

/** The k3s server command for the options: extra component flags become k3s's pass-through flags. */
export function k3sServerCommand(options: ControlPlaneOptions): string[] {
  return [
    'server',
    '--disable=traefik',
    ...(options.apiServerArgs ?? []).map((flag) => `--kube-apiserver-arg=${flag.replace(/^--/, '')}`),
    ...(options.controllerManagerArgs ?? []).map(
      (flag) => `--kube-controller-manager-arg=${flag.replace(/^--/, '')}`,
    ),
  ];
}

/** The apiserver URL of a kubeconfig's current cluster. */
export function serverOf(kubeconfigYaml: string): string {
  const config = new KubeConfig();
  config.loadFromString(kubeconfigYaml);
  const server = config.getCurrentCluster()?.server;
  if (!server) throw new Error('the k3s kubeconfig names no server');
  return server;
}

export async function startK3sControlPlane(options: ControlPlaneOptions): Promise<ControlPlane> {
  const unsupported = unsupportedK3sOptions(options);
  if (unsupported.length > 0)
    throw new ControlPlaneStartError(
      'k3s',
      `runtime 'k3s' does not take ${unsupported.join('; ')}: leave them out`,
      '(none)',
      '',
    );
  let module: typeof import('@testcontainers/k3s');
  try {
    module = await import('@testcontainers/k3s');
  } catch (error) {
    throw new ControlPlaneStartError(
      'k3s',
      `runtime 'k3s' needs the @testcontainers/k3s package: npm install --save-dev @testcontainers/k3s (${
        error instanceof Error ? error.message : String(error)
      })`,
      '(none)',
      '',
    );
  }
  const image = options.k3sImage ?? DEFAULT_K3S_IMAGE;
  let logs = '';
  const request = new module.K3sContainer(image)
    .withCommand(k3sServerCommand(options))
    .withLogConsumer((stream) => stream.on('data', (chunk: Buffer | string) => (logs += chunk.toString())));
  if (options.startTimeoutMs !== undefined) request.withStartupTimeout(options.startTimeoutMs);
  options.logger?.info({ image }, 'starting k3s in a container');
  let container: Awaited<ReturnType<typeof request.start>>;
  try {
    container = await request.start();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ControlPlaneStartError(
      'k3s',
      `cannot start ${image} through testcontainers (it needs a container runtime, e.g. DOCKER_HOST, ` +
        `and the image pulled or pullable): ${reason}`,
      '(container log)',
      logs.split('\n').slice(-40).join('\n'),
    );
  }

  const temporary = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'typerator-k3s-'));
  mkdirSync(dir, { recursive: true });
  const kubeconfigPath = join(dir, 'kubeconfig');
  const kubeconfig = container.getKubeConfig();
  writeFileSync(kubeconfigPath, kubeconfig, { mode: 0o600 });
  const server = serverOf(kubeconfig);
  return {
    tier: 'full',
    dir,
    kubeconfigPath,
    server,
    get etcdUrl(): string {
      throw new UnsupportedOnK3sError('etcdUrl', 'k3s keeps its datastore inside the container');
    },
    kubeConfig() {
      const config = new KubeConfig();
      config.loadFromFile(kubeconfigPath);
      return config;
    },
    component() {
      return undefined; // one container, not one process per component
    },
    restart(name: ComponentName): Promise<void> {
      return Promise.reject(
        new UnsupportedOnK3sError(`restart('${name}')`, 'k3s runs every component in one process'),
      );
    },
    logTails(lines = 40) {
      return `--- k3s (${image}) ---\n${logs.split('\n').slice(-lines).join('\n')}`;
    },
    async stop() {
      await container.stop();
      if (temporary) rmSync(dir, { recursive: true, force: true });
    },
  };
}
