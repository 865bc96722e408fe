import type {
  V1MutatingWebhookConfiguration,
  V1ValidatingWebhookConfiguration,
} from '@kubernetes/client-node';
import type { Manager } from '../../../sdk/manager/manager.ts';
import {
  allow,
  type AdmissionTarget,
  type RegistrationSource,
  type WebhookEndpoint,
  type WebhookServer,
} from '../../../sdk/webhook/index.ts';
import {
  deploymentWebhookConfigurations,
  hasSpec,
  verdict,
  type DeploymentWebhookOptions,
} from '../../deployment/webhooks/setup-deployment-webhooks.ts';
import { API_GROUP, type StatefulSet } from '../api/types.ts';
import { defaultStatefulSet } from './statefulset-defaults.ts';
import { statefulSetWarnings, validateStatefulSet } from './statefulset-validation.ts';

/** Where and how the webhook server listens, and with which certificate (as the Deployment operator's). */
export type StatefulSetWebhookOptions = DeploymentWebhookOptions;

/** Default metadata.name of the generated webhook configurations. */
export const STATEFULSET_WEBHOOK_CONFIGURATION_NAME = 'typerator-statefulset-operator';

// The rule covers `statefulsets` only, so status and scale writes (subresources) are not sent here.
const statefulSetTarget: AdmissionTarget = {
  group: API_GROUP,
  version: 'v1',
  kind: 'StatefulSet',
  resource: 'statefulsets',
};

/**
 * Registers the apps/v1 admission of our StatefulSet on a webhook server: defaulting (mutating)
 * and validation for CREATE and UPDATE; an update is checked against the stored object.
 */
export function registerStatefulSetWebhooks(server: WebhookServer): void {
  server.mutate<StatefulSet>(statefulSetTarget, ({ object }) =>
    hasSpec(object) ? defaultStatefulSet(object) : undefined,
  );
  server.validate<StatefulSet>(statefulSetTarget, ({ object, oldObject, operation, name }) => {
    if (object === undefined || !hasSpec(object)) return allow();
    const previous = operation === 'UPDATE' && oldObject && hasSpec(oldObject) ? oldObject : undefined;
    return verdict(
      `StatefulSet.${API_GROUP}`,
      name ?? object.metadata?.name,
      validateStatefulSet(object, previous),
      statefulSetWarnings(object),
    );
  });
}

/**
 * The manager's webhook server with our admission registered ({@link registerStatefulSetWebhooks}).
 * It starts with the manager; the apiserver calls it once the configurations from
 * {@link statefulSetWebhookConfigurations} are applied. On a manager that runs the Deployment
 * operator too, both register on the one server.
 */
export async function setupStatefulSetWebhooks(
  manager: Manager,
  options: StatefulSetWebhookOptions,
): Promise<WebhookServer> {
  const server = await manager.webhookServer(options);
  registerStatefulSetWebhooks(server);
  return server;
}

/**
 * The Mutating- and ValidatingWebhookConfiguration that route the admission registered on `server`
 * to it at `endpoint` (a URL for a local cluster, a Service in a chart), named `name`.
 */
export function statefulSetWebhookConfigurations(
  server: RegistrationSource,
  endpoint: WebhookEndpoint,
  name: string = STATEFULSET_WEBHOOK_CONFIGURATION_NAME,
): { mutating: V1MutatingWebhookConfiguration; validating: V1ValidatingWebhookConfiguration } {
  return deploymentWebhookConfigurations(server, endpoint, name);
}
