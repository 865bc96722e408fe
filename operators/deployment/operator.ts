import type { Manager } from '../../sdk/manager/manager.ts';
import type { Operator } from '../../sdk/runner/operator.ts';
import { setupDeploymentController } from './controllers/deployment-controller.ts';
import { setupReplicaSetController } from './controllers/replica-set-controller.ts';
import {
  setupDeploymentWebhooks,
  type DeploymentWebhookOptions,
} from './webhooks/setup-deployment-webhooks.ts';
import { webhookOperatorOptions, webhooksToServe } from './webhooks/webhook-environment.ts';

/** What the Deployment operator runs besides its two controllers. */
export interface DeploymentOperatorOptions {
  /** Serve the admission webhooks (defaulting, validation) with these options; off when absent. */
  readonly webhooks?: DeploymentWebhookOptions;
}

/** Environment variable naming the folder with the webhook serving pair (tls.crt, tls.key). */
export const WEBHOOK_CERT_DIR_ENV = 'DEPLOYMENT_OPERATOR_WEBHOOK_CERT_DIR';
/** Environment variable with the webhook port; default 9443. */
export const WEBHOOK_PORT_ENV = 'DEPLOYMENT_OPERATOR_WEBHOOK_PORT';

/** Options from the environment: webhooks are on when a certificate folder is named. */
export function operatorOptionsFromEnvironment(
  env: Readonly<Record<string, string | undefined>> = process.env,
): DeploymentOperatorOptions {
  return webhookOperatorOptions(env, { certDir: WEBHOOK_CERT_DIR_ENV, port: WEBHOOK_PORT_ENV });
}

/**
 * Registers the Deployment operator on a manager: the ReplicaSet and Deployment controllers, and
 * the admission webhooks when asked (by default, when DEPLOYMENT_OPERATOR_WEBHOOK_CERT_DIR is set
 * or the manager serves webhooks).
 * `typerator rbac generate --entry operators/deployment/operator.ts` derives the ClusterRole from it.
 */
export async function setup(
  manager: Manager,
  options: DeploymentOperatorOptions = operatorOptionsFromEnvironment(),
): Promise<void> {
  setupReplicaSetController(manager);
  setupDeploymentController(manager);
  // A manager that serves webhooks (e.g. under `typerator dev`) gets ours on its server.
  const webhooks = webhooksToServe(options.webhooks, manager);
  if (webhooks) await setupDeploymentWebhooks(manager, webhooks);
}

/**
 * The Deployment operator as the runner registers it (`--operators deployment`): operators/main.ts
 * runs it beside the others, operators/deployment/main.ts alone. Its webhooks go on the manager's
 * server when the process has `--webhook-cert-dir`, or on their own server with
 * DEPLOYMENT_OPERATOR_WEBHOOK_CERT_DIR.
 */
export const deploymentOperator: Operator = { name: 'deployment', setup: (manager) => setup(manager) };
