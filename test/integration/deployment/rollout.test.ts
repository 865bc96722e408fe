import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Client } from '../../../sdk/client/client.ts';
import { kinds } from '../../../sdk/client/resource-kind.ts';
import { waitUntil } from '../../../sdk/testing/index.ts';
import {
  API_VERSION,
  type Deployment,
  type DeploymentSpec,
} from '../../../operators/deployment/api/types.ts';
import { deploymentKind, replicaSetKind } from '../../../operators/deployment/kinds.ts';
import { setup } from '../../../operators/deployment/operator.ts';
import { installGeneratedCrds } from '../../support/install-crds.ts';
import { runProcess, type ProcessResult } from '../../support/run-process.ts';
import { startOperatorEnvironment, type OperatorEnvironment } from '../../support/operator-environment.ts';

const cli = fileURLToPath(new URL('../../../bin/typerator.js', import.meta.url));

/** Runs `typerator <args>` as a child process, as a user would. */
const typerator = (args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<ProcessResult> =>
  runProcess(process.execPath, [cli, ...args], { env });

const lines = (text: string) => text.split('\n').filter((line) => line !== '');

function deployment(name: string, spec: Partial<DeploymentSpec> & { image?: string } = {}): Deployment {
  const { image, ...rest } = spec;
  const labels = { app: name };
  return {
    apiVersion: API_VERSION,
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: image ?? 'nginx:1.27' }] } },
      ...rest,
    },
  };
}

describe('typerator rollout status|history|undo against the operator', () => {
  let env: OperatorEnvironment;
  let client: Client;
  let kubeconfig: string;
  const rollout = (...args: string[]) => typerator(['rollout', ...args, '--kubeconfig', kubeconfig]);

  before(async () => {
    env = await startOperatorEnvironment({
      plane: { tier: 'full', nodes: 2 },
      prepare: (admin) => installGeneratedCrds(admin),
      setup: (manager) => setup(manager, {}),
    });
    client = env.client;
    kubeconfig = env.plane.kubeconfigPath;
  });
  after(() => env.stop());

  it('status waits for a rollout and prints kubectl’s lines, ending in success', async () => {
    await client.resource(deploymentKind).create(deployment('web'));
    // KUBECONFIG works as well as --kubeconfig.
    const result = await typerator(['rollout', 'status', 'web', '-n', 'default', '--timeout', '2m'], {
      ...process.env,
      KUBECONFIG: kubeconfig,
    });
    assert.equal(result.code, 0, result.stderr);
    const printed = lines(result.stdout);
    assert.equal(printed.at(-1), 'deployment "web" successfully rolled out');
    for (const line of printed.slice(0, -1)) {
      assert.match(
        line,
        /^(Waiting for deployment spec update to be observed\.\.\.|Waiting for deployment "web" rollout to finish: (\d+ out of 2 new replicas have been updated|\d+ old replicas are pending termination|\d+ of \d+ updated replicas are available)\.\.\.)$/,
      );
    }
  });

  it('status reports updated replicas that are not available yet, and gives up at --timeout with exit 1', async () => {
    // Pods become Ready at once on kwok, but an hour of minReadySeconds keeps them unavailable.
    await client
      .resource(deploymentKind)
      .create(deployment('slow', { minReadySeconds: 3600, progressDeadlineSeconds: 7200 }));
    await waitUntil(
      async () =>
        (await client.resource(deploymentKind).get({ namespace: 'default', name: 'slow' })).status
          ?.readyReplicas === 2,
      { what: 'slow to have 2 ready pods', timeoutMs: 60_000, intervalMs: 250 },
    );
    const result = await rollout('status', 'slow', '--timeout', '2s');
    assert.equal(result.code, 1);
    assert.deepEqual(lines(result.stdout), [
      'Waiting for deployment "slow" rollout to finish: 0 of 2 updated replicas are available...',
    ]);
    assert.match(result.stderr, /^error: timed out waiting for deployment "slow" rollout to finish/);
  });

  it('status --no-watch prints the current state once; a paused new Deployment has no updated replicas', async () => {
    await client.resource(deploymentKind).create(deployment('paused', { paused: true }));
    await waitUntil(
      async () => {
        const d = await client.resource(deploymentKind).get({ namespace: 'default', name: 'paused' });
        return (d.status?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1);
      },
      { what: 'paused to be observed', timeoutMs: 60_000, intervalMs: 250 },
    );
    const result = await rollout('status', 'paused', '--no-watch');
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(lines(result.stdout), [
      'Waiting for deployment "paused" rollout to finish: 0 out of 2 new replicas have been updated...',
    ]);
  });

  it('status fails on ProgressDeadlineExceeded', async () => {
    // No node matches the selector, so pods stay Pending and the 2 s deadline passes.
    const stuck = deployment('stuck', { progressDeadlineSeconds: 2 });
    const podSpec = stuck.spec.template.spec;
    if (podSpec) podSpec.nodeSelector = { 'typerator.dev/no-such-node': 'true' };
    await client.resource(deploymentKind).create(stuck);
    const result = await rollout('status', 'stuck', '--timeout', '2m');
    assert.equal(result.code, 1);
    assert.equal(result.stderr, 'error: deployment "stuck" exceeded its progress deadline\n');
  });

  it('undo rolls back to the previous revision, reusing its ReplicaSet (scenario 16), and explains refusals', async () => {
    await client.resource(deploymentKind).create(deployment('app', { image: 'nginx:1.27' }));
    assert.equal((await rollout('status', 'app', '--timeout', '2m')).code, 0);
    const noHistory = await rollout('undo', 'app');
    assert.equal(noHistory.code, 1);
    assert.equal(noHistory.stderr, 'error: no rollout history found for deployment "app"\n');
    const [first] = (
      await client.resource(replicaSetKind).list({ namespace: 'default', labelSelector: 'app=app' })
    ).items;
    assert.ok(first?.metadata?.uid);

    await client
      .resource(deploymentKind)
      .patch(
        { namespace: 'default', name: 'app' },
        { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:1.28' }] } } } },
        { type: 'merge' },
      );
    assert.equal((await rollout('status', 'app', '--timeout', '2m')).code, 0);

    const missing = await rollout('undo', 'app', '--to-revision', '9');
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'error: unable to find specified revision 9 in history\n');

    const undone = await rollout('undo', 'app');
    assert.equal(undone.code, 0, undone.stderr);
    assert.equal(undone.stdout, 'deployment.apps.typerator.dev/app rolled back\n');
    assert.equal((await rollout('status', 'app', '--timeout', '2m')).code, 0);

    const replicaSets = await waitUntil(
      async () => {
        const items = (
          await client.resource(replicaSetKind).list({ namespace: 'default', labelSelector: 'app=app' })
        ).items;
        const back = items.find((rs) => rs.metadata?.uid === first.metadata?.uid);
        return back?.metadata?.annotations?.['deployment.kubernetes.io/revision'] === '3' ? items : undefined;
      },
      { what: 'the first ReplicaSet to carry revision 3', timeoutMs: 60_000, intervalMs: 250 },
    );
    assert.equal(replicaSets.length, 2, 'no new ReplicaSet was created');
    const original = replicaSets.find((rs) => rs.metadata?.uid === first.metadata?.uid);
    assert.equal(original?.metadata?.annotations?.['deployment.kubernetes.io/revision-history'], '1');
    const app = await client.resource(deploymentKind).get({ namespace: 'default', name: 'app' });
    assert.equal(app.spec.template.spec?.containers[0]?.image, 'nginx:1.27');
    assert.equal(app.spec.template.metadata?.labels?.['pod-template-hash'], undefined, 'hash label stripped');

    // history lists the ReplicaSets' revisions: the first one now carries revision 3.
    const history = await rollout('history', 'app');
    assert.equal(history.code, 0, history.stderr);
    assert.deepEqual(lines(history.stdout), [
      'deployment.apps.typerator.dev/app',
      'REVISION  CHANGE-CAUSE',
      '2         <none>',
      '3         <none>',
    ]);
    const three = await rollout('history', 'deployment/app', '--revision', '3');
    assert.match(three.stdout, /^deployment\.apps\.typerator\.dev\/app with revision #3\nPod Template:\n/);
    assert.match(three.stdout, /image: nginx:1\.27/);

    const same = await rollout('undo', 'app', '--to-revision', '3');
    assert.equal(same.code, 0, same.stderr);
    assert.equal(
      same.stdout,
      'deployment.apps.typerator.dev/app skipped rollback (current template already matches revision 3)\n',
    );

    await client
      .resource(deploymentKind)
      .patch({ namespace: 'default', name: 'app' }, { spec: { paused: true } }, { type: 'merge' });
    const paused = await rollout('undo', 'app');
    assert.equal(paused.code, 1);
    assert.equal(
      paused.stderr,
      "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again\n",
    );
  });

  it('works on the built-in apps/v1 Deployment too (--kind deployment.apps), undo included', async () => {
    const builtIn = kinds.Deployment;
    const labels = { app: 'builtin' };
    await client.resource(builtIn).create({
      metadata: { name: 'builtin', namespace: 'default' },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } },
      },
    });
    const first = await rollout('status', 'builtin', '--kind', 'deployment.apps', '--timeout', '2m');
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /deployment "builtin" successfully rolled out\n$/);
    await client
      .resource(builtIn)
      .patch(
        { namespace: 'default', name: 'builtin' },
        { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:1.28' }] } } } },
        { type: 'merge' },
      );
    assert.equal(
      (await rollout('status', 'builtin', '--kind', 'deployment.apps', '--timeout', '2m')).code,
      0,
    );
    const undone = await rollout('undo', 'builtin', '--kind', 'deployment.apps');
    assert.equal(undone.stdout, 'deployment.apps/builtin rolled back\n', undone.stderr);
    await waitUntil(
      async () => {
        const d = await client.resource(builtIn).get({ namespace: 'default', name: 'builtin' });
        return (
          d.spec?.template.spec?.containers[0]?.image === 'nginx:1.27' &&
          d.metadata?.annotations?.['deployment.kubernetes.io/revision'] === '3'
        );
      },
      {
        what: 'kube-controller-manager to roll builtin back to revision 3',
        timeoutMs: 60_000,
        intervalMs: 250,
      },
    );
  });

  it('names a Deployment that does not exist', async () => {
    const result = await rollout('status', 'ghost', '-n', 'default');
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr,
      'error: deployment.apps.typerator.dev "ghost" not found in namespace "default"\n',
    );
  });
});
