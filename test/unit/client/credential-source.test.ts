import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { asKubeconfig } from '../../../sdk/client/kubeconfig/client-node-shape.ts';
import { ClientNodeCredentials } from '../../../sdk/client/kubeconfig/client-node-credentials.ts';
import {
  credentialSourceFor,
  needsClientNode,
} from '../../../sdk/client/kubeconfig/credential-source-for.ts';
import { impersonationHeaders } from '../../../sdk/client/kubeconfig/impersonation-headers.ts';
import type { Kubeconfig, KubeconfigUser } from '../../../sdk/client/kubeconfig/kubeconfig.ts';
import { NativeCredentials } from '../../../sdk/client/kubeconfig/native-credentials.ts';

const work = mkdtempSync(join(tmpdir(), 'typerator-credential-source-'));
after(() => rmSync(work, { recursive: true, force: true }));

const CLUSTER = { name: 'c', server: 'https://c:6443' };
const withUser = (user: KubeconfigUser): Kubeconfig => ({
  clusters: [CLUSTER],
  users: [user],
  contexts: [{ name: 'x', cluster: 'c', user: user.name }],
  currentContext: 'x',
});

describe('credential source choice', () => {
  it('uses client-node only for auth-provider users and client-node KubeConfigs with added authenticators', () => {
    assert.equal(needsClientNode(withUser({ name: 'u', token: 't' })), false);
    assert.equal(needsClientNode(withUser({ name: 'u', exec: { apiVersion: '', command: 'x' } })), false);
    for (const name of ['oidc', 'gcp', 'azure', 'something-else'])
      assert.equal(needsClientNode(withUser({ name: 'u', authProvider: { name, config: {} } })), true, name);

    const inCluster = new KubeConfig();
    inCluster.loadFromOptions({
      clusters: [{ ...CLUSTER, skipTLSVerify: false }],
      users: [{ name: 'inClusterUser', authProvider: { name: 'tokenFile', config: { tokenFile: '/t' } } }],
      contexts: [{ name: 'x', cluster: 'c', user: 'inClusterUser' }],
      currentContext: 'x',
    });
    const converted = asKubeconfig(inCluster);
    assert.equal(needsClientNode(converted), false, "client-node's token-file pseudo-provider is native");
    assert.equal(converted.users[0]?.tokenFile, '/t');
    assert.ok(credentialSourceFor(converted, CLUSTER) instanceof NativeCredentials);

    inCluster.addAuthenticator({ isAuthProvider: () => true, applyAuthentication: () => Promise.resolve() });
    assert.equal(needsClientNode(asKubeconfig(inCluster)), true, 'an added authenticator may claim any user');
    assert.ok(credentialSourceFor(asKubeconfig(inCluster), CLUSTER) instanceof ClientNodeCredentials);
  });

  it('gets an auth-provider user’s header through client-node, imported on demand', async () => {
    const source = credentialSourceFor(
      withUser({
        name: 'g',
        authProvider: { name: 'gcp', config: { 'access-token': 'gcp-token' } },
        impersonate: 'jane',
      }),
      CLUSTER,
    );
    assert.ok(source instanceof ClientNodeCredentials);
    const { headers } = await source.resolve(false);
    assert.deepEqual(
      headers,
      { authorization: 'Bearer gcp-token' },
      'impersonation is left to the transport',
    );
  });

  it('applies an authenticator added to a client-node KubeConfig', async () => {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromClusterAndUser({ ...CLUSTER, skipTLSVerify: true }, { name: 'custom' });
    kubeConfig.addAuthenticator({
      isAuthProvider: (user) => user.name === 'custom',
      applyAuthentication: (_user, options: { headers?: Record<string, string> }) => {
        options.headers = { ...options.headers, Authorization: 'Bearer custom' };
        return Promise.resolve();
      },
    });
    const { headers, tls } = await credentialSourceFor(asKubeconfig(kubeConfig), CLUSTER).resolve(false);
    assert.deepEqual(headers, { authorization: 'Bearer custom' });
    assert.equal(tls.rejectUnauthorized, false);
  });
});

describe('NativeCredentials', () => {
  it('reads CA and client certificate from files or data, and the TLS flags', async () => {
    const ca = join(work, 'ca.crt');
    writeFileSync(ca, 'CA FILE');
    const { tls, headers } = await new NativeCredentials(
      { ...CLUSTER, certificateAuthority: ca, insecureSkipTlsVerify: true, tlsServerName: 'kubernetes' },
      {
        name: 'u',
        clientCertificateData: Buffer.from('CERT DATA').toString('base64'),
        clientKey: ca,
      },
    ).resolve(false);
    assert.equal(tls.ca?.toString(), 'CA FILE');
    assert.equal(tls.cert?.toString(), 'CERT DATA');
    assert.equal(tls.key?.toString(), 'CA FILE');
    assert.equal(tls.rejectUnauthorized, false);
    assert.equal(tls.servername, 'kubernetes');
    assert.deepEqual(headers, {});
  });

  it('sends a token over a token file, re-reads the token file, and falls back to basic auth', async () => {
    const tokenFile = join(work, 'token');
    writeFileSync(tokenFile, 'first\n');
    const fromFile = new NativeCredentials(CLUSTER, { name: 'u', tokenFile });
    assert.equal((await fromFile.resolve(false)).headers['authorization'], 'Bearer first');
    writeFileSync(tokenFile, 'second');
    assert.equal((await fromFile.resolve(true)).headers['authorization'], 'Bearer second');
    const both = new NativeCredentials(CLUSTER, { name: 'u', token: 'static', tokenFile });
    assert.equal((await both.resolve(false)).headers['authorization'], 'Bearer static');
    const basic = new NativeCredentials(CLUSTER, { name: 'u', username: 'admin', password: 'p:w' });
    assert.equal(
      (await basic.resolve(false)).headers['authorization'],
      `Basic ${Buffer.from('admin:p:w').toString('base64')}`,
    );
  });

  it('impersonates from the options, else the kubeconfig user’s as, as-uid, as-groups and as-user-extra', () => {
    const user: KubeconfigUser = {
      name: 'u',
      impersonate: 'jane',
      impersonateUid: '42',
      impersonateGroups: ['devs', 'ops'],
      impersonateExtra: { 'scopes.example.com': ['read'] },
    };
    assert.deepEqual(impersonationHeaders(undefined, user), {
      'impersonate-user': 'jane',
      'impersonate-uid': '42',
      'impersonate-group': ['devs', 'ops'],
      'impersonate-extra-scopes.example.com': ['read'],
    });
    assert.deepEqual(impersonationHeaders({ user: 'joe', groups: ['g'] }, user), {
      'impersonate-user': 'joe',
      'impersonate-group': ['g'],
    });
    assert.deepEqual(impersonationHeaders(undefined, { name: 'u' }), {});
  });
});
