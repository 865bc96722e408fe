import type { Manager } from '../../sdk/manager/manager.ts';
import type { Operator } from '../../sdk/runner/operator.ts';
import { setupApiSlaController, type ApiSlaControllerOptions } from './controllers/apisla-controller.ts';

/**
 * Registers the SLA operator on a manager: the ApiSla controller. Bad terse forms are refused by
 * the CRD's schema (CEL rules naming the field), so there is no webhook to serve.
 * `typerator rbac generate --entry operators/sla/operator.ts` derives the ClusterRole from it.
 */
export function setup(manager: Manager, options: ApiSlaControllerOptions = {}): void {
  setupApiSlaController(manager, options);
}

/** The SLA operator as the runner registers it (`--operators sla`). */
export const slaOperator: Operator = { name: 'sla', setup: (manager) => setup(manager) };
