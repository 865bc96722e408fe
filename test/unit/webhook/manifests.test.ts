import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  allow,
  caBundleBase64,
  crdConversion,
  mutatingWebhookConfiguration,
  validatingWebhookConfiguration,
  WebhookServer,
} from '../../../sdk/webhook/index.ts';
import { silentLogger } from './fixtures.ts';

const CA_PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

function serverWithHandlers(): WebhookServer {
  const server = new WebhookServer({ logger: silentLogger });
  server.validate({ group: '', version: 'v1', kind: 'ConfigMap' }, () => allow());
  server.validate(
    {
      group: 'example.typerator.dev',
      version: 'v1',
      kind: 'Policy',
      operations: ['CREATE', 'UPDATE', 'DELETE'],
      scope: 'Namespaced',
      failurePolicy: 'Ignore',
      sideEffects: 'NoneOnDryRun',
      timeoutSeconds: 5,
      matchPolicy: 'Exact',
      name: 'policies.example.typerator.dev',
      namespaceSelector: { matchLabels: { webhooks: 'on' } },
      objectSelector: { matchExpressions: [{ key: 'skip', operator: 'DoesNotExist' }] },
    },
    () => allow(),
  );
  server.mutate({ group: 'apps', version: 'v1', kind: 'Deployment', path: '/defaults' }, () => undefined);
  server.convert({ group: 'example.typerator.dev', kind: 'Widget' }, (object) => object);
  return server;
}

describe('webhook manifests', () => {
  it('generates a ValidatingWebhookConfiguration in URL form with defaults and a base64 caBundle', () => {
    const config = validatingWebhookConfiguration(serverWithHandlers(), {
      name: 'typerator-validating',
      endpoint: { url: 'https://127.0.0.1:9443/', caBundlePem: CA_PEM },
    });
    assert.equal(config.apiVersion, 'admissionregistration.k8s.io/v1');
    assert.equal(config.kind, 'ValidatingWebhookConfiguration');
    assert.deepEqual(config.metadata, { name: 'typerator-validating' });
    assert.equal(config.webhooks?.length, 2);
    assert.deepEqual(config.webhooks[0], {
      name: 'validate.configmap.v1.core',
      clientConfig: {
        url: 'https://127.0.0.1:9443/validate--v1-configmap',
        caBundle: Buffer.from(CA_PEM).toString('base64'),
      },
      rules: [
        {
          apiGroups: [''],
          apiVersions: ['v1'],
          resources: ['configmaps'],
          operations: ['CREATE', 'UPDATE'],
          scope: '*',
        },
      ],
      failurePolicy: 'Fail',
      sideEffects: 'None',
      timeoutSeconds: 10,
      matchPolicy: 'Equivalent',
      admissionReviewVersions: ['v1'],
    });
  });

  it('carries per-target settings, selectors and a derived plural', () => {
    const config = validatingWebhookConfiguration(serverWithHandlers(), {
      name: 'v',
      endpoint: { url: 'https://127.0.0.1:9443' },
    });
    const policy = config.webhooks?.[1];
    assert.equal(policy?.name, 'policies.example.typerator.dev');
    assert.deepEqual(policy.rules?.[0], {
      apiGroups: ['example.typerator.dev'],
      apiVersions: ['v1'],
      resources: ['policies'],
      operations: ['CREATE', 'UPDATE', 'DELETE'],
      scope: 'Namespaced',
    });
    assert.equal(policy.failurePolicy, 'Ignore');
    assert.equal(policy.sideEffects, 'NoneOnDryRun');
    assert.equal(policy.timeoutSeconds, 5);
    assert.equal(policy.matchPolicy, 'Exact');
    assert.deepEqual(policy.namespaceSelector, { matchLabels: { webhooks: 'on' } });
    assert.deepEqual(policy.objectSelector, {
      matchExpressions: [{ key: 'skip', operator: 'DoesNotExist' }],
    });
    assert.equal(policy.clientConfig.caBundle, undefined);
  });

  it('generates a MutatingWebhookConfiguration in service form for a chart', () => {
    const config = mutatingWebhookConfiguration(serverWithHandlers(), {
      name: 'typerator-mutating',
      labels: { app: 'typerator' },
      endpoint: { service: { name: 'webhook-service', namespace: 'system' }, caBundlePem: CA_PEM },
    });
    assert.equal(config.kind, 'MutatingWebhookConfiguration');
    assert.deepEqual(config.metadata, { name: 'typerator-mutating', labels: { app: 'typerator' } });
    assert.equal(config.webhooks?.length, 1);
    const webhook = config.webhooks[0];
    assert.equal(webhook?.name, 'mutate.deployment.v1.apps');
    assert.deepEqual(webhook.clientConfig, {
      service: { name: 'webhook-service', namespace: 'system', path: '/defaults', port: 443 },
      caBundle: Buffer.from(CA_PEM).toString('base64'),
    });
    assert.deepEqual(webhook.rules?.[0]?.resources, ['deployments']);
    assert.equal(webhook.reinvocationPolicy, 'Never');
  });

  it('ends a CA bundle with a newline so joined bundles stay parseable', () => {
    const bare = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
    assert.equal(Buffer.from(caBundleBase64(bare), 'base64').toString(), `${bare}\n`);
    assert.equal(caBundleBase64(CA_PEM), Buffer.from(CA_PEM).toString('base64'));
  });

  it('generates the CRD conversion stanza, and refuses a CRD without a converter', () => {
    const server = serverWithHandlers();
    assert.deepEqual(
      crdConversion(
        server,
        { group: 'example.typerator.dev', kind: 'Widget' },
        { url: 'https://127.0.0.1:9443', caBundlePem: CA_PEM },
      ),
      {
        strategy: 'Webhook',
        webhook: {
          conversionReviewVersions: ['v1'],
          clientConfig: {
            url: 'https://127.0.0.1:9443/convert-example-typerator-dev-widget',
            caBundle: Buffer.from(CA_PEM).toString('base64'),
          },
        },
      },
    );
    assert.throws(
      () => crdConversion(server, { group: 'example.typerator.dev', kind: 'Gizmo' }, { url: 'https://x' }),
      /no conversion handler is registered for Gizmo\.example\.typerator\.dev/,
    );
  });
});
