// A complete small operator: a Widget custom resource whose reconciler keeps a ConfigMap with the
// widget's colour, a finalizer for cleanup, and a Ready condition. Type-checked in CI.
//
//   KUBECONFIG=... node examples/widget-operator.ts
import type { KubernetesObject } from '@kubernetes/client-node';
import {
  Manager,
  addFinalizer,
  isBeingDeleted,
  kinds,
  predicates,
  removeFinalizer,
  resourceKind,
  setCondition,
  withControllerReference,
  type Condition,
} from 'typerator';

interface Widget extends KubernetesObject {
  spec: { color: string };
  status?: { conditions?: Condition[] };
}

const widgetKind = resourceKind<Widget>('example.dev/v1', 'Widget', 'widgets');
const FINALIZER = 'example.dev/cleanup';

/** Registers the controller; `typerator rbac generate --entry examples/widget-operator.ts` reads it too. */
export function setup(manager: Manager): void {
  const widgets = manager.client.resource(widgetKind);
  const configMaps = manager.client.resource(kinds.ConfigMap);
  const cache = manager.cache.informer(widgetKind).store;

  manager
    .controller('widgets')
    .for(widgetKind, { predicates: [predicates.generationChanged] })
    .owns(kinds.ConfigMap) // a change to a child reconciles its controller owner
    .complete(async ({ namespace, name }) => {
      const widget = cache.getByName(namespace, name);
      if (!widget) return;
      if (isBeingDeleted(widget)) {
        // Clean up anything outside the cluster here, then let the deletion finish.
        await removeFinalizer(widgets, widget, FINALIZER);
        return;
      }
      await addFinalizer(widgets, widget, FINALIZER);
      const child = {
        metadata: { name, namespace: namespace ?? 'default' },
        data: { color: widget.spec.color },
      };
      await configMaps.apply(withControllerReference(child, widget), {
        fieldManager: 'widget-operator',
        force: true,
      });
      const conditions = setCondition(widget.status?.conditions, {
        type: 'Ready',
        status: 'True',
        reason: 'ConfigMapApplied',
        message: `ConfigMap ${name} holds the colour`,
      });
      await widgets.patchStatus({ namespace, name }, { status: { conditions } }, { type: 'merge' });
    });
}

if (import.meta.main) {
  const manager = await Manager.create({
    leaderElection: { name: 'widget-operator', namespace: process.env['NAMESPACE'] ?? 'default' },
  });
  setup(manager);
  await manager.runUntilSignal(); // SIGTERM/SIGINT → in-flight reconciles finish → lease released → exit 0
}
