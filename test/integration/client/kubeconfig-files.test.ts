import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { V1SelfSubjectReview } from '@kubernetes/client-node';
import { parse, stringify } from 'yaml';
import { Client } from '../../../sdk/client/client.ts';
import { readKubeconfig } from '../../../sdk/client/kubeconfig/read-kubeconfig.ts';
import { kinds, resourceKind } from '../../../sdk/client/resource-kind.ts';
import { startControlPlane, type ControlPlane } from '../../../sdk/testing/index.ts';
import { serviceAccountToken } from '../../support/service-account-kubeconfig.ts';

const NS = 'kubeconfig-files';
const selfSubjectReviews = resourceKind<V1SelfSubjectReview>(
  'authentication.k8s.io/v1',
  'SelfSubjectReview',
  'selfsubjectreviews',
);

async function whoAmI(client: Client): Promise<{ username: string; groups: readonly string[] }> {
  const review = await client.resource(selfSubjectReviews).create({ metadata: {} });
  return { username: review.status?.userInfo?.username ?? '', groups: review.status?.userInfo?.groups ?? [] };
}

describe('kubeconfig files read by readKubeconfig against a real apiserver', () => {
  let plane: ControlPlane;
  let admin: Client;
  let work: string;
  let server: string;
  let pem: { ca: Buffer; cert: Buffer; key: Buffer };
  const clients: Client[] = [];

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'typerator-kubeconfig-files-'));
    plane = await startControlPlane({ tier: 'apiserver' });
    const file = parse(readFileSync(plane.kubeconfigPath, 'utf8')) as {
      clusters: { cluster: Record<string, string> }[];
      users: { user: Record<string, string> }[];
    };
    const data = (value: string | undefined) => Buffer.from(value ?? '', 'base64');
    server = file.clusters[0]?.cluster['server'] ?? '';
    pem = {
      ca: data(file.clusters[0]?.cluster['certificate-authority-data']),
      cert: data(file.users[0]?.user['client-certificate-data']),
      key: data(file.users[0]?.user['client-key-data']),
    };
    admin = await Client.fromKubeConfig(readKubeconfig({ path: plane.kubeconfigPath }));
    await admin.resource(kinds.Namespace).create({ metadata: { name: NS } });
  });
  after(async () => {
    for (const client of clients) client.close();
    admin?.close();
    await plane?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  const connect = async (path: string): Promise<Client> => {
    const client = await Client.fromKubeConfig(readKubeconfig({ path }));
    clients.push(client);
    return client;
  };

  /** A kubeconfig in `folder` whose cluster's CA is the relative file ca.crt. */
  const writeKubeconfig = (folder: string, user: object): string => {
    mkdirSync(join(folder, 'certs'), { recursive: true });
    writeFileSync(join(folder, 'certs', 'ca.crt'), pem.ca);
    const path = join(folder, 'config');
    writeFileSync(
      path,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': 'plane',
        clusters: [{ name: 'plane', cluster: { server, 'certificate-authority': 'certs/ca.crt' } }],
        users: [{ name: 'someone', user }],
        contexts: [{ name: 'plane', context: { cluster: 'plane', user: 'someone' } }],
      }),
      { mode: 0o600 },
    );
    return path;
  };

  it('authenticates with a client certificate and key from files named relative to the kubeconfig', async () => {
    const folder = join(work, 'certificate');
    mkdirSync(join(folder, 'certs'), { recursive: true });
    writeFileSync(join(folder, 'certs', 'admin.crt'), pem.cert);
    writeFileSync(join(folder, 'certs', 'admin.key'), pem.key, { mode: 0o600 });
    const client = await connect(
      writeKubeconfig(folder, { 'client-certificate': 'certs/admin.crt', 'client-key': './certs/admin.key' }),
    );
    const identity = await whoAmI(client);
    assert.equal(identity.username, 'admin');
    assert.ok(identity.groups.includes('system:masters'));
  });

  it('authenticates with a token file, and impersonates with as and as-groups', async () => {
    const folder = join(work, 'token');
    mkdirSync(folder);
    writeFileSync(join(folder, 'token'), `${await serviceAccountToken(admin, NS, 'file-reader')}\n`);
    const client = await connect(writeKubeconfig(folder, { tokenFile: 'token' }));
    assert.equal((await whoAmI(client)).username, `system:serviceaccount:${NS}:file-reader`);

    const impersonating = await connect(
      writeKubeconfig(join(work, 'as'), {
        'client-certificate-data': pem.cert.toString('base64'),
        'client-key-data': pem.key.toString('base64'),
        as: 'jane',
        'as-groups': ['devs'],
      }),
    );
    const jane = await whoAmI(impersonating);
    assert.equal(jane.username, 'jane');
    assert.deepEqual([...jane.groups].sort(), ['devs', 'system:authenticated']);
  });

  it('reads a pod’s service account in-cluster', async () => {
    const serviceAccountFolder = join(work, 'serviceaccount');
    mkdirSync(serviceAccountFolder);
    writeFileSync(join(serviceAccountFolder, 'ca.crt'), pem.ca);
    writeFileSync(join(serviceAccountFolder, 'namespace'), NS);
    writeFileSync(join(serviceAccountFolder, 'token'), await serviceAccountToken(admin, NS, 'pod'));
    const home = join(work, 'home');
    mkdirSync(home);
    const url = new URL(server);
    const kubeconfig = readKubeconfig({
      env: { HOME: home, KUBERNETES_SERVICE_HOST: url.hostname, KUBERNETES_SERVICE_PORT: url.port },
      serviceAccountFolder,
    });
    const client = await Client.fromKubeConfig(kubeconfig);
    clients.push(client);
    assert.equal((await whoAmI(client)).username, `system:serviceaccount:${NS}:pod`);
  });
});
