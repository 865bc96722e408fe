import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { KubeConfigError } from '../../../sdk/client/errors.ts';
import { currentEntries } from '../../../sdk/client/kubeconfig/kubeconfig.ts';
import { readKubeconfig } from '../../../sdk/client/kubeconfig/read-kubeconfig.ts';
import { packageUrlsLoadedBy } from '../../support/packages-loaded-by.ts';

const folder = mkdtempSync(join(tmpdir(), 'typerator-read-kubeconfig-'));
after(() => rmSync(folder, { recursive: true, force: true }));

function file(name: string, content: object): string {
  const path = join(folder, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, stringify(content));
  return path;
}

const cluster = (name: string, server: string, extra: object = {}) => ({
  name,
  cluster: { server, ...extra },
});
const context = (name: string, clusterName: string, user: string) => ({
  name,
  context: { cluster: clusterName, user },
});

describe('readKubeconfig', () => {
  it('merges KUBECONFIG files like kubectl: the first to define a name wins, and the first current-context', () => {
    const first = file('merge/first', {
      clusters: [cluster('shared', 'https://first:6443')],
      users: [{ name: 'alice', user: { token: 'from-first' } }],
      contexts: [context('dev', 'shared', 'alice')],
    });
    const second = file('merge/second', {
      'current-context': 'prod',
      clusters: [cluster('shared', 'https://second:6443'), cluster('prod', 'https://prod:6443')],
      users: [
        { name: 'alice', user: { token: 'from-second' } },
        { name: 'bob', user: { token: 'b' } },
      ],
      contexts: [context('dev', 'prod', 'bob'), context('prod', 'prod', 'bob')],
    });
    const third = file('merge/third', { 'current-context': 'dev', contexts: [] });
    const merged = readKubeconfig({ env: { KUBECONFIG: [first, second, third].join(delimiter) } });
    assert.equal(merged.currentContext, 'prod', 'the first file that sets current-context decides');
    assert.deepEqual(
      merged.clusters.map((c) => [c.name, c.server]),
      [
        ['shared', 'https://first:6443'],
        ['prod', 'https://prod:6443'],
      ],
    );
    assert.deepEqual(
      merged.users.map((u) => [u.name, u.token]),
      [
        ['alice', 'from-first'],
        ['bob', 'b'],
      ],
    );
    assert.deepEqual(
      merged.contexts.find((c) => c.name === 'dev'),
      {
        name: 'dev',
        cluster: 'shared',
        user: 'alice',
      },
    );
    const reversed = readKubeconfig({ env: { KUBECONFIG: [third, first, second].join(delimiter) } });
    assert.equal(reversed.currentContext, 'dev');
    assert.equal(currentEntries(reversed).user?.token, 'from-first');
  });

  it('takes an explicit path over KUBECONFIG, and ~/.kube/config when KUBECONFIG is unset', () => {
    const explicit = file('explicit', {
      'current-context': 'x',
      clusters: [cluster('x', 'https://explicit:6443')],
      contexts: [context('x', 'x', 'none')],
    });
    const other = file('other', {
      'current-context': 'y',
      clusters: [cluster('y', 'https://other:6443')],
      contexts: [context('y', 'y', 'none')],
    });
    const fromPath = readKubeconfig({ path: explicit, env: { KUBECONFIG: other } });
    assert.equal(currentEntries(fromPath).cluster?.server, 'https://explicit:6443');
    const home = join(folder, 'home');
    file('home/.kube/config', {
      'current-context': 'h',
      clusters: [cluster('h', 'https://home:6443/')],
      contexts: [context('h', 'h', 'none')],
    });
    assert.equal(
      currentEntries(readKubeconfig({ env: { HOME: home } })).cluster?.server,
      'https://home:6443',
    );
  });

  it("resolves relative paths against the kubeconfig file's folder", () => {
    const path = file('nested/dir/config', {
      'current-context': 'c',
      clusters: [cluster('c', 'https://c:6443', { 'certificate-authority': 'ca.crt' })],
      users: [
        {
          name: 'u',
          user: {
            'client-certificate': '../certs/client.crt',
            'client-key': '/abs/client.key',
            tokenFile: 'token',
            exec: { apiVersion: 'client.authentication.k8s.io/v1', command: './bin/plugin' },
          },
        },
        { name: 'v', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'aws' } } },
      ],
      contexts: [context('c', 'c', 'u')],
    });
    const config = readKubeconfig({ path });
    const dir = join(folder, 'nested', 'dir');
    assert.equal(config.clusters[0]?.certificateAuthority, join(dir, 'ca.crt'));
    const [u, v] = config.users;
    assert.equal(u?.clientCertificate, join(folder, 'nested', 'certs', 'client.crt'));
    assert.equal(u?.clientKey, '/abs/client.key');
    assert.equal(u?.tokenFile, join(dir, 'token'));
    assert.equal(u?.exec?.command, join(dir, 'bin', 'plugin'));
    assert.equal(v?.exec?.command, 'aws', 'a bare command is looked up on PATH');
  });

  it('reads a pod’s service account: token file, CA, namespace, and an IPv6 host in brackets', () => {
    const serviceAccountFolder = join(folder, 'serviceaccount');
    mkdirSync(serviceAccountFolder);
    writeFileSync(join(serviceAccountFolder, 'token'), 'jwt');
    writeFileSync(join(serviceAccountFolder, 'namespace'), 'ops\n');
    const home = join(folder, 'empty-home');
    mkdirSync(home);
    const inCluster = (host: string) =>
      readKubeconfig({
        env: { HOME: home, KUBERNETES_SERVICE_HOST: host, KUBERNETES_SERVICE_PORT: '443' },
        serviceAccountFolder,
      });
    const ipv6 = currentEntries(inCluster('fd00::1'));
    assert.equal(ipv6.cluster?.server, 'https://[fd00::1]:443');
    assert.equal(ipv6.cluster?.certificateAuthority, join(serviceAccountFolder, 'ca.crt'));
    assert.equal(ipv6.user?.tokenFile, join(serviceAccountFolder, 'token'));
    assert.equal(ipv6.context?.namespace, 'ops');
    assert.equal(currentEntries(inCluster('10.0.0.1')).cluster?.server, 'https://10.0.0.1:443');
    assert.throws(
      () => readKubeconfig({ env: { HOME: home }, serviceAccountFolder }),
      (error: unknown) =>
        error instanceof KubeConfigError &&
        /KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set/.test(error.message),
    );
  });

  it('says a file is not valid YAML, naming it', () => {
    const path = join(folder, 'broken-yaml');
    writeFileSync(path, 'clusters: [unclosed\n');
    assert.throws(
      () => readKubeconfig({ path }),
      (error: unknown) =>
        error instanceof KubeConfigError &&
        error.message.startsWith(`kubeconfig ${path} is not valid YAML (`),
    );
  });

  it('reads a service account without loading the YAML parser (an operator in a pod never needs it)', async () => {
    const serviceAccountFolder = join(folder, 'serviceaccount-only');
    mkdirSync(serviceAccountFolder);
    writeFileSync(join(serviceAccountFolder, 'token'), 'jwt');
    const loaded = await packageUrlsLoadedBy(
      'yaml',
      `
      const { readKubeconfig } = await import(${JSON.stringify(new URL('../../../sdk/client/kubeconfig/read-kubeconfig.ts', import.meta.url).href)});
      const config = readKubeconfig({
        env: { HOME: ${JSON.stringify(join(folder, 'no-home'))}, KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' },
        serviceAccountFolder: ${JSON.stringify(serviceAccountFolder)},
      });
      if (config.contexts.length !== 1) throw new Error('expected the service account context');
    `,
    );
    assert.deepEqual(loaded, []);
  });

  it('names a malformed entry', () => {
    const path = file('no-server', { clusters: [{ name: 'c', cluster: {} }] });
    assert.throws(
      () => readKubeconfig({ path }),
      (error: unknown) =>
        error instanceof KubeConfigError &&
        error.message.startsWith(`kubeconfig ${path} cannot be read (clusters[0].cluster.server is missing)`),
    );
  });
});
