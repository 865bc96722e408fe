import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { V1ConfigMap } from '@kubernetes/client-node';
import type { Client } from '../../../sdk/client/client.ts';
import { isNotFound } from '../../../sdk/client/errors.ts';
import { kinds } from '../../../sdk/client/resource-kind.ts';
import { setCondition } from '../../../sdk/controller/conditions.ts';
import { addFinalizer, isBeingDeleted, removeFinalizer } from '../../../sdk/controller/finalizers.ts';
import { withControllerReference } from '../../../sdk/controller/owner-references.ts';
import { generationChanged } from '../../../sdk/controller/predicates.ts';
import type { Manager } from '../../../sdk/manager/manager.ts';
import { waitUntil } from '../../../sdk/testing/index.ts';
import { startOperatorEnvironment, type OperatorEnvironment } from '../../support/operator-environment.ts';
import { installWidgetCrd, widgetKind } from '../../support/widget-crd.ts';

const FINALIZER = 'test.typerator.dev/cleanup';

describe('a controller for a custom resource that owns ConfigMaps', () => {
  let env: OperatorEnvironment;
  let client: Client;
  let manager: Manager;
  const cleanedUp: string[] = [];

  function setup(manager: Manager): void {
    const widgets = manager.client.resource(widgetKind);
    const configMaps = manager.client.resource(kinds.ConfigMap);
    const widgetCache = manager.cache.informer(widgetKind).store;
    const configMapCache = manager.cache.informer(kinds.ConfigMap).store;
    manager
      .controller('widgets')
      .for(widgetKind, { predicates: [generationChanged] })
      .owns(kinds.ConfigMap)
      .complete(async ({ namespace, name }) => {
        const cached = widgetCache.getByName(namespace, name);
        if (!cached) return;
        if (isBeingDeleted(cached)) {
          cleanedUp.push(name);
          await removeFinalizer(widgets, cached, FINALIZER);
          return;
        }
        const widget = await addFinalizer(widgets, cached, FINALIZER);
        const childName = `${name}-config`;
        const child = configMapCache.getByName(namespace, childName);
        if (!child) {
          const desired: V1ConfigMap = {
            metadata: { name: childName, namespace: namespace ?? 'default' },
            data: { color: widget.spec.color },
          };
          await configMaps.create(withControllerReference(desired, widget)).catch((error: unknown) => {
            if (!(error instanceof Error && error.name === 'AlreadyExistsError')) throw error;
          });
        }
        const conditions = setCondition(widget.status?.conditions, {
          type: 'Ready',
          status: 'True',
          reason: 'ConfigMapPresent',
          message: `ConfigMap ${childName} exists`,
        });
        await widgets.patchStatus(
          { namespace, name },
          { status: { observedGeneration: widget.metadata?.generation, configMap: childName, conditions } },
          { type: 'merge' },
        );
      });
  }

  before(async () => {
    env = await startOperatorEnvironment({
      manager: { metricsBindAddress: '127.0.0.1:0', healthProbeBindAddress: '127.0.0.1:0' },
      prepare: installWidgetCrd,
      setup,
    });
    ({ client, manager } = env);
  });

  after(() => env.stop());

  it('creates the child, patches status, recreates a deleted child, and lets the finalizer run cleanup', async () => {
    const widgets = client.resource(widgetKind);
    const configMaps = client.resource(kinds.ConfigMap);
    const created = await widgets.create({
      metadata: { name: 'w1', namespace: 'default' },
      spec: { color: 'teal' },
    });

    const child = await waitUntil(
      () => configMaps.get({ namespace: 'default', name: 'w1-config' }).catch(() => undefined),
      {
        what: 'the child ConfigMap',
        timeoutMs: 30_000,
      },
    );
    assert.equal(child.data?.['color'], 'teal');
    assert.equal(child.metadata?.ownerReferences?.[0]?.uid, created.metadata?.uid);
    assert.equal(child.metadata?.ownerReferences?.[0]?.controller, true);

    const withStatus = await waitUntil(
      async () => {
        const w = await widgets.get({ namespace: 'default', name: 'w1' });
        return w.status?.configMap === 'w1-config' ? w : undefined;
      },
      { what: 'status to be patched', timeoutMs: 30_000 },
    );
    assert.equal(withStatus.status?.observedGeneration, 1);
    assert.equal(withStatus.status.conditions?.[0]?.type, 'Ready');
    assert.deepEqual(withStatus.metadata?.finalizers, [FINALIZER]);

    await configMaps.delete({ namespace: 'default', name: 'w1-config' });
    const recreated = await waitUntil(
      async () => {
        const cm = await configMaps.get({ namespace: 'default', name: 'w1-config' }).catch(() => undefined);
        return cm && cm.metadata?.uid !== child.metadata?.uid ? cm : undefined;
      },
      { what: 'the deleted child to be recreated', timeoutMs: 30_000 },
    );
    assert.equal(recreated.data?.['color'], 'teal');

    assert.equal(cleanedUp.length, 0);
    await widgets.delete({ namespace: 'default', name: 'w1' });
    await waitUntil(
      () =>
        widgets.get({ namespace: 'default', name: 'w1' }).then(
          () => false,
          (error: unknown) => isNotFound(error),
        ),
      { what: 'the widget to be gone once its finalizer is removed', timeoutMs: 30_000 },
    );
    assert.deepEqual(cleanedUp, ['w1'], 'cleanup ran before the object disappeared');
  });

  it('serves controller-runtime metrics and readiness', async () => {
    const metrics = await (await fetch(`http://127.0.0.1:${manager.metricsPort}/metrics`)).text();
    assert.match(
      metrics,
      /controller_runtime_reconcile_total\{controller="widgets",result="success"\} [1-9]/,
    );
    assert.match(metrics, /workqueue_adds_total\{name="widgets",controller="widgets"\} [1-9]/);
    assert.match(metrics, /workqueue_depth\{name="widgets",controller="widgets"\} \d/);
    assert.match(
      metrics,
      /rest_client_requests_total\{code="200",method="GET",host="127\.0\.0\.1:\d+"\} [1-9]/,
    );
    assert.match(metrics, /controller_runtime_reconcile_time_seconds_bucket/);
    // The process and runtime metrics every prom-client service exports.
    assert.match(metrics, /^process_cpu_seconds_total \d/m);
    assert.match(metrics, /^process_resident_memory_bytes \d/m);
    assert.match(metrics, /^nodejs_eventloop_lag_seconds \d/m);
    assert.match(metrics, /^nodejs_heap_size_used_bytes \d/m);
    const ready = await fetch(`http://127.0.0.1:${manager.healthProbePort}/readyz`);
    assert.equal(ready.status, 200);
    const live = await fetch(`http://127.0.0.1:${manager.healthProbePort}/healthz`);
    assert.equal(live.status, 200);
  });
});
