import type { Manager } from '../sdk/manager/manager.ts';
import type { Operator } from '../sdk/runner/operator.ts';
import { setupDeploymentController } from './deployment/controllers/deployment-controller.ts';
import { setupReplicaSetController } from './deployment/controllers/replica-set-controller.ts';
import { setupStatefulSetController } from './statefulset/controllers/statefulset-controller.ts';
import { appsV1Workloads } from './workload-api.ts';

/**
 * Drop-in mode: the example workload controllers reconcile the built-in apps/v1 Deployment,
 * ReplicaSet and StatefulSet, in place of kube-controller-manager's (run it with
 * `--controllers=*,-deployment,-replicaset,-statefulset`, or two controllers will fight over every
 * object). No admission webhooks: the apiserver defaults and validates the built-in kinds itself.
 * `typerator rbac generate --entry operators/drop-in.ts` derives the ClusterRole for this mode.
 */
export function setupDropIn(manager: Manager): void {
  setupReplicaSetController(manager, { api: appsV1Workloads });
  setupDeploymentController(manager, { api: appsV1Workloads });
  setupStatefulSetController(manager, { api: appsV1Workloads });
}

/** The module's operator entry, for `typerator rbac generate`. */
export const setup = setupDropIn;

/**
 * Drop-in mode as the runner registers it: `node operators/main.ts --operators apps-v1` (opt-in,
 * never run by default; it may run beside `deployment` and `statefulset`, whose controllers have
 * other names).
 */
export const dropInOperator: Operator = { name: 'apps-v1', optIn: true, setup: setupDropIn };
