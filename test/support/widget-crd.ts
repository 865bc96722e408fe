import type {
  KubernetesObject,
  V1CustomResourceDefinition,
  V1JSONSchemaProps,
} from '@kubernetes/client-node';
import type { Client } from '../../sdk/client/client.ts';
import { kinds, resourceKind } from '../../sdk/client/resource-kind.ts';
import type { Condition } from '../../sdk/controller/conditions.ts';
import { waitUntil } from '../../sdk/testing/index.ts';

/** A small custom resource for runtime tests. */
export interface Widget extends KubernetesObject {
  spec: { color: string; size?: number };
  status?: { observedGeneration?: number; configMap?: string; conditions?: Condition[] };
}

export const widgetKind = resourceKind<Widget>('test.typerator.dev/v1', 'Widget');

/** A Widget CRD in `group`: spec.color (required string), spec.size (integer ≥ 1), a status subresource. */
export function widgetCrdIn(group: string): V1CustomResourceDefinition {
  return {
    metadata: { name: `widgets.${group}` },
    spec: {
      group,
      names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
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
                spec: {
                  type: 'object',
                  required: ['color'],
                  properties: { color: { type: 'string' }, size: { type: 'integer', minimum: 1 } },
                },
                // Typerator's client sends objects as JSON, so this is the JSON key; client-node's
                // type names the field x_kubernetes_preserve_unknown_fields, hence the cast.
                status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } as V1JSONSchemaProps,
              },
            },
          },
        },
      ],
    },
  };
}

/** The Widget CRD the runtime tests use. */
export const widgetCrd = widgetCrdIn('test.typerator.dev');

/** Installs the Widget CRD and waits until it is served. */
export async function installWidgetCrd(client: Client): Promise<void> {
  await client.resource(kinds.CustomResourceDefinition).create(widgetCrd);
  await waitUntil(
    async () => {
      const crd = await client
        .resource(kinds.CustomResourceDefinition)
        .get({ name: 'widgets.test.typerator.dev' });
      return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
    },
    { what: 'the Widget CRD to be established', timeoutMs: 30_000 },
  );
  await waitUntil(
    () =>
      client
        .resource(widgetKind)
        .list({ namespace: 'default', limit: 1 })
        .then(() => true),
    {
      what: 'widgets to be served',
      timeoutMs: 30_000,
    },
  );
}
