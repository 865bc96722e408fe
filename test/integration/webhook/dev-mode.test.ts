// Development mode end to end: the server generates its own CA and certificate, manifests are
// created without a caBundle, and injectCaBundle patches the bundle into them and into a CRD.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  AdmissionregistrationV1Api,
  ApiextensionsV1Api,
  CoreV1Api,
  type KubeConfig,
  type V1ConfigMap,
} from '@kubernetes/client-node';
import {
  allow,
  caBundleBase64,
  crdConversion,
  deny,
  injectCaBundle,
  mutatingWebhookConfiguration,
  validatingWebhookConfiguration,
  WebhookServer,
} from '../../../sdk/webhook/index.ts';
import { startControlPlane, waitUntil, type ControlPlane } from '../../../sdk/testing/index.ts';
import { silentLogger } from '../../unit/webhook/fixtures.ts';

const NAMESPACE = 'dev-mode';
const GROUP = 'dev.typerator.dev';

describe('development certificates and CA bundle injection', () => {
  let plane: ControlPlane;
  let kc: KubeConfig;
  let server: WebhookServer;
  let certDir: string;

  before(async () => {
    plane = await startControlPlane();
    kc = plane.kubeConfig();
    certDir = mkdtempSync(join(tmpdir(), 'typerator-webhook-dev-'));
    server = new WebhookServer({
      host: '127.0.0.1',
      port: 0,
      logger: silentLogger,
      devCertificates: { dir: certDir, serviceName: 'typerator-webhook', namespace: 'system' },
    });
    const selector = { matchLabels: { 'typerator.dev/webhooks': 'dev' } };
    server.validate<V1ConfigMap>(
      { group: '', version: 'v1', kind: 'ConfigMap', namespaceSelector: selector },
      (context) => (context.object?.data?.['secret'] ? deny('no secrets in ConfigMaps') : allow()),
    );
    server.mutate<V1ConfigMap>(
      { group: '', version: 'v1', kind: 'ConfigMap', namespaceSelector: selector },
      () => undefined,
    );
    server.convert({ group: GROUP, kind: 'Thing' }, (object) => object);
    await server.start();

    const endpoint = { url: server.url };
    const admission = kc.makeApiClient(AdmissionregistrationV1Api);
    await admission.createValidatingWebhookConfiguration({
      body: validatingWebhookConfiguration(server, { name: 'dev-validating', endpoint }),
    });
    await admission.createMutatingWebhookConfiguration({
      body: mutatingWebhookConfiguration(server, { name: 'dev-mutating', endpoint }),
    });
    await kc.makeApiClient(ApiextensionsV1Api).createCustomResourceDefinition({
      body: {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: `things.${GROUP}` },
        spec: {
          group: GROUP,
          names: { kind: 'Thing', plural: 'things', singular: 'thing', listKind: 'ThingList' },
          scope: 'Namespaced',
          versions: ['v1', 'v2'].map((name) => ({
            name,
            served: true,
            storage: name === 'v1',
            schema: { openAPIV3Schema: { type: 'object', x_kubernetes_preserve_unknown_fields: true } },
          })),
          conversion: crdConversion(server, { group: GROUP, kind: 'Thing' }, endpoint),
        },
      },
    });
    await kc.makeApiClient(CoreV1Api).createNamespace({
      body: { metadata: { name: NAMESPACE, labels: { 'typerator.dev/webhooks': 'dev' } } },
    });
  });
  after(async () => {
    await server.stop();
    await plane.stop();
    rmSync(certDir, { recursive: true, force: true });
  });

  it('patches the dev CA into both configurations and the CRD, after which the apiserver trusts the webhook', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const attempt = () =>
      core.createNamespacedConfigMap({
        namespace: NAMESPACE,
        body: { metadata: { name: 'leaky' }, data: { secret: 'hunter2' } },
      });
    // Without the bundle the apiserver cannot verify the dev certificate.
    await waitUntil(
      () =>
        attempt().then(
          () => false,
          (error: unknown) => /x509|certificate/i.test(String(error)),
        ),
      { what: 'the untrusted webhook to be called and fail verification', timeoutMs: 30_000 },
    );

    const caPem = server.devCaPem ?? '';
    await injectCaBundle(kc, {
      caPem,
      validatingWebhookConfigurations: ['dev-validating'],
      mutatingWebhookConfigurations: ['dev-mutating'],
      customResourceDefinitions: [`things.${GROUP}`],
    });
    const expected = caBundleBase64(caPem);
    const admission = kc.makeApiClient(AdmissionregistrationV1Api);
    const validating = await admission.readValidatingWebhookConfiguration({ name: 'dev-validating' });
    const mutating = await admission.readMutatingWebhookConfiguration({ name: 'dev-mutating' });
    const crd = await kc
      .makeApiClient(ApiextensionsV1Api)
      .readCustomResourceDefinition({ name: `things.${GROUP}` });
    assert.equal(validating.webhooks?.[0]?.clientConfig.caBundle, expected);
    assert.equal(mutating.webhooks?.[0]?.clientConfig.caBundle, expected);
    assert.equal(crd.spec.conversion?.webhook?.clientConfig?.caBundle, expected);

    const denial = await waitUntil(
      () =>
        attempt().then(
          () => undefined,
          (error: unknown) => (/no secrets in ConfigMaps/.test(String(error)) ? String(error) : undefined),
        ),
      { what: 'the trusted webhook to deny the ConfigMap', timeoutMs: 30_000 },
    );
    assert.match(denial, /denied the request: no secrets in ConfigMaps/);
  });

  it('refuses to inject into a CRD without a conversion webhook, naming it', async () => {
    await kc.makeApiClient(ApiextensionsV1Api).createCustomResourceDefinition({
      body: {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: `plains.${GROUP}` },
        spec: {
          group: GROUP,
          names: { kind: 'Plain', plural: 'plains' },
          scope: 'Namespaced',
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: { openAPIV3Schema: { type: 'object', x_kubernetes_preserve_unknown_fields: true } },
            },
          ],
        },
      },
    });
    await assert.rejects(
      injectCaBundle(kc, { caPem: server.devCaPem ?? '', customResourceDefinitions: [`plains.${GROUP}`] }),
      /CRD plains\.dev\.typerator\.dev has no conversion webhook/,
    );
  });
});
