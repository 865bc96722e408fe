import type { Manager } from '../../sdk/manager/manager.ts';
import type { Operator } from '../../sdk/runner/operator.ts';
import { webhookOperatorOptions, webhooksToServe } from '../deployment/webhooks/webhook-environment.ts';
import {
  setupStatefulSetController,
  type StatefulSetControllerOptions,
} from './controllers/statefulset-controller.ts';
import {
  setupStatefulSetWebhooks,
  type StatefulSetWebhookOptions,
} from './webhooks/setup-statefulset-webhooks.ts';

/** What the StatefulSet operator runs: its controller, and the admission webhooks when asked. */
export interface StatefulSetOperatorOptions extends StatefulSetControllerOptions {
  /** Serve the admission webhooks (defaulting, validation) with these options; off when absent. */
  readonly webhooks?: StatefulSetWebhookOptions;
}

/** Environment variable naming the folder with the webhook serving pair (tls.crt, tls.key). */
export const WEBHOOK_CERT_DIR_ENV = 'STATEFULSET_OPERATOR_WEBHOOK_CERT_DIR';
/** Environment variable with the webhook port; default 9443. */
export const WEBHOOK_PORT_ENV = 'STATEFULSET_OPERATOR_WEBHOOK_PORT';

/** Options from the environment: webhooks are on when a certificate folder is named. */
export function operatorOptionsFromEnvironment(
  env: Readonly<Record<string, string | undefined>> = process.env,
): StatefulSetOperatorOptions {
  return webhookOperatorOptions(env, { certDir: WEBHOOK_CERT_DIR_ENV, port: WEBHOOK_PORT_ENV });
}

/**
 * Registers the StatefulSet operator on a manager: the StatefulSet controller, and the admission
 * webhooks when asked (by default, when STATEFULSET_OPERATOR_WEBHOOK_CERT_DIR is set or the
 * manager serves webhooks, as under `typerator dev`).
 * `typerator rbac generate --entry operators/statefulset/operator.ts` derives the ClusterRole from it.
 */
export async function setup(
  manager: Manager,
  options: StatefulSetOperatorOptions = operatorOptionsFromEnvironment(),
): Promise<void> {
  const { webhooks: webhookOptions, ...controllerOptions } = options;
  setupStatefulSetController(manager, controllerOptions);
  // A manager that serves webhooks (e.g. under `typerator dev`) gets ours on its server.
  const webhooks = webhooksToServe(webhookOptions, manager);
  if (webhooks) await setupStatefulSetWebhooks(manager, webhooks);
}

/**
 * The StatefulSet operator as the runner registers it (`--operators statefulset`): operators/main.ts
 * runs it beside the others, operators/statefulset/main.ts alone. Its webhooks go on the manager's
 * server when the process has `--webhook-cert-dir`, or on their own server with
 * STATEFULSET_OPERATOR_WEBHOOK_CERT_DIR.
 */
export const statefulSetOperator: Operator = { name: 'statefulset', setup: (manager) => setup(manager) };
