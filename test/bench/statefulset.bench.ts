// An OrderedReady StatefulSet scaled from 0 to BENCH_STATEFULSET_PODS (default 50) pods and then
// rolled to a new image, run by kube-controller-manager's StatefulSet controller (apps/v1) and by
// ours (apps.typerator.dev/v1) on the same cluster: time to complete and API requests made.
//
// Each of BENCH_STATEFULSET_TRIALS (default 3) trials starts a fresh full-tier control plane (kwok
// nodes; kube-controller-manager unthrottled) and runs our controller (setupStatefulSetController)
// on a Manager in this process beside it. Each side gets a namespace of its own with one set, made
// with 0 replicas; then, one side after the other (trial 1: built-in first, trial 2: ours first, ...):
//   - scale-up: replicas 0 → N, timed until status.replicas and readyReplicas are N with
//     observedGeneration current;
//   - rolling update: a new image, timed until currentRevision equals updateRevision with N updated
//     and ready replicas and observedGeneration current.
// Both are measured from just before the write until the harness's watch of the set reports the
// state. kwok marks a pod Ready within milliseconds of its binding, so an OrderedReady scale-up is a
// chain of N reactions (pod Ready → next pod created) and the update one of N (pod deleted →
// recreated → Ready → next pod deleted): the controller's reaction time per pod dominates.
//
// Requests are counted from the apiserver's audit log (metadata, the two namespaces only), by user
// agent and namespace, from the write until 2 s after completion: kube-controller-manager's in the
// built-in side's namespace, our manager's (a user agent of its own) in ours. The harness's client
// has a user agent of its own too. The notes add the median time between consecutive pod creations
// (scale-up) and deletions (update) from the same log: the per-pod reaction chain.
//
// BENCH_STATEFULSET_AUDIT_LOGS=<folder> keeps each trial's audit log there (trial-N.log). The
// controller runs in the bench process, so `node --cpu-prof test/bench/run.ts statefulset` profiles it
// (with the harness, which only writes twice per phase and follows one watch).
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from '../../sdk/client/client.ts';
import { isConflict } from '../../sdk/client/errors.ts';
import type { ResourceClient } from '../../sdk/client/resource-client.ts';
import { kinds, type ResourceKind } from '../../sdk/client/resource-kind.ts';
import { waitUntil } from '../../sdk/testing/index.ts';
import {
  API_VERSION,
  type StatefulSet,
  type StatefulSetSpec,
} from '../../operators/statefulset/api/types.ts';
import { statefulSetKind } from '../../operators/statefulset/kinds.ts';
import { setupStatefulSetController } from '../../operators/statefulset/controllers/statefulset-controller.ts';
import { installGeneratedCrds } from '../support/install-crds.ts';
import { startOperatorEnvironment } from '../support/operator-environment.ts';
import type { BenchTable, Benchmark } from './bench-table.ts';
import {
  auditEvents,
  countRequests,
  median,
  namespaceAuditLog,
  total,
  type RequestSource,
} from './audit-log.ts';
import { comparisonTables, UNTHROTTLED_CONTROLLER_MANAGER_ARGS, type Trial } from './peer-comparison.ts';

const PODS = Math.max(1, Number(process.env['BENCH_STATEFULSET_PODS'] ?? 50));
const TRIALS = Math.max(1, Number(process.env['BENCH_STATEFULSET_TRIALS'] ?? 3));
const KEEP_AUDIT_LOGS = process.env['BENCH_STATEFULSET_AUDIT_LOGS'];
/** How long one phase may take. */
const PHASE_TIMEOUT_MS = 10 * 60_000;
/** Quiet time before each measured write, and counted after each completion (final status writes). */
const SETTLE_MS = 2_000;
const NAME = 'bench';

type Flavor = 'built-in' | 'typerator';
type Phase = 'scale-up' | 'update';
const phases: readonly Phase[] = ['scale-up', 'update'];

/** Our manager's user agent, so that neither the harness's nor any other client's calls count as its. */
const OPERATOR_USER_AGENT = 'typerator-statefulset-bench-operator';
const namespaceOf = (flavor: Flavor) => `sts-${flavor}`;
const sourceOf = (flavor: Flavor): RequestSource => ({
  namespace: namespaceOf(flavor),
  userAgent: flavor === 'built-in' ? 'kube-controller-manager' : OPERATOR_USER_AGENT,
});
const labelOf = (flavor: Flavor) =>
  flavor === 'built-in' ? 'kube-controller-manager (peer)' : 'typerator StatefulSet controller';

/** apps/v1's StatefulSet has the fields of ours this benchmark reads and writes. */
const kindOf = (flavor: Flavor): ResourceKind<StatefulSet> =>
  flavor === 'built-in' ? (kinds.StatefulSet as unknown as ResourceKind<StatefulSet>) : statefulSetKind;
const apiVersionOf = (flavor: Flavor) => (flavor === 'built-in' ? 'apps/v1' : API_VERSION);

const labels = { app: NAME };
const spec = (replicas: number, image: string): StatefulSetSpec => ({
  replicas,
  serviceName: NAME,
  podManagementPolicy: 'OrderedReady',
  selector: { matchLabels: labels },
  template: { metadata: { labels }, spec: { containers: [{ name: 'app', image }] } },
});

/** The status describes the spec the set has now (the generation the object carries). */
const observed = (set: StatefulSet) =>
  (set.status?.observedGeneration ?? 0) >= (set.metadata?.generation ?? 0);
// apps/v1 omits zero counters (Go omitempty) where our CRD status writes 0: absent means 0.
const scaledUp = (set: StatefulSet) =>
  observed(set) && (set.status?.replicas ?? 0) === PODS && (set.status?.readyReplicas ?? 0) === PODS;
const rolledOut = (set: StatefulSet) =>
  scaledUp(set) &&
  (set.status?.updatedReplicas ?? 0) === PODS &&
  !!set.status?.updateRevision &&
  set.status.currentRevision === set.status.updateRevision;
const created = (set: StatefulSet) => observed(set) && !!set.status?.updateRevision;

/**
 * Resolves once the set, as a watch from `resourceVersion` reports it, satisfies `done` (a set
 * whose generation is at least `generation`). A watch that ends or fails is replaced by a read and
 * a new watch from that read.
 */
async function waitForSet(
  sets: ResourceClient<StatefulSet>,
  namespace: string,
  resourceVersion: string,
  generation: number,
  done: (set: StatefulSet) => boolean,
  what: string,
): Promise<void> {
  const deadline = Date.now() + PHASE_TIMEOUT_MS;
  const satisfied = (set: StatefulSet) => (set.metadata?.generation ?? 0) >= generation && done(set);
  let from = resourceVersion;
  for (;;) {
    const remainingMs = deadline - Date.now();
    if (remainingMs <= 0) throw new Error(`timed out after ${PHASE_TIMEOUT_MS} ms waiting for ${what}`);
    const found = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => finish(false), remainingMs);
      const subscription = sets
        .watch({ namespace, fieldSelector: `metadata.name=${NAME}`, resourceVersion: from })
        .subscribe({
          next: (event) => {
            if (event.type === 'BOOKMARK') return;
            from = event.object.metadata?.resourceVersion ?? from;
            if (event.type !== 'DELETED' && satisfied(event.object)) finish(true);
          },
          error: () => finish(false),
          complete: () => finish(false),
        });
      function finish(result: boolean) {
        clearTimeout(timer);
        // (a synchronous first event would call this before `subscription` is assigned)
        queueMicrotask(() => subscription.unsubscribe());
        resolve(result);
      }
    });
    if (found) return;
    const current = await sets.get({ namespace, name: NAME });
    if (satisfied(current)) return;
    from = current.metadata?.resourceVersion ?? from;
  }
}

/** Read-modify-write of the set's spec, retried on conflicts; returns the written object. */
async function updateSpec(
  sets: ResourceClient<StatefulSet>,
  namespace: string,
  change: (spec: StatefulSetSpec) => StatefulSetSpec,
): Promise<StatefulSet> {
  for (;;) {
    const current = await sets.get({ namespace, name: NAME });
    try {
      return await sets.update({ ...current, spec: change(current.spec) });
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
  }
}

/** The median time between consecutive successful `verb` pods requests of the source in [from, to]. */
function medianPodStepMs(auditLog: string, source: RequestSource, verb: string, from: number, to: number) {
  const times = auditEvents(auditLog)
    .filter(
      (event) =>
        event.stage === 'ResponseComplete' &&
        event.verb === verb &&
        event.objectRef?.resource === 'pods' &&
        !event.objectRef.subresource &&
        event.objectRef.namespace === source.namespace &&
        (event.userAgent ?? '').startsWith(source.userAgent) &&
        (event.responseStatus?.code ?? 0) < 300,
    )
    .map((event) => Date.parse(event.requestReceivedTimestamp ?? ''))
    .filter((at) => at >= from && at <= to)
    .sort((a, b) => a - b);
  return median(times.slice(1).map((at, i) => at - (times[i] ?? at)));
}

interface Measurement extends Trial {
  /** Median ms between consecutive pod creations (scale-up) or deletions (update). */
  readonly podStepMs: number;
}

type Results = Map<Flavor, Map<Phase, Measurement[]>>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runTrial(trial: number, results: Results): Promise<void> {
  const order: readonly Flavor[] = trial % 2 === 0 ? ['built-in', 'typerator'] : ['typerator', 'built-in'];
  const folder = mkdtempSync(join(tmpdir(), 'typerator-statefulset-bench-'));
  const { auditLog, apiServerArgs } = namespaceAuditLog(folder, [
    namespaceOf('built-in'),
    namespaceOf('typerator'),
  ]);
  const env = await startOperatorEnvironment({
    plane: {
      tier: 'full',
      nodes: 3,
      apiServerArgs,
      controllerManagerArgs: [...UNTHROTTLED_CONTROLLER_MANAGER_ARGS],
    },
    manager: { client: { userAgent: OPERATOR_USER_AGENT } },
    prepare: (client) => installGeneratedCrds(client, (file) => file.startsWith('statefulsets.')),
    setup: (manager) => {
      setupStatefulSetController(manager);
    },
  });
  // A user agent of its own, so the harness's calls never count as a controller's.
  const client = await Client.fromKubeConfig(env.plane.kubeConfig(), {
    userAgent: 'statefulset-bench-harness',
  });
  try {
    for (const flavor of order) {
      const namespace = namespaceOf(flavor);
      await client.resource(kinds.Namespace).create({ metadata: { name: namespace } });
      // Pods are admitted only once the namespace's default service account exists.
      await waitUntil(() => client.resource(kinds.ServiceAccount).get({ namespace, name: 'default' }), {
        what: `the default service account in ${namespace}`,
        timeoutMs: 60_000,
      });
      const sets = client.resource(kindOf(flavor));
      const set = await sets.create({
        apiVersion: apiVersionOf(flavor),
        kind: 'StatefulSet',
        metadata: { name: NAME, namespace },
        spec: spec(0, 'nginx:1.26'),
      });
      await waitForSet(
        sets,
        namespace,
        set.metadata?.resourceVersion ?? '',
        set.metadata?.generation ?? 1,
        created,
        `${flavor}: the set's first status`,
      );
    }

    for (const flavor of order) {
      const namespace = namespaceOf(flavor);
      const sets = client.resource(kindOf(flavor));
      for (const phase of phases) {
        // Let trailing writes of the previous phase finish before the measured window opens.
        await sleep(SETTLE_MS);
        const startedAt = Date.now();
        const started = performance.now();
        const written = await updateSpec(sets, namespace, (current) =>
          phase === 'scale-up'
            ? { ...current, replicas: PODS }
            : { ...current, template: spec(PODS, 'nginx:1.27').template },
        );
        await waitForSet(
          sets,
          namespace,
          written.metadata?.resourceVersion ?? '',
          written.metadata?.generation ?? 0,
          phase === 'scale-up' ? scaledUp : rolledOut,
          `${flavor} ${phase} in trial ${trial + 1}`,
        );
        const seconds = (performance.now() - started) / 1000;
        // Count to SETTLE_MS after completion, the same for both, so final status writes are included.
        await sleep(SETTLE_MS);
        const endedAt = Date.now();
        const source = sourceOf(flavor);
        const requests = countRequests(auditLog, source, startedAt, endedAt);
        const podStepMs = medianPodStepMs(
          auditLog,
          source,
          phase === 'scale-up' ? 'create' : 'delete',
          startedAt,
          endedAt,
        );
        results.get(flavor)?.get(phase)?.push({ seconds, requests, podStepMs });
        console.error(
          `  trial ${trial + 1}, ${flavor} ${phase}: ${seconds.toFixed(2)} s, ${total(requests)} requests, ${podStepMs} ms between pod ${phase === 'scale-up' ? 'creations' : 'deletions'} (from ${new Date(startedAt).toISOString()})`,
        );
      }
    }
  } finally {
    client.close();
    await env.stop();
    if (KEEP_AUDIT_LOGS) {
      mkdirSync(KEEP_AUDIT_LOGS, { recursive: true });
      copyFileSync(auditLog, join(KEEP_AUDIT_LOGS, `trial-${trial + 1}.log`));
    }
    rmSync(folder, { recursive: true, force: true });
  }
}

const benchmark: Benchmark = {
  name: 'statefulset scale-up and rolling update',
  async run(): Promise<BenchTable[]> {
    const results: Results = new Map(
      (['built-in', 'typerator'] as const).map((flavor) => [
        flavor,
        new Map(phases.map((phase) => [phase, [] as Measurement[]])),
      ]),
    );
    for (let trial = 0; trial < TRIALS; trial++) await runTrial(trial, results);

    const runs = (flavor: Flavor, phase: Phase) => results.get(flavor)?.get(phase) ?? [];
    const steps = (phase: Phase) =>
      `median time between consecutive pod ${phase === 'scale-up' ? 'creations' : 'deletions'} (audit log, median of the trials): ` +
      `kube-controller-manager ${median(runs('built-in', phase).map((r) => r.podStepMs))} ms, ` +
      `typerator ${median(runs('typerator', phase).map((r) => r.podStepMs))} ms.`;
    const common = [
      'A fresh full-tier control plane per trial (3 kwok nodes); trials alternate which side goes first.',
      'kube-controller-manager runs with --kube-api-qps=1000 --kube-api-burst=1000 (default 20/30), so neither side is throttled client-side; our controller runs on a Manager in the bench process.',
      "Requests are each controller's own non-watch calls in its namespace from the write until 2 s after completion, from the audit log by user agent; scheduler and kwok calls are the same for both and not counted.",
    ];
    return [
      ...comparisonTables({
        title: `OrderedReady StatefulSet scale-up 0 → ${PODS} pods, until ${PODS} ready, same cluster (kwok nodes), ${TRIALS} alternating trial(s) per side`,
        timeColumn: 'seconds to complete',
        peer: { label: labelOf('built-in'), trials: runs('built-in', 'scale-up') },
        ours: { label: labelOf('typerator'), trials: runs('typerator', 'scale-up') },
        trials: TRIALS,
        notes: [steps('scale-up'), ...common],
        breakdownTitle: `Scale-up: API requests by verb and resource, summed over the ${TRIALS} trial(s)`,
      }),
      ...comparisonTables({
        title: `Rolling update of a ${PODS}-pod OrderedReady StatefulSet (new image), until currentRevision = updateRevision, same cluster, ${TRIALS} alternating trial(s) per side`,
        timeColumn: 'seconds to complete',
        peer: { label: labelOf('built-in'), trials: runs('built-in', 'update') },
        ours: { label: labelOf('typerator'), trials: runs('typerator', 'update') },
        trials: TRIALS,
        notes: [steps('update'), ...common],
        breakdownTitle: `Rolling update: API requests by verb and resource, summed over the ${TRIALS} trial(s)`,
      }),
    ];
  },
};
export default benchmark;
