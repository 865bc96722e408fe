import type { StatefulSet, StatefulSetUpdateStrategy } from '../api/types.ts';
import { STATEFUL_SET_DEFAULTS } from '../logic/statefulset-spec.ts';

// The apps/v1 defaulting of a StatefulSet (SetDefaults_StatefulSet with 1.34's default gates),
// written into the stored object so users and `kubectl get -o yaml` see the values the controller
// acts on. Like the Deployment webhook, the pod template is left as written (the apiserver's pod
// defaults are not applied), and so are the claim templates.

// An empty string counts as unset, as Go's `len(x) == 0` does; the request may hold one whatever
// the types say.
const isUnset = (value: string | undefined): boolean => value === undefined || value === '';
const orDefault = <T extends string>(value: T | undefined, fallback: T): T =>
  value === undefined || isUnset(value) ? fallback : value;

/**
 * The update strategy as defaulting leaves it: no type at all becomes RollingUpdate with a
 * rollingUpdate block; a RollingUpdate block gets partition 0. An explicit `type: RollingUpdate`
 * without a block gets none (the quirk `rollingUpdateStrategy` in statefulset-spec.ts follows), and
 * OnDelete is left alone. maxUnavailable is not defaulted: MaxUnavailableStatefulSet is off in 1.34.
 */
function defaultUpdateStrategy(strategy: StatefulSetUpdateStrategy | undefined): StatefulSetUpdateStrategy {
  const typeUnset = isUnset(strategy?.type);
  const type = orDefault(strategy?.type, STATEFUL_SET_DEFAULTS.updateStrategyType);
  const block = strategy?.rollingUpdate ?? (typeUnset ? {} : undefined);
  const rollingUpdate =
    type === 'RollingUpdate' && block !== undefined
      ? { ...block, partition: block.partition ?? STATEFUL_SET_DEFAULTS.partition }
      : block;
  return { ...strategy, type, ...(rollingUpdate !== undefined ? { rollingUpdate } : {}) };
}

/**
 * A copy of the StatefulSet with apps/v1 defaults filled in: podManagementPolicy OrderedReady,
 * updateStrategy RollingUpdate with partition 0 (see {@link defaultUpdateStrategy} for when the
 * block is added), persistentVolumeClaimRetentionPolicy Retain/Retain (StatefulSetAutoDeletePVC is
 * GA), replicas 1 and revisionHistoryLimit 10. Values already set are kept; minReadySeconds and
 * ordinals stay unset, as upstream leaves them.
 */
export function defaultStatefulSet(set: StatefulSet): StatefulSet {
  const spec = set.spec;
  const retention = spec.persistentVolumeClaimRetentionPolicy;
  return {
    ...set,
    spec: {
      ...spec,
      podManagementPolicy: orDefault(spec.podManagementPolicy, STATEFUL_SET_DEFAULTS.podManagementPolicy),
      updateStrategy: defaultUpdateStrategy(spec.updateStrategy),
      persistentVolumeClaimRetentionPolicy: {
        ...retention,
        whenDeleted: orDefault(retention?.whenDeleted, STATEFUL_SET_DEFAULTS.retention),
        whenScaled: orDefault(retention?.whenScaled, STATEFUL_SET_DEFAULTS.retention),
      },
      replicas: spec.replicas ?? STATEFUL_SET_DEFAULTS.replicas,
      revisionHistoryLimit: spec.revisionHistoryLimit ?? STATEFUL_SET_DEFAULTS.revisionHistoryLimit,
    },
  };
}
