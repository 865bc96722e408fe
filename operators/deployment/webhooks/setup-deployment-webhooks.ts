import type {
  V1MutatingWebhookConfiguration,
  V1ValidatingWebhookConfiguration,
} from '@kubernetes/client-node';
import type { Manager } from '../../../sdk/manager/manager.ts';
import {
  allow,
  deny,
  mutatingWebhookConfiguration,
  validatingWebhookConfiguration,
  type AdmissionTarget,
  type RegistrationSource,
  type ValidationResult,
  type WebhookEndpoint,
  type WebhookServer,
  type WebhookServerOptions,
} from '../../../sdk/webhook/index.ts';
import { API_GROUP, type Deployment, type ReplicaSet } from '../api/types.ts';
import { defaultDeployment, defaultReplicaSet } from './deployment-defaults.ts';
import { validateDeployment } from './deployment-validation.ts';
import { invalidObjectMessage, type FieldError } from './field-errors.ts';
import { validateReplicaSet } from './replica-set-validation.ts';

/** Where and how the webhook server listens, and with which certificate. */
export type DeploymentWebhookOptions = Omit<WebhookServerOptions, 'logger' | 'registry'>;

/** Default metadata.name of the generated webhook configurations. */
export const DEPLOYMENT_WEBHOOK_CONFIGURATION_NAME = 'typerator-deployment-operator';

const deploymentTarget: AdmissionTarget = {
  group: API_GROUP,
  version: 'v1',
  kind: 'Deployment',
  resource: 'deployments',
};
const replicaSetTarget: AdmissionTarget = {
  group: API_GROUP,
  version: 'v1',
  kind: 'ReplicaSet',
  resource: 'replicasets',
};

/**
 * Whether an admitted object has a spec object. Before the schema runs, an object may lack one;
 * defaulting and validation then leave it to the schema to refuse.
 */
export const hasSpec = (object: unknown): boolean =>
  typeof (object as { spec?: unknown }).spec === 'object' && (object as { spec?: unknown }).spec !== null;

/**
 * The answer to a validating review: allowed (with `warnings` for the client, as the apiserver's
 * own warnings) when there are no errors, else refused with 422 Invalid and the apiserver's
 * message, e.g. `Deployment.apps.typerator.dev "web" is invalid: spec.replicas: ...`.
 */
export function verdict(
  qualifiedKind: string,
  name: string | undefined,
  errors: readonly FieldError[],
  warnings: readonly string[] = [],
): ValidationResult {
  if (errors.length === 0) return allow(warnings);
  return deny(invalidObjectMessage(qualifiedKind, name, errors), { code: 422, reason: 'Invalid' });
}

/**
 * Registers the apps/v1 admission of our Deployment and ReplicaSet on a webhook server: defaulting
 * (mutating) and validation for CREATE and UPDATE.
 */
export function registerDeploymentWebhooks(server: WebhookServer): void {
  server.mutate<Deployment>(deploymentTarget, ({ object }) =>
    hasSpec(object) ? defaultDeployment(object) : undefined,
  );
  server.validate<Deployment>(deploymentTarget, ({ object, oldObject, operation, name }) => {
    if (object === undefined || !hasSpec(object)) return allow();
    const previous = operation === 'UPDATE' && oldObject && hasSpec(oldObject) ? oldObject : undefined;
    return verdict(
      `Deployment.${API_GROUP}`,
      name ?? object.metadata?.name,
      validateDeployment(object, previous),
    );
  });
  server.mutate<ReplicaSet>(replicaSetTarget, ({ object }) =>
    hasSpec(object) ? defaultReplicaSet(object) : undefined,
  );
  server.validate<ReplicaSet>(replicaSetTarget, ({ object, oldObject, operation, name }) => {
    if (object === undefined || !hasSpec(object)) return allow();
    const previous = operation === 'UPDATE' && oldObject && hasSpec(oldObject) ? oldObject : undefined;
    return verdict(
      `ReplicaSet.${API_GROUP}`,
      name ?? object.metadata?.name,
      validateReplicaSet(object, previous),
    );
  });
}

/**
 * The manager's webhook server with our admission registered ({@link registerDeploymentWebhooks}).
 * It starts with the manager; the apiserver calls it once the configurations from
 * {@link deploymentWebhookConfigurations} are applied.
 */
export async function setupDeploymentWebhooks(
  manager: Manager,
  options: DeploymentWebhookOptions,
): Promise<WebhookServer> {
  const server = await manager.webhookServer(options);
  registerDeploymentWebhooks(server);
  return server;
}

/**
 * The Mutating- and ValidatingWebhookConfiguration that route our kinds' admission to `server`
 * at `endpoint` (a URL for a local cluster, a Service in a chart).
 */
export function deploymentWebhookConfigurations(
  server: RegistrationSource,
  endpoint: WebhookEndpoint,
  name: string = DEPLOYMENT_WEBHOOK_CONFIGURATION_NAME,
): { mutating: V1MutatingWebhookConfiguration; validating: V1ValidatingWebhookConfiguration } {
  return {
    mutating: mutatingWebhookConfiguration(server, { name, endpoint }),
    validating: validatingWebhookConfiguration(server, { name, endpoint }),
  };
}
