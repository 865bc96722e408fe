// `typerator dev` end to end, as a user runs it: its own local cluster, the CRDs, the Deployment
// operator with its webhooks, the samples; `--once` exits when they are ready, Ctrl-C stops
// everything, and nothing is left running afterwards.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { clusterFolder } from '../../../sdk/cli/cluster-state.ts';
import { Client } from '../../../sdk/client/client.ts';
import { NotFoundError } from '../../../sdk/client/errors.ts';
import { kinds } from '../../../sdk/client/resource-kind.ts';
import { startControlPlane, waitUntil } from '../../../sdk/testing/index.ts';
import { deploymentKind } from '../../../operators/deployment/kinds.ts';
import { processesMentioning } from '../../support/processes.ts';
import { runProcess } from '../../support/run-process.ts';

const repository = fileURLToPath(new URL('../../../', import.meta.url));
const cli = fileURLToPath(new URL('../../../bin/typerator.js', import.meta.url));

/** Processes whose command line mentions the cluster's state folder (etcd, kube-apiserver, ...). */
const processesOf = (name: string): string[] => processesMentioning(clusterFolder(name));

function startDev(
  name: string,
  args: readonly string[] = [],
): {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, [cli, 'dev', '--name', name, '--nodes', '2', ...args], {
    cwd: repository,
    stdio: 'pipe',
    // Its own process group, so Ctrl-C can be sent the way a terminal sends it: to the whole group.
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function assertNothingLeft(name: string): Promise<void> {
  await waitUntil(() => processesOf(name).length === 0, {
    what: `every process of cluster ${name} to end`,
    timeoutMs: 15_000,
  }).catch(() => assert.fail(`processes left behind:\n${processesOf(name).join('\n')}`));
  assert.equal(existsSync(clusterFolder(name)), false, 'the state folder is removed');
}

describe('typerator dev', () => {
  it('--once brings the samples to ready through the operator and its webhooks, then exits 0 with nothing left', async () => {
    const name = `dev-once-${process.pid}`;
    const result = await runProcess(
      process.execPath,
      [cli, 'dev', '--once', '--name', name, '--nodes', '2', '--timeout', '240'],
      {
        cwd: repository,
        timeoutMs: 300_000,
      },
    );
    const output = result.stdout + result.stderr;
    assert.equal(result.code, 0, output);
    assert.match(output, /installing \d+ CRDs from crds/);
    assert.match(output, /webhooks https:\/\/127\.0\.0\.1:\d+ \(dev certificates\)/);
    assert.match(
      output,
      /ready +Deployment\.apps\.typerator\.dev default\/web .*3\/3 ready, 3 up to date, 3 available/,
    );
    assert.match(output, /ready +Deployment\.apps\.typerator\.dev default\/worker .*2\/2 ready/);
    assert.match(output, /ready +ReplicaSet\.apps\.typerator\.dev default\/cache .*2\/2 ready/);
    assert.match(output, /event .*ScalingReplicaSet/);
    assert.match(output, /ready +StatefulSet\.apps\.typerator\.dev default\/ledger .*3\/3 ready/);
    assert.match(output, /event .*create Pod ledger-2 in StatefulSet ledger successful/);
    assert.match(output, /all 4 samples are ready/);
    await assertNothingLeft(name);
  });

  it('--kubeconfig runs against an existing cluster and takes its webhook registrations away on exit', async () => {
    const plane = await startControlPlane({ tier: 'full', nodes: 2 });
    const client = await Client.fromKubeConfig(plane.kubeConfig());
    try {
      const result = await runProcess(
        process.execPath,
        [cli, 'dev', '--once', '--kubeconfig', plane.kubeconfigPath, '--timeout', '240'],
        { cwd: repository, timeoutMs: 300_000 },
      );
      const output = result.stdout + result.stderr;
      assert.equal(result.code, 0, output);
      assert.doesNotMatch(output, /starting a local cluster/);
      assert.match(output, /webhooks https:\/\/127\.0\.0\.1:\d+ \(dev certificates\)/);
      assert.match(output, /all 4 samples are ready/);
      const web = await client.resource(deploymentKind).get({ namespace: 'default', name: 'web' });
      assert.equal(web.spec.revisionHistoryLimit, 10, 'defaulted by the webhook typerator dev served');
      // The cluster outlives typerator dev: it must not keep calling a webhook that is gone.
      await assert.rejects(
        client.resource(kinds.ValidatingWebhookConfiguration).get({ name: 'typerator-dev' }),
        NotFoundError,
      );
      await assert.rejects(
        client.resource(kinds.MutatingWebhookConfiguration).get({ name: 'typerator-dev' }),
        NotFoundError,
      );
    } finally {
      client.close();
      await plane.stop();
    }
  });

  it('runs until Ctrl-C; typerator env points kubectl at it meanwhile; Ctrl-C stops everything', async () => {
    const name = `dev-watch-${process.pid}`;
    const dev = startDev(name);
    try {
      await waitUntil(() => /ready +Deployment\.apps\.typerator\.dev default\/web/.test(dev.output()), {
        what: 'the web sample to be ready',
        timeoutMs: 240_000,
      }).catch((error: unknown) => {
        // What dev printed is the only account of where it stopped.
        assert.fail(`${String(error)}\ntyperator dev printed:\n${dev.output()}`);
      });
      const env = await runProcess(process.execPath, [cli, 'env', '--name', name], { cwd: repository });
      assert.equal(env.code, 0, env.stderr);
      const lines = env.stdout.trim().split('\n');
      assert.equal(lines.length, 2, env.stdout);
      assert.match(lines[0] ?? '', /^export PATH='.*\/bin':"\$PATH"$/);
      assert.match(lines[1] ?? '', new RegExp(`^export KUBECONFIG='.*${name}.*'$`));
      const kubectl = await runProcess('bash', [
        '-c',
        `eval "$1" && kubectl get tdeploy web -o jsonpath='{.status.readyReplicas}/{.spec.revisionHistoryLimit}'`,
        'env',
        env.stdout,
      ]);
      assert.equal(kubectl.code, 0, kubectl.stderr);
      // 10: the defaulting webhook, registered by typerator dev, filled in what the sample leaves out.
      assert.equal(kubectl.stdout, '3/10');
      process.kill(-(dev.child.pid ?? 0), 'SIGINT'); // Ctrl-C
      assert.equal(await dev.exited, 0, dev.output());
      assert.match(dev.output(), /stopping the operators and the cluster/);
    } finally {
      dev.child.kill('SIGKILL');
    }
    await assertNothingLeft(name);
  });

  it('Ctrl-C during start-up stops at once with exit code 130 and nothing left', async () => {
    const name = `dev-interrupt-${process.pid}`;
    const dev = startDev(name);
    try {
      await waitUntil(() => /starting a local cluster/.test(dev.output()), {
        what: 'the cluster to start starting',
        timeoutMs: 60_000,
      }).catch((error: unknown) => {
        // What dev printed is the only account of where it stopped.
        assert.fail(`${String(error)}\ntyperator dev printed:\n${dev.output()}`);
      });
      process.kill(-(dev.child.pid ?? 0), 'SIGINT'); // Ctrl-C
      assert.equal(await dev.exited, 130, dev.output());
      assert.match(dev.output(), /SIGINT during start-up: stopping at once/);
    } finally {
      dev.child.kill('SIGKILL');
    }
    await waitUntil(() => processesOf(name).length === 0, {
      what: 'the components to end',
      timeoutMs: 15_000,
    }).catch(() => assert.fail(`processes left behind:\n${processesOf(name).join('\n')}`));
  });
});
