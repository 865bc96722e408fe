// `typerator rollout status|history|undo` on StatefulSets: ours (the operator running in this
// process) and the built-in apps/v1 kind (kube-controller-manager's), on a `full` tier control plane.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import type { Client } from '../../../sdk/client/client.ts';
import { kinds } from '../../../sdk/client/resource-kind.ts';
import { waitUntil } from '../../../sdk/testing/index.ts';
import { API_VERSION } from '../../../operators/statefulset/api/types.ts';
import { statefulSetKind } from '../../../operators/statefulset/kinds.ts';
import { setup } from '../../../operators/statefulset/operator.ts';
import { installGeneratedCrds } from '../../support/install-crds.ts';
import { runProcess, type ProcessResult } from '../../support/run-process.ts';
import { startOperatorEnvironment, type OperatorEnvironment } from '../../support/operator-environment.ts';

const cli = fileURLToPath(new URL('../../../bin/typerator.js', import.meta.url));
const NAMESPACE = 'default';
const CHANGE_CAUSE = 'kubernetes.io/change-cause';

const lines = (text: string) => text.split('\n').filter((line) => line !== '');
const image = (pod: V1Pod) => pod.spec?.containers[0]?.image;

/** Every line `rollout status` may print for a set of `replicas` replicas before its last one. */
const progressLine =
  /^(Waiting for statefulset spec update to be observed\.\.\.|Waiting for \d+ pods to be ready\.\.\.|Waiting for partitioned roll out to finish: \d+ out of \d+ new pods have been updated\.\.\.)$/;

describe('typerator rollout on StatefulSets', () => {
  let env: OperatorEnvironment;
  let client: Client;
  let kubeconfig: string;
  /** Runs `typerator rollout <args>` as a child process, as a user would. */
  const rollout = (...args: string[]): Promise<ProcessResult> =>
    runProcess(process.execPath, [cli, 'rollout', ...args, '--kubeconfig', kubeconfig]);
  /** `rollout status` to completion; returns the lines printed. */
  const statusUntilComplete = async (replicas: number, ...target: string[]) => {
    const result = await rollout('status', ...target, '--timeout', '2m');
    assert.equal(result.code, 0, result.stderr);
    const printed = lines(result.stdout);
    assert.equal(printed.at(-1), `partitioned roll out complete: ${replicas} new pods have been updated...`);
    for (const line of printed.slice(0, -1)) assert.match(line, progressLine);
    return printed;
  };
  const podImages = async (app: string) =>
    (await client.resource(kinds.Pod).list({ namespace: NAMESPACE, labelSelector: `app=${app}` })).items
      .filter((pod) => pod.metadata?.deletionTimestamp === undefined)
      .map(image);

  before(async () => {
    env = await startOperatorEnvironment({
      plane: { tier: 'full', nodes: 2 },
      prepare: (admin) => installGeneratedCrds(admin, (file) => file.startsWith('statefulsets.')),
      setup: (manager) => setup(manager),
    });
    client = env.client;
    kubeconfig = env.plane.kubeconfigPath;
  });
  after(() => env.stop());

  const labels = { app: 'web' };
  const template = (version: string) => ({
    metadata: { labels },
    spec: { containers: [{ name: 'web', image: `nginx:${version}` }] },
  });

  it('status, a template change, history, undo and status again on our StatefulSet', async () => {
    await client.resource(statefulSetKind).create({
      apiVersion: API_VERSION,
      kind: 'StatefulSet',
      metadata: { name: 'web', namespace: NAMESPACE, annotations: { [CHANGE_CAUSE]: 'create at 1.27' } },
      spec: {
        replicas: 3,
        serviceName: 'web',
        selector: { matchLabels: labels },
        template: template('1.27'),
      },
    });
    await statusUntilComplete(3, 'tsts/web');
    assert.deepEqual(await podImages('web'), ['nginx:1.27', 'nginx:1.27', 'nginx:1.27']);
    const firstRevision = (await client.resource(statefulSetKind).get({ namespace: NAMESPACE, name: 'web' }))
      .status?.updateRevision;
    assert.ok(firstRevision);

    const noPrevious = await rollout('undo', 'statefulset/web');
    assert.equal(noPrevious.code, 1);
    assert.equal(noPrevious.stderr, 'error: no last revision to roll back to\n');

    await client
      .resource(statefulSetKind)
      .patch(
        { namespace: NAMESPACE, name: 'web' },
        { metadata: { annotations: { [CHANGE_CAUSE]: 'image 1.28' } }, spec: { template: template('1.28') } },
        { type: 'merge' },
      );
    await statusUntilComplete(3, 'statefulset/web');
    assert.deepEqual(await podImages('web'), ['nginx:1.28', 'nginx:1.28', 'nginx:1.28']);

    const history = await rollout('history', 'statefulset/web');
    assert.equal(history.code, 0, history.stderr);
    assert.equal(
      history.stdout,
      [
        'statefulset.apps.typerator.dev/web',
        'REVISION  CHANGE-CAUSE',
        '1         create at 1.27',
        '2         image 1.28',
        '',
      ].join('\n'),
    );
    const one = await rollout('history', 'web', '--kind', 'statefulset', '--revision', '1');
    assert.equal(one.code, 0, one.stderr);
    assert.match(one.stdout, /^statefulset\.apps\.typerator\.dev\/web with revision #1\nPod Template:\n/);
    assert.match(one.stdout, /image: nginx:1\.27/);

    const missing = await rollout('undo', 'statefulset/web', '--to-revision', '9');
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'error: unable to find specified revision 9 in history\n');

    const undone = await rollout('undo', 'statefulset/web');
    assert.equal(undone.code, 0, undone.stderr);
    assert.equal(undone.stdout, 'statefulset.apps.typerator.dev/web rolled back\n');
    await statusUntilComplete(3, 'statefulset/web');
    assert.deepEqual(await podImages('web'), ['nginx:1.27', 'nginx:1.27', 'nginx:1.27']);
    const set = await client.resource(statefulSetKind).get({ namespace: NAMESPACE, name: 'web' });
    assert.equal(set.spec.template.spec?.containers[0]?.image, 'nginx:1.27');
    assert.equal(set.status?.updateRevision, firstRevision, 'the first template’s revision, reused');
    assert.equal(set.status?.currentRevision, firstRevision);

    // The controller reused revision 1 for the old template, renumbered as the newest.
    const after = await rollout('history', 'statefulset/web');
    assert.deepEqual(lines(after.stdout).slice(1), [
      'REVISION  CHANGE-CAUSE',
      '2         image 1.28',
      '3         create at 1.27',
    ]);
    const same = await rollout('undo', 'statefulset/web', '--to-revision', '3');
    assert.equal(same.code, 0, same.stderr);
    assert.equal(
      same.stdout,
      'statefulset.apps.typerator.dev/web skipped rollback (current template already matches revision 3)\n',
    );
  });

  it('status waits for pods that cannot become ready and gives up at --timeout with exit 1', async () => {
    // No node matches the selector, so the pod stays Pending.
    await client.resource(statefulSetKind).create({
      apiVersion: API_VERSION,
      kind: 'StatefulSet',
      metadata: { name: 'stuck', namespace: NAMESPACE },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'stuck' } },
        template: {
          metadata: { labels: { app: 'stuck' } },
          spec: {
            containers: [{ name: 'c', image: 'x' }],
            nodeSelector: { 'typerator.dev/no-such-node': 'true' },
          },
        },
      },
    });
    await waitUntil(
      async () =>
        (await client.resource(statefulSetKind).get({ namespace: NAMESPACE, name: 'stuck' })).status
          ?.observedGeneration === 1,
      { what: 'stuck to be observed', timeoutMs: 60_000, intervalMs: 250 },
    );
    const result = await rollout('status', 'tsts/stuck', '--timeout', '2s');
    assert.equal(result.code, 1);
    assert.deepEqual(lines(result.stdout), ['Waiting for 1 pods to be ready...']);
    assert.equal(
      result.stderr,
      'error: timed out waiting for statefulset "stuck" rollout to finish (--timeout 2s)\n',
    );
  });

  it('refuses status on OnDelete, and names a set that does not exist', async () => {
    await client.resource(statefulSetKind).create({
      apiVersion: API_VERSION,
      kind: 'StatefulSet',
      metadata: { name: 'manual', namespace: NAMESPACE },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'manual' } },
        template: {
          metadata: { labels: { app: 'manual' } },
          spec: { containers: [{ name: 'c', image: 'x' }] },
        },
        updateStrategy: { type: 'OnDelete' },
      },
    });
    const onDelete = await rollout('status', 'tsts/manual');
    assert.equal(onDelete.code, 1);
    assert.equal(
      onDelete.stderr,
      'error: rollout status is only available for RollingUpdate strategy type\n',
    );
    const ghost = await rollout('history', 'statefulset/ghost');
    assert.equal(ghost.code, 1);
    assert.equal(
      ghost.stderr,
      'error: statefulset.apps.typerator.dev "ghost" not found in namespace "default"\n',
    );
  });

  it('works on the built-in apps/v1 StatefulSet too (statefulset.apps), undo included', async () => {
    const builtIn = { app: 'builtin' };
    const builtInTemplate = (version: string) => ({
      metadata: { labels: builtIn },
      spec: { containers: [{ name: 'c', image: `nginx:${version}` }] },
    });
    await client.resource(kinds.StatefulSet).create({
      metadata: { name: 'builtin', namespace: NAMESPACE },
      spec: { replicas: 2, selector: { matchLabels: builtIn }, template: builtInTemplate('1.27') },
    });
    await statusUntilComplete(2, 'statefulset.apps/builtin');
    await client.resource(kinds.StatefulSet).patch(
      { namespace: NAMESPACE, name: 'builtin' },
      { spec: { template: builtInTemplate('1.28') } },
      {
        type: 'merge',
      },
    );
    await statusUntilComplete(2, 'builtin', '--kind', 'statefulset.apps');
    const history = await rollout('history', 'builtin', '--kind', 'statefulset.apps');
    assert.equal(history.code, 0, history.stderr);
    assert.deepEqual(lines(history.stdout), [
      'statefulset.apps/builtin',
      'REVISION  CHANGE-CAUSE',
      '1         <none>',
      '2         <none>',
    ]);
    const undone = await rollout('undo', 'statefulset.apps/builtin');
    assert.equal(undone.stdout, 'statefulset.apps/builtin rolled back\n', undone.stderr);
    const rolledBack = await waitUntil(
      async () => {
        const set = await client.resource(kinds.StatefulSet).get({ namespace: NAMESPACE, name: 'builtin' });
        const status = set.status;
        return set.spec?.template.spec?.containers[0]?.image === 'nginx:1.27' &&
          status?.observedGeneration === set.metadata?.generation &&
          status?.updateRevision === status?.currentRevision &&
          status?.updatedReplicas === 2 &&
          status.readyReplicas === 2
          ? set
          : undefined;
      },
      { what: 'kube-controller-manager to roll builtin back', timeoutMs: 90_000, intervalMs: 250 },
    );
    await statusUntilComplete(2, 'statefulset.apps/builtin');
    assert.deepEqual(await podImages('builtin'), ['nginx:1.27', 'nginx:1.27']);
    const same = await rollout('undo', 'statefulset.apps/builtin', '--to-revision', '3');
    assert.equal(
      same.stdout,
      'statefulset.apps/builtin skipped rollback (current template already matches revision 3)\n',
      `${same.stderr} (update revision ${rolledBack.status?.updateRevision ?? ''})`,
    );
  });
});
