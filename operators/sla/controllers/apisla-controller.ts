import type { KubernetesObject, V1OwnerReference, V1PodTemplateSpec } from '@kubernetes/client-node';
import { isNotFound } from '../../../sdk/client/errors.ts';
import { resourceKind, kinds } from '../../../sdk/client/resource-kind.ts';
import { errorMessage } from '../../../sdk/controller/error-message.ts';
import { generationChanged } from '../../../sdk/controller/predicates.ts';
import {
  ignoreNotFound,
  requeueAfter,
  requestKey,
  type ReconcileContext,
  type Request,
  type Result,
} from '../../../sdk/controller/reconcile.ts';
import type { Manager } from '../../../sdk/manager/manager.ts';
import type { ApiSla, ApiSlaStatus } from '../api/types.ts';
import { apiSlaKind, horizontalPodAutoscalerKind } from '../kinds.ts';
import { replicaCost, pricingFromConfigMap, type ReplicaCost } from '../logic/cost-model.ts';
import { decide, type Decision } from '../logic/decide.ts';
import type { SlaConditionValue } from '../logic/conditions.ts';
import type { SlaObservation, TargetConflict } from '../logic/observation.ts';
import { resolveSettings, type SlaSettings } from '../logic/settings.ts';
import { SlaSpecError } from '../logic/spec-error.ts';
import { buildStatus, mergeConditions } from '../logic/status.ts';
import { PrometheusClient } from '../observe/prometheus-client.ts';
import { readMetrics } from '../observe/read-metrics.ts';
import {
  checkNamedTarget,
  describeWorkload,
  findScaleTarget,
  type TargetResolution,
  type WorkloadRef,
} from '../observe/scale-target.ts';

const CONTROLLER = 'apisla';
/** How soon a target that could not be found is looked for again. */
const TARGET_RETRY_MS = 15_000;

/** The parts of a Deployment, StatefulSet or ReplicaSet the operator reads. */
interface Workload extends KubernetesObject {
  spec?: { template?: V1PodTemplateSpec };
  status?: { readyReplicas?: number };
}

/** Options of the ApiSla controller. */
export interface ApiSlaControllerOptions {
  /** Workers; default 2 (each evaluation mostly waits for Prometheus). */
  readonly concurrency?: number;
  /** How long one Prometheus query may take; default 5 s. */
  readonly queryTimeoutMs?: number;
}

const workloadKind = (ref: WorkloadRef) =>
  resourceKind<Workload>(ref.apiVersion, ref.kind, `${ref.kind.toLowerCase()}s`);
const targetKey = (namespace: string, ref: WorkloadRef) =>
  `${namespace}/${ref.apiVersion}/${ref.kind}/${ref.name}`;
const groupOf = (apiVersion: string | undefined) =>
  apiVersion?.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';

/** Which of two ApiSlas on one workload came first: it keeps the workload, the other refuses. */
function isOlder(a: ApiSla, b: ApiSla): boolean {
  const at = String(a.metadata?.creationTimestamp ?? '');
  const bt = String(b.metadata?.creationTimestamp ?? '');
  if (at !== bt) return new Date(at).getTime() < new Date(bt).getTime();
  return (a.metadata?.name ?? '') < (b.metadata?.name ?? '');
}

/** Conditions that are bad news when False get a Warning event when they flip; the rest Normal. */
const eventType = (condition: SlaConditionValue) =>
  condition.status === 'False' && condition.type !== 'IndicatorExact' ? 'Warning' : 'Normal';

/**
 * Registers the ApiSla controller: every spec.interval it reads the indicator from Prometheus,
 * decides with the pure decision function, scales the target through its scale subresource
 * (Enforce mode) and writes a status a person can read.
 */
export function setupApiSlaController(manager: Manager, options: ApiSlaControllerOptions = {}): void {
  const slas = manager.client.resource(apiSlaKind);
  const slaCache = manager.cache.informer(apiSlaKind);
  const podCache = manager.cache.informer(kinds.Pod);
  const recorder = manager.eventRecorder('apisla-controller');
  // Targets are found and scaled at run time, so the builder cannot see them: declare them.
  const workloadResources = ['deployments', 'statefulsets', 'replicasets'];
  manager.permit(
    { apiGroups: ['apps', 'apps.typerator.dev'], resources: workloadResources, verbs: ['get'] },
    {
      apiGroups: ['apps', 'apps.typerator.dev'],
      resources: workloadResources.map((resource) => `${resource}/scale`),
      verbs: ['get', 'update', 'patch'],
    },
    { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: ['list'] },
    { apiGroups: [''], resources: ['configmaps'], verbs: ['get'] },
    // Pods are only read from the cache, to find the workload behind the selector.
    { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
  );
  // The workload each ApiSla last resolved to, to tell which of two ApiSlas on one workload refuses.
  const resolvedTargets = new Map<string, string>();
  const prometheusClients = new Map<string, PrometheusClient>();
  const prometheusAt = (url: string) => {
    let client = prometheusClients.get(url);
    if (!client) {
      client = new PrometheusClient(url, options.queryTimeoutMs ? { timeoutMs: options.queryTimeoutMs } : {});
      prometheusClients.set(url, client);
    }
    return client;
  };

  async function resolveTarget(sla: ApiSla, settings: SlaSettings): Promise<TargetResolution> {
    if (settings.scaleTargetRef) return checkNamedTarget(settings.scaleTargetRef);
    const namespace = sla.metadata?.namespace ?? '';
    const selected = podCache.store
      .byIndex('namespace', namespace)
      .filter((pod) =>
        Object.entries(settings.selector).every(([key, value]) => pod.metadata?.labels?.[key] === value),
      );
    return findScaleTarget(selected, async (apiVersion, name): Promise<V1OwnerReference | undefined> => {
      try {
        const replicaSet = await manager.client
          .resource(resourceKind<Workload>(apiVersion, 'ReplicaSet', 'replicasets'))
          .get({ namespace, name });
        return replicaSet.metadata?.ownerReferences?.find((owner) => owner.controller === true);
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    });
  }

  async function findConflict(sla: ApiSla, target: WorkloadRef): Promise<TargetConflict | undefined> {
    const namespace = sla.metadata?.namespace ?? '';
    const hpas = await manager.client.resource(horizontalPodAutoscalerKind).list({ namespace });
    const hpa = hpas.items.find((item) => {
      const ref = item.spec?.scaleTargetRef;
      return (
        ref?.kind === target.kind &&
        ref.name === target.name &&
        groupOf(ref.apiVersion) === groupOf(target.apiVersion)
      );
    });
    if (hpa) return { kind: 'HorizontalPodAutoscaler', name: hpa.metadata?.name ?? '' };
    const mine = targetKey(namespace, target);
    const rival = slaCache.store
      .byIndex('namespace', namespace)
      .filter((other) => other.metadata?.uid !== sla.metadata?.uid && !other.metadata?.deletionTimestamp)
      .filter((other) => resolvedTargets.get(`${namespace}/${other.metadata?.name ?? ''}`) === mine)
      .find((other) => isOlder(other, sla));
    return rival ? { kind: 'ApiSla', name: rival.metadata?.name ?? '' } : undefined;
  }

  async function costOf(sla: ApiSla, settings: SlaSettings, workload: Workload): Promise<ReplicaCost> {
    const source = settings.pricing;
    const pricing =
      source.kind === 'prices'
        ? source
        : pricingFromConfigMap(
            source.name,
            (
              await manager.client
                .resource(kinds.ConfigMap)
                .get({ namespace: sla.metadata?.namespace ?? '', name: source.name })
            ).data,
            source,
          );
    return replicaCost(workload.spec?.template, pricing);
  }

  /** A status that says only why nothing could be evaluated (bad spec, no target). */
  function problemStatus(sla: ApiSla, reason: string, message: string, now: Date): ApiSlaStatus {
    const ready: SlaConditionValue = { type: 'Ready', status: 'False', reason, message };
    const kept = (sla.status?.conditions ?? []).filter((condition) => condition.type !== 'Ready');
    const { conditions } = mergeConditions(
      sla.status?.conditions,
      [ready],
      now.toISOString(),
      sla.metadata?.generation,
    );
    return {
      ...sla.status,
      ...(sla.metadata?.generation === undefined ? {} : { observedGeneration: sla.metadata.generation }),
      message,
      conditions: [...conditions, ...kept],
    };
  }

  async function writeStatus(sla: ApiSla, status: ApiSlaStatus): Promise<void> {
    if (JSON.stringify(status) === JSON.stringify(sla.status ?? {})) return;
    // The whole status is replaced, not merged: a merge patch cannot drop a key, so history entries
    // that end (lowBurnSince, ineffective), a new lastScaleUp (it kept the old one's checked: true
    // and skipped the effect check), limitedBy and the numbers of a failed reading would linger.
    await slas.patchStatus(keyOf(sla), [{ op: 'add', path: '/status', value: status }], { type: 'json' });
  }

  async function recordFlips(sla: ApiSla, flipped: readonly SlaConditionValue[]): Promise<void> {
    for (const condition of flipped)
      await recorder.record(
        sla,
        eventType(condition),
        `${condition.type}${condition.status === 'True' ? '' : condition.status}`,
        `${condition.type}=${condition.status} (${condition.reason}): ${condition.message}`,
      );
  }

  async function apply(
    sla: ApiSla,
    target: WorkloadRef,
    decision: Decision,
    context: ReconcileContext,
  ): Promise<void> {
    if (decision.action === 'Hold' || decision.desiredReplicas === decision.currentReplicas) return;
    if (decision.advisory) {
      // Advice is announced once per new recommendation, not every interval.
      const previous = sla.status?.lastDecision;
      if (previous?.to !== decision.desiredReplicas || previous.action !== decision.action)
        await recorder.record(sla, 'Normal', `Advise${decision.action}`, decision.message);
      return;
    }
    const namespace = sla.metadata?.namespace ?? '';
    await manager.client
      .resource(workloadKind(target))
      .scale({ namespace, name: target.name }, decision.desiredReplicas);
    context.logger.info(
      {
        target: describeWorkload(target),
        from: decision.currentReplicas,
        to: decision.desiredReplicas,
        reason: decision.reason,
      },
      'scaled',
    );
    await recorder.record(
      sla,
      'Normal',
      decision.action === 'ScaleUp' ? 'ScaledUp' : 'ScaledDown',
      `${describeWorkload(target)} ${decision.currentReplicas} → ${decision.desiredReplicas}: ${decision.message}`,
    );
  }

  async function reconcile(request: Request, context: ReconcileContext): Promise<Result | undefined> {
    const key = requestKey(request);
    const sla = slaCache.store.getByName(request.namespace, request.name);
    if (!sla || sla.metadata?.deletionTimestamp) {
      resolvedTargets.delete(key);
      return undefined;
    }
    const now = new Date();
    let settings: SlaSettings;
    try {
      settings = resolveSettings(sla.spec, sla.metadata?.generation);
    } catch (error) {
      if (!(error instanceof SlaSpecError)) throw error;
      // A bad spec waits for the user's next change; there is nothing to retry.
      await writeStatus(sla, problemStatus(sla, 'InvalidSpec', error.message, now));
      return undefined;
    }

    const resolution = await resolveTarget(sla, settings);
    if ('problem' in resolution) {
      resolvedTargets.delete(key);
      const status = problemStatus(sla, resolution.problem, resolution.message, now);
      await recordFlips(sla, flippedReady(sla, status));
      await writeStatus(sla, status);
      return requeueAfter(Math.min(settings.intervalMs, TARGET_RETRY_MS));
    }
    const target = resolution.target;
    resolvedTargets.set(key, targetKey(request.namespace ?? '', target));

    const namespace = request.namespace ?? '';
    const workloads = manager.client.resource(workloadKind(target));
    let workload: Workload;
    let currentReplicas: number;
    try {
      [workload, currentReplicas] = await Promise.all([
        workloads.get({ namespace, name: target.name }),
        workloads.getScale({ namespace, name: target.name }).then((scale) => scale.spec?.replicas ?? 0),
      ]);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      const message = `${describeWorkload(target)} does not exist; create it or fix spec.scaleTargetRef`;
      await writeStatus(sla, problemStatus(sla, 'TargetNotFound', message, now));
      return requeueAfter(Math.min(settings.intervalMs, TARGET_RETRY_MS));
    }

    let cost: ReplicaCost | undefined;
    try {
      cost = await costOf(sla, settings, workload);
    } catch (error) {
      context.logger.warn({ err: errorMessage(error) }, 'cannot price a replica');
    }
    const [conflict, reading] = await Promise.all([
      findConflict(sla, target),
      readMetrics(prometheusAt(settings.prometheus.url), settings, now),
    ]);
    const observation: SlaObservation = {
      metrics: reading.metrics,
      boundary: reading.boundary,
      replicas: { current: currentReplicas, ready: workload.status?.readyReplicas ?? 0 },
      cost,
      conflict,
    };
    const decision = decide({ settings, observation, history: sla.status?.history, now });
    await apply(sla, target, decision, context);
    const { status, flipped } = buildStatus({ settings, observation, decision, previous: sla.status, now });
    await recordFlips(sla, flipped);
    await writeStatus(sla, status);
    return requeueAfter(settings.intervalMs);
  }

  manager
    .controller(CONTROLLER)
    // Status writes must not trigger an evaluation: each one changes the status again (new burn
    // rates), so every write would start the next evaluation at once instead of after spec.interval.
    .for(apiSlaKind, { predicates: [generationChanged] })
    .concurrency(options.concurrency ?? 2)
    .complete(ignoreNotFound(reconcile));
}

function keyOf(sla: ApiSla) {
  return { namespace: sla.metadata?.namespace, name: sla.metadata?.name ?? '' };
}

/** The Ready condition as it flips when only a problem is reported. */
function flippedReady(sla: ApiSla, status: ApiSlaStatus): SlaConditionValue[] {
  const before = sla.status?.conditions?.find((condition) => condition.type === 'Ready');
  const after = status.conditions?.find((condition) => condition.type === 'Ready');
  if (!after || before?.status === after.status) return [];
  return [{ type: 'Ready', status: after.status, reason: after.reason ?? '', message: after.message ?? '' }];
}
