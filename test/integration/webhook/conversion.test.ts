// A CRD served in v1 (spec.size) and v2 (spec.replicas, the storage version) with a conversion
// webhook: the real kube-apiserver converts through our server on every read and write.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ApiextensionsV1Api,
  CustomObjectsApi,
  type KubeConfig,
  type V1CustomResourceDefinition,
  type V1CustomResourceDefinitionVersion,
  type V1JSONSchemaProps,
} from '@kubernetes/client-node';
import { crdConversion, WebhookServer, type KubernetesObject } from '../../../sdk/webhook/index.ts';
import { startControlPlane, waitUntil, type ControlPlane } from '../../../sdk/testing/index.ts';
import { etcdGet } from '../../support/etcd.ts';
import { silentLogger, writeServingFiles, type ServingFiles } from '../../unit/webhook/fixtures.ts';

const GROUP = 'conversion.typerator.dev';
const CRD_NAME = `gizmos.${GROUP}`;

interface GizmoV1 extends KubernetesObject {
  spec: { size: number; color?: string };
}
interface GizmoV2 extends KubernetesObject {
  spec: { replicas: number; appearance?: { color: string } };
}

const v1ToV2 = (object: GizmoV1): GizmoV2 => {
  const { spec, ...rest } = object;
  return {
    ...rest,
    spec: { replicas: spec.size, ...(spec.color ? { appearance: { color: spec.color } } : {}) },
  };
};
const v2ToV1 = (object: GizmoV2): GizmoV1 => {
  const { spec, ...rest } = object;
  return {
    ...rest,
    spec: { size: spec.replicas, ...(spec.appearance ? { color: spec.appearance.color } : {}) },
  };
};

function gizmoCrd(conversion: V1CustomResourceDefinition['spec']['conversion']): V1CustomResourceDefinition {
  const version = (
    name: string,
    storage: boolean,
    spec: Record<string, V1JSONSchemaProps>,
  ): V1CustomResourceDefinitionVersion => ({
    name,
    served: true,
    storage,
    schema: {
      openAPIV3Schema: {
        type: 'object',
        properties: { spec: { type: 'object', properties: spec } },
      },
    },
  });
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: CRD_NAME },
    spec: {
      group: GROUP,
      names: { kind: 'Gizmo', plural: 'gizmos', singular: 'gizmo', listKind: 'GizmoList' },
      scope: 'Namespaced',
      versions: [
        version('v1', false, { size: { type: 'integer' }, color: { type: 'string' } }),
        version('v2', true, {
          replicas: { type: 'integer' },
          appearance: { type: 'object', properties: { color: { type: 'string' } } },
        }),
      ],
      ...(conversion ? { conversion } : {}),
    },
  };
}

/** The object exactly as the apiserver stored it in etcd (CRs are stored as JSON). */
async function readFromEtcd(plane: ControlPlane, key: string): Promise<KubernetesObject> {
  return JSON.parse(await etcdGet(plane.etcdUrl, key)) as KubernetesObject;
}

describe('conversion webhook called by kube-apiserver', () => {
  let plane: ControlPlane;
  let kc: KubeConfig;
  let server: WebhookServer;
  let files: ServingFiles;
  let objects: CustomObjectsApi;
  let conversions = 0;
  const target = (version: string) => ({ group: GROUP, version, namespace: 'default', plural: 'gizmos' });

  before(async () => {
    [plane, files] = await Promise.all([startControlPlane(), writeServingFiles()]);
    kc = plane.kubeConfig();
    objects = kc.makeApiClient(CustomObjectsApi);
    server = new WebhookServer({ host: '127.0.0.1', port: 0, certDir: files.dir, logger: silentLogger });
    server.convert(
      { group: GROUP, kind: 'Gizmo' },
      {
        'v1->v2': (object: GizmoV1) => {
          conversions++;
          return v1ToV2(object);
        },
        'v2->v1': (object: GizmoV2) => {
          conversions++;
          return v2ToV1(object);
        },
      },
    );
    await server.start();
    const extensions = kc.makeApiClient(ApiextensionsV1Api);
    const conversion = crdConversion(
      server,
      { group: GROUP, kind: 'Gizmo' },
      { url: server.url, caBundlePem: files.caPem },
    );
    await extensions.createCustomResourceDefinition({ body: gizmoCrd(conversion) });
    await waitUntil(
      async () => {
        const crd = await extensions.readCustomResourceDefinition({ name: CRD_NAME });
        return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
      },
      { what: 'the Gizmo CRD to be Established', timeoutMs: 30_000 },
    );
    // Both versions must be served by every apiserver handler before the tests write.
    await waitUntil(
      async () => {
        await objects.listNamespacedCustomObject(target('v1'));
        await objects.listNamespacedCustomObject(target('v2'));
        return true;
      },
      { what: 'both Gizmo versions to be served', timeoutMs: 30_000 },
    );
  });
  after(async () => {
    await server.stop();
    await plane.stop();
    files.remove();
  });

  it('stores an object written in v1 as v2 and reads it back in both versions', async () => {
    const before = conversions;
    await objects.createNamespacedCustomObject({
      ...target('v1'),
      body: {
        apiVersion: `${GROUP}/v1`,
        kind: 'Gizmo',
        metadata: { name: 'from-v1' },
        spec: { size: 3, color: 'red' },
      },
    });
    assert.ok(conversions > before, 'the apiserver called the conversion webhook');
    const asV1 = (await objects.getNamespacedCustomObject({ ...target('v1'), name: 'from-v1' })) as GizmoV1;
    assert.equal(asV1.apiVersion, `${GROUP}/v1`);
    assert.deepEqual(asV1.spec, { size: 3, color: 'red' });
    const asV2 = (await objects.getNamespacedCustomObject({ ...target('v2'), name: 'from-v1' })) as GizmoV2;
    assert.equal(asV2.apiVersion, `${GROUP}/v2`);
    assert.deepEqual(asV2.spec, { replicas: 3, appearance: { color: 'red' } });

    const stored = await readFromEtcd(plane, `/registry/${GROUP}/gizmos/default/from-v1`);
    assert.equal(stored.apiVersion, `${GROUP}/v2`);
    assert.deepEqual(stored['spec'], { replicas: 3, appearance: { color: 'red' } });
  });

  it('reads an object written in v2 back in v1', async () => {
    await objects.createNamespacedCustomObject({
      ...target('v2'),
      body: {
        apiVersion: `${GROUP}/v2`,
        kind: 'Gizmo',
        metadata: { name: 'from-v2' },
        spec: { replicas: 7 },
      },
    });
    const asV1 = (await objects.getNamespacedCustomObject({ ...target('v1'), name: 'from-v2' })) as GizmoV1;
    assert.deepEqual(asV1.spec, { size: 7 });
    const stored = await readFromEtcd(plane, `/registry/${GROUP}/gizmos/default/from-v2`);
    assert.equal(stored.apiVersion, `${GROUP}/v2`);
    assert.deepEqual(stored['spec'], { replicas: 7 });
  });

  it('converts a whole list, and an update through v1 keeps fields v1 can express', async () => {
    const list = (await objects.listNamespacedCustomObject(target('v1'))) as { items: GizmoV1[] };
    assert.deepEqual(
      list.items.map((item) => [item.metadata?.name, item.apiVersion, item.spec.size]).sort(),
      [
        ['from-v1', `${GROUP}/v1`, 3],
        ['from-v2', `${GROUP}/v1`, 7],
      ],
    );
    const current = (await objects.getNamespacedCustomObject({
      ...target('v1'),
      name: 'from-v1',
    })) as GizmoV1;
    await objects.replaceNamespacedCustomObject({
      ...target('v1'),
      name: 'from-v1',
      body: { ...current, spec: { ...current.spec, size: 4 } },
    });
    const asV2 = (await objects.getNamespacedCustomObject({ ...target('v2'), name: 'from-v1' })) as GizmoV2;
    assert.deepEqual(asV2.spec, { replicas: 4, appearance: { color: 'red' } });
  });

  it('records only the storage version in status.storedVersions', async () => {
    const crd = await kc.makeApiClient(ApiextensionsV1Api).readCustomResourceDefinition({ name: CRD_NAME });
    assert.deepEqual(crd.status?.storedVersions, ['v2']);
  });
});
