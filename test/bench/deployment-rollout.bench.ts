// A 100-replica rolling update, run by kube-controller-manager's Deployment controller and by ours on
// the same cluster: time to complete and API requests made. Requests are counted from the
// apiserver's audit log (metadata level, only the two benchmark namespaces), by user agent, so
// each side counts exactly its own calls.
//
// One cluster, one Deployment per side, and BENCH_ROLLOUT_TRIALS (default 3) rolling updates each,
// alternating which side goes first (trial 1: peer first, trial 2: ours first, ...), so neither
// side always runs on the warmer or the busier cluster. Both sides get the same sequence of
// templates. Reported: each trial, the median per side, and the ratio of the medians.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Client } from '../../sdk/client/client.ts';
import { kinds } from '../../sdk/client/resource-kind.ts';
import { startControlPlane, waitUntil } from '../../sdk/testing/index.ts';
import {
  completeAt,
  deploymentObject,
  readSummary,
  workloadKinds,
  type Flavor,
} from '../support/deployment-parity.ts';
import { installGeneratedCrds } from '../support/install-crds.ts';
import type { BenchTable, Benchmark } from './bench-table.ts';
import { countRequests, namespaceAuditLog, total } from './audit-log.ts';
import { comparisonTables, UNTHROTTLED_CONTROLLER_MANAGER_ARGS, type Trial } from './peer-comparison.ts';

const REPLICAS = Number(process.env['BENCH_ROLLOUT_REPLICAS'] ?? 100);
const TRIALS = Math.max(1, Number(process.env['BENCH_ROLLOUT_TRIALS'] ?? 3));
/** Where to keep a copy of the audit log, for a closer look at the requests (timeline, names). */
const KEEP_AUDIT_LOG = process.env['BENCH_ROLLOUT_AUDIT_LOG'];
const LOG_FILE = process.env['BENCH_ROLLOUT_LOG'];
/** Where the operator process writes a V8 CPU profile (`--cpu-prof`), if set. */
const CPU_PROFILE_DIR = process.env['BENCH_ROLLOUT_CPU_PROFILE'];
const operatorMain = fileURLToPath(new URL('../../operators/deployment/main.ts', import.meta.url));
const namespaceOf = (flavor: Flavor) => `rollout-${flavor}`;
const userAgentOf = (flavor: Flavor) => (flavor === 'built-in' ? 'kube-controller-manager' : 'typerator');
// (the operator's client sends the SDK's default user agent, `typerator`)
const labelOf = (flavor: Flavor) =>
  flavor === 'built-in' ? 'kube-controller-manager (peer)' : 'typerator operator';

const benchmark: Benchmark = {
  name: 'deployment rolling update',
  async run(): Promise<BenchTable[]> {
    const folder = mkdtempSync(join(tmpdir(), 'typerator-rollout-bench-'));
    const { auditLog, apiServerArgs } = namespaceAuditLog(folder, [
      namespaceOf('built-in'),
      namespaceOf('typerator'),
    ]);
    const plane = await startControlPlane({
      tier: 'full',
      nodes: 3,
      apiServerArgs,
      controllerManagerArgs: [...UNTHROTTLED_CONTROLLER_MANAGER_ARGS],
    });
    // A user agent of its own, so the harness's reads never count as the operator's.
    const client = await Client.fromKubeConfig(plane.kubeConfig(), { userAgent: 'rollout-bench-harness' });
    let operator: ChildProcess | undefined;
    const trials = new Map<Flavor, Trial[]>([
      ['built-in', []],
      ['typerator', []],
    ]);
    try {
      await installGeneratedCrds(client);
      // Our operator runs as it is deployed, operators/deployment/main.ts in a process of its own,
      // as kube-controller-manager does: the harness's polling never shares its event loop.
      // BENCH_ROLLOUT_LOG=<file> keeps its log.
      operator = spawn(
        process.execPath,
        [...(CPU_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROFILE_DIR}`] : []), operatorMain],
        {
          env: {
            ...process.env,
            KUBECONFIG: plane.kubeconfigPath,
            METRICS_BIND_ADDRESS: 'off',
            HEALTH_PROBE_BIND_ADDRESS: 'off',
            ...(LOG_FILE ? { LOG_LEVEL: 'debug' } : {}),
          },
          stdio: ['ignore', LOG_FILE ? openSync(LOG_FILE, 'w') : 'ignore', 'inherit'],
        },
      );

      const labels = { app: 'rollout' };
      const template = (image: string) => ({
        metadata: { labels },
        spec: { containers: [{ name: 'app', image }] },
      });
      // The spec's complete rollout, judged only on a status that describes the updated spec: right
      // after an update, the revision annotation is new while the status still reports the previous
      // (complete) rollout, which would end the measurement at once.
      const complete = (flavor: Flavor, revision: string) => async () => {
        const { summary, current } = await readSummary(client, flavor, namespaceOf(flavor), 'rollout');
        return current && completeAt(revision, REPLICAS)(summary);
      };
      for (const flavor of ['built-in', 'typerator'] as const) {
        const namespace = namespaceOf(flavor);
        await client.resource(kinds.Namespace).create({ metadata: { name: namespace } });
        await client.resource(workloadKinds(flavor).deployment).create(
          deploymentObject(flavor, namespace, 'rollout', {
            replicas: REPLICAS,
            selector: { matchLabels: labels },
            template: template('nginx:1.26'),
          }),
        );
        await waitUntil(complete(flavor, '1'), {
          what: `${flavor} initial rollout`,
          timeoutMs: 600_000,
          intervalMs: 200,
        });
      }

      for (let trial = 0; trial < TRIALS; trial++) {
        const order: readonly Flavor[] =
          trial % 2 === 0 ? ['built-in', 'typerator'] : ['typerator', 'built-in'];
        for (const flavor of order) {
          const namespace = namespaceOf(flavor);
          const deployments = client.resource(workloadKinds(flavor).deployment);
          // Let trailing writes of the previous rollout finish before the measured window opens.
          await new Promise((resolve) => setTimeout(resolve, 2_000));
          const current = await deployments.get({ namespace, name: 'rollout' });
          const startedAt = Date.now();
          const started = performance.now();
          await deployments.update({
            ...current,
            spec: { ...current.spec, template: template(`nginx:1.${27 + trial}`) },
          });
          await waitUntil(complete(flavor, String(trial + 2)), {
            what: `${flavor} rolling update ${trial + 1}`,
            timeoutMs: 600_000,
            intervalMs: 100,
          });
          const seconds = (performance.now() - started) / 1000;
          // Count to 2 s after completion, the same for both, so final status writes are included.
          await new Promise((resolve) => setTimeout(resolve, 2_000));
          const requests = countRequests(
            auditLog,
            { namespace, userAgent: userAgentOf(flavor) },
            startedAt,
            Date.now(),
          );
          trials.get(flavor)?.push({ seconds, requests });
          console.error(
            `  trial ${trial + 1}, ${flavor}: ${seconds.toFixed(2)} s, ${total(requests)} requests (from ${new Date(startedAt).toISOString()})`,
          );
        }
      }
    } finally {
      if (operator && operator.exitCode === null) {
        const exited = new Promise((resolve) => operator?.once('exit', resolve));
        operator.kill('SIGTERM');
        await exited;
      }
      client.close();
      await plane.stop();
      if (KEEP_AUDIT_LOG) copyFileSync(auditLog, KEEP_AUDIT_LOG);
      rmSync(folder, { recursive: true, force: true });
    }
    return comparisonTables({
      title: `Rolling update of a ${REPLICAS}-replica Deployment (25%/25%), same cluster (kwok nodes), ${TRIALS} alternating trial(s) per side`,
      timeColumn: 'seconds to complete',
      peer: { label: labelOf('built-in'), trials: trials.get('built-in') ?? [] },
      ours: { label: labelOf('typerator'), trials: trials.get('typerator') ?? [] },
      trials: TRIALS,
      notes: [
        'Trials alternate which side goes first; each trial rolls both Deployments to the same new template.',
        'kube-controller-manager runs with --kube-api-qps=1000 --kube-api-burst=1000 (default 20/30), so neither side is throttled client-side.',
        "Requests are the Deployment and ReplicaSet controllers' own calls in the benchmark namespace, from the audit log by user agent; scheduler and kwok calls are the same for both and not counted.",
      ],
    });
  },
};
export default benchmark;
