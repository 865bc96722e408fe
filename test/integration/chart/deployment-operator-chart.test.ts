// charts/typerator-deployment-operator against a real control plane with kwok nodes: lint, schema,
// install/upgrade/uninstall with Helm's own certificates, and the operator process running with
// nothing but the chart's RBAC (a ServiceAccount token) through a rollout.
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it, type TestContext } from 'node:test';
import type {
  V1MutatingWebhookConfiguration,
  V1Role,
  V1RoleBinding,
  V1ValidatingWebhookConfiguration,
} from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { Client } from '../../../sdk/client/client.ts';
import { NotFoundError } from '../../../sdk/client/errors.ts';
import { kinds, resourceKind } from '../../../sdk/client/resource-kind.ts';
import { freePort } from '../../../sdk/testing/free-port.ts';
import { startControlPlane, waitUntil, type ControlPlane } from '../../../sdk/testing/index.ts';
import { WebhookServer } from '../../../sdk/webhook/index.ts';
import { API_VERSION, type Deployment } from '../../../operators/deployment/api/types.ts';
import { deploymentKind } from '../../../operators/deployment/kinds.ts';
import {
  deploymentWebhookConfigurations,
  registerDeploymentWebhooks,
} from '../../../operators/deployment/webhooks/setup-deployment-webhooks.ts';
import {
  startOperatorMain,
  type OperatorMainProcess,
} from '../../support/operator-main-process.ts';
import { HelmRunner } from '../../support/helm.ts';
import { bearerTokenKubeconfig } from '../../support/service-account-kubeconfig.ts';

const chart = fileURLToPath(new URL('../../../charts/typerator-deployment-operator', import.meta.url));
const KUBE_VERSION = ['--kube-version', '1.34.0'];
const CHART_NAME = 'typerator-deployment-operator';
/**
 * A refusal in the operator's log: the SDK's ForbiddenError text ("GET /api/...: 403 Forbidden: ...")
 * or the apiserver's message ("pods is forbidden: User ..."). Not a bare 403: a watch's random
 * timeoutSeconds can be 403 too.
 */
const FORBIDDEN = /\b403 Forbidden\b|\bis forbidden\b/i;

const roleKind = resourceKind<V1Role>('rbac.authorization.k8s.io/v1', 'Role', 'roles');
const roleBindingKind = resourceKind<V1RoleBinding>(
  'rbac.authorization.k8s.io/v1',
  'RoleBinding',
  'rolebindings',
);

/** A release's object names, as the chart's helpers derive them. */
function names(release: string) {
  const fullname = `${release}-${CHART_NAME}`;
  return {
    fullname,
    webhookService: `${fullname}-webhook`,
    webhookSecret: `${fullname}-webhook-tls`,
    leaderElection: `${fullname}-leader-election`,
  };
}

interface Rendered {
  readonly kind: string;
  readonly metadata: { readonly name: string };
  readonly [field: string]: unknown;
}

const parseManifests = (text: string): Rendered[] =>
  parseAllDocuments(text)
    .map((doc) => doc.toJS() as Rendered | null)
    .filter((doc): doc is Rendered => doc !== null);

/** Whether `get` answers 404. */
async function isGone(get: () => Promise<unknown>): Promise<boolean> {
  try {
    await get();
    return false;
  } catch (error) {
    if (error instanceof NotFoundError) return true;
    throw error;
  }
}

/** The operator with the chart's RBAC: its first refusal fails the waits at once. */
const startOperator = (env: Record<string, string>): OperatorMainProcess =>
  startOperatorMain('deployment', {
    env,
    abortOn: { pattern: FORBIDDEN, reason: "the chart's RBAC refused the operator something" },
  });

describe('charts/typerator-deployment-operator', () => {
  let plane: ControlPlane;
  let client: Client;
  let helm: HelmRunner;
  const work = mkdtempSync(join(tmpdir(), 'typerator-chart-'));
  const operators: OperatorMainProcess[] = [];

  before(async () => {
    plane = await startControlPlane({ tier: 'full', nodes: 2 });
    client = await Client.fromKubeConfig(plane.kubeConfig());
    helm = new HelmRunner(plane.kubeconfigPath, join(work, 'helm'));
  });
  after(async () => {
    for (const operator of operators) operator.kill();
    client?.close();
    await plane?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  /** Runs a test body; on failure, prints `logs()` and the control plane's recent logs first. */
  const withLogs = async (t: TestContext, body: () => Promise<void>, logs = () => ''): Promise<void> => {
    try {
      await body();
    } catch (error) {
      t.diagnostic(`${logs()}\n--- control plane logs ---\n${plane.logTails(40)}`);
      throw error;
    }
  };

  /** `helm install` of the chart as `release` into `ns` (created), with a `--set` per value. */
  const install = (release: string, ns: string, values: readonly string[] = []): Promise<string> =>
    helm.ok([
      'install',
      release,
      chart,
      '--namespace',
      ns,
      '--create-namespace',
      '--timeout',
      '5m',
      ...values.flatMap((value) => ['--set', value]),
    ]);

  /** A kubeconfig with a TokenRequest token for the release's ServiceAccount, and nothing else. */
  const serviceAccountKubeconfig = async (ns: string, release: string): Promise<string> => {
    const account = names(release).fullname;
    const token = (
      await helm.kubectlOk(['create', 'token', account, '--namespace', ns, '--duration', '1h'])
    ).trim();
    const path = join(work, `${release}.kubeconfig`);
    writeFileSync(path, bearerTokenKubeconfig(plane.kubeConfig(), account, token), { mode: 0o600 });
    return path;
  };

  it('lints, renders the expected kinds, and refuses bad values with the field named', async (t) =>
    withLogs(t, async () => {
      for (const set of [[], ['--set', 'webhooks.enabled=false']]) {
        const lint = await helm.run(['lint', '--strict', chart, ...set]);
        assert.equal(lint.code, 0, `helm lint --strict ${set.join(' ')}:\n${lint.stdout}${lint.stderr}`);
      }

      const rendered = parseManifests(
        await helm.ok(['template', 'tdo', chart, '--namespace', 'ops', '--include-crds', ...KUBE_VERSION]),
      );
      assert.deepEqual([...new Set(rendered.map((o) => o.kind))].sort(), [
        'ClusterRole',
        'ClusterRoleBinding',
        'CustomResourceDefinition',
        'Deployment',
        'MutatingWebhookConfiguration',
        'Role',
        'RoleBinding',
        'Secret',
        'Service',
        'ServiceAccount',
        'ValidatingWebhookConfiguration',
      ]);
      assert.deepEqual(
        rendered
          .filter((o) => o.kind === 'CustomResourceDefinition')
          .map((o) => o.metadata.name)
          .sort(),
        ['deployments.apps.typerator.dev', 'replicasets.apps.typerator.dev'],
        'the CRDs come from crds/ through the symlink',
      );

      // The webhooks are the ones operators/deployment registers, routed to the chart's Service.
      const registrations = new WebhookServer();
      registerDeploymentWebhooks(registrations);
      const service = { name: names('tdo').webhookService, namespace: 'ops', port: 443 };
      const expected = deploymentWebhookConfigurations(registrations, { service }, names('tdo').fullname);
      const comparable = (config: V1MutatingWebhookConfiguration | V1ValidatingWebhookConfiguration) =>
        (config.webhooks ?? []).map(({ clientConfig, ...webhook }) => ({
          ...webhook,
          service: clientConfig.service,
        }));
      const mutating = rendered.find((o) => o.kind === 'MutatingWebhookConfiguration');
      const validating = rendered.find((o) => o.kind === 'ValidatingWebhookConfiguration');
      assert.deepEqual(comparable(mutating as V1MutatingWebhookConfiguration), comparable(expected.mutating));
      assert.deepEqual(
        comparable(validating as V1ValidatingWebhookConfiguration),
        comparable(expected.validating),
      );

      const withoutWebhooks = parseManifests(
        await helm.ok(['template', 'tdo', chart, '--set', 'webhooks.enabled=false', ...KUBE_VERSION]),
      );
      assert.ok(!withoutWebhooks.some((o) => /Webhook|Secret|Service$/.test(o.kind)));

      const certManager = parseManifests(
        await helm.ok([
          'template',
          'tdo',
          chart,
          '--set',
          'webhooks.certManager.enabled=true',
          ...KUBE_VERSION,
        ]),
      );
      assert.ok(certManager.some((o) => o.kind === 'Certificate'));
      assert.ok(!certManager.some((o) => o.kind === 'Secret'), 'cert-manager writes the Secret');

      for (const [set, field] of [
        ['replicas=two', '/replicas'],
        ['logLevel=loud', '/logLevel'],
        ['ports.webhook=0', '/ports/webhook'],
        ['webhooks.failurePolicy=Sometimes', '/webhooks/failurePolicy'],
      ] as const) {
        const bad = await helm.run(['template', 'tdo', chart, '--set', set, ...KUBE_VERSION]);
        assert.notEqual(bad.code, 0, `--set ${set} must fail`);
        assert.match(bad.stderr, /values don't meet the specifications of the schema/);
        assert.ok(bad.stderr.includes(`at '${field}'`), `--set ${set}:\n${bad.stderr}`);
      }
      const unknown = await helm.run(['template', 'tdo', chart, '--set', 'replica=3', ...KUBE_VERSION]);
      assert.match(unknown.stderr, /additional properties 'replica' not allowed/);
    }));

  it('installs onto kwok nodes, keeps its certificate on upgrade, and uninstalls cleanly', async (t) =>
    withLogs(t, async () => {
      const ns = 'ops';
      const release = 'tdo';
      const n = names(release);
      await install(release, ns);

      for (const crd of ['deployments.apps.typerator.dev', 'replicasets.apps.typerator.dev'])
        await waitUntil(
          async () =>
            (
              await client.resource(kinds.CustomResourceDefinition).get({ name: crd })
            ).status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True'),
          { what: `CRD ${crd} to be established`, timeoutMs: 60_000 },
        );

      const selector = `app.kubernetes.io/name=${CHART_NAME},app.kubernetes.io/instance=${release}`;
      const pods = await waitUntil(
        async () => {
          const { items } = await client.resource(kinds.Pod).list({ namespace: ns, labelSelector: selector });
          const ready = items.filter(
            (p) =>
              p.spec?.nodeName?.startsWith('kwok-node-') &&
              p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
          );
          return ready.length === 2 && items.length === 2 ? items : undefined;
        },
        { what: 'the 2 operator pods to be scheduled on kwok nodes and Ready', timeoutMs: 180_000 },
      );
      const container = pods[0]?.spec?.containers[0];
      assert.deepEqual(container?.command, ['node', 'operators/deployment/main.ts']);
      assert.equal(pods[0]?.spec?.serviceAccountName, n.fullname);
      await waitUntil(
        async () =>
          (await client.resource(kinds.Deployment).get({ namespace: ns, name: n.fullname })).status
            ?.readyReplicas === 2,
        { what: 'the operator Deployment to report 2 ready replicas', timeoutMs: 120_000 },
      );

      const verifiedCertificate = async (): Promise<string> => {
        const secret = await client.resource(kinds.Secret).get({ namespace: ns, name: n.webhookSecret });
        assert.equal(secret.type, 'kubernetes.io/tls');
        const data = secret.data ?? {};
        const pem = (key: string) => Buffer.from(data[key] ?? '', 'base64').toString('utf8');
        const serving = new X509Certificate(pem('tls.crt'));
        assert.ok(serving.checkPrivateKey(createPrivateKey(pem('tls.key'))), 'tls.key belongs to tls.crt');
        for (const kind of [kinds.MutatingWebhookConfiguration, kinds.ValidatingWebhookConfiguration]) {
          const config = await client.resource(kind).get({ name: n.fullname });
          assert.equal(config.webhooks?.length, 2);
          for (const webhook of config.webhooks ?? []) {
            assert.equal(webhook.clientConfig.service?.name, n.webhookService);
            assert.equal(webhook.clientConfig.service?.namespace, ns);
            assert.equal(webhook.sideEffects, 'None');
            assert.deepEqual(webhook.admissionReviewVersions, ['v1']);
            const ca = new X509Certificate(Buffer.from(webhook.clientConfig.caBundle ?? '', 'base64'));
            assert.ok(
              serving.verify(ca.publicKey),
              `${webhook.name}: caBundle signed the serving certificate`,
            );
          }
        }
        for (const host of [`${n.webhookService}.${ns}.svc`, `${n.webhookService}.${ns}.svc.cluster.local`])
          assert.equal(serving.checkHost(host), host);
        return serving.fingerprint256;
      };
      const installed = await verifiedCertificate();
      const service = await client.resource(kinds.Service).get({ namespace: ns, name: n.webhookService });
      assert.equal(service.spec?.ports?.[0]?.port, 443);
      assert.equal(service.spec?.ports?.[0]?.targetPort, 'webhook');

      await helm.ok(['upgrade', release, chart, '--namespace', ns, '--set', 'logLevel=debug']);
      const upgraded = await client.resource(kinds.Deployment).get({ namespace: ns, name: n.fullname });
      const env = upgraded.spec?.template.spec?.containers[0]?.env ?? [];
      assert.equal(env.find((e) => e.name === 'LOG_LEVEL')?.value, 'debug');
      assert.equal(await verifiedCertificate(), installed, 'helm upgrade reuses the certificate');

      await helm.ok(['uninstall', release, '--namespace', ns, '--timeout', '5m']);
      const resource = client.resource.bind(client);
      const leftovers: [string, () => Promise<unknown>][] = [
        ['Deployment', () => resource(kinds.Deployment).get({ namespace: ns, name: n.fullname })],
        ['Service', () => resource(kinds.Service).get({ namespace: ns, name: n.webhookService })],
        ['Secret', () => resource(kinds.Secret).get({ namespace: ns, name: n.webhookSecret })],
        ['ServiceAccount', () => resource(kinds.ServiceAccount).get({ namespace: ns, name: n.fullname })],
        ['Role', () => resource(roleKind).get({ namespace: ns, name: n.leaderElection })],
        ['RoleBinding', () => resource(roleBindingKind).get({ namespace: ns, name: n.leaderElection })],
        ['ClusterRole', () => resource(kinds.ClusterRole).get({ name: n.fullname })],
        ['ClusterRoleBinding', () => resource(kinds.ClusterRoleBinding).get({ name: n.fullname })],
        [
          'MutatingWebhookConfiguration',
          () => resource(kinds.MutatingWebhookConfiguration).get({ name: n.fullname }),
        ],
        [
          'ValidatingWebhookConfiguration',
          () => resource(kinds.ValidatingWebhookConfiguration).get({ name: n.fullname }),
        ],
      ];
      for (const [what, gone] of leftovers)
        await waitUntil(() => isGone(gone), {
          what: `helm uninstall to remove the ${what}`,
          timeoutMs: 60_000,
        });
      // Helm never deletes what it installed from crds/.
      for (const crd of ['deployments.apps.typerator.dev', 'replicasets.apps.typerator.dev'])
        await client.resource(kinds.CustomResourceDefinition).get({ name: crd });
    }));

  it("runs the operator with only the chart's RBAC through a rollout to a second revision", async (t) => {
    let logs = () => '';
    await withLogs(
      t,
      async () => {
        const ns = 'operator';
        const release = 'rbac';
        // The apiserver cannot reach pods on kwok nodes, so no webhooks; the operator runs here instead.
        await install(release, ns, ['webhooks.enabled=false', 'replicas=0']);

        const kubeconfig = await serviceAccountKubeconfig(ns, release);
        const operator = startOperator({ KUBECONFIG: kubeconfig, POD_NAMESPACE: ns });
        operators.push(operator);
        logs = operator.log;
        const { signal } = operator;

        await waitUntil(
          async () =>
            (await client.resource(kinds.Lease).get({ namespace: ns, name: 'typerator-deployment-operator' }))
              .spec?.holderIdentity,
          {
            what: 'the operator to take its Lease in the release namespace',
            timeoutMs: 90_000,
            signal,
            intervalMs: 250,
          },
        );

        await client.resource(kinds.Namespace).create({ metadata: { name: 'apps' } });
        const labels = { app: 'web' };
        const web: Deployment = {
          apiVersion: API_VERSION,
          kind: 'Deployment',
          metadata: { name: 'web', namespace: 'apps' },
          spec: {
            replicas: 3,
            selector: { matchLabels: labels },
            template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
          },
        };
        const deployments = client.resource(deploymentKind);
        await deployments.create(web);

        const rolledOut = (revision: string) => async () => {
          const d = await deployments.get({ namespace: 'apps', name: 'web' });
          const s = d.status;
          return (
            d.metadata?.annotations?.['deployment.kubernetes.io/revision'] === revision &&
            s?.observedGeneration === d.metadata?.generation &&
            s?.updatedReplicas === 3 &&
            s?.replicas === 3 &&
            s?.availableReplicas === 3 &&
            s?.readyReplicas === 3
          );
        };
        await waitUntil(rolledOut('1'), {
          what: 'web to roll out 3 available replicas',
          timeoutMs: 180_000,
          signal,
        });
        const readyPods = async () =>
          (
            await client.resource(kinds.Pod).list({ namespace: 'apps', labelSelector: 'app=web' })
          ).items.filter(
            (p) =>
              p.metadata?.deletionTimestamp === undefined &&
              p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
          );
        assert.equal((await readyPods()).length, 3);

        await deployments.patch(
          { namespace: 'apps', name: 'web' },
          { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.28' }] } } } },
          { type: 'merge' },
        );
        await waitUntil(rolledOut('2'), { what: 'web to roll out revision 2', timeoutMs: 180_000, signal });
        await waitUntil(
          async () => {
            const ready = await readyPods();
            return ready.length === 3 && ready.every((p) => p.spec?.containers[0]?.image === 'nginx:1.28');
          },
          { what: "3 Ready pods with revision 2's image", timeoutMs: 120_000, signal },
        );

        const forbidden = operator
          .log()
          .split('\n')
          .filter((line) => FORBIDDEN.test(line));
        assert.deepEqual(forbidden, [], 'the operator was refused something the chart should grant');

        const code = await operator.stop();
        assert.equal(code, 0, 'the operator stops cleanly and releases its Lease');
      },
      () => `--- operator log ---\n${logs().slice(-20_000)}`,
    );
  });

  it("has the apiserver call the operator's webhooks through the chart's Service and certificate", async (t) => {
    const ns = 'hooks';
    const release = 'hooks';
    const n = names(release);
    let logs = () => '';
    await withLogs(
      t,
      async () => {
        // The apiserver resolves a webhook's Service to its ClusterIP, which nothing routes here,
        // and Endpoints may not hold loopback addresses. An ExternalName Service of the same name
        // resolves to its externalName at the webhook's port instead: the operator on 127.0.0.1.
        const port = await freePort();
        await install(release, ns, ['replicas=0', `webhooks.service.port=${port}`]);
        const services = client.resource(kinds.Service);
        await services.delete({ namespace: ns, name: n.webhookService });
        await waitUntil(() => isGone(() => services.get({ namespace: ns, name: n.webhookService })), {
          what: "the chart's webhook Service to be deleted",
          timeoutMs: 30_000,
        });
        await services.create({
          metadata: { name: n.webhookService, namespace: ns },
          spec: { type: 'ExternalName', externalName: '127.0.0.1', ports: [{ name: 'https', port }] },
        });

        const secret = await client.resource(kinds.Secret).get({ namespace: ns, name: n.webhookSecret });
        const certDir = join(work, 'webhook-certs');
        mkdirSync(certDir);
        for (const file of ['tls.crt', 'tls.key'])
          writeFileSync(join(certDir, file), Buffer.from(secret.data?.[file] ?? '', 'base64'), {
            mode: 0o600,
          });

        const operator = startOperator({
          KUBECONFIG: await serviceAccountKubeconfig(ns, release),
          POD_NAMESPACE: ns,
          DEPLOYMENT_OPERATOR_WEBHOOK_CERT_DIR: certDir,
          DEPLOYMENT_OPERATOR_WEBHOOK_PORT: String(port),
        });
        operators.push(operator);
        logs = operator.log;

        const labels = { app: 'hooked' };
        const hooked = (name: string, strategy?: Deployment['spec']['strategy']): Deployment => ({
          apiVersion: API_VERSION,
          kind: 'Deployment',
          metadata: { name, namespace: ns },
          spec: {
            selector: { matchLabels: labels },
            ...(strategy ? { strategy } : {}),
            template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } },
          },
        });
        const deployments = client.resource(deploymentKind);
        // Validation answers once the operator serves; until then failurePolicy Fail refuses with a
        // connection error instead.
        await waitUntil(
          () =>
            deployments
              .create(hooked('zero', { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } }), { dryRun: true })
              .then(
                () => false,
                (error: unknown) =>
                  error instanceof Error && /may not be 0 when `maxSurge` is 0/.test(error.message),
              ),
          {
            what: 'the apiserver to reach the validating webhook through the Service',
            timeoutMs: 90_000,
            intervalMs: 250,
            signal: operator.signal,
          },
        );
        const created = await deployments.create(hooked('defaulted'));
        assert.equal(created.spec.replicas, 1, 'defaulted by the mutating webhook');
        assert.equal(created.spec.revisionHistoryLimit, 10);
        assert.equal(created.spec.progressDeadlineSeconds, 600);
        assert.deepEqual(created.spec.strategy, {
          type: 'RollingUpdate',
          rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
        });
        assert.equal(await operator.stop(), 0);
      },
      () => `--- operator log ---\n${logs().slice(-20_000)}`,
    );
  });
});
