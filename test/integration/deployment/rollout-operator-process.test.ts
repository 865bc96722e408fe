// The operator as it is deployed: operators/deployment/main.ts in its own process (leader election,
// configuration from the environment), driven and observed with `typerator rollout status`.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { V1Lease } from '@kubernetes/client-node';
import { Client } from '../../../sdk/client/client.ts';
import { resourceKind } from '../../../sdk/client/resource-kind.ts';
import { startControlPlane, waitUntil, type ControlPlane } from '../../../sdk/testing/index.ts';
import { API_VERSION } from '../../../operators/deployment/api/types.ts';
import { deploymentKind } from '../../../operators/deployment/kinds.ts';
import { installGeneratedCrds } from '../../support/install-crds.ts';

const main = fileURLToPath(new URL('../../../operators/deployment/main.ts', import.meta.url));
const cli = fileURLToPath(new URL('../../../bin/typerator.js', import.meta.url));
const leases = resourceKind<V1Lease>('coordination.k8s.io/v1', 'Lease', 'leases');

function run(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

describe('operators/deployment/main.ts as a process', () => {
  let plane: ControlPlane;
  let client: Client;
  let operator: ChildProcess;
  let operatorLog = '';

  before(async () => {
    plane = await startControlPlane({ tier: 'full', nodes: 1 });
    client = await Client.fromKubeConfig(plane.kubeConfig());
    await installGeneratedCrds(client);
    operator = spawn(process.execPath, [main], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        KUBECONFIG: plane.kubeconfigPath,
        POD_NAMESPACE: 'default',
        METRICS_BIND_ADDRESS: '127.0.0.1:0',
        HEALTH_PROBE_BIND_ADDRESS: 'off',
      },
    });
    operator.stdout?.on('data', (chunk: Buffer) => (operatorLog += chunk.toString()));
    operator.stderr?.on('data', (chunk: Buffer) => (operatorLog += chunk.toString()));
  });
  after(async () => {
    if (operator.exitCode === null && operator.signalCode === null) operator.kill('SIGKILL');
    client.close();
    await plane.stop();
  });

  it('takes the lease, rolls a Deployment out, and exits 0 on SIGTERM', async () => {
    const lease = await waitUntil(
      async () => {
        const found = await client
          .resource(leases)
          .get({ namespace: 'default', name: 'typerator-deployment-operator' });
        return found.spec?.holderIdentity ? found : undefined;
      },
      { what: 'the operator to hold its lease', timeoutMs: 60_000, intervalMs: 250 },
    );
    assert.ok(lease.spec?.holderIdentity);

    await client.resource(deploymentKind).create({
      apiVersion: API_VERSION,
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
        },
      },
    });
    const status = await run([
      cli,
      'rollout',
      'status',
      'web',
      '--kubeconfig',
      plane.kubeconfigPath,
      '--timeout',
      '2m',
    ]);
    assert.equal(status.code, 0, `${status.stderr}\n${operatorLog}`);
    assert.match(status.stdout, /deployment "web" successfully rolled out\n$/);

    const exited = once(operator, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    operator.kill('SIGTERM');
    const [code] = await exited;
    assert.equal(code, 0, operatorLog);
    assert.match(operatorLog, /manager stopped/);
  });
});
