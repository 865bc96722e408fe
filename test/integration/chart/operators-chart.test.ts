// charts/typerator-operators against a real control plane with kwok nodes: lint, rendering per
// operator selection, the schema, a server-side dry run, install/upgrade/uninstall with Helm's own
// certificates, and operators/main.ts run as the chart configures it with nothing but the chart's
// ServiceAccount token: both operators' admission through the chart's webhook configurations, and
// a Deployment and a StatefulSet sample reconciled through two revisions each.
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it, type TestContext } from 'node:test';
import type {
  KubernetesObject,
  V1Container,
  V1Deployment,
  V1MutatingWebhookConfiguration,
  V1PolicyRule,
  V1ValidatingWebhookConfiguration,
} from '@kubernetes/client-node';
import { parse, parseAllDocuments } from 'yaml';
import { Client } from '../../../sdk/client/client.ts';
import { NotFoundError } from '../../../sdk/client/errors.ts';
import { kinds } from '../../../sdk/client/resource-kind.ts';
import { applyObject, kindOf } from '../../../sdk/dev/apply-objects.ts';
import { readManifests } from '../../../sdk/dev/manifest-files.ts';
import { freePort } from '../../../sdk/testing/free-port.ts';
import { startControlPlane, waitUntil, type ControlPlane } from '../../../sdk/testing/index.ts';
import {
  WebhookServer,
  mutatingWebhookConfiguration,
  validatingWebhookConfiguration,
} from '../../../sdk/webhook/index.ts';
import { API_VERSION, type Deployment } from '../../../operators/deployment/api/types.ts';
import { deploymentKind } from '../../../operators/deployment/kinds.ts';
import { registerDeploymentWebhooks } from '../../../operators/deployment/webhooks/setup-deployment-webhooks.ts';
import type { StatefulSet } from '../../../operators/statefulset/api/types.ts';
import { statefulSetKind } from '../../../operators/statefulset/kinds.ts';
import { registerStatefulSetWebhooks } from '../../../operators/statefulset/webhooks/setup-statefulset-webhooks.ts';
import { startOperatorMain, type OperatorMainProcess } from '../../support/operator-main-process.ts';
import { HelmRunner } from '../../support/helm.ts';
import { applyWorkloadSamples, waitForSampleReady } from '../../support/workload-samples.ts';
import { auditEvents } from '../../support/audit-events.ts';
import { auditLogFlags } from '../../support/audit-log-flags.ts';
import {
  describePermission,
  neededPermissions,
  permissionsOnlyGrantedBy,
  type NamedRule,
  type Permission,
} from '../../support/rbac-coverage.ts';
import { bearerTokenKubeconfig } from '../../support/service-account-kubeconfig.ts';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const chart = join(repo, 'charts/typerator-operators');
const KUBE_VERSION = ['--kube-version', '1.34.0'];
const CHART_NAME = 'typerator-operators';
const CRDS = [
  'apislas.sla.typerator.dev',
  'deployments.apps.typerator.dev',
  'replicasets.apps.typerator.dev',
  'statefulsets.apps.typerator.dev',
];
/**
 * A refusal in the operator's log: the SDK's ForbiddenError text ("GET /api/...: 403 Forbidden: ...")
 * or the apiserver's message ("pods is forbidden: User ..."). Not a bare 403: a watch's random
 * timeoutSeconds can be 403 too.
 */
const FORBIDDEN = /\b403 Forbidden\b|\bis forbidden\b/i;

/** A release's object names, as the chart's helpers derive them. */
function names(release: string) {
  const fullname = `${release}-${CHART_NAME}`;
  return {
    fullname,
    webhookService: `${fullname}-webhook`,
    webhookSecret: `${fullname}-webhook-tls`,
    clusterRole: (operator: string) => `${fullname}-${operator}`,
  };
}

interface Rendered extends KubernetesObject {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly [field: string]: unknown;
}

const parseManifests = (text: string): Rendered[] =>
  parseAllDocuments(text)
    .map((doc) => doc.toJS() as Rendered | null)
    .filter((doc): doc is Rendered => doc !== null);

const ofKind = (objects: readonly Rendered[], kind: string) => objects.filter((o) => o.kind === kind);
const kindsOf = (objects: readonly Rendered[]) => [...new Set(objects.map((o) => o.kind))].sort();
const namesOf = (objects: readonly Rendered[], kind: string) =>
  ofKind(objects, kind)
    .map((o) => o.metadata.name)
    .sort();

/** The chart's operator container in a rendered or live Deployment. */
function operatorContainer(deployment: V1Deployment | Rendered): V1Container {
  const container = (deployment as V1Deployment).spec?.template.spec?.containers[0];
  assert.ok(container, 'the Deployment has a container');
  return container;
}

/** The operator container of the one Deployment among rendered objects. */
const renderedContainer = (objects: readonly Rendered[]): V1Container => {
  const [deployment] = ofKind(objects, 'Deployment');
  assert.ok(deployment, 'a Deployment is rendered');
  return operatorContainer(deployment);
};

/** What `npm run rbac:generate` wrote for an operator. */
const generatedRules = (operator: string): V1PolicyRule[] =>
  (
    parse(readFileSync(join(chart, `files/clusterrole-${operator}.yaml`), 'utf8')) as {
      rules: V1PolicyRule[];
    }
  ).rules;

/** The admission an operator selection registers on the runner's one server. */
function registrationsFor(operators: { deployment: boolean; statefulset: boolean }): WebhookServer {
  const server = new WebhookServer();
  if (operators.deployment) registerDeploymentWebhooks(server);
  if (operators.statefulset) registerStatefulSetWebhooks(server);
  return server;
}

/** Webhooks without their caBundle, with the Service they call. */
const comparable = (config: V1MutatingWebhookConfiguration | V1ValidatingWebhookConfiguration) =>
  (config.webhooks ?? []).map(({ clientConfig, ...webhook }) => ({
    ...webhook,
    service: clientConfig.service,
  }));

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

describe('charts/typerator-operators', () => {
  let plane: ControlPlane;
  let client: Client;
  let helm: HelmRunner;
  const work = mkdtempSync(join(tmpdir(), 'typerator-chart-'));
  const operators: OperatorMainProcess[] = [];

  /** What the operators' ServiceAccounts in the RBAC tests asked of the apiserver, request bodies included. */
  const audit = auditLogFlags(work, [
    '- { level: Request, userGroups: ["system:serviceaccounts:rbac-deployment", "system:serviceaccounts:rbac-statefulset"] }',
    '- { level: None }',
  ]);

  before(async () => {
    plane = await startControlPlane({
      tier: 'full',
      nodes: 2,
      // Enforced on many production clusters: setting blockOwnerDeletion on an ownerReference needs
      // `update` on the owner's finalizers, which the generated roles grant.
      apiServerArgs: [
        ...audit.apiServerArgs,
        '--enable-admission-plugins=OwnerReferencesPermissionEnforcement',
      ],
    });
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

  const sets = (values: readonly string[]) => values.flatMap((value) => ['--set', value]);

  /** `helm template` of the chart as release `tdo` in namespace `ops`, parsed. */
  const render = async (values: readonly string[] = [], extra: readonly string[] = []) =>
    parseManifests(
      await helm.ok([
        'template',
        'tdo',
        chart,
        '--namespace',
        'ops',
        ...KUBE_VERSION,
        ...extra,
        ...sets(values),
      ]),
    );

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
      ...sets(values),
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

  it('lints, renders per operator selection, passes a server-side dry run, and refuses bad values', async (t) =>
    withLogs(t, async () => {
      for (const values of [
        [],
        ['webhooks.enabled=false'],
        ['operators.appsV1.enabled=true', 'metrics.serviceMonitor.enabled=true'],
        [
          'operators.deployment.enabled=false',
          'operators.statefulset.enabled=false',
          'operators.sla.enabled=false',
          'operators.appsV1.enabled=true',
        ],
        ['webhooks.certManager.enabled=true', 'replicas=1'],
        ['grafana.dashboard.enabled=true'],
      ]) {
        const lint = await helm.run(['lint', '--strict', chart, ...sets(values)]);
        assert.equal(lint.code, 0, `helm lint --strict ${values.join(' ')}:\n${lint.stdout}${lint.stderr}`);
      }

      // Defaults: deployment, statefulset and sla, webhooks with Helm's certificate, 2 replicas and a PDB.
      const n = names('tdo');
      const rendered = await render([], ['--include-crds']);
      assert.deepEqual(kindsOf(rendered), [
        'ClusterRole',
        'ClusterRoleBinding',
        'CustomResourceDefinition',
        'Deployment',
        'MutatingWebhookConfiguration',
        'PodDisruptionBudget',
        'Role',
        'RoleBinding',
        'Secret',
        'Service',
        'ServiceAccount',
        'ValidatingWebhookConfiguration',
      ]);
      assert.deepEqual(namesOf(rendered, 'CustomResourceDefinition'), CRDS, 'the CRDs come from crds/ links');

      const [deployment] = ofKind(rendered, 'Deployment');
      assert.ok(deployment);
      assert.equal((deployment as V1Deployment).spec?.replicas, 2);
      const container = operatorContainer(deployment);
      assert.equal(container.command, undefined, "the image's entry point: node operators/main.js");
      assert.deepEqual(container.args, ['--operators=deployment,statefulset,sla']);
      const env = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value]));
      assert.equal(env['LEADER_ELECT'], 'true');
      assert.equal(env['LEADER_ELECTION_ID'], n.fullname);
      assert.equal(env['WEBHOOK_CERT_DIR'], '/var/run/secrets/typerator/webhook');
      assert.equal(env['WEBHOOK_PORT'], '9443');
      assert.equal(container.securityContext?.readOnlyRootFilesystem, true);
      assert.equal(container.securityContext?.allowPrivilegeEscalation, false);
      assert.deepEqual(container.securityContext?.capabilities?.drop, ['ALL']);
      assert.equal((deployment as V1Deployment).spec?.template.spec?.securityContext?.runAsNonRoot, true);
      assert.equal(container.livenessProbe?.httpGet?.path, '/healthz');
      assert.equal(container.readinessProbe?.httpGet?.path, '/readyz');
      const [pdb] = ofKind(rendered, 'PodDisruptionBudget');
      assert.deepEqual((pdb as { spec?: unknown } | undefined)?.spec, {
        minAvailable: 1,
        selector: {
          matchLabels: { 'app.kubernetes.io/name': CHART_NAME, 'app.kubernetes.io/instance': 'tdo' },
        },
      });

      // One ClusterRole per enabled operator, with exactly the generated rules.
      assert.deepEqual(namesOf(rendered, 'ClusterRole'), [
        n.clusterRole('deployment'),
        n.clusterRole('sla'),
        n.clusterRole('statefulset'),
      ]);
      for (const operator of ['deployment', 'statefulset', 'sla']) {
        const role = rendered.find(
          (o) => o.kind === 'ClusterRole' && o.metadata.name === n.clusterRole(operator),
        );
        assert.deepEqual(role?.['rules'], generatedRules(operator), `${operator}: the generated rules`);
      }

      // The webhooks are what both operators register on the runner's one server, at the chart's Service.
      const service = { name: n.webhookService, namespace: 'ops', port: 443 };
      const both = registrationsFor({ deployment: true, statefulset: true });
      const [mutating] = ofKind(rendered, 'MutatingWebhookConfiguration');
      const [validating] = ofKind(rendered, 'ValidatingWebhookConfiguration');
      assert.deepEqual(
        comparable(mutating as V1MutatingWebhookConfiguration),
        comparable(mutatingWebhookConfiguration(both, { name: n.fullname, endpoint: { service } })),
      );
      assert.deepEqual(
        comparable(validating as V1ValidatingWebhookConfiguration),
        comparable(validatingWebhookConfiguration(both, { name: n.fullname, endpoint: { service } })),
      );
      assert.equal((mutating as V1MutatingWebhookConfiguration).webhooks?.length, 3);

      // Only the Deployment operator: its ClusterRole and its two kinds' webhooks.
      const deploymentOnly = await render([
        'operators.statefulset.enabled=false',
        'operators.sla.enabled=false',
      ]);
      assert.deepEqual(renderedContainer(deploymentOnly).args, ['--operators=deployment']);
      assert.deepEqual(namesOf(deploymentOnly, 'ClusterRole'), [n.clusterRole('deployment')]);
      assert.deepEqual(
        comparable(
          ofKind(deploymentOnly, 'ValidatingWebhookConfiguration')[0] as V1ValidatingWebhookConfiguration,
        ),
        comparable(
          validatingWebhookConfiguration(registrationsFor({ deployment: true, statefulset: false }), {
            name: n.fullname,
            endpoint: { service },
          }),
        ),
      );

      // Drop-in mode beside both: three ClusterRoles; drop-in mode alone: no webhooks at all.
      const all = await render(['operators.appsV1.enabled=true']);
      assert.deepEqual(renderedContainer(all).args, ['--operators=deployment,statefulset,sla,apps-v1']);
      assert.deepEqual(namesOf(all, 'ClusterRole'), [
        n.clusterRole('apps-v1'),
        n.clusterRole('deployment'),
        n.clusterRole('sla'),
        n.clusterRole('statefulset'),
      ]);
      const appsV1Role = all.find((o) => o.metadata.name === n.clusterRole('apps-v1'));
      assert.deepEqual(appsV1Role?.['rules'], generatedRules('apps-v1'));
      const dropInOnly = await render([
        'operators.deployment.enabled=false',
        'operators.statefulset.enabled=false',
        'operators.sla.enabled=false',
        'operators.appsV1.enabled=true',
      ]);
      assert.deepEqual(renderedContainer(dropInOnly).args, ['--operators=apps-v1']);
      assert.deepEqual(namesOf(dropInOnly, 'ClusterRole'), [n.clusterRole('apps-v1')]);
      assert.ok(
        !dropInOnly.some((o) => /Webhook|Secret|Service$/.test(o.kind)),
        'drop-in mode has no webhooks',
      );

      const withoutWebhooks = await render(['webhooks.enabled=false']);
      assert.ok(!withoutWebhooks.some((o) => /Webhook|Secret|Service$/.test(o.kind)));
      assert.ok(!(renderedContainer(withoutWebhooks).env ?? []).some((e) => e.name === 'WEBHOOK_CERT_DIR'));

      const certManager = await render(['webhooks.certManager.enabled=true']);
      assert.ok(certManager.some((o) => o.kind === 'Certificate'));
      assert.ok(!certManager.some((o) => o.kind === 'Secret'), 'cert-manager writes the Secret');

      const monitored = await render(['metrics.serviceMonitor.enabled=true', 'replicas=1']);
      assert.deepEqual(namesOf(monitored, 'ServiceMonitor'), [n.fullname]);
      assert.ok(
        namesOf(monitored, 'Service').includes(`${n.fullname}-metrics`),
        'the ServiceMonitor needs it',
      );
      assert.ok(!monitored.some((o) => o.kind === 'PodDisruptionBudget'), 'no PDB for one replica');
      assert.ok(!rendered.some((o) => o.kind === 'ConfigMap'), 'no Grafana dashboard by default');

      // The Grafana dashboard: a ConfigMap for Grafana's sidecar, in the namespace asked for.
      const dashboards = ofKind(
        await render([
          'grafana.dashboard.enabled=true',
          'grafana.dashboard.namespace=monitoring',
          'grafana.dashboard.labels.team=ops',
        ]),
        'ConfigMap',
      );
      assert.deepEqual(
        dashboards.map((o) => [o.metadata.name, o.metadata.namespace]),
        [[`${n.fullname}-dashboard`, 'monitoring']],
      );
      const [dashboard] = dashboards as (Rendered & {
        metadata: { labels?: Record<string, string> };
        data?: Record<string, string>;
      })[];
      assert.equal(dashboard?.metadata.labels?.['grafana_dashboard'], '1');
      assert.equal(dashboard?.metadata.labels?.['team'], 'ops');
      assert.deepEqual(
        JSON.parse(dashboard?.data?.['typerator-operators.json'] ?? '{}'),
        JSON.parse(readFileSync(join(chart, 'dashboards/typerator-operators.json'), 'utf8')),
      );

      // The apiserver accepts every rendered object (server-side dry run, CRDs included).
      await helm.kubectlOk(['create', 'namespace', 'render']);
      for (const values of [
        [],
        ['operators.appsV1.enabled=true', 'metrics.service.enabled=true', 'grafana.dashboard.enabled=true'],
      ]) {
        const file = join(work, `rendered-${values.length}.yaml`);
        writeFileSync(
          file,
          await helm.ok([
            'template',
            'tdo',
            chart,
            '--namespace',
            'render',
            '--include-crds',
            ...KUBE_VERSION,
            ...sets(values),
          ]),
        );
        const applied = await helm.kubectlOk(['apply', '--dry-run=server', '-f', file]);
        assert.match(applied, /deployment\.apps\/tdo-typerator-operators created \(server dry run\)/);
      }

      // Choices the schema cannot express fail rendering with the fix.
      for (const [values, message] of [
        [
          [
            'operators.deployment.enabled=false',
            'operators.statefulset.enabled=false',
            'operators.sla.enabled=false',
          ],
          /operators: enable at least one of operators\.deployment, operators\.statefulset, operators\.sla, operators\.appsV1/,
        ],
        [['leaderElection.enabled=false'], /leaderElection\.enabled=false needs replicas 0 or 1/],
      ] as const) {
        const refused = await helm.run(['template', 'tdo', chart, ...KUBE_VERSION, ...sets(values)]);
        assert.notEqual(refused.code, 0, values.join(' '));
        assert.match(refused.stderr, message);
      }

      for (const [set, field] of [
        ['replicas=two', '/replicas'],
        ['logLevel=loud', '/logLevel'],
        ['ports.webhook=0', '/ports/webhook'],
        ['webhooks.failurePolicy=Sometimes', '/webhooks/failurePolicy'],
        ['operators.deployment.enabled=yes', '/operators/deployment/enabled'],
        ['metrics.serviceMonitor.interval=soon', '/metrics/serviceMonitor/interval'],
        ['grafana.dashboard.enabled=yes', '/grafana/dashboard/enabled'],
        ['resources.limits.cpu=lots', '/resources/limits/cpu'],
      ] as const) {
        const bad = await helm.run(['template', 'tdo', chart, '--set', set, ...KUBE_VERSION]);
        assert.notEqual(bad.code, 0, `--set ${set} must fail`);
        assert.match(bad.stderr, /values don't meet the specifications of the schema/);
        assert.ok(bad.stderr.includes(`at '${field}'`), `--set ${set}:\n${bad.stderr}`);
      }
      for (const [set, key] of [
        ['replica=3', 'replica'],
        ['operators.appsv1.enabled=true', 'appsv1'],
        ['grafana.dashboard.enable=true', 'enable'],
        ['podSecurityContext.runAsUsr=1000', 'runAsUsr'],
      ] as const) {
        const unknown = await helm.run(['template', 'tdo', chart, '--set', set, ...KUBE_VERSION]);
        assert.match(unknown.stderr, new RegExp(`additional properties '${key}' not allowed`));
      }
    }));

  it('installs onto kwok nodes, keeps its certificate on upgrade, and uninstalls down to the CRDs', async (t) =>
    withLogs(t, async () => {
      const ns = 'ops';
      const release = 'tdo';
      const n = names(release);
      await install(release, ns);

      for (const crd of CRDS)
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
      assert.equal(container?.command, undefined, "the image's entry point");
      assert.deepEqual(container?.args, ['--operators=deployment,statefulset,sla']);
      assert.equal(pods[0]?.spec?.serviceAccountName, n.fullname);
      await waitUntil(
        async () =>
          (await client.resource(kinds.Deployment).get({ namespace: ns, name: n.fullname })).status
            ?.readyReplicas === 2,
        { what: 'the operator Deployment to report 2 ready replicas', timeoutMs: 120_000 },
      );
      const pdbKind = kindOf({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' });
      await waitUntil(
        async () =>
          (
            (await client.resource(pdbKind).get({ namespace: ns, name: n.fullname })) as {
              status?: { currentHealthy?: number; disruptionsAllowed?: number };
            }
          ).status?.disruptionsAllowed === 1,
        { what: 'the PodDisruptionBudget to allow one disruption of the 2 healthy pods', timeoutMs: 60_000 },
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
          assert.equal(config.webhooks?.length, 3, 'deployments, replicasets and statefulsets');
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
      const env = operatorContainer(upgraded).env ?? [];
      assert.equal(env.find((e) => e.name === 'LOG_LEVEL')?.value, 'debug');
      assert.equal(await verifiedCertificate(), installed, 'helm upgrade reuses the certificate');

      // Every object of the release, as Helm recorded it, is gone after uninstall; the CRDs stay.
      const manifest = parseManifests(await helm.ok(['get', 'manifest', release, '--namespace', ns]));
      assert.ok(manifest.length >= 13, `the release's objects: ${manifest.length}`);
      await helm.ok(['uninstall', release, '--namespace', ns, '--timeout', '5m']);
      for (const object of manifest) {
        const namespace = object.metadata.namespace;
        const key = namespace ? { namespace, name: object.metadata.name } : { name: object.metadata.name };
        await waitUntil(() => isGone(() => client.resource(kindOf(object)).get(key)), {
          what: `helm uninstall to remove ${object.kind} ${object.metadata.name}`,
          timeoutMs: 60_000,
        });
      }
      // Helm never deletes what it installed from crds/.
      for (const crd of CRDS) await client.resource(kinds.CustomResourceDefinition).get({ name: crd });
    }));

  it("runs operators/main.ts as the chart configures it, with only the chart's ServiceAccount token: admission and reconciles of both operators", async (t) => {
    const ns = 'operators';
    const release = 'run';
    const n = names(release);
    let logs = () => '';
    await withLogs(
      t,
      async () => {
        // The apiserver resolves a webhook's Service to its ClusterIP, which nothing routes here,
        // and Endpoints may not hold loopback addresses. An ExternalName Service of the same name
        // resolves to its externalName at the webhook's port instead: the operator on 127.0.0.1,
        // listening where the chart tells it to (ports.webhook).
        const port = await freePort();
        await install(release, ns, ['replicas=0', `webhooks.service.port=${port}`, `ports.webhook=${port}`]);
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

        // The chart's Secret is the certificate folder, as the pod would mount it.
        const secret = await client.resource(kinds.Secret).get({ namespace: ns, name: n.webhookSecret });
        const certDir = join(work, 'webhook-certs');
        mkdirSync(certDir);
        for (const file of ['tls.crt', 'tls.key'])
          writeFileSync(join(certDir, file), Buffer.from(secret.data?.[file] ?? '', 'base64'), {
            mode: 0o600,
          });

        // The chart's container: its arguments and literal environment, with what the pod would
        // get from Kubernetes (namespace, certificate folder) and addresses free on this machine.
        const container = operatorContainer(
          await client.resource(kinds.Deployment).get({ namespace: ns, name: n.fullname }),
        );
        // No command: the image's entry point, operators/main.ts compiled; here the source runs.
        assert.equal(container.command, undefined);
        const chartEnv = Object.fromEntries(
          (container.env ?? []).flatMap((e) => (e.value === undefined ? [] : [[e.name, e.value] as const])),
        );
        assert.equal(chartEnv['WEBHOOK_PORT'], String(port));
        const probes = await freePort();
        const operator = startOperatorMain('all', {
          args: container.args ?? [],
          env: {
            ...chartEnv,
            KUBECONFIG: await serviceAccountKubeconfig(ns, release),
            POD_NAMESPACE: ns,
            WEBHOOK_CERT_DIR: certDir,
            METRICS_BIND_ADDRESS: 'off',
            HEALTH_PROBE_BIND_ADDRESS: `127.0.0.1:${probes}`,
            LOG_LEVEL: 'debug',
          },
          abortOn: { pattern: FORBIDDEN, reason: "the chart's RBAC refused the operator something" },
        });
        operators.push(operator);
        logs = operator.log;
        const { signal } = operator;

        await waitUntil(
          async () =>
            (await fetch(`http://127.0.0.1:${probes}/readyz`).catch(() => undefined))?.status === 200,
          { what: '/readyz to answer 200', timeoutMs: 90_000, intervalMs: 250, signal },
        );
        await waitUntil(
          async () =>
            (await client.resource(kinds.Lease).get({ namespace: ns, name: n.fullname })).spec
              ?.holderIdentity,
          {
            what: "the operator to take the chart's Lease in the release namespace",
            timeoutMs: 90_000,
            signal,
            intervalMs: 250,
          },
        );

        // The chart's webhook configurations deny an invalid object of each operator's kinds.
        const template = (app: string) => ({
          metadata: { labels: { app } },
          spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
        });
        /** Waits until `create` is refused with `message`; a timeout names the last answer. */
        const refusedBy = async (create: () => Promise<unknown>, message: RegExp, what: string) => {
          let last = 'none';
          await waitUntil(
            () =>
              create().then(
                () => ((last = 'created'), false),
                (error: unknown) => (
                  (last = String(error)),
                  error instanceof Error && message.test(error.message)
                ),
              ),
            { what, timeoutMs: 90_000, intervalMs: 250, signal },
          ).catch((error: unknown) => {
            throw new Error(`${String(error)}; the last answer: ${last}`, { cause: error });
          });
        };
        const deployments = client.resource(deploymentKind);
        const statefulSets = client.resource(statefulSetKind);
        const deploymentNamed = (name: string, strategy?: Deployment['spec']['strategy']): Deployment => ({
          apiVersion: API_VERSION,
          kind: 'Deployment',
          metadata: { name, namespace: ns },
          spec: {
            selector: { matchLabels: { app: name } },
            ...(strategy ? { strategy } : {}),
            template: template(name),
          },
        });
        const statefulSetNamed = (
          name: string,
          updateStrategy?: StatefulSet['spec']['updateStrategy'],
        ): StatefulSet => ({
          apiVersion: API_VERSION,
          kind: 'StatefulSet',
          metadata: { name, namespace: ns },
          spec: {
            serviceName: name,
            selector: { matchLabels: { app: name } },
            ...(updateStrategy ? { updateStrategy } : {}),
            template: template(name),
          },
        });
        await refusedBy(
          () =>
            deployments.create(
              deploymentNamed('zero', { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } }),
              {
                dryRun: true,
              },
            ),
          /may not be 0 when `maxSurge` is 0/,
          "the chart's validating webhook to deny a Deployment with maxSurge and maxUnavailable 0",
        );
        await refusedBy(
          () =>
            statefulSets.create(statefulSetNamed('zero', { rollingUpdate: { maxUnavailable: 0 } }), {
              dryRun: true,
            }),
          /spec\.updateStrategy\.rollingUpdate\.maxUnavailable: Invalid value: 0: cannot be 0/,
          "the chart's validating webhook to deny a StatefulSet with maxUnavailable 0",
        );
        // ... and default valid ones (the mutating configurations).
        const defaulted = await deployments.create(deploymentNamed('defaulted'), { dryRun: true });
        assert.equal(defaulted.spec.revisionHistoryLimit, 10, 'defaulted by the mutating webhook');
        assert.equal(defaulted.spec.progressDeadlineSeconds, 600);
        const defaultedSet = await statefulSets.create(statefulSetNamed('defaulted'), { dryRun: true });
        assert.equal(
          defaultedSet.spec.updateStrategy?.type,
          'RollingUpdate',
          'defaulted by the mutating webhook',
        );

        // Both samples to ready, then a second revision of each, by the one process.
        const samples = await applyWorkloadSamples(client, 'chart-test');
        const readyWithImage = (object: KubernetesObject, image: string) =>
          waitForSampleReady(client, object, { image, replicas: 3, signal });
        for (const object of samples) await readyWithImage(object, 'nginx:1.27');

        await deployments.patch(
          { namespace: 'default', name: 'web' },
          { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.28' }] } } } },
          { type: 'merge' },
        );
        await statefulSets.patch(
          { namespace: 'default', name: 'ledger' },
          { spec: { template: { spec: { containers: [{ name: 'ledger', image: 'nginx:1.28' }] } } } },
          { type: 'merge' },
        );
        for (const object of samples) await readyWithImage(object, 'nginx:1.28');
        const web = await deployments.get({ namespace: 'default', name: 'web' });
        assert.equal(web.metadata?.annotations?.['deployment.kubernetes.io/revision'], '2');
        const ledger = await statefulSets.get({ namespace: 'default', name: 'ledger' });
        assert.equal(ledger.status?.currentRevision, ledger.status?.updateRevision);

        const forbidden = operator
          .log()
          .split('\n')
          .filter((line) => FORBIDDEN.test(line));
        assert.deepEqual(forbidden, [], 'the operator was refused something the chart should grant');
        assert.equal(await operator.stop(), 0, 'the operator stops cleanly and releases its Lease');
        // Its webhook configurations would send later tests' writes to the stopped process.
        await helm.ok(['uninstall', release, '--namespace', ns, '--wait']);
      },
      () => `--- operator log ---\n${logs().slice(-20_000)}`,
    );
  });
  /** Whether the apiserver would allow `permission` to a ServiceAccount (a SubjectAccessReview). */
  const allowedFor = async (ns: string, account: string, permission: Permission): Promise<boolean> => {
    const [resource, subresource] = permission.resource.split('/');
    const review = await client.transport.request<{ status?: { allowed?: boolean } }>({
      method: 'POST',
      path: '/apis/authorization.k8s.io/v1/subjectaccessreviews',
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: {
          user: `system:serviceaccount:${ns}:${account}`,
          groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'],
          resourceAttributes: {
            verb: permission.verb,
            group: permission.group,
            resource,
            ...(subresource ? { subresource } : {}),
            ...(permission.namespace ? { namespace: permission.namespace } : {}),
          },
        },
      },
    });
    return review.status?.allowed === true;
  };

  for (const operator of ['deployment', 'statefulset'] as const) {
    it(`needs every rule it grants the ${operator} operator: without any one, the apiserver refuses a request the operator made`, async (t) => {
      // A release with only this operator, run with only its ServiceAccount's token (as above, but
      // without webhooks: they add no permission) through two revisions of the operator's sample.
      const ns = `rbac-${operator}`;
      const release = `rbac-${operator}`;
      const n = names(release);
      const account = n.fullname;
      let logs = () => '';
      await withLogs(
        t,
        async () => {
          const others = ['deployment', 'statefulset', 'sla'].filter((o) => o !== operator);
          await install(release, ns, [
            'replicas=0',
            'webhooks.enabled=false',
            ...others.map((o) => `operators.${o}.enabled=false`),
          ]);
          const container = operatorContainer(
            await client.resource(kinds.Deployment).get({ namespace: ns, name: n.fullname }),
          );
          assert.deepEqual(container.args, [`--operators=${operator}`]);
          const chartEnv = Object.fromEntries(
            (container.env ?? []).flatMap((e) => (e.value === undefined ? [] : [[e.name, e.value] as const])),
          );
          const running = startOperatorMain('all', {
            args: container.args ?? [],
            env: {
              ...chartEnv,
              KUBECONFIG: await serviceAccountKubeconfig(ns, release),
              POD_NAMESPACE: ns,
              METRICS_BIND_ADDRESS: 'off',
              HEALTH_PROBE_BIND_ADDRESS: 'off',
            },
            abortOn: { pattern: FORBIDDEN, reason: "the chart's RBAC refused the operator something" },
          });
          operators.push(running);
          logs = running.log;
          const { signal } = running;

          const [sample] = readManifests(
            [join(repo, `operators/${operator}/samples/${operator}.yaml`)],
            repo,
          );
          assert.ok(sample);
          const object = { ...sample.object, metadata: { ...sample.object.metadata, namespace: ns } };
          await applyObject(client, object, 'chart-test');
          await waitForSampleReady(client, object, { image: 'nginx:1.27', replicas: 3, signal });
          const name = object.metadata.name ?? '';
          await client
            .resource(kindOf(object))
            .patch(
              { namespace: ns, name },
              { spec: { template: { spec: { containers: [{ name, image: 'nginx:1.28' }] } } } },
              { type: 'merge' },
            );
          await waitForSampleReady(client, object, { image: 'nginx:1.28', replicas: 3, signal });
          assert.equal(await running.stop(), 0);

          // What the operator asked for, and which rule of its roles each request depended on.
          const owners = new Map<string, string>();
          const events = auditEvents(audit.auditLog);
          for (const event of events)
            for (const owner of event.requestObject?.metadata?.ownerReferences ?? []) {
              const [group, version] = owner.apiVersion?.includes('/')
                ? (owner.apiVersion.split('/') as [string, string])
                : ['', owner.apiVersion ?? ''];
              const info = await client.mapper.resolve({ group, version, kind: owner.kind ?? '' });
              owners.set(`${owner.apiVersion} ${owner.kind}`, info.plural);
            }
          const needed = neededPermissions(
            events,
            `system:serviceaccount:${ns}:${account}`,
            (apiVersion, kind) => {
              const plural = owners.get(`${apiVersion} ${kind}`);
              assert.ok(plural, `resolved ${apiVersion} ${kind}`);
              return plural;
            },
          );
          const clusterRoles = client.resource(kinds.ClusterRole);
          const roles = client.resource(kinds.Role);
          const clusterRole = n.clusterRole(operator);
          const leaderElectionRole = `${n.fullname}-leader-election`;
          const rulesOf = (role: string, rules: readonly V1PolicyRule[] | undefined, namespace?: string) =>
            (rules ?? []).map((rule, index): NamedRule => ({
              role,
              name: `${role}, rule ${index + 1}`,
              rule,
              ...(namespace ? { namespace } : {}),
            }));
          const all = [
            ...rulesOf(clusterRole, (await clusterRoles.get({ name: clusterRole })).rules),
            ...rulesOf(
              leaderElectionRole,
              (await roles.get({ namespace: ns, name: leaderElectionRole })).rules,
              ns,
            ),
          ];
          const witnesses = permissionsOnlyGrantedBy(all, all, needed);
          assert.deepEqual(
            [...witnesses]
              .filter(([, only]) => only.length === 0)
              .map(([r]) => `${r.name}: ${JSON.stringify(r.rule)}`),
            [],
            `rules no request needed; the requests were:\n${needed.map(describePermission).join('\n')}`,
          );

          // And the apiserver agrees: with the rule gone from its role, it refuses that request.
          for (const [rule, only] of witnesses) {
            const witness = only[0];
            assert.ok(witness);
            const resource = rule.namespace === undefined ? clusterRoles : roles;
            const target =
              rule.namespace === undefined ? { name: rule.role } : { namespace: ns, name: rule.role };
            const { rules = [] } = await resource.get(target);
            const without = rules.filter((r) => JSON.stringify(r) !== JSON.stringify(rule.rule));
            assert.equal(without.length, rules.length - 1, `${rule.name} is in ${rule.role}`);
            await resource.patch(target, { rules: without }, { type: 'merge' });
            await waitUntil(async () => !(await allowedFor(ns, account, witness)), {
              what: `the apiserver to refuse ${describePermission(witness)} without ${rule.name}`,
              timeoutMs: 15_000,
              intervalMs: 100,
            });
            await resource.patch(target, { rules }, { type: 'merge' });
            await waitUntil(() => allowedFor(ns, account, witness), {
              what: `${describePermission(witness)} to be allowed again with ${rule.name} back`,
              timeoutMs: 15_000,
              intervalMs: 100,
            });
          }
          t.diagnostic(
            [...witnesses]
              .map(([rule, only]) => `${rule.name}: needed for ${only.map(describePermission).join(', ')}`)
              .join('\n'),
          );
        },
        () => `--- operator log ---\n${logs().slice(-20_000)}`,
      );
    });
  }
});
