// The operator image as it ships: `npm run image` builds it with podman from scratch, testcontainers
// runs it (podman's Docker-compatible socket) against a full-tier control plane, restricted as the
// chart's pod is (non-root, read-only root filesystem, no capabilities), and it becomes ready and
// reconciles the Deployment and StatefulSet samples, then stops cleanly on SIGTERM.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from '../../../sdk/client/client.ts';
import {
  startControlPlane,
  startOperatorContainer,
  type ControlPlane,
  type OperatorContainer,
} from '../../../sdk/testing/index.ts';
import { buildImage, type BuiltImage } from '../../../scripts/image/build-image.ts';
import { OPERATOR_NODE_FLAGS } from '../../../sdk/runner/operator-node-flags.ts';
import {
  PodmanUnavailableError,
  podman,
  podmanEnvironment,
  startPodmanService,
  type PodmanService,
} from '../../../scripts/image/podman.ts';
import { installGeneratedCrds } from '../../support/install-crds.ts';
import { applyWorkloadSamples, waitForSampleReady } from '../../support/workload-samples.ts';

/** podman's environment (installing podman if missing), or why this machine cannot run containers. */
function podmanOrReason(): { env: NodeJS.ProcessEnv } | { reason: string } {
  try {
    return { env: podmanEnvironment() };
  } catch (error) {
    if (error instanceof PodmanUnavailableError) return { reason: error.message };
    throw error;
  }
}

const podmanSetup = podmanOrReason();
const skipReason = 'reason' in podmanSetup ? podmanSetup.reason : undefined;
if (skipReason) console.log(`# operator image test skipped: ${skipReason}`);
const env = 'env' in podmanSetup ? podmanSetup.env : process.env;

describe('the operator image', { skip: skipReason ?? false }, () => {
  let image: BuiltImage;
  let service: PodmanService | undefined;
  let plane: ControlPlane | undefined;
  let operator: OperatorContainer | undefined;
  const savedEnv = { ...process.env };

  before(async () => {
    image = buildImage({ log: (line) => console.log(`# ${line}`) });
    service = await startPodmanService(env);
    // testcontainers reads its settings from the environment when it first connects.
    Object.assign(process.env, service.testcontainersEnv);
    plane = await startControlPlane({ tier: 'full', nodes: 2 });
  });

  after(async () => {
    await operator?.stop().catch(() => undefined);
    await plane?.stop();
    await service?.stop();
    for (const key of Object.keys(service?.testcontainersEnv ?? {}))
      if (savedEnv[key] === undefined) Reflect.deleteProperty(process.env, key);
      else process.env[key] = savedEnv[key];
  });

  it('is built from scratch: non-root, Node and the operators only', () => {
    const config = JSON.parse(
      podman(env, ['image', 'inspect', image.reference, '--format', '{{json .Config}}']),
    ) as { User?: string; Entrypoint?: string[]; WorkingDir?: string };
    assert.equal(config.User, '65532:65532');
    assert.deepEqual(config.Entrypoint, ['/usr/local/bin/node', ...OPERATOR_NODE_FLAGS, 'operators/main.js']);
    assert.equal(config.WorkingDir, '/app');
    const layers = JSON.parse(
      podman(env, ['image', 'inspect', image.reference, '--format', '{{json .RootFS.Layers}}']),
    ) as string[];
    assert.equal(layers.length, 1, 'one layer: FROM scratch and one COPY');
    console.log(`# image ${image.reference}: ${(image.sizeBytes / 1024 / 1024).toFixed(1)} MiB`);
  });

  it('starts through testcontainers, becomes ready and reconciles the Deployment and StatefulSet samples', async (t) => {
    assert.ok(plane);
    const client = await Client.fromKubeConfig(plane.kubeConfig());
    await installGeneratedCrds(client, (file) => !file.startsWith('apislas.'));
    operator = await startOperatorContainer(image.reference, plane, {
      args: ['--operators=deployment,statefulset', '--log-level=debug'],
      env: { POD_NAMESPACE: 'default' },
    });
    const running = operator;
    let finished = false;
    t.after(() => {
      if (!finished) console.log(`--- container log ---\n${running.logs().slice(-20_000)}`);
    });
    console.log(`# start to ready: ${Math.round(operator.startToReadyMs)} ms`);
    assert.equal((await fetch(`${operator.probeUrl}/healthz`)).status, 200);
    const metrics = await (await fetch(`${operator.metricsUrl}/metrics`)).text();
    assert.match(metrics, /^controller_runtime_reconcile_total\{/m, 'controller-runtime metric names');

    const samples = await applyWorkloadSamples(client, 'image-test');
    for (const object of samples)
      await waitForSampleReady(client, object, { image: 'nginx:1.27', replicas: 3 });

    // SIGTERM: the runner shuts down cleanly (exit code 0) within the grace period.
    const stopped = await running.container.stop({ remove: false, timeout: 10_000 });
    const state = JSON.parse(
      podman(env, ['inspect', running.container.getId(), '--format', '{{json .State}}']),
    ) as { ExitCode: number; OOMKilled: boolean };
    assert.equal(state.ExitCode, 0, `the operator exits 0 on SIGTERM; log:\n${running.logs().slice(-4000)}`);
    const hostConfig = JSON.parse(
      podman(env, ['inspect', running.container.getId(), '--format', '{{json .HostConfig}}']),
    ) as { ReadonlyRootfs: boolean; CapAdd: string[] | null; SecurityOpt: string[] | null };
    assert.equal(hostConfig.ReadonlyRootfs, true, 'it ran with a read-only root filesystem');
    assert.deepEqual(hostConfig.CapAdd ?? [], [], 'and no added capabilities');
    assert.ok(hostConfig.SecurityOpt?.includes('no-new-privileges'), 'and no privilege escalation');
    podman(env, ['rm', '--force', stopped.getId()]);
    operator = undefined;
    finished = true;
  });
});
