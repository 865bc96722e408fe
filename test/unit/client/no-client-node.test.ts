import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { stringify } from 'yaml';
import { packageUrlsLoadedBy } from '../../support/packages-loaded-by.ts';

const EXEC_PLUGIN = fileURLToPath(new URL('../../fixtures/credentials/exec-plugin.ts', import.meta.url));
const sdk = (path: string) => new URL(`../../../sdk/${path}`, import.meta.url).href;
const work = mkdtempSync(join(tmpdir(), 'typerator-no-client-node-'));
after(() => rmSync(work, { recursive: true, force: true }));

/**
 * Runs `body` (an ES module's statements; `kubeconfigPath` is defined) in a fresh Node process and
 * returns the URLs it loaded under @kubernetes/client-node.
 */
async function clientNodeUrlsLoadedBy(kubeconfig: object, body: string): Promise<string[]> {
  const kubeconfigPath = join(mkdtempSync(join(work, 'case-')), 'config');
  writeFileSync(kubeconfigPath, stringify(kubeconfig));
  return packageUrlsLoadedBy(
    '@kubernetes/client-node',
    `const kubeconfigPath = ${JSON.stringify(kubeconfigPath)};\n${body}`,
    { ...process.env, KUBECONFIG: '' },
  );
}

const kubeconfigWithUser = (user: object) => ({
  apiVersion: 'v1',
  kind: 'Config',
  'current-context': 'dev',
  clusters: [
    {
      name: 'dev',
      cluster: {
        server: 'https://127.0.0.1:6443',
        'certificate-authority-data': Buffer.from('not checked until connecting').toString('base64'),
      },
    },
  ],
  users: [{ name: 'dev', user }],
  contexts: [{ name: 'dev', context: { cluster: 'dev', user: 'dev' } }],
});

describe('an operator process without @kubernetes/client-node', () => {
  it('builds the runner’s manager, its client and the operators from a kubeconfig file without loading it', async () => {
    const state = mkdtempSync(join(work, 'exec-'));
    writeFileSync(join(state, 'token'), 'from-plugin');
    const loaded = await clientNodeUrlsLoadedBy(
      kubeconfigWithUser({
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1',
          command: process.execPath,
          args: [EXEC_PLUGIN, state],
          interactiveMode: 'Never',
        },
      }),
      `
      const { resolveRunSettings } = await import(${JSON.stringify(sdk('runner/run-settings.ts'))});
      const { managerOptionsFor } = await import(${JSON.stringify(sdk('runner/run-operators.ts'))});
      const { Manager } = await import(${JSON.stringify(sdk('manager/manager.ts'))});
      const { deploymentOperator } = await import(${JSON.stringify(pathToFileURL(fileURLToPath(new URL('../../../operators/deployment/operator.ts', import.meta.url))).href)});
      const settings = resolveRunSettings(
        { kubeconfig: kubeconfigPath, leaderElect: false, metricsBindAddress: 'off', healthProbeBindAddress: 'off', logLevel: 'silent' },
        {},
        { name: 'typerator', operators: ['deployment'] },
      );
      const manager = await Manager.create(managerOptionsFor('typerator', settings));
      await deploymentOperator.setup(manager, { name: 'deployment', settings, logger: manager.logger });
      // A kubeconfig problem would leave an unusable client pointing nowhere.
      if (manager.client.transport.server.href !== 'https://127.0.0.1:6443/') throw new Error('no usable client');
      manager.client.close();
      `,
    );
    assert.deepEqual(loaded, []);
  });

  it('loads it for a user with an auth-provider plugin, and only then', async () => {
    const body = `
      const { readKubeconfig } = await import(${JSON.stringify(sdk('client/kubeconfig/read-kubeconfig.ts'))});
      const { Client } = await import(${JSON.stringify(sdk('client/client.ts'))});
      const client = await Client.fromKubeConfig(readKubeconfig({ path: kubeconfigPath }));
      client.close();
    `;
    assert.deepEqual(await clientNodeUrlsLoadedBy(kubeconfigWithUser({ token: 'static' }), body), []);
    const gcp = await clientNodeUrlsLoadedBy(
      kubeconfigWithUser({ 'auth-provider': { name: 'gcp', config: { 'access-token': 'gcp-token' } } }),
      body,
    );
    assert.ok(
      gcp.some((url) => url.endsWith('/@kubernetes/client-node/dist/config.js')),
      `client-node's KubeConfig was loaded: ${gcp.length} files`,
    );
  });
});
