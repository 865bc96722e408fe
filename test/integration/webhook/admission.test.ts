// The real kube-apiserver calls the webhook server over TLS (clientConfig.url on 127.0.0.1 with the
// caBundle); kubectl shows what users would see.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AdmissionregistrationV1Api,
  CoreV1Api,
  type KubeConfig,
  type V1ConfigMap,
} from '@kubernetes/client-node';
import {
  allow,
  deny,
  mutatingWebhookConfiguration,
  validatingWebhookConfiguration,
  WebhookServer,
} from '../../../sdk/webhook/index.ts';
import {
  resolveBinary,
  startControlPlane,
  waitUntil,
  type ControlPlane,
} from '../../../sdk/testing/index.ts';
import { silentLogger, writeServingFiles, type ServingFiles } from '../../unit/webhook/fixtures.ts';
import { runProcess } from '../../support/run-process.ts';

const NAMESPACE = 'webhooked';
const configMaps = {
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  resource: 'configmaps',
  // Only the test namespace, so the apiserver's own ConfigMaps never depend on this webhook.
  namespaceSelector: { matchLabels: { 'typerator.dev/webhooks': 'on' } },
} as const;

/** Runs kubectl without blocking the event loop: the webhook server in this process must keep answering. */
async function kubectl(
  plane: ControlPlane,
  args: readonly string[],
  input?: string,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await runProcess(
    resolveBinary('kubectl'),
    ['--kubeconfig', plane.kubeconfigPath, ...args],
    { ...(input === undefined ? {} : { input }), timeoutMs: 60_000 },
  );
  return { status: code, stdout, stderr };
}

const configMapYaml = (name: string, data: Record<string, string>) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: NAMESPACE }, data });

describe('admission webhooks called by kube-apiserver', () => {
  let plane: ControlPlane;
  let kc: KubeConfig;
  let server: WebhookServer;
  let files: ServingFiles;
  const dryRunsSeen = new Map<string, boolean>();

  before(async () => {
    [plane, files] = await Promise.all([startControlPlane(), writeServingFiles()]);
    kc = plane.kubeConfig();
    server = new WebhookServer({ host: '127.0.0.1', port: 0, certDir: files.dir, logger: silentLogger });
    server.validate<V1ConfigMap>(configMaps, (context) => {
      const data = context.object?.data ?? {};
      if (context.name?.startsWith('dry-')) dryRunsSeen.set(context.name, context.dryRun);
      if ('forbidden' in data)
        return deny('ConfigMaps must not carry the key "forbidden"', { reason: 'Invalid' });
      if ('explode' in data) throw new Error('the policy store is unreachable');
      if ('legacy' in data) return allow(['the key "legacy" is deprecated, use "modern"']);
      return allow();
    });
    server.mutate<V1ConfigMap>(configMaps, (context) => {
      const metadata = (context.object.metadata ??= {});
      metadata.labels = { ...metadata.labels, 'typerator.dev/mutated': 'true' };
      return undefined;
    });
    await server.start();

    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({
      body: { metadata: { name: NAMESPACE, labels: { 'typerator.dev/webhooks': 'on' } } },
    });
    const endpoint = { url: server.url, caBundlePem: files.caPem };
    const admission = kc.makeApiClient(AdmissionregistrationV1Api);
    await admission.createValidatingWebhookConfiguration({
      body: validatingWebhookConfiguration(server, { name: 'typerator-test-validating', endpoint }),
    });
    await admission.createMutatingWebhookConfiguration({
      body: mutatingWebhookConfiguration(server, { name: 'typerator-test-mutating', endpoint }),
    });
    // The apiserver picks webhook configurations up asynchronously; wait until both are in effect.
    await waitUntil(
      async () => {
        const name = `probe-${Date.now()}`;
        const created = await core.createNamespacedConfigMap({
          namespace: NAMESPACE,
          body: { metadata: { name }, data: { probe: '1' } },
          dryRun: 'All',
        });
        return created.metadata?.labels?.['typerator.dev/mutated'] === 'true';
      },
      { what: 'the mutating webhook to be in effect', timeoutMs: 30_000 },
    );
    await waitUntil(
      async () =>
        (
          await kubectl(
            plane,
            ['apply', '--dry-run=server', '-f', '-'],
            configMapYaml('probe', { forbidden: 'x' }),
          )
        ).status !== 0,
      {
        what: 'the validating webhook to be in effect',
        timeoutMs: 30_000,
      },
    );
  });
  after(async () => {
    await server.stop();
    await plane.stop();
    files.remove();
  });

  it('denies an invalid object with the handler message visible to kubectl', async () => {
    const result = await kubectl(plane, ['apply', '-f', '-'], configMapYaml('bad', { forbidden: 'yes' }));
    assert.notEqual(result.status, 0);
    assert.match(
      result.stderr,
      /admission webhook "validate\.configmap\.v1\.core" denied the request: ConfigMaps must not carry the key "forbidden"/,
    );
    const read = await kubectl(plane, ['get', 'configmap', 'bad', '-n', NAMESPACE]);
    assert.match(read.stderr, /NotFound|not found/);
  });

  it('applies a mutation that is visible on the stored object', async () => {
    const result = await kubectl(plane, ['apply', '-f', '-'], configMapYaml('good', { color: 'blue' }));
    assert.equal(result.status, 0, result.stderr);
    const stored = await kc
      .makeApiClient(CoreV1Api)
      .readNamespacedConfigMap({ namespace: NAMESPACE, name: 'good' });
    assert.equal(stored.metadata?.labels?.['typerator.dev/mutated'], 'true');
    assert.deepEqual(stored.data, { color: 'blue' });
  });

  it('calls the handler with dryRun true for --dry-run=server and stores nothing', async () => {
    const result = await kubectl(plane, [
      'create',
      'configmap',
      'dry-one',
      '-n',
      NAMESPACE,
      '--from-literal=a=b',
      '--dry-run=server',
      '-o',
      'json',
    ]);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(dryRunsSeen.get('dry-one'), true);
    const echoed = JSON.parse(result.stdout) as V1ConfigMap;
    assert.equal(echoed.metadata?.labels?.['typerator.dev/mutated'], 'true', 'the mutation also ran');
    assert.match(
      (await kubectl(plane, ['get', 'configmap', 'dry-one', '-n', NAMESPACE])).stderr,
      /not found/,
    );

    const real = await kubectl(plane, [
      'create',
      'configmap',
      'dry-two',
      '-n',
      NAMESPACE,
      '--from-literal=a=b',
    ]);
    assert.equal(real.status, 0, real.stderr);
    assert.equal(dryRunsSeen.get('dry-two'), false);
  });

  it('passes warnings through to the client', async () => {
    const result = await kubectl(plane, ['apply', '-f', '-'], configMapYaml('old-style', { legacy: '1' }));
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /Warning: the key "legacy" is deprecated, use "modern"/);
  });

  it('shows a failing handler as a refusal with its reason, under failurePolicy Fail', async () => {
    const result = await kubectl(plane, ['apply', '-f', '-'], configMapYaml('boom', { explode: '1' }));
    assert.notEqual(result.status, 0);
    assert.match(
      result.stderr,
      /denied the request: webhook \/validate--v1-configmap failed: the policy store is unreachable/,
    );
  });

  it('leaves namespaces outside the selector alone', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const created = await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'untouched' }, data: { forbidden: 'fine here' } },
    });
    assert.equal(created.metadata?.labels?.['typerator.dev/mutated'], undefined);
  });
});
