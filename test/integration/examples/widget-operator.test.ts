import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubernetesObject } from '@kubernetes/client-node';
import { kinds, resourceKind } from '../../../sdk/client/resource-kind.ts';
import { isNotFound } from '../../../sdk/client/errors.ts';
import { waitUntil } from '../../../sdk/testing/index.ts';
import { setup } from '../../../examples/widget-operator.ts';
import { startOperatorEnvironment, type OperatorEnvironment } from '../../support/operator-environment.ts';
import { widgetCrdIn } from '../../support/widget-crd.ts';

interface Widget extends KubernetesObject {
  spec: { color: string };
  status?: { conditions?: { type: string; status: string }[] };
}

const widgetKind = resourceKind<Widget>('example.dev/v1', 'Widget', 'widgets');
const crd = widgetCrdIn('example.dev');

describe('examples/widget-operator.ts (the README example)', () => {
  let env: OperatorEnvironment;
  before(async () => {
    env = await startOperatorEnvironment({
      prepare: async (client) => {
        await client.resource(kinds.CustomResourceDefinition).create(crd);
        await waitUntil(
          () =>
            client
              .resource(widgetKind)
              .list({ namespace: 'default' })
              .then(() => true),
          {
            what: 'widgets to be served',
            timeoutMs: 30_000,
          },
        );
      },
      setup,
    });
  });
  after(() => env.stop());

  it('keeps a ConfigMap with the colour, reports Ready, and lets the widget go once its finalizer is removed', async () => {
    const widgets = env.client.resource(widgetKind);
    await widgets.create({ metadata: { name: 'w', namespace: 'default' }, spec: { color: 'orange' } });
    const configMap = await waitUntil(
      () =>
        env.client
          .resource(kinds.ConfigMap)
          .get({ namespace: 'default', name: 'w' })
          .catch(() => undefined),
      {
        what: 'the ConfigMap',
        timeoutMs: 30_000,
      },
    );
    assert.equal(configMap.data?.['color'], 'orange');
    await waitUntil(
      async () =>
        (await widgets.get({ namespace: 'default', name: 'w' })).status?.conditions?.some(
          (c) => c.type === 'Ready' && c.status === 'True',
        ),
      {
        what: 'the Ready condition',
        timeoutMs: 30_000,
      },
    );
    await widgets.delete({ namespace: 'default', name: 'w' });
    await waitUntil(() => widgets.get({ namespace: 'default', name: 'w' }).then(() => false, isNotFound), {
      what: 'the widget to be deleted',
      timeoutMs: 30_000,
    });
  });
});
