import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiextensionsV1Api, CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { startControlPlane, type ControlPlane, waitUntil } from '../../../sdk/testing/index.ts';
import { widgetCrd } from '../../support/widget-crd.ts';

describe('control plane, tier apiserver', () => {
  let plane: ControlPlane;
  before(async () => {
    plane = await startControlPlane();
  });
  after(async () => {
    await plane.stop();
  });

  it('creates a namespace and a ConfigMap through @kubernetes/client-node', async () => {
    const core = plane.kubeConfig().makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'smoke' } } });
    await core.createNamespacedConfigMap({
      namespace: 'smoke',
      body: { metadata: { name: 'settings' }, data: { greeting: 'hello' } },
    });
    const read = await core.readNamespacedConfigMap({ namespace: 'smoke', name: 'settings' });
    assert.deepEqual(read.data, { greeting: 'hello' });
  });

  it('establishes a CRD, and an object of it round-trips', async () => {
    const kc = plane.kubeConfig();
    const extensions = kc.makeApiClient(ApiextensionsV1Api);
    await extensions.createCustomResourceDefinition({ body: widgetCrd });
    await waitUntil(
      async () => {
        const crd = await extensions.readCustomResourceDefinition({ name: 'widgets.test.typerator.dev' });
        return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
      },
      { what: 'the Widget CRD to be Established', timeoutMs: 30_000 },
    );
    const objects = kc.makeApiClient(CustomObjectsApi);
    const target = { group: 'test.typerator.dev', version: 'v1', namespace: 'default', plural: 'widgets' };
    const body = {
      apiVersion: 'test.typerator.dev/v1',
      kind: 'Widget',
      metadata: { name: 'w1' },
      spec: { size: 3, color: 'blue' },
    };
    // A freshly established CRD can take a moment to be served by every handler.
    await waitUntil(() => objects.createNamespacedCustomObject({ ...target, body }).then(() => true), {
      what: 'the Widget create to be accepted',
      timeoutMs: 30_000,
    });
    const read = (await objects.getNamespacedCustomObject({ ...target, name: 'w1' })) as { spec: unknown };
    assert.deepEqual(read.spec, { size: 3, color: 'blue' });
    await assert.rejects(
      objects.createNamespacedCustomObject({
        ...target,
        body: { ...body, metadata: { name: 'w2' }, spec: { size: 0 } },
      }),
      (error: unknown) => String(error).includes('spec.size'),
    );
  });
});
