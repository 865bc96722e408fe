import type { Manager } from '../../sdk/manager/manager.ts';
import { setupDeploymentController } from './controllers/deployment-controller.ts';
import { setupReplicaSetController } from './controllers/replica-set-controller.ts';
import {
  setupDeploymentWebhooks,
  type DeploymentWebhookOptions,
} from './webhooks/setup-deployment-webhooks.ts';

/** What the Deployment operator runs besides its two controllers. */
export interface DeploymentOperatorOptions {
  /** Serve the admission webhooks (defaulting, validation) with these options; off when absent. */
  readonly webhooks?: DeploymentWebhookOptions;
}

/** Environment variable naming the folder with the webhook serving pair (tls.crt, tls.key). */
export const WEBHOOK_CERT_DIR_ENV = 'DEPLOYMENT_OPERATOR_WEBHOOK_CERT_DIR';
/** Environment variable with the webhook port; default 9443. */
export const WEBHOOK_PORT_ENV = 'DEPLOYMENT_OPERATOR_WEBHOOK_PORT';

/** A port number from the environment, refused with a message naming the variable when malformed. */
function portFrom(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`${WEBHOOK_PORT_ENV}: ${JSON.stringify(text)} is not a port number (0-65535)`);
  return port;
}

/** Options from the environment: webhooks are on when a certificate folder is named. */
export function operatorOptionsFromEnvironment(
  env: Readonly<Record<string, string | undefined>> = process.env,
): DeploymentOperatorOptions {
  const certDir = env[WEBHOOK_CERT_DIR_ENV];
  if (certDir === undefined || certDir === '') return {};
  const port = portFrom(env[WEBHOOK_PORT_ENV]);
  return { webhooks: { certDir, ...(port !== undefined ? { port } : {}) } };
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
  const webhooks = options.webhooks ?? (manager.servesWebhooks ? {} : undefined);
  if (webhooks) await setupDeploymentWebhooks(manager, webhooks);
}
