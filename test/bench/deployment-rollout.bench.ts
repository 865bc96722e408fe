// A 100-replica rolling update, run by kube-controller-manager's Deployment controller and by ours on
// the same cluster: time to complete and API requests made. Requests are counted from the
// apiserver's audit log (metadata level, only the two benchmark namespaces), by user agent, so
// each side counts exactly its own calls.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { Client } from '../../sdk/client/client.ts';
import { kinds } from '../../sdk/client/resource-kind.ts';
import { Manager } from '../../sdk/manager/manager.ts';
import { startControlPlane, waitUntil } from '../../sdk/testing/index.ts';
import { setupDeploymentController } from '../../operators/deployment/controllers/deployment-controller.ts';
import { setupReplicaSetController } from '../../operators/deployment/controllers/replica-set-controller.ts';
import { deploymentObject, summarize, workloadKinds, type Flavor } from '../support/deployment-parity.ts';
import { installGeneratedCrds } from '../support/install-crds.ts';
import type { BenchTable, Benchmark } from './bench-table.ts';

const REPLICAS = Number(process.env['BENCH_ROLLOUT_REPLICAS'] ?? 100);
const namespaceOf = (flavor: Flavor) => `rollout-${flavor}`;
const userAgentOf = (flavor: Flavor) => (flavor === 'built-in' ? 'kube-controller-manager' : 'typerator');
// (the operator's client sends the SDK's default user agent, `typerator`)

interface AuditEvent {
  readonly stage?: string;
  readonly verb?: string;
  readonly userAgent?: string;
  readonly objectRef?: { namespace?: string };
  readonly requestReceivedTimestamp?: string;
}

function countRequests(auditLog: string, flavor: Flavor, from: number, to: number): number {
  let count = 0;
  for (const line of readFileSync(auditLog, 'utf8').split('\n')) {
    if (!line) continue;
    const event = JSON.parse(line) as AuditEvent;
    const at = Date.parse(event.requestReceivedTimestamp ?? '');
    if (event.stage !== 'ResponseComplete' || event.verb === 'watch') continue;
    if (
      event.objectRef?.namespace !== namespaceOf(flavor) ||
      !(event.userAgent ?? '').startsWith(userAgentOf(flavor))
    )
      continue;
    if (at >= from && at <= to) count++;
  }
  return count;
}

const benchmark: Benchmark = {
  name: 'deployment rolling update',
  async run(): Promise<BenchTable> {
    const folder = mkdtempSync(join(tmpdir(), 'typerator-rollout-bench-'));
    const policy = join(folder, 'audit-policy.yaml');
    const auditLog = join(folder, 'audit.log');
    writeFileSync(
      policy,
      [
        'apiVersion: audit.k8s.io/v1',
        'kind: Policy',
        'omitStages: [RequestReceived]',
        'rules:',
        `  - level: Metadata`,
        `    namespaces: [${namespaceOf('built-in')}, ${namespaceOf('typerator')}]`,
        '  - level: None',
        '',
      ].join('\n'),
    );
    const plane = await startControlPlane({
      tier: 'full',
      nodes: 3,
      apiServerArgs: [
        `--audit-policy-file=${policy}`,
        `--audit-log-path=${auditLog}`,
        '--audit-log-format=json',
        '--audit-log-mode=blocking',
      ],
      // kube-controller-manager throttles itself to 20 requests/s by default; our client does not
      // throttle, so lift its limit to compare the controllers rather than the rate limits.
      controllerManagerArgs: ['--kube-api-qps=1000', '--kube-api-burst=1000'],
    });
    // A user agent of its own, so the harness's reads never count as the operator's.
    const client = await Client.fromKubeConfig(plane.kubeConfig(), { userAgent: 'rollout-bench-harness' });
    const stop = new AbortController();
    let running: Promise<void> | undefined;
    const rows: (string | number)[][] = [];
    const measured = new Map<Flavor, { seconds: number; requests: number }>();
    try {
      await installGeneratedCrds(client);
      const manager = await Manager.create({
        kubeConfig: plane.kubeConfig(),
        metricsBindAddress: false,
        healthProbeBindAddress: false,
        logger: pino({ level: 'error' }),
      });
      setupReplicaSetController(manager);
      setupDeploymentController(manager);
      running = manager.start(stop.signal);

      const labels = { app: 'rollout' };
      const template = (image: string) => ({
        metadata: { labels },
        spec: { containers: [{ name: 'app', image }] },
      });
      for (const flavor of ['built-in', 'typerator'] as const) {
        const namespace = namespaceOf(flavor);
        await client.resource(kinds.Namespace).create({ metadata: { name: namespace } });
        const deployments = client.resource(workloadKinds(flavor).deployment);
        await deployments.create(
          deploymentObject(flavor, namespace, 'rollout', {
            replicas: REPLICAS,
            selector: { matchLabels: labels },
            template: template('nginx:1.26'),
          }),
        );
        const complete = (revision: string) => async () => {
          const s = await summarize(client, flavor, namespace, 'rollout');
          return (
            s.revision === revision &&
            s.status['updatedReplicas'] === REPLICAS &&
            s.status['availableReplicas'] === REPLICAS &&
            s.status['replicas'] === REPLICAS &&
            s.pods === REPLICAS
          );
        };
        await waitUntil(complete('1'), {
          what: `${flavor} initial rollout`,
          timeoutMs: 600_000,
          intervalMs: 200,
        });
        // Let trailing status writes of the initial rollout finish before the measured window opens.
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        const current = await deployments.get({ namespace, name: 'rollout' });
        const startedAt = Date.now();
        const started = performance.now();
        await deployments.update({ ...current, spec: { ...current.spec, template: template('nginx:1.27') } });
        await waitUntil(complete('2'), {
          what: `${flavor} rolling update`,
          timeoutMs: 600_000,
          intervalMs: 100,
        });
        const seconds = (performance.now() - started) / 1000;
        // Count to 2 s after completion, the same for both, so final status writes are included.
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        const requests = countRequests(auditLog, flavor, startedAt, Date.now());
        measured.set(flavor, { seconds, requests });
        rows.push([
          flavor === 'built-in' ? 'kube-controller-manager (peer)' : 'typerator operator',
          REPLICAS,
          seconds,
          requests,
        ]);
      }
    } finally {
      stop.abort();
      await running;
      client.close();
      await plane.stop();
      rmSync(folder, { recursive: true, force: true });
    }
    const peer = measured.get('built-in');
    const ours = measured.get('typerator');
    return {
      title: `Rolling update of a ${REPLICAS}-replica Deployment (25%/25%), same cluster (kwok nodes), one run each`,
      columns: ['controller', 'replicas', 'seconds to complete', 'API requests (non-watch)'],
      rows,
      notes: [
        peer && ours
          ? `typerator: time ${(ours.seconds / peer.seconds).toFixed(2)}×, requests ${(ours.requests / peer.requests).toFixed(2)}× kube-controller-manager's (goal: at most 1.1× each)`
          : 'incomplete run',
        'kube-controller-manager runs with --kube-api-qps=1000 --kube-api-burst=1000 (default 20/30), so neither side is throttled client-side.',
        "Requests are the Deployment and ReplicaSet controllers' own calls in the benchmark namespace, from the audit log by user agent; scheduler and kwok calls are the same for both and not counted.",
      ],
    };
  },
};
export default benchmark;
