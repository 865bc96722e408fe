// The real kube-apiserver (tier apiserver) calls the StatefulSet operator's webhooks through the
// Mutating- and ValidatingWebhookConfiguration: it stores the apps/v1 defaults, refuses invalid
// sets and forbidden updates with messages naming the field, and kubectl shows what users see.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import type { Client } from '../../../sdk/client/client.ts';
import { kinds } from '../../../sdk/client/resource-kind.ts';
import { resolveBinary, waitUntil } from '../../../sdk/testing/index.ts';
import {
  API_VERSION,
  type StatefulSet,
  type StatefulSetSpec,
} from '../../../operators/statefulset/api/types.ts';
import { statefulSetKind } from '../../../operators/statefulset/kinds.ts';
import { setup } from '../../../operators/statefulset/operator.ts';
import { statefulSetWebhookConfigurations } from '../../../operators/statefulset/webhooks/setup-statefulset-webhooks.ts';
import { installGeneratedCrds } from '../../support/install-crds.ts';
import { runProcess, type ProcessResult } from '../../support/run-process.ts';
import { startOperatorEnvironment, type OperatorEnvironment } from '../../support/operator-environment.ts';

const samplesDir = new URL('../../../operators/statefulset/samples/', import.meta.url);
const FORBIDDEN_UPDATE =
  "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

const labels = { app: 'web' };
function statefulSet(name: string, spec: Partial<StatefulSetSpec> = {}): StatefulSet {
  return {
    apiVersion: API_VERSION,
    kind: 'StatefulSet',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas: 0,
      serviceName: 'web',
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
      ...spec,
    },
  };
}

/** The refusal's message must contain the apiserver-style text for this set. */
const refusedWith = (name: string, message: string) => (error: unknown) => {
  assert.ok(error instanceof Error);
  assert.ok(
    error.message.includes(`StatefulSet.apps.typerator.dev "${name}" is invalid: ${message}`),
    `${name}: ${error.message}`,
  );
  return true;
};

describe('StatefulSet admission webhooks called by the real apiserver', () => {
  let env: OperatorEnvironment;
  let client: Client;
  let kubeconfig: string;
  const certs = mkdtempSync(join(tmpdir(), 'typerator-statefulset-admission-'));
  const kubectl = (args: readonly string[], input: string): Promise<ProcessResult> =>
    runProcess(resolveBinary('kubectl'), ['--kubeconfig', kubeconfig, ...args], { input, timeoutMs: 60_000 });
  const sets = () => client.resource(statefulSetKind);

  before(async () => {
    env = await startOperatorEnvironment({
      plane: { tier: 'apiserver' },
      prepare: (admin) => installGeneratedCrds(admin, (file) => file.startsWith('statefulsets.')),
      // The operator's own entry: its controller, and its webhooks on the manager's server.
      setup: (manager) =>
        setup(manager, { webhooks: { host: '127.0.0.1', port: 0, devCertificates: { dir: certs } } }),
    });
    client = env.client;
    kubeconfig = env.plane.kubeconfigPath;
    const server = await env.manager.webhookServer();
    // The port getter throws until the server listens; waitUntil treats that as "not yet".
    await waitUntil(() => server.port > 0, { what: 'the webhook server to listen', timeoutMs: 30_000 });
    const { mutating, validating } = statefulSetWebhookConfigurations(server, {
      url: server.url,
      caBundlePem: readFileSync(join(certs, 'ca.crt'), 'utf8'),
    });
    await client.resource(kinds.MutatingWebhookConfiguration).create(mutating);
    await client.resource(kinds.ValidatingWebhookConfiguration).create(validating);
    // Configurations take effect asynchronously: wait until a dry run is both defaulted and validated.
    await waitUntil(
      async () => {
        const defaulted = await sets().create(statefulSet('probe'), { dryRun: true });
        if (defaulted.spec.revisionHistoryLimit !== 10) return false;
        return sets()
          .create(statefulSet('probe', { ordinals: { start: -1 } }), { dryRun: true })
          .then(
            () => false,
            (error: unknown) => error instanceof Error && /spec\.ordinals\.start/.test(error.message),
          );
      },
      { what: 'the webhooks to be in effect', timeoutMs: 30_000, intervalMs: 200 },
    );
  });
  after(async () => {
    await env.stop();
    rmSync(certs, { recursive: true, force: true });
  });

  it('stores the apps/v1 defaults on a created StatefulSet, with the explicit-RollingUpdate quirk', async () => {
    const created = await sets().create(statefulSet('defaulted', { replicas: undefined as never }));
    const stored = await sets().get({ namespace: 'default', name: 'defaulted' });
    for (const object of [created, stored]) {
      const { selector: _s, template: _t, serviceName: _n, ...defaults } = object.spec;
      assert.deepEqual(defaults, {
        replicas: 1,
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        revisionHistoryLimit: 10,
      });
    }
    const explicit = await sets().create(
      statefulSet('explicit', { updateStrategy: { type: 'RollingUpdate' } }),
    );
    assert.deepEqual(explicit.spec.updateStrategy, { type: 'RollingUpdate' }, 'no rollingUpdate block');
    const onDelete = await sets().create(statefulSet('on-delete', { updateStrategy: { type: 'OnDelete' } }));
    assert.deepEqual(onDelete.spec.updateStrategy, { type: 'OnDelete' });
  });

  it('rejects each invalid StatefulSet with the apps/v1 message naming the field', async () => {
    const claim = { metadata: { name: 'data' }, spec: { resources: { requests: { storage: '1Gi' } } } };
    const cases: [string, Partial<StatefulSetSpec>, string][] = [
      [
        'partition',
        { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: -1 } } },
        'spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0',
      ],
      [
        'max-unavailable-zero',
        { updateStrategy: { rollingUpdate: { maxUnavailable: 0 } } },
        'spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: cannot be 0',
      ],
      [
        'max-unavailable-over',
        { updateStrategy: { rollingUpdate: { maxUnavailable: '150%' } } },
        'spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%',
      ],
      [
        'on-delete-rolling',
        { updateStrategy: { type: 'OnDelete', rollingUpdate: { partition: 1 } } },
        `spec.updateStrategy.rollingUpdate: Invalid value: {"Partition":1,"MaxUnavailable":null}: only allowed for updateStrategy 'RollingUpdate'`,
      ],
      [
        'start-ordinal',
        { ordinals: { start: -3 } },
        'spec.ordinals.start: Invalid value: -3: must be greater than or equal to 0',
      ],
      [
        'min-ready',
        { minReadySeconds: -1 },
        'spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0',
      ],
      [
        'empty-selector',
        { selector: {} },
        'spec.selector: Invalid value: {}: empty selector is invalid for statefulset',
      ],
      [
        'mismatch',
        { selector: { matchLabels: { app: 'other' } } },
        'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
      ],
      [
        'restart-policy',
        {
          template: {
            metadata: { labels },
            spec: { restartPolicy: 'Never', containers: [{ name: 'web', image: 'nginx:1.27' }] },
          },
        },
        'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
      ],
      [
        'claim-access-modes',
        { volumeClaimTemplates: [claim] },
        'spec.volumeClaimTemplates[0].spec.accessModes: Required value: at least 1 access mode is required',
      ],
      [
        'claim-names',
        {
          volumeClaimTemplates: [
            { ...claim, spec: { ...claim.spec, accessModes: ['ReadWriteOnce'] } },
            { ...claim, spec: { ...claim.spec, accessModes: ['ReadWriteOnce'] } },
          ],
        },
        'spec.volumeClaimTemplates[1].metadata.name: Duplicate value: "data"',
      ],
      [
        'service-name',
        { serviceName: 'web.internal' },
        'spec.serviceName: Invalid value: "web.internal": must not contain dots',
      ],
    ];
    for (const [name, spec, message] of cases)
      await assert.rejects(sets().create(statefulSet(name, spec)), refusedWith(name, message));
    // The name must be a DNS label, stricter than the DNS subdomain the apiserver checks itself.
    await assert.rejects(
      sets().create(statefulSet('web.v2')),
      refusedWith('web.v2', 'metadata.name: Invalid value: "web.v2": must not contain dots'),
    );
    // The CRD schema's enum refuses before any validating webhook; the field is named all the same.
    await assert.rejects(
      sets().create(statefulSet('policy', { podManagementPolicy: 'Sometimes' as 'Parallel' })),
      /spec\.podManagementPolicy: Unsupported value: "Sometimes"/,
    );
    const stored = await sets().list({ namespace: 'default' });
    assert.deepEqual(
      stored.items.map((s) => s.metadata?.name).filter((n) => cases.some(([name]) => name === n)),
      [],
      'nothing invalid was stored',
    );
  });

  it('refuses an update outside the mutable fields at spec, and admits changes to the mutable ones', async () => {
    const key = { namespace: 'default', name: 'updated' };
    await sets().create(
      statefulSet('updated', {
        volumeClaimTemplates: [
          {
            metadata: { name: 'data' },
            spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
          },
        ],
      }),
    );
    await assert.rejects(
      sets().patch(
        key,
        {
          spec: {
            volumeClaimTemplates: [
              {
                metadata: { name: 'data' },
                spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } },
              },
            ],
          },
        },
        { type: 'merge' },
      ),
      refusedWith('updated', FORBIDDEN_UPDATE),
    );
    // serviceName and podManagementPolicy are also immutable in the CRD (CEL), which refuses first.
    await assert.rejects(
      sets().patch(key, { spec: { podManagementPolicy: 'Parallel' } }, { type: 'merge' }),
      /spec\.podManagementPolicy: .*spec\.podManagementPolicy is immutable/,
    );
    const updated = await sets().patch(
      key,
      {
        spec: {
          replicas: 2,
          ordinals: { start: 1 },
          minReadySeconds: 3,
          revisionHistoryLimit: 4,
          updateStrategy: { type: 'OnDelete', rollingUpdate: null },
          persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete' },
          template: {
            metadata: { labels: { ...labels, tier: 'db' } },
            spec: { containers: [{ name: 'web', image: 'nginx:1.28' }] },
          },
        },
      },
      { type: 'merge' },
    );
    assert.equal(updated.spec.replicas, 2);
    assert.deepEqual(updated.spec.updateStrategy, { type: 'OnDelete' });
    await assert.rejects(
      sets().patch(key, { spec: { updateStrategy: { rollingUpdate: { partition: 0 } } } }, { type: 'merge' }),
      refusedWith(
        'updated',
        `spec.updateStrategy.rollingUpdate: Invalid value: {"Partition":0,"MaxUnavailable":null}: only allowed for updateStrategy 'RollingUpdate'`,
      ),
    );
    // Status writes (the status subresource) are not sent to the webhooks.
    const status = await sets().patchStatus(
      key,
      { status: { replicas: 0, collisionCount: 0, currentRevision: 'anything' } },
      { type: 'merge' },
    );
    assert.equal(status.status?.currentRevision, 'anything');
  });

  it('shows a refusal and the negative-history warning on kubectl’s stderr', async () => {
    const manifest = (name: string, extra: string) => `apiVersion: ${API_VERSION}
kind: StatefulSet
metadata: {name: ${name}, namespace: default}
spec:
  replicas: 0
  serviceName: ${name}
  selector: {matchLabels: {app: ${name}}}
${extra}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: web, image: "nginx:1.27"}]}
`;
    const refused = await kubectl(
      ['apply', '-f', '-'],
      manifest('kubectl-partition', '  updateStrategy: {rollingUpdate: {partition: -2}}'),
    );
    assert.notEqual(refused.code, 0);
    assert.match(
      refused.stderr,
      /admission webhook "validate\.statefulset\.v1\.apps\.typerator\.dev" denied the request: StatefulSet\.apps\.typerator\.dev "kubectl-partition" is invalid: spec\.updateStrategy\.rollingUpdate\.partition: Invalid value: -2: must be greater than or equal to 0/,
    );
    const warned = await kubectl(
      ['create', '-f', '-'],
      manifest('kubectl-history', '  revisionHistoryLimit: -1'),
    );
    assert.equal(warned.code, 0, warned.stderr);
    assert.match(
      warned.stderr,
      /Warning: spec\.revisionHistoryLimit: a negative value retains all historical revisions; a value >= 0 is recommended/,
    );
  });

  it('accepts the samples, stores them defaulted, and the controller’s own writes go through', async () => {
    for (const file of ['statefulset.yaml', 'statefulset-with-claims.yaml']) {
      const text = readFileSync(new URL(file, samplesDir), 'utf8');
      const result = await kubectl(['apply', '-f', '-'], text);
      assert.equal(result.code, 0, `${file}: ${result.stderr}`);
      for (const document of parseAllDocuments(text)) {
        const object = document.toJS() as { kind: string; metadata: { name: string } };
        if (object.kind !== 'StatefulSet') continue;
        assert.match(
          result.stdout,
          new RegExp(`statefulset.apps.typerator.dev/${object.metadata.name} created`),
        );
        const stored = await sets().get({ namespace: 'default', name: object.metadata.name });
        assert.equal(stored.spec.revisionHistoryLimit, 10);
        assert.ok(stored.spec.podManagementPolicy);
      }
    }
    // No scheduler or nodes here: the first pod stays Pending, but the revision and the status the
    // controller writes are admitted.
    await waitUntil(
      async () =>
        (await sets().get({ namespace: 'default', name: 'ledger' })).status?.updateRevision !== undefined,
      { what: 'the controller to write the ledger sample’s status', timeoutMs: 60_000, intervalMs: 250 },
    );
  });
});
