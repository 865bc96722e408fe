import type { CustomResourceDefinition } from './custom-resource-definition.ts';

/**
 * The apiserver's limit on the total size of an object's annotations. Client-side `kubectl apply`
 * copies the whole object, as JSON, into the `kubectl.kubernetes.io/last-applied-configuration`
 * annotation, so a CRD larger than this cannot be applied that way.
 */
export const ANNOTATION_SIZE_LIMIT_BYTES = 262144;

/** The size in bytes of the CRD serialised as compact JSON, as `kubectl apply` stores it. */
export function crdJsonBytes(crd: CustomResourceDefinition): number {
  return Buffer.byteLength(JSON.stringify(crd), 'utf8');
}
