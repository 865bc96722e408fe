import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { Client } from '../../../sdk/client/client.ts';
import {
  AlreadyExistsError,
  ConflictError,
  InvalidError,
  NotFoundError,
  TooManyRequestsError,
} from '../../../sdk/client/errors.ts';
import { kinds } from '../../../sdk/client/resource-kind.ts';
import { startControlPlane, type ControlPlane } from '../../../sdk/testing/index.ts';
import { ThrottlingProxy } from '../../support/throttling-proxy.ts';

describe('typed client against a real apiserver', () => {
  let plane: ControlPlane;
  let client: Client;
  before(async () => {
    plane = await startControlPlane();
    client = await Client.fromKubeConfig(plane.kubeConfig());
    await client.resource(kinds.Namespace).create({ metadata: { name: 'client' } });
  });
  after(async () => {
    client.close();
    await plane.stop();
  });

  it('raises typed errors: NotFound, AlreadyExists, Conflict, Invalid with field causes', async () => {
    const maps = client.resource(kinds.ConfigMap);
    await assert.rejects(maps.get({ namespace: 'client', name: 'missing' }), NotFoundError);
    const created = await maps.create({ metadata: { name: 'typed', namespace: 'client' }, data: { a: '1' } });
    await assert.rejects(
      maps.create({ metadata: { name: 'typed', namespace: 'client' } }),
      AlreadyExistsError,
    );
    await maps.update({ ...created, data: { a: '2' } });
    await assert.rejects(
      maps.update({ ...created, data: { a: '3' } }),
      ConflictError,
      'a stale resourceVersion conflicts',
    );
    await assert.rejects(
      maps.create({ metadata: { name: 'Not_Valid', namespace: 'client' } }),
      (error: unknown) => {
        assert.ok(error instanceof InvalidError);
        assert.ok(
          error.causes.some((c) => c.field === 'metadata.name'),
          JSON.stringify(error.causes),
        );
        return true;
      },
    );
    await assert.rejects(maps.get({ name: 'no-namespace' }), /namespace is required/);
  });

  it('pages through lists, and supports server-side apply, merge and JSON patches, preconditions and scale', async () => {
    const maps = client.resource(kinds.ConfigMap);
    for (let i = 0; i < 12; i++)
      await maps.create({ metadata: { name: `page-${i}`, namespace: 'client', labels: { set: 'paging' } } });
    const page = await maps.list({ namespace: 'client', labelSelector: 'set=paging', limit: 5 });
    assert.equal(page.items.length, 5);
    assert.ok(page.continue);
    const all = await maps.listAll({ namespace: 'client', labelSelector: 'set=paging', pageSize: 5 });
    assert.equal(all.items.length, 12);
    assert.equal(all.items[0]?.kind, 'ConfigMap', 'list items get their kind back');
    assert.equal(typeof all.resourceVersion, 'string');

    const applied = await maps.apply(
      { metadata: { name: 'applied', namespace: 'client' }, data: { x: '1' } },
      { fieldManager: 'test-manager' },
    );
    assert.equal(applied.metadata?.managedFields?.[0]?.manager, 'test-manager');
    const merged = await maps.patch(
      { namespace: 'client', name: 'applied' },
      { data: { y: '2' } },
      { type: 'merge' },
    );
    assert.deepEqual(merged.data, { x: '1', y: '2' });
    const jsonPatched = await maps.patch(
      { namespace: 'client', name: 'applied' },
      [{ op: 'remove', path: '/data/x' }],
      { type: 'json' },
    );
    assert.deepEqual(jsonPatched.data, { y: '2' });

    await assert.rejects(
      maps.delete({ namespace: 'client', name: 'applied' }, { preconditions: { uid: 'not-the-uid' } }),
      ConflictError,
    );
    await maps.delete(
      { namespace: 'client', name: 'applied' },
      { preconditions: { uid: applied.metadata?.uid ?? '' } },
    );
    await assert.rejects(maps.get({ namespace: 'client', name: 'applied' }), NotFoundError);

    const deployments = client.resource(kinds.Deployment);
    const labels = { app: 'scaled' };
    await deployments.create({
      metadata: { name: 'scaled', namespace: 'client' },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
      },
    });
    const scale = await deployments.scale({ namespace: 'client', name: 'scaled' }, 4);
    assert.equal(scale.spec?.replicas, 4);
    assert.equal((await deployments.get({ namespace: 'client', name: 'scaled' })).spec?.replicas, 4);
  });

  it('honours 429 Retry-After, for reads and writes', async () => {
    const proxy = new ThrottlingProxy(plane.kubeConfig(), 2, 1);
    const url = await proxy.listen();
    const viaProxy = new KubeConfig();
    // Plain HTTP on loopback: client-node only allows it with skipTLSVerify.
    viaProxy.loadFromOptions({
      clusters: [{ name: 'proxy', server: url, skipTLSVerify: true }],
      users: [{ name: 'anonymous' }],
      contexts: [{ name: 'proxy', cluster: 'proxy', user: 'anonymous' }],
      currentContext: 'proxy',
    });
    const throttled = await Client.fromKubeConfig(viaProxy).catch(async (error: unknown) => {
      await proxy.close();
      throw error;
    });
    try {
      const created = await throttled
        .resource(kinds.ConfigMap)
        .create({ metadata: { name: 'after-429', namespace: 'client' } });
      assert.equal(created.metadata?.name, 'after-429');
      const attempts = proxy.attempts.get('/api/v1/namespaces/client/configmaps') ?? [];
      assert.equal(attempts.length, 3, 'two throttled attempts, then the one that went through');
      for (let i = 1; i < attempts.length; i++) {
        const gap = (attempts[i] ?? 0) - (attempts[i - 1] ?? 0);
        assert.ok(gap >= 950, `retried after ${gap} ms although the server asked for 1 s`);
      }

      const limited = await Client.fromKubeConfig(viaProxy, { maxRetries: 0 });
      await assert.rejects(
        limited.resource(kinds.ConfigMap).get({ namespace: 'client', name: 'nope' }),
        (error: unknown) => {
          assert.ok(error instanceof TooManyRequestsError);
          assert.equal(error.retryAfterMs, 1000);
          return true;
        },
      );
      limited.close();
    } finally {
      throttled.close();
      await proxy.close();
    }
  });
});
