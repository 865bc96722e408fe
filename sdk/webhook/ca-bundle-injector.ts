import type { KubeConfig } from '@kubernetes/client-node';
import { caBundleBase64 } from './manifests.ts';

/** What {@link injectCaBundle} patches. */
export interface CaBundleTargets {
  /** PEM of the CA that signed the serving certificate. */
  readonly caPem: string;
  readonly validatingWebhookConfigurations?: readonly string[];
  readonly mutatingWebhookConfigurations?: readonly string[];
  /** CRDs whose `spec.conversion.webhook.clientConfig` gets the bundle. */
  readonly customResourceDefinitions?: readonly string[];
}

const CONFLICT_RETRIES = 5;

const isConflict = (error: unknown) => (error as { code?: unknown }).code === 409;

/** Read, change, replace; retried when someone else wrote the object in between. */
async function updateWithRetry<T>(
  read: () => Promise<T>,
  change: (object: T) => void,
  replace: (object: T) => Promise<unknown>,
) {
  for (let attempt = 1; ; attempt++) {
    const object = await read();
    change(object);
    try {
      await replace(object);
      return;
    } catch (error) {
      if (!isConflict(error) || attempt >= CONFLICT_RETRIES) throw error;
    }
  }
}

/**
 * Writes the CA bundle into existing webhook configurations (every webhook in each) and into CRDs'
 * conversion webhooks, like cert-manager's CA injector does for development clusters.
 */
export async function injectCaBundle(kubeConfig: KubeConfig, targets: CaBundleTargets): Promise<void> {
  const caBundle = caBundleBase64(targets.caPem);
  // Loaded here, not at the top: a webhook-only process never pays for all of client-node's API classes.
  const { AdmissionregistrationV1Api, ApiextensionsV1Api } = await import('@kubernetes/client-node');
  const admission = kubeConfig.makeApiClient(AdmissionregistrationV1Api);
  const extensions = kubeConfig.makeApiClient(ApiextensionsV1Api);
  for (const name of targets.validatingWebhookConfigurations ?? [])
    await updateWithRetry(
      () => admission.readValidatingWebhookConfiguration({ name }),
      (object) => {
        for (const webhook of object.webhooks ?? []) webhook.clientConfig.caBundle = caBundle;
      },
      (body) => admission.replaceValidatingWebhookConfiguration({ name, body }),
    );
  for (const name of targets.mutatingWebhookConfigurations ?? [])
    await updateWithRetry(
      () => admission.readMutatingWebhookConfiguration({ name }),
      (object) => {
        for (const webhook of object.webhooks ?? []) webhook.clientConfig.caBundle = caBundle;
      },
      (body) => admission.replaceMutatingWebhookConfiguration({ name, body }),
    );
  for (const name of targets.customResourceDefinitions ?? [])
    await updateWithRetry(
      () => extensions.readCustomResourceDefinition({ name }),
      (crd) => {
        const clientConfig = crd.spec.conversion?.webhook?.clientConfig;
        if (!clientConfig)
          throw new Error(`CRD ${name} has no conversion webhook to inject a CA bundle into`);
        clientConfig.caBundle = caBundle;
      },
      (body) => extensions.replaceCustomResourceDefinition({ name, body }),
    );
}
