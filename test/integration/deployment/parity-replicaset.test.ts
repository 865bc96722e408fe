// ReplicaSet parity (spec §5, scenarios 24 and 25): slow-start creation under a pod quota, and the
// order in which surplus pods are deleted, each run on the built-in controller and on ours with
// identical inputs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1Pod, V1PodCondition } from '@kubernetes/client-node';
import type { Client } from '../../../sdk/client/client.ts';
import { kinds } from '../../../sdk/client/resource-kind.ts';
import { waitUntil } from '../../../sdk/testing/index.ts';
import {
  NEVER_LABEL,
  parity,
  podTemplate,
  replicaSetObject,
  parityEnvironmentForSuite,
  startRun,
  type FlavorRun,
  type WorkloadObject,
} from '../../support/deployment-parity.ts';

type Condition = NonNullable<NonNullable<WorkloadObject['status']>['conditions']>[number];

/** The ReplicaSet's status with absent counters as 0 (apps/v1 omits zeros; our CRD writes them). */
function rsStatus(rs: WorkloadObject): Record<string, number> {
  const s = (rs.status ?? {}) as Record<string, unknown>;
  const count = (key: string) => (typeof s[key] === 'number' ? s[key] : 0);
  return {
    replicas: count('replicas'),
    fullyLabeledReplicas: count('fullyLabeledReplicas'),
    readyReplicas: count('readyReplicas'),
    availableReplicas: count('availableReplicas'),
    observedGeneration: count('observedGeneration'),
  };
}

const replicaFailure = (rs: WorkloadObject): Condition | undefined =>
  rs.status?.conditions?.find((c) => c.type === 'ReplicaFailure');

/** Generated pod names (`<rs>-` and five characters) replaced by X, so the flavors compare. */
const withoutPodNames = (text: string, rsName: string) =>
  text.replace(new RegExp(`\\b${rsName}-[bcdfghjklmnpqrstvwxz2456789]{5}\\b`, 'g'), 'X');

/**
 * The ReplicaSet's events with a reason in `reasons`, as `Type Reason: message` with generated pod
 * names replaced by X, each repeated `count` times, sorted. client-go's event correlator marks the
 * 10th and later similar events "(combined from similar events)"; that prefix is the recorder's,
 * not the controller's, and is dropped.
 */
async function replicaSetEvents(
  client: Client,
  namespace: string,
  rsName: string,
  reasons: readonly string[],
): Promise<string[]> {
  const events = await client.resource(kinds.Event).list({ namespace });
  return events.items
    .filter(
      (e) =>
        e.involvedObject.kind === 'ReplicaSet' &&
        e.involvedObject.name === rsName &&
        reasons.includes(e.reason ?? ''),
    )
    .flatMap((e) => {
      const message = (e.message ?? '').replace(/^\(combined from similar events\): /, '');
      const text = `${e.type ?? ''} ${e.reason ?? ''}: ${withoutPodNames(message, rsName)}`;
      return Array.from({ length: e.count ?? 1 }, () => text);
    })
    .sort();
}

/**
 * {@link replicaSetEvents} once there are `count` of them: both controllers write events
 * asynchronously, so the last ones can land after the state they describe.
 */
function settledReplicaSetEvents(
  client: Client,
  run: FlavorRun,
  rsName: string,
  reasons: readonly string[],
  count: number,
): Promise<string[]> {
  return waitUntil(
    async () => {
      const events = await replicaSetEvents(client, run.namespace, rsName, reasons);
      return events.length >= count ? events : undefined;
    },
    { what: `${run.flavor} ${count} ${reasons.join('/')} events`, timeoutMs: 30_000, intervalMs: 100 },
  );
}

/** Polls the ReplicaSet until `done` returns something. */
function waitForReplicaSet<T>(
  run: FlavorRun,
  name: string,
  what: string,
  done: (rs: WorkloadObject) => T | undefined | Promise<T | undefined>,
): Promise<T> {
  return waitUntil(async () => done(await run.replicaSets.get({ namespace: run.namespace, name })), {
    what: `${run.flavor} ReplicaSet ${name}: ${what}`,
    timeoutMs: 60_000,
    intervalMs: 50,
  });
}

/** Pods in the run's namespace that are not being deleted. */
async function livePods(client: Client, run: FlavorRun): Promise<V1Pod[]> {
  const pods = await client.resource(kinds.Pod).list({ namespace: run.namespace });
  return pods.items.filter((p) => !p.metadata?.deletionTimestamp);
}

describe('ReplicaSet parity with kube-controller-manager', () => {
  const suite = parityEnvironmentForSuite();

  it('scenario 24: under a 2-pod quota a ReplicaSet of 10 creates 2 pods, reports FailedCreate, retries, and completes once the quota goes', () =>
    parity('24', async (flavor) => {
      const run = await startRun(suite.client, flavor, 'slow-start');
      const namespace = run.namespace;
      const quotas = suite.client.resource(kinds.ResourceQuota);
      await quotas.create({ metadata: { name: 'pods', namespace }, spec: { hard: { pods: '2' } } });
      // Quota admission enforces only once the resourcequota controller has computed the status.
      await waitUntil(
        async () => (await quotas.get({ namespace, name: 'pods' })).status?.hard?.['pods'] !== undefined,
        { what: `${flavor} quota status`, timeoutMs: 60_000, intervalMs: 50 },
      );

      const name = 'slow-start';
      const labels = { app: 'slow-start' };
      await run.replicaSets.create(
        replicaSetObject(flavor, namespace, name, {
          replicas: 10,
          selector: { matchLabels: labels },
          template: podTemplate(labels, 'nginx:1.26'),
        }),
      );
      const failing = await waitForReplicaSet(run, name, 'ReplicaFailure and 2 pods', (rs) =>
        replicaFailure(rs) && rsStatus(rs)['replicas'] === 2 ? rs : undefined,
      );
      // Retried later (with backoff): a second failed create, still only 2 pods.
      await waitUntil(
        async () =>
          (await replicaSetEvents(suite.client, namespace, name, ['FailedCreate'])).length >= 2 &&
          run.podsCreated() >= 2
            ? true
            : undefined,
        { what: `${flavor} a retried create`, timeoutMs: 60_000, intervalMs: 50 },
      );
      const createdUnderQuota = run.podsCreated();
      const mostUnderQuota = run.maxLivePods();
      const failedCreates = new Set(await replicaSetEvents(suite.client, namespace, name, ['FailedCreate']));
      const condition = replicaFailure(failing);
      const failure = {
        type: condition?.type,
        status: condition?.status,
        reason: condition?.reason,
        message: withoutPodNames(condition?.message ?? '', name),
      };

      await quotas.delete({ namespace, name: 'pods' });
      const done = await waitForReplicaSet(run, name, '10 ready pods, condition cleared', (rs) => {
        const s = rsStatus(rs);
        return s['replicas'] === 10 &&
          s['availableReplicas'] === 10 &&
          s['observedGeneration'] === rs.metadata?.generation &&
          !replicaFailure(rs)
          ? rs
          : undefined;
      });
      const pods = await livePods(suite.client, run);
      run.close();
      assert.equal(createdUnderQuota, 2, `${flavor}: pods created while the quota allowed 2`);
      assert.equal(mostUnderQuota, 2, `${flavor}: most pods while the quota allowed 2`);
      assert.equal(pods.length, 10, `${flavor}: pods at the end`);
      return {
        summaries: [],
        revisions: [],
        // One event per created pod.
        events: await settledReplicaSetEvents(
          suite.client,
          run,
          name,
          ['SuccessfulCreate'],
          run.podsCreated(),
        ),
        extra: {
          failure,
          // How many retries happen before the quota goes depends on timing: compare the texts.
          failedCreates: [...failedCreates],
          status: rsStatus(done),
          conditions: done.status?.conditions ?? [],
          podsCreated: run.podsCreated(),
          maxLivePods: run.maxLivePods(),
        },
      };
    }));

  it('scenario 25: scaling 6 → 2 → 1 deletes unscheduled, Pending, not-ready, then by ready time; deletion cost keeps a pod longest', () =>
    parity('25', async (flavor) => {
      const run = await startRun(suite.client, flavor, 'ranking');
      const namespace = run.namespace;
      const podsApi = suite.client.resource(kinds.Pod);
      const labels = { app: 'ranking' };
      const now = Date.now();
      const ago = (seconds: number) => new Date(now - seconds * 1000);

      // Each role is one pod, named after it. Every scheduled pod but `ready-1h` shares a node,
      // so node ranks would differ if the ReplicaSet (which has no owner) counted any.
      interface Role {
        name: string;
        node?: string;
        phase?: 'Pending' | 'Running';
        /** Ready since this many seconds ago; not ready when absent. */
        readyFor?: number;
        restarts?: number;
        cost?: string;
      }
      const roles: Role[] = [
        { name: 'unscheduled' },
        { name: 'pending', node: 'kwok-node-0', phase: 'Pending' },
        { name: 'not-ready', node: 'kwok-node-0', phase: 'Running' },
        { name: 'cost-100', node: 'kwok-node-0', phase: 'Running', readyFor: 60, cost: '100' },
        { name: 'ready-1h', node: 'kwok-node-1', phase: 'Running', readyFor: 3600 },
        // Ready longer (another log2 bucket) but restarted: the ready time decides first.
        { name: 'restarted', node: 'kwok-node-0', phase: 'Running', readyFor: 7200, restarts: 3 },
      ];
      const template = podTemplate(labels, 'nginx:1.26');
      for (const role of roles) {
        await podsApi.create({
          metadata: {
            name: role.name,
            namespace,
            labels: { ...labels, role: role.name },
            ...(role.cost
              ? { annotations: { 'controller.kubernetes.io/pod-deletion-cost': role.cost } }
              : {}),
          },
          spec: {
            ...template.spec,
            containers: template.spec?.containers ?? [],
            ...(role.node ? { nodeName: role.node } : { nodeSelector: { [NEVER_LABEL]: 'ranking' } }),
          },
        });
      }
      // kwok starts scheduled pods once (Running, Ready, a pod IP) and leaves a pod with an IP
      // alone: wait for that, then write the status each role needs.
      for (const role of roles) {
        if (!role.node || !role.phase) continue;
        await waitUntil(
          async () => (await podsApi.get({ namespace, name: role.name })).status?.podIP !== undefined,
          { what: `${flavor} pod ${role.name} started by kwok`, timeoutMs: 60_000, intervalMs: 50 },
        );
        const ready = role.readyFor !== undefined;
        const since = ago(role.readyFor ?? 0);
        const started = ago(7300);
        const condition = (type: string, status: boolean, at: Date): V1PodCondition => ({
          type,
          status: status ? 'True' : 'False',
          lastTransitionTime: at,
        });
        await podsApi.patchStatus(
          { namespace, name: role.name },
          {
            status: {
              phase: role.phase,
              conditions: [
                condition('PodScheduled', true, started),
                condition('Initialized', true, started),
                condition('ContainersReady', ready, since),
                condition('Ready', ready, since),
              ],
              containerStatuses: [
                {
                  name: 'app',
                  image: 'nginx:1.26',
                  imageID: '',
                  ready,
                  started: role.phase === 'Running',
                  restartCount: role.restarts ?? 0,
                  state:
                    role.phase === 'Running'
                      ? { running: { startedAt: since } }
                      : { waiting: { reason: 'ContainerCreating' } },
                },
              ],
            },
          },
          { type: 'merge' },
        );
      }

      const name = 'ranking';
      const rs = await run.replicaSets.create(
        replicaSetObject(flavor, namespace, name, {
          replicas: 6,
          selector: { matchLabels: labels },
          template,
        }),
      );
      // Adopted all six, seen the statuses above (3 ready), created none.
      await waitForReplicaSet(run, name, 'adopted 6 pods, 3 ready', async (current) => {
        const s = rsStatus(current);
        const pods = await livePods(suite.client, run);
        const owned = pods.filter((p) =>
          p.metadata?.ownerReferences?.some((ref) => ref.controller && ref.uid === rs.metadata?.uid),
        );
        return s['replicas'] === 6 && s['readyReplicas'] === 3 && owned.length === 6 ? current : undefined;
      });

      const survivors: string[][] = [];
      for (const replicas of [2, 1]) {
        await run.replicaSets.scale({ namespace, name }, replicas);
        await waitForReplicaSet(run, name, `scaled to ${replicas}`, async (current) =>
          rsStatus(current)['replicas'] === replicas &&
          current.status?.observedGeneration === current.metadata?.generation &&
          (await livePods(suite.client, run)).length === replicas
            ? current
            : undefined,
        );
        survivors.push((await livePods(suite.client, run)).map((p) => p.metadata?.name ?? '').sort());
      }
      assert.equal(run.podsCreated(), roles.length, `${flavor}: the ReplicaSet created no pod`);
      run.close();
      return {
        summaries: [],
        revisions: [],
        // One event per deleted pod.
        events: await settledReplicaSetEvents(
          suite.client,
          run,
          name,
          ['SuccessfulDelete'],
          roles.length - 1,
        ),
        extra: { survivors },
      };
    }));

  it('pod churn (issue 14): 0 → 50 → 0 → 50 back to back, and reversed while creating and while deleting', () =>
    parity('churn', async (flavor) => {
      const run = await startRun(suite.client, flavor, 'churn');
      const name = 'churn';
      const labels = { app: 'churn' };
      await run.replicaSets.create(
        replicaSetObject(flavor, run.namespace, name, {
          replicas: 0,
          selector: { matchLabels: labels },
          template: podTemplate(labels, 'nginx:1.26'),
        }),
      );
      let generation = 1;
      const scale = async (replicas: number) => {
        await run.replicaSets.scale({ namespace: run.namespace, name }, replicas);
        generation++;
      };
      const settledAt = async (replicas: number) => {
        await waitForReplicaSet(run, name, `${replicas} available`, (rs) => {
          const s = rsStatus(rs);
          return s['replicas'] === replicas &&
            s['availableReplicas'] === replicas &&
            s['observedGeneration'] === generation
            ? rs
            : undefined;
        });
        await waitUntil(
          async () => ((await livePods(suite.client, run)).length === replicas ? true : undefined),
          {
            what: `${flavor} ${replicas} live pods`,
            timeoutMs: 60_000,
          },
        );
      };
      const created: number[] = [];
      await settledAt(0);

      // Back to back: the controller sees 50 first, and 50 again once its creations are observed.
      for (const replicas of [50, 0, 50]) await scale(replicas);
      await settledAt(50);
      created.push(run.podsCreated());

      // Down to 0 and back up while the deletions are under way.
      await scale(0);
      await waitUntil(async () => ((await livePods(suite.client, run)).length < 50 ? true : undefined), {
        what: `${flavor} deletions under way`,
        timeoutMs: 30_000,
        intervalMs: 5,
      });
      await scale(50);
      await settledAt(50);
      created.push(run.podsCreated());

      // A full cycle, each step settled: 50 deleted, 50 created.
      await scale(0);
      await settledAt(0);
      await scale(50);
      await settledAt(50);
      created.push(run.podsCreated());
      run.close();
      return { summaries: [], revisions: [], extra: { created, maxLive: run.maxLivePods() } };
    }));
});
