import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { generateRbacYaml } from '../../../sdk/cli/rbac-command.ts';
import { Manager } from '../../../sdk/manager/manager.ts';
import type { WebhookServer } from '../../../sdk/webhook/index.ts';
import { setup as setupDeploymentOperator } from '../../../operators/deployment/operator.ts';
import {
  operatorOptionsFromEnvironment,
  setup as setupStatefulSetOperator,
} from '../../../operators/statefulset/operator.ts';
import {
  registerStatefulSetWebhooks,
  statefulSetWebhookConfigurations,
} from '../../../operators/statefulset/webhooks/setup-statefulset-webhooks.ts';
import {
  admissionReview,
  newTestServer,
  reviewResponse,
  send,
  silentLogger,
  type ServingFiles,
} from '../webhook/fixtures.ts';
import { admittedSet } from './admission-fixtures.ts';

const entry = fileURLToPath(new URL('../../../operators/statefulset/operator.ts', import.meta.url));

/** A kubeconfig that is never contacted: these tests only register. */
function offlineKubeConfig(): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'offline', server: 'https://127.0.0.1:1' }],
    users: [{ name: 'offline', token: 'offline' }],
    contexts: [{ name: 'offline', cluster: 'offline', user: 'offline' }],
    currentContext: 'offline',
  });
  return kubeConfig;
}

describe('the StatefulSet operator entry (operator.ts)', () => {
  it('turns webhooks on only when its certificate folder is named, on its own variables', () => {
    assert.deepEqual(operatorOptionsFromEnvironment({}), {});
    assert.deepEqual(operatorOptionsFromEnvironment({ STATEFULSET_OPERATOR_WEBHOOK_CERT_DIR: '' }), {});
    assert.deepEqual(operatorOptionsFromEnvironment({ DEPLOYMENT_OPERATOR_WEBHOOK_CERT_DIR: '/certs' }), {});
    assert.deepEqual(operatorOptionsFromEnvironment({ STATEFULSET_OPERATOR_WEBHOOK_CERT_DIR: '/certs' }), {
      webhooks: { certDir: '/certs' },
    });
    assert.deepEqual(
      operatorOptionsFromEnvironment({
        STATEFULSET_OPERATOR_WEBHOOK_CERT_DIR: '/certs',
        STATEFULSET_OPERATOR_WEBHOOK_PORT: '9444',
      }),
      { webhooks: { certDir: '/certs', port: 9444 } },
    );
    assert.throws(
      () =>
        operatorOptionsFromEnvironment({
          STATEFULSET_OPERATOR_WEBHOOK_CERT_DIR: '/certs',
          STATEFULSET_OPERATOR_WEBHOOK_PORT: '70000',
        }),
      /STATEFULSET_OPERATOR_WEBHOOK_PORT: "70000" is not a port number/,
    );
  });

  it('works with `typerator rbac generate --entry`: the role covers the kind, pods, claims and revisions', async () => {
    const role = parse(await generateRbacYaml(entry, 'statefulset-operator')) as {
      rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
    };
    const verbsFor = (group: string, resource: string) =>
      role.rules
        .filter((r) => r.apiGroups.includes(group) && r.resources.includes(resource))
        .flatMap((r) => r.verbs);
    assert.ok(verbsFor('apps.typerator.dev', 'statefulsets').includes('watch'));
    assert.ok(verbsFor('apps.typerator.dev', 'statefulsets/status').includes('update'));
    assert.ok(verbsFor('', 'pods').includes('create'));
    assert.ok(verbsFor('', 'persistentvolumeclaims').includes('create'));
    assert.ok(verbsFor('apps', 'controllerrevisions').includes('delete'));
  });

  it('registers its webhooks beside the Deployment operator’s on a manager that serves webhooks (typerator dev)', async () => {
    const manager = await Manager.create({
      kubeConfig: offlineKubeConfig(),
      metricsBindAddress: false,
      healthProbeBindAddress: false,
      logger: silentLogger,
      webhook: { host: '127.0.0.1', port: 0 },
    });
    try {
      await setupDeploymentOperator(manager, {});
      await setupStatefulSetOperator(manager, {});
      const server = await manager.webhookServer();
      const { mutating, validating } = statefulSetWebhookConfigurations(server, {
        url: 'https://127.0.0.1:1',
      });
      const rules = (webhooks: { name: string; rules?: { resources?: string[] }[] }[] | undefined) =>
        (webhooks ?? []).map(
          (w) => `${w.name} ${(w.rules ?? []).flatMap((r) => r.resources ?? []).join(',')}`,
        );
      assert.deepEqual(rules(mutating.webhooks), [
        'mutate.deployment.v1.apps.typerator.dev deployments',
        'mutate.replicaset.v1.apps.typerator.dev replicasets',
        'mutate.statefulset.v1.apps.typerator.dev statefulsets',
      ]);
      // Only the main resource: status and scale writes (subresources) are not reviewed.
      assert.deepEqual(rules(validating.webhooks), [
        'validate.deployment.v1.apps.typerator.dev deployments',
        'validate.replicaset.v1.apps.typerator.dev replicasets',
        'validate.statefulset.v1.apps.typerator.dev statefulsets',
      ]);
      assert.equal(mutating.metadata?.name, 'typerator-statefulset-operator');
    } finally {
      manager.client.close();
    }
  });
});

describe('the StatefulSet webhooks over HTTPS', () => {
  let server: WebhookServer;
  let files: ServingFiles;
  const target = {
    kind: { group: 'apps.typerator.dev', version: 'v1', kind: 'StatefulSet' },
    resource: { group: 'apps.typerator.dev', version: 'v1', resource: 'statefulsets' },
    name: 'web',
  };
  const review = async (verb: 'mutate' | 'validate', request: Record<string, unknown>) => {
    const reply = await send(
      `${server.url}/${verb}-apps-typerator-dev-v1-statefulset`,
      files.caPem,
      JSON.stringify(admissionReview({ ...target, ...request })),
    );
    assert.equal(reply.status, 200);
    return reviewResponse(reply);
  };

  before(async () => {
    ({ server, files } = await newTestServer());
    registerStatefulSetWebhooks(server);
    await server.start();
  });
  after(async () => {
    await server.stop();
    files.remove();
  });

  it('defaults a created StatefulSet with a JSON patch', async () => {
    const response = await review('mutate', { object: admittedSet() });
    assert.equal(response.allowed, true);
    const patch = JSON.parse(Buffer.from(response.patch ?? '', 'base64').toString('utf8')) as {
      path: string;
      value?: unknown;
    }[];
    const added = Object.fromEntries(patch.map((op) => [op.path, op.value]));
    assert.deepEqual(added, {
      '/spec/podManagementPolicy': 'OrderedReady',
      '/spec/updateStrategy': { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      '/spec/persistentVolumeClaimRetentionPolicy': { whenDeleted: 'Retain', whenScaled: 'Retain' },
      '/spec/replicas': 1,
      '/spec/revisionHistoryLimit': 10,
    });
  });

  it('refuses an invalid StatefulSet with 422 and the apiserver’s message naming the field', async () => {
    const response = await review('validate', {
      object: admittedSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: -1 } } }),
    });
    assert.equal(response.allowed, false);
    assert.equal(response.status?.code, 422);
    assert.equal(response.status?.reason, 'Invalid');
    assert.equal(
      response.status?.message,
      'StatefulSet.apps.typerator.dev "web" is invalid: spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0',
    );
  });

  it('admits a negative revisionHistoryLimit with apps/v1’s warning', async () => {
    const response = await review('validate', { object: admittedSet({ revisionHistoryLimit: -1 }) });
    assert.equal(response.allowed, true);
    assert.deepEqual(response.warnings, [
      'spec.revisionHistoryLimit: a negative value retains all historical revisions; a value >= 0 is recommended',
    ]);
  });

  it('refuses an UPDATE that changes an immutable field, at spec', async () => {
    const old = admittedSet();
    const response = await review('validate', {
      operation: 'UPDATE',
      oldObject: old,
      object: admittedSet({ volumeClaimTemplates: [] }),
    });
    assert.equal(response.allowed, false);
    assert.match(
      response.status?.message ?? '',
      /^StatefulSet\.apps\.typerator\.dev "web" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden$/,
    );
    const scaled = await review('validate', {
      operation: 'UPDATE',
      oldObject: old,
      object: admittedSet({ replicas: 5 }),
    });
    assert.equal(scaled.allowed, true);
  });
});
