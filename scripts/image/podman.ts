// Podman as this project uses it on machines without a Docker engine (../shared/specs/containers.md):
// installed from Debian's packages when missing, run with runc and explicit ulimits (crun cannot set
// them in these sandboxes), and serving a Docker-compatible socket for testcontainers.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writableCacheRoot } from '../../sdk/testing/cache-folder.ts';
import { waitUntil } from '../../sdk/testing/wait-until.ts';

/** Podman is missing and cannot be installed here; the message says what to do. */
export class PodmanUnavailableError extends Error {
  override readonly name = 'PodmanUnavailableError';
}

const DEBIAN_PACKAGES = ['podman', 'runc', 'uidmap', 'slirp4netns', 'fuse-overlayfs'];

const CONTAINERS_CONF = `# Written by scripts/image/podman.ts: runc (crun cannot set rlimits in this sandbox) and
# explicit ulimits instead of the host's.
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

[engine]
runtime = "runc"
`;

const onPath = (command: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/**
 * Installs podman from Debian's packages when it is missing (root and apt-get needed) and returns
 * the environment every podman command of this project runs with.
 */
export function podmanEnvironment(log: (line: string) => void = () => {}): NodeJS.ProcessEnv {
  if (!onPath('podman')) {
    if (process.getuid?.() !== 0 || !onPath('apt-get'))
      throw new PodmanUnavailableError(
        `podman is not installed and cannot be installed here (needs root and apt-get); install podman ` +
          `(with runc) yourself, or build image/Containerfile with Docker`,
      );
    log(`installing ${DEBIAN_PACKAGES.join(' ')} from Debian's packages`);
    const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    try {
      execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...DEBIAN_PACKAGES], {
        stdio: ['ignore', 'ignore', 'inherit'],
        env: aptEnv,
      });
    } catch {
      // A fresh machine may not have read its package lists yet.
      execFileSync('apt-get', ['update'], { stdio: ['ignore', 'ignore', 'inherit'], env: aptEnv });
      execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...DEBIAN_PACKAGES], {
        stdio: ['ignore', 'ignore', 'inherit'],
        env: aptEnv,
      });
    }
  }
  const folder = join(writableCacheRoot(), 'podman');
  mkdirSync(folder, { recursive: true });
  const conf = join(folder, 'containers.conf');
  writeFileSync(conf, CONTAINERS_CONF);
  return { ...process.env, CONTAINERS_CONF: process.env['CONTAINERS_CONF'] ?? conf };
}

/**
 * `podman <args>`, its stdout as text; stderr passes through so failures explain themselves, unless
 * `quiet` (for questions whose failure is an answer, such as whether an image exists).
 */
export function podman(env: NodeJS.ProcessEnv, args: readonly string[], quiet = false): string {
  return execFileSync('podman', args, {
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', quiet ? 'ignore' : 'inherit'],
  });
}

/** A Docker-compatible API served by podman, for testcontainers. */
export interface PodmanService {
  /** `unix:///...`: give it to testcontainers as DOCKER_HOST. */
  readonly dockerHost: string;
  /** Environment for testcontainers: DOCKER_HOST, and no Ryuk (its image cannot be pulled here). */
  readonly testcontainersEnv: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/** Starts `podman system service` on a socket of its own; `stop()` ends it (by its pid). */
export async function startPodmanService(env: NodeJS.ProcessEnv): Promise<PodmanService> {
  const folder = join(writableCacheRoot(), 'podman', `service-${process.pid}`);
  mkdirSync(folder, { recursive: true });
  const socket = join(folder, 'podman.sock');
  rmSync(socket, { force: true });
  const dockerHost = `unix://${socket}`;
  const service: ChildProcess = spawn('podman', ['system', 'service', '--time=0', dockerHost], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  service.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => service.once('exit', () => resolve()));
  await waitUntil(
    () => {
      if (service.exitCode !== null) throw new Error(`podman system service exited: ${stderr.trim()}`);
      return existsSync(socket);
    },
    { what: `podman's API socket ${socket}`, timeoutMs: 30_000, intervalMs: 100 },
  );
  return {
    dockerHost,
    testcontainersEnv: {
      DOCKER_HOST: dockerHost,
      TESTCONTAINERS_RYUK_DISABLED: 'true',
      TESTCONTAINERS_HOST_OVERRIDE: 'localhost',
    },
    async stop() {
      if (service.exitCode === null && service.signalCode === null) {
        service.kill('SIGTERM');
        await exited;
      }
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
