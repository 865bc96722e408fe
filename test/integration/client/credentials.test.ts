import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  KubeConfig,
  type V1Role,
  type V1RoleBinding,
  type V1SelfSubjectReview,
} from '@kubernetes/client-node';
import { parse, stringify } from 'yaml';
import { Client } from '../../../sdk/client/client.ts';
import { ForbiddenError, NotFoundError, UnauthorizedError } from '../../../sdk/client/errors.ts';
import { kinds, resourceKind } from '../../../sdk/client/resource-kind.ts';
import type { TransportOptions } from '../../../sdk/client/transport.ts';
import { startControlPlane, waitUntil, type ControlPlane } from '../../../sdk/testing/index.ts';
import {
  bearerTokenKubeconfig,
  serviceAccountToken as createServiceAccountToken,
} from '../../support/service-account-kubeconfig.ts';

const NS = 'credentials';
const EXEC_PLUGIN = fileURLToPath(new URL('../../fixtures/credentials/exec-plugin.ts', import.meta.url));
const selfSubjectReviews = resourceKind<V1SelfSubjectReview>(
  'authentication.k8s.io/v1',
  'SelfSubjectReview',
  'selfsubjectreviews',
);
const roles = resourceKind<V1Role>('rbac.authorization.k8s.io/v1', 'Role', 'roles');
const roleBindings = resourceKind<V1RoleBinding>(
  'rbac.authorization.k8s.io/v1',
  'RoleBinding',
  'rolebindings',
);

const serviceAccountUser = (name: string) => `system:serviceaccount:${NS}:${name}`;

/** Who the apiserver says the client's requests run as. */
async function whoAmI(client: Client): Promise<{ username: string; groups: readonly string[] }> {
  const review = await client.resource(selfSubjectReviews).create({ metadata: {} });
  const user = review.status?.userInfo;
  return { username: user?.username ?? '', groups: user?.groups ?? [] };
}

describe('client credentials against a real apiserver', () => {
  let plane: ControlPlane;
  let admin: Client;
  let work: string;
  const clients: Client[] = [];

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'typerator-credentials-'));
    plane = await startControlPlane({ tier: 'apiserver' });
    admin = await Client.fromKubeConfig(plane.kubeConfig());
    await admin.resource(kinds.Namespace).create({ metadata: { name: NS } });
  });
  after(async () => {
    for (const client of clients) client.close();
    admin?.close();
    await plane?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  const connect = async (kubeConfig: KubeConfig, options: TransportOptions = {}): Promise<Client> => {
    const client = await Client.fromKubeConfig(kubeConfig, options);
    clients.push(client);
    return client;
  };

  /** A ServiceAccount (there is no controller-manager in this tier) and a TokenRequest token for it. */
  const serviceAccountToken = (name: string): Promise<string> => createServiceAccountToken(admin, NS, name);

  /** Deletes a ServiceAccount and waits until the apiserver rejects its tokens. */
  const revoke = async (name: string, token: string): Promise<void> => {
    await admin.resource(kinds.ServiceAccount).delete({ namespace: NS, name });
    const probe = new KubeConfig();
    probe.loadFromString(bearerTokenKubeconfig(plane.kubeConfig(), name, token));
    const client = await connect(probe);
    await waitUntil(
      async () => {
        try {
          await client.transport.request({
            method: 'POST',
            path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
            body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
          });
          return false;
        } catch (error) {
          if (error instanceof UnauthorizedError) return true;
          throw error;
        }
      },
      { what: `the token of deleted ServiceAccount ${name} to be rejected`, timeoutMs: 60_000 },
    );
  };

  /** The admin kubeconfig's cluster (server and CA) with another user. */
  const kubeConfigWithUser = (user: Record<string, unknown> & { name: string }): KubeConfig => {
    const cluster = plane.kubeConfig().getCurrentCluster();
    assert.ok(cluster);
    const config = new KubeConfig();
    config.loadFromOptions({
      clusters: [{ ...cluster, name: 'plane' }],
      users: [user],
      contexts: [{ name: 'plane', cluster: 'plane', user: user.name }],
      currentContext: 'plane',
    });
    return config;
  };

  /** A folder of state for the exec plugin fixture, handing out `token`. */
  const execPluginState = (name: string, token: string) => {
    const dir = join(work, name);
    mkdirSync(dir);
    writeFileSync(join(dir, 'token'), token);
    return {
      dir,
      setToken: (next: string) => writeFileSync(join(dir, 'token'), next),
      invocations: (): number => {
        try {
          return readFileSync(join(dir, 'invocations'), 'utf8').split('\n').filter(Boolean).length;
        } catch {
          return 0;
        }
      },
    };
  };

  const execUser = (name: string, stateDir: string) => ({
    name,
    exec: {
      apiVersion: 'client.authentication.k8s.io/v1',
      command: process.execPath,
      args: [EXEC_PLUGIN, stateDir],
      interactiveMode: 'Never',
    },
  });

  it('authenticates with an exec plugin and caches its credential', async () => {
    const plugin = execPluginState('exec', await serviceAccountToken('exec-user'));
    const client = await connect(kubeConfigWithUser(execUser('exec-user', plugin.dir)));

    assert.equal((await whoAmI(client)).username, serviceAccountUser('exec-user'));
    for (let i = 0; i < 10; i++) await whoAmI(client);
    const together = await Promise.all(Array.from({ length: 10 }, () => whoAmI(client)));
    assert.ok(together.every((user) => user.username === serviceAccountUser('exec-user')));
    assert.equal(plugin.invocations(), 1, 'one plugin run serves every request while its token is valid');
  });

  it('runs the exec plugin again once when the server rejects its token (401), also for concurrent requests', async () => {
    const first = await serviceAccountToken('rotate-a');
    const plugin = execPluginState('rotating', first);
    const client = await connect(kubeConfigWithUser(execUser('rotating-user', plugin.dir)));
    assert.equal((await whoAmI(client)).username, serviceAccountUser('rotate-a'));

    // The plugin would now hand out another identity, but the cached token is still valid.
    const second = await serviceAccountToken('rotate-b');
    plugin.setToken(second);
    assert.equal((await whoAmI(client)).username, serviceAccountUser('rotate-a'));
    assert.equal(plugin.invocations(), 1);

    await revoke('rotate-a', first);
    assert.equal((await whoAmI(client)).username, serviceAccountUser('rotate-b'));
    assert.equal(plugin.invocations(), 2, 'the 401 made the client run the plugin again');

    // Several requests rejected at once share one refresh.
    plugin.setToken(await serviceAccountToken('rotate-c'));
    await revoke('rotate-b', second);
    const together = await Promise.all(Array.from({ length: 5 }, () => whoAmI(client)));
    assert.deepEqual(
      together.map((user) => user.username),
      Array.from({ length: 5 }, () => serviceAccountUser('rotate-c')),
    );
    assert.equal(plugin.invocations(), 3, 'five rejected requests ran the plugin once');
  });

  it('impersonates a user and groups from the options, and the kubeconfig user from `as`', async () => {
    const jane = await connect(plane.kubeConfig(), { impersonate: { user: 'jane', groups: ['devs'] } });
    const identity = await whoAmI(jane);
    assert.equal(identity.username, 'jane');
    assert.deepEqual([...identity.groups].sort(), ['devs', 'system:authenticated']);

    const maps = admin.resource(kinds.ConfigMap);
    await maps.create({ metadata: { name: 'for-jane', namespace: NS }, data: { a: '1' } });
    await admin.resource(roles).create({
      metadata: { name: 'configmap-reader', namespace: NS },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }],
    });
    await admin.resource(roleBindings).create({
      metadata: { name: 'jane-reads-configmaps', namespace: NS },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'configmap-reader' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'jane' }],
    });
    // The RBAC authorizer sees the binding through an informer, so poll.
    const seen = await waitUntil(
      () => jane.resource(kinds.ConfigMap).get({ namespace: NS, name: 'for-jane' }),
      {
        what: 'jane to read the ConfigMap',
        timeoutMs: 60_000,
      },
    );
    assert.deepEqual(seen.data, { a: '1' });
    await assert.rejects(jane.resource(kinds.Secret).list({ namespace: NS }), ForbiddenError);
    await assert.rejects(
      jane.resource(kinds.ConfigMap).get({ namespace: 'default', name: 'any' }),
      ForbiddenError,
    );

    // The kubeconfig form: the admin user with `as: jane`, from a file on disk.
    const file = parse(readFileSync(plane.kubeconfigPath, 'utf8')) as {
      users: { user: Record<string, unknown> }[];
    };
    for (const entry of file.users) entry.user['as'] = 'jane';
    const path = join(work, 'as-jane.kubeconfig');
    writeFileSync(path, stringify(file), { mode: 0o600 });
    const fromFile = new KubeConfig();
    fromFile.loadFromFile(path);
    assert.equal(fromFile.getCurrentUser()?.impersonateUser, 'jane');
    const asJane = await connect(fromFile);
    assert.deepEqual(await whoAmI(asJane), { username: 'jane', groups: ['system:authenticated'] });
    await asJane.resource(kinds.ConfigMap).get({ namespace: NS, name: 'for-jane' });
    await assert.rejects(asJane.resource(kinds.Secret).list({ namespace: NS }), ForbiddenError);

    // Options take precedence over the kubeconfig's `as`.
    const overridden = await connect(fromFile, { impersonate: { user: 'joe' } });
    assert.equal((await whoAmI(overridden)).username, 'joe');
  });

  it('loads in-cluster config and picks up a rotated token file when the old token is rejected', async () => {
    const first = await serviceAccountToken('in-cluster-a');
    const root = join(work, 'pod');
    const secrets = join(root, 'var/run/secrets/kubernetes.io/serviceaccount');
    mkdirSync(secrets, { recursive: true });
    const cluster = plane.kubeConfig().getCurrentCluster();
    assert.ok(cluster?.caData);
    writeFileSync(join(secrets, 'ca.crt'), Buffer.from(cluster.caData, 'base64'));
    writeFileSync(join(secrets, 'namespace'), NS);
    writeFileSync(join(secrets, 'token'), first);

    const server = new URL(cluster.server);
    const saved = {
      host: process.env['KUBERNETES_SERVICE_HOST'],
      port: process.env['KUBERNETES_SERVICE_PORT'],
    };
    const inCluster = new KubeConfig();
    try {
      process.env['KUBERNETES_SERVICE_HOST'] = server.hostname;
      process.env['KUBERNETES_SERVICE_PORT'] = server.port;
      inCluster.loadFromCluster(root);
    } finally {
      // loadFromCluster reads them only while loading; restore the test process's own.
      if (saved.host === undefined) delete process.env['KUBERNETES_SERVICE_HOST'];
      else process.env['KUBERNETES_SERVICE_HOST'] = saved.host;
      if (saved.port === undefined) delete process.env['KUBERNETES_SERVICE_PORT'];
      else process.env['KUBERNETES_SERVICE_PORT'] = saved.port;
    }
    assert.equal(inCluster.getCurrentCluster()?.server, `https://${server.host}`);
    assert.equal(inCluster.getContextObject(inCluster.getCurrentContext())?.namespace, NS);

    const client = await connect(inCluster);
    assert.equal((await whoAmI(client)).username, serviceAccountUser('in-cluster-a'));

    // The kubelet rotates the token file; once the old token stops working the client re-reads it.
    const second = await serviceAccountToken('in-cluster-b');
    writeFileSync(join(secrets, 'token'), second);
    await revoke('in-cluster-a', first);
    assert.equal((await whoAmI(client)).username, serviceAccountUser('in-cluster-b'));
  });

  it('authenticates from kubeconfig files on disk: client certificate and bearer token', async () => {
    const certificate = new KubeConfig();
    certificate.loadFromFile(plane.kubeconfigPath);
    const adminIdentity = await whoAmI(await connect(certificate));
    assert.equal(adminIdentity.username, 'admin');
    assert.ok(adminIdentity.groups.includes('system:masters'), adminIdentity.groups.join(','));

    const path = join(work, 'token.kubeconfig');
    writeFileSync(
      path,
      bearerTokenKubeconfig(plane.kubeConfig(), 'file-token', await serviceAccountToken('file-token')),
      { mode: 0o600 },
    );
    const token = new KubeConfig();
    token.loadFromFile(path);
    const client = await connect(token);
    assert.equal((await whoAmI(client)).username, serviceAccountUser('file-token'));
    // Only the ServiceAccount's RBAC applies: it may not read Secrets.
    await assert.rejects(client.resource(kinds.Secret).list({ namespace: NS }), ForbiddenError);
    await assert.rejects(admin.resource(kinds.Secret).get({ namespace: NS, name: 'none' }), NotFoundError);
  });
});
