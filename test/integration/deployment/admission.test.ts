import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import type { Client } from '../../../sdk/client/client.ts';
import { kinds } from '../../../sdk/client/resource-kind.ts';
import { waitUntil } from '../../../sdk/testing/index.ts';
import type { WebhookServer } from '../../../sdk/webhook/index.ts';
import {
  API_VERSION,
  type Deployment,
  type DeploymentSpec,
} from '../../../operators/deployment/api/types.ts';
import { deploymentKind, replicaSetKind } from '../../../operators/deployment/kinds.ts';
import { setupDeploymentController } from '../../../operators/deployment/controllers/deployment-controller.ts';
import { setupReplicaSetController } from '../../../operators/deployment/controllers/replica-set-controller.ts';
import {
  deploymentWebhookConfigurations,
  setupDeploymentWebhooks,
} from '../../../operators/deployment/webhooks/setup-deployment-webhooks.ts';
import { installGeneratedCrds } from '../../support/install-crds.ts';
import { runProcess, type ProcessResult } from '../../support/run-process.ts';
import { startOperatorEnvironment, type OperatorEnvironment } from '../../support/operator-environment.ts';

const samplesDir = new URL('../../../operators/deployment/samples/', import.meta.url);

const labels = { app: 'web' };
function deployment(name: string, spec: Partial<DeploymentSpec> = {}): Deployment {
  return {
    apiVersion: API_VERSION,
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
      ...spec,
    },
  };
}

/** Runs kubectl against the test cluster with `input` on stdin. */
const kubectl = (kubeconfig: string, args: readonly string[], input: string): Promise<ProcessResult> =>
  runProcess('kubectl', ['--kubeconfig', kubeconfig, ...args], { input });

const isAvailable = (d: Deployment) =>
  d.status?.conditions?.some((c) => c.type === 'Available' && c.status === 'True') ?? false;

describe('Deployment admission webhooks called by the real apiserver', () => {
  let env: OperatorEnvironment;
  let client: Client;
  let kubeconfig: string;
  const certs = mkdtempSync(join(tmpdir(), 'typerator-deployment-admission-'));

  before(async () => {
    let server: WebhookServer | undefined;
    env = await startOperatorEnvironment({
      plane: { tier: 'full', nodes: 2 },
      prepare: (admin) => installGeneratedCrds(admin),
      setup: async (manager) => {
        setupReplicaSetController(manager);
        setupDeploymentController(manager);
        server = await setupDeploymentWebhooks(manager, {
          host: '127.0.0.1',
          port: 0,
          devCertificates: { dir: certs },
        });
      },
    });
    client = env.client;
    kubeconfig = env.plane.kubeconfigPath;
    const webhooks = server;
    if (!webhooks) throw new Error('setup did not run');
    // The port getter throws until the server listens; waitUntil treats that as "not yet".
    await waitUntil(() => webhooks.port > 0, { what: 'the webhook server to listen', timeoutMs: 30_000 });
    const { mutating, validating } = deploymentWebhookConfigurations(webhooks, {
      url: webhooks.url,
      caBundlePem: readFileSync(join(certs, 'ca.crt'), 'utf8'),
    });
    await client.resource(kinds.MutatingWebhookConfiguration).create(mutating);
    await client.resource(kinds.ValidatingWebhookConfiguration).create(validating);
    // Configurations take effect asynchronously: wait until both the defaulting and the
    // validation are applied to a dry run.
    const probe = deployment('probe');
    await waitUntil(
      async () => {
        const defaulted = await client.resource(deploymentKind).create(probe, { dryRun: true });
        if (defaulted.spec.revisionHistoryLimit !== 10) return false;
        return client
          .resource(deploymentKind)
          .create(deployment('probe', { revisionHistoryLimit: -1 }), { dryRun: true })
          .then(
            () => false,
            (error: unknown) =>
              error instanceof Error && /must be greater than or equal to 0/.test(error.message),
          );
      },
      { what: 'the webhooks to be in effect', timeoutMs: 30_000, intervalMs: 200 },
    );
  });
  after(async () => {
    await env.stop();
    rmSync(certs, { recursive: true, force: true });
  });

  it('stores the apps/v1 defaults on a created Deployment and ReplicaSet', async () => {
    const created = await client.resource(deploymentKind).create(deployment('defaulted'));
    const stored = await client.resource(deploymentKind).get({ namespace: 'default', name: 'defaulted' });
    for (const object of [created, stored]) {
      const { selector: _s, template: _t, ...defaults } = object.spec;
      assert.deepEqual(defaults, {
        replicas: 1,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
        minReadySeconds: 0,
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
      });
    }
    const recreate = await client
      .resource(deploymentKind)
      .create(deployment('recreate', { replicas: 0, strategy: { type: 'Recreate' } }));
    assert.deepEqual(recreate.spec.strategy, { type: 'Recreate' }, 'no rollingUpdate block for Recreate');
    const rs = await client.resource(replicaSetKind).create({
      apiVersion: API_VERSION,
      kind: 'ReplicaSet',
      metadata: { name: 'defaulted-rs', namespace: 'default' },
      spec: {
        selector: { matchLabels: { app: 'defaulted-rs' } },
        template: {
          metadata: { labels: { app: 'defaulted-rs' } },
          spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
        },
      },
    });
    assert.equal(rs.spec.replicas, 1);
  });

  it('rejects each invalid Deployment with the apps/v1 message naming the field', async () => {
    const cases: [string, Partial<DeploymentSpec>, string][] = [
      [
        'zero-zero',
        { strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } },
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0',
      ],
      [
        'zero-zero-percent',
        { strategy: { rollingUpdate: { maxSurge: '0%', maxUnavailable: '0%' } } },
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when `maxSurge` is 0',
      ],
      [
        'over-100',
        { strategy: { rollingUpdate: { maxUnavailable: '150%' } } },
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%',
      ],
      [
        'bad-percent',
        { strategy: { rollingUpdate: { maxSurge: 'lots' } } },
        'spec.strategy.rollingUpdate.maxSurge: Invalid value: "lots": a valid percent string',
      ],
      [
        'recreate-rolling',
        { strategy: { type: 'Recreate', rollingUpdate: { maxSurge: 1 } } },
        "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
      ],
      [
        'deadline',
        { minReadySeconds: 30, progressDeadlineSeconds: 30 },
        'spec.progressDeadlineSeconds: Invalid value: 30: must be greater than minReadySeconds',
      ],
      [
        'negative-history',
        { revisionHistoryLimit: -1 },
        'spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0',
      ],
      [
        'empty-selector',
        { selector: {} },
        'spec.selector: Invalid value: {}: empty selector is invalid for deployment',
      ],
      [
        'mismatch',
        { selector: { matchLabels: { app: 'other' } } },
        'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
      ],
    ];
    for (const [name, spec, message] of cases) {
      await assert.rejects(
        client.resource(deploymentKind).create(deployment(name, spec)),
        (error: unknown) => {
          assert.ok(error instanceof Error);
          assert.ok(
            error.message.includes(`Deployment.apps.typerator.dev "${name}" is invalid: ${message}`),
            `${name}: ${error.message}`,
          );
          return true;
        },
      );
    }
    // The scale subresource (specReplicasPath) makes the apiserver refuse negative replicas
    // itself, before any webhook; the message names the field all the same.
    await assert.rejects(
      client.resource(deploymentKind).create(deployment('negative', { replicas: -2 })),
      /spec\.replicas: Invalid value: -2/,
    );
    const stored = await client.resource(deploymentKind).list({ namespace: 'default' });
    assert.deepEqual(
      stored.items.map((d) => d.metadata?.name).filter((n) => cases.some(([name]) => name === n)),
      [],
      'nothing invalid was stored',
    );
  });

  it('rejects an update that breaks a rule, and a ReplicaSet whose selector misses its template', async () => {
    await client.resource(deploymentKind).create(deployment('updated', { replicas: 0 }));
    await assert.rejects(
      client
        .resource(deploymentKind)
        .patch(
          { namespace: 'default', name: 'updated' },
          { spec: { strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } } },
          { type: 'merge' },
        ),
      /may not be 0 when `maxSurge` is 0/,
    );
    await assert.rejects(
      client.resource(replicaSetKind).create({
        apiVersion: API_VERSION,
        kind: 'ReplicaSet',
        metadata: { name: 'mismatched', namespace: 'default' },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'one' } },
          template: {
            metadata: { labels: { app: 'two' } },
            spec: { containers: [{ name: 'c', image: 'x' }] },
          },
        },
      }),
      /ReplicaSet.apps.typerator.dev "mismatched" is invalid: spec.template.metadata.labels: Invalid value: \{"app":"two"\}: `selector` does not match template `labels`/,
    );
  });

  it('shows the refusal on kubectl’s stderr', async () => {
    const manifest = (name: string, strategy: string) => `apiVersion: ${API_VERSION}
kind: Deployment
metadata: {name: ${name}, namespace: default}
spec:
  selector: {matchLabels: {app: web}}
  strategy: ${strategy}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: "nginx:1.27"}]}
`;
    const zero = await kubectl(
      kubeconfig,
      ['apply', '-f', '-'],
      manifest('kubectl-zero', '{rollingUpdate: {maxSurge: 0, maxUnavailable: 0}}'),
    );
    assert.notEqual(zero.code, 0);
    assert.match(
      zero.stderr,
      /admission webhook "validate\.deployment\.v1\.apps\.typerator\.dev" denied the request: Deployment\.apps\.typerator\.dev "kubectl-zero" is invalid: spec\.strategy\.rollingUpdate\.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0/,
    );
    const recreate = await kubectl(
      kubeconfig,
      ['create', '-f', '-'],
      manifest('kubectl-recreate', '{type: Recreate, rollingUpdate: {maxSurge: 1}}'),
    );
    assert.notEqual(recreate.code, 0);
    assert.match(
      recreate.stderr,
      /spec\.strategy\.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'/,
    );
    const over = await kubectl(
      kubeconfig,
      ['create', '-f', '-'],
      manifest('kubectl-over', '{rollingUpdate: {maxUnavailable: "101%"}}'),
    );
    assert.notEqual(over.code, 0);
    assert.match(
      over.stderr,
      /spec\.strategy\.rollingUpdate\.maxUnavailable: Invalid value: "101%": must not be greater than 100%/,
    );
  });

  it('scenario 5: 0/0 is rejected; replicas 1 with maxSurge 0% and maxUnavailable 10% is accepted and rolls out', async () => {
    await assert.rejects(
      client.resource(deploymentKind).create(
        deployment('fencepost-zero', {
          replicas: 1,
          strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } },
        }),
      ),
      /may not be 0 when `maxSurge` is 0/,
    );
    const spec: Partial<DeploymentSpec> = {
      replicas: 1,
      selector: { matchLabels: { app: 'fencepost' } },
      template: {
        metadata: { labels: { app: 'fencepost' } },
        spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
      },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '0%', maxUnavailable: '10%' } },
    };
    const created = await client.resource(deploymentKind).create(deployment('fencepost', spec));
    assert.deepEqual(created.spec.strategy?.rollingUpdate, { maxSurge: '0%', maxUnavailable: '10%' });
    // The controllers' own writes go through the same webhooks and must be admitted.
    await waitUntil(
      async () =>
        isAvailable(await client.resource(deploymentKind).get({ namespace: 'default', name: 'fencepost' })),
      { what: 'the fencepost Deployment to become available', timeoutMs: 120_000, intervalMs: 250 },
    );
  });

  it('accepts the samples, and the operator rolls them out', async () => {
    for (const file of ['deployment.yaml', 'recreate-deployment.yaml', 'replicaset.yaml']) {
      const text = readFileSync(new URL(file, samplesDir), 'utf8');
      const result = await kubectl(kubeconfig, ['apply', '-f', '-'], text);
      assert.equal(result.code, 0, `${file}: ${result.stderr}`);
      const sample = parse(text) as { kind: string; metadata: { name: string } };
      assert.match(result.stdout, new RegExp(`${sample.metadata.name} created`));
    }
    for (const name of ['web', 'worker']) {
      await waitUntil(
        async () => isAvailable(await client.resource(deploymentKind).get({ namespace: 'default', name })),
        { what: `sample Deployment ${name} to become available`, timeoutMs: 120_000, intervalMs: 250 },
      );
    }
    await waitUntil(
      async () =>
        (await client.resource(replicaSetKind).get({ namespace: 'default', name: 'cache' })).status
          ?.readyReplicas === 2,
      { what: 'sample ReplicaSet cache to have 2 ready pods', timeoutMs: 120_000, intervalMs: 250 },
    );
  });
});
