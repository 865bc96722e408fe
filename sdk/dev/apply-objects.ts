import type { KubernetesObject, V1CustomResourceDefinition } from '@kubernetes/client-node';
import type { Client } from '../client/client.ts';
import { kinds, resourceKind, type ResourceKind } from '../client/resource-kind.ts';
import { waitUntil } from '../testing/wait-until.ts';
import type { ManifestObject } from './manifest-files.ts';

/** The kind of a manifest object, for a client. */
export function kindOf(object: KubernetesObject): ResourceKind {
  return resourceKind(object.apiVersion ?? '', object.kind ?? '');
}

/**
 * Server-side applies an object as `fieldManager`, forcing conflicts (the manifest is the intent);
 * namespaced objects without a namespace go to `default`.
 */
export async function applyObject(
  client: Client,
  object: KubernetesObject,
  fieldManager: string,
): Promise<KubernetesObject> {
  const resource = client.resource(kindOf(object));
  const namespaced = await resource.isNamespaced();
  const metadata = {
    ...object.metadata,
    ...(namespaced ? { namespace: object.metadata?.namespace ?? 'default' } : {}),
  };
  return resource.apply({ ...object, metadata }, { fieldManager, force: true });
}

const isEstablished = (crd: V1CustomResourceDefinition): boolean =>
  crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ?? false;

/**
 * Applies CustomResourceDefinitions and waits until the apiserver serves each of them, then forgets
 * cached discovery so clients find the new kinds.
 */
export async function installCrds(
  client: Client,
  crds: readonly ManifestObject[],
  fieldManager: string,
  timeoutMs = 60_000,
): Promise<void> {
  const resource = client.resource(kinds.CustomResourceDefinition);
  for (const { object } of crds) await applyObject(client, object, fieldManager);
  for (const { object, source } of crds) {
    await waitUntil(async () => isEstablished(await resource.get({ name: object.metadata?.name ?? '' })), {
      what: `the CRD from ${source} to be established`,
      timeoutMs,
    });
  }
  client.mapper.invalidate();
}
