import type { Manager } from '../../sdk/manager/manager.ts';
import {
  setupStatefulSetController,
  type StatefulSetControllerOptions,
} from './controllers/statefulset-controller.ts';

/** What the StatefulSet operator runs. */
export type StatefulSetOperatorOptions = StatefulSetControllerOptions;

/**
 * Registers the StatefulSet operator on a manager: the StatefulSet controller (no admission
 * webhooks yet). `typerator rbac generate --entry operators/statefulset/operator.ts` derives the
 * ClusterRole from it.
 */
export function setup(manager: Manager, options: StatefulSetOperatorOptions = {}): Promise<void> {
  setupStatefulSetController(manager, options);
  return Promise.resolve();
}
