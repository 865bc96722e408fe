// The custom resource both peers of `npm run bench -- peers` reconcile.
import type { KubernetesObject, V1CustomResourceDefinition } from '@kubernetes/client-node';
import { resourceKind } from '../../../sdk/client/resource-kind.ts';

export interface BenchItem extends KubernetesObject {
  spec: { value: string };
  status?: { ready?: boolean; observedGeneration?: number };
}

export const benchItemKind = resourceKind<BenchItem>('bench.typerator.dev/v1', 'BenchItem', 'benchitems');

/** BenchItem: namespaced, spec.value (a required string), a status subresource {ready, observedGeneration}. */
export const benchItemCrd: V1CustomResourceDefinition = {
  metadata: { name: 'benchitems.bench.typerator.dev' },
  spec: {
    group: 'bench.typerator.dev',
    names: { kind: 'BenchItem', plural: 'benchitems', singular: 'benchitem', listKind: 'BenchItemList' },
    scope: 'Namespaced',
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: { type: 'object', required: ['value'], properties: { value: { type: 'string' } } },
              status: {
                type: 'object',
                properties: { ready: { type: 'boolean' }, observedGeneration: { type: 'integer' } },
              },
            },
          },
        },
      },
    ],
  },
};
