import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CoreV1Api } from '@kubernetes/client-node';
import { ControlPlaneStartError, startControlPlane, waitUntil } from '../../../sdk/testing/index.ts';
import { isProcessAlive as isAlive } from '../../../sdk/testing/process-alive.ts';

describe('control plane lifecycle', () => {
  it('runs two control planes at once and stop() leaves no process or folder behind', async () => {
    const planes = await Promise.all([startControlPlane(), startControlPlane()]);
    try {
      assert.notEqual(planes[0].server, planes[1].server);
      const names = await Promise.all(
        planes.map(async (plane, i) => {
          const core = plane.kubeConfig().makeApiClient(CoreV1Api);
          await core.createNamespace({ body: { metadata: { name: `plane-${i}` } } });
          return (await core.listNamespace()).items.map((n) => n.metadata?.name);
        }),
      );
      // Each plane has its own etcd: neither sees the other's namespace.
      const [first, second] = names;
      assert.ok(first?.includes('plane-0') && !first.includes('plane-1'));
      assert.ok(second?.includes('plane-1') && !second.includes('plane-0'));
    } finally {
      const pids = planes.flatMap((plane) => [
        plane.component('etcd')?.pid,
        plane.component('kube-apiserver')?.pid,
      ]);
      await Promise.all(planes.map((plane) => plane.stop()));
      for (const pid of pids)
        assert.ok(pid !== undefined && !isAlive(pid), `process ${pid} is still running`);
      for (const plane of planes) assert.equal(existsSync(plane.dir), false);
    }
  });

  it('names the component and shows its log when it cannot start', async () => {
    await assert.rejects(startControlPlane({ apiServerArgs: ['--no-such-flag=1'] }), (error: unknown) => {
      assert.ok(error instanceof ControlPlaneStartError);
      assert.equal(error.component, 'kube-apiserver');
      assert.match(error.message, /kube-apiserver failed to start: exited with code \d+/);
      assert.match(error.logTail, /unknown flag: --no-such-flag/);
      return true;
    });
  });

  it('reaps the components when the owning process dies without stop()', async () => {
    // A child process starts a control plane, prints its folder, and is then killed with SIGKILL.
    const script = `
      import { startControlPlane } from ${JSON.stringify(new URL('../../../sdk/testing/index.ts', import.meta.url).href)};
      const plane = await startControlPlane();
      console.log(JSON.stringify({ dir: plane.dir, pids: [plane.component('etcd').pid, plane.component('kube-apiserver').pid] }));
      setInterval(() => {}, 1000);
    `;
    const owner = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    owner.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const started = await waitUntil(
      () => (output.includes('\n') ? (JSON.parse(output) as { dir: string; pids: number[] }) : undefined),
      {
        what: 'the child to start its control plane',
        timeoutMs: 120_000,
      },
    );
    assert.ok(started.pids.every(isAlive));
    assert.ok(readFileSync(join(started.dir, 'pids'), 'utf8').length > 0);
    owner.kill('SIGKILL');
    await waitUntil(() => !started.pids.some(isAlive) && !existsSync(started.dir), {
      what: 'the reaper to end the orphaned components and remove their folder',
      timeoutMs: 30_000,
    });
  });
});
