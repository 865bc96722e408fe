import type {
  AdmissionregistrationV1WebhookClientConfig,
  V1CustomResourceConversion,
  V1MutatingWebhook,
  V1MutatingWebhookConfiguration,
  V1RuleWithOperations,
  V1ValidatingWebhook,
  V1ValidatingWebhookConfiguration,
} from '@kubernetes/client-node';
import {
  defaultWebhookName,
  pluralResource,
  type AdmissionTarget,
  type ConversionTarget,
} from './webhook-target.ts';
import type { AdmissionRegistration, ConversionRegistration } from './webhook-server.ts';

/**
 * How the apiserver reaches the webhook server: a base URL (`https://127.0.0.1:9443`, for a local
 * cluster) or a Service (for a chart); `caBundle` is the PEM of the CA that signed the serving cert.
 */
export type WebhookEndpoint =
  | { readonly url: string; readonly caBundlePem?: string }
  | {
      readonly service: { readonly name: string; readonly namespace: string; readonly port?: number };
      readonly caBundlePem?: string;
    };

/** Options shared by the generated configurations. */
export interface WebhookConfigurationOptions {
  /** metadata.name of the configuration object. */
  readonly name: string;
  readonly endpoint: WebhookEndpoint;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** The handlers a manifest is generated from; a {@link WebhookServer} provides them. */
export interface RegistrationSource {
  registrations(): readonly (AdmissionRegistration | ConversionRegistration)[];
}

/**
 * A PEM bundle as the API's base64 `caBundle`. A trailing newline is ensured so bundles joined by
 * callers (old CA + new CA during a rotation) stay parseable.
 */
export function caBundleBase64(pem: string): string {
  return Buffer.from(pem.endsWith('\n') ? pem : `${pem}\n`).toString('base64');
}

/** A `clientConfig` for `path` at the endpoint; the CA bundle is base64 of its PEM, as the API wants. */
export function clientConfigFor(
  endpoint: WebhookEndpoint,
  path: string,
): AdmissionregistrationV1WebhookClientConfig {
  const caBundle = endpoint.caBundlePem ? { caBundle: caBundleBase64(endpoint.caBundlePem) } : {};
  if ('url' in endpoint) return { url: `${endpoint.url.replace(/\/+$/, '')}${path}`, ...caBundle };
  const { name, namespace, port } = endpoint.service;
  return { service: { name, namespace, path, port: port ?? 443 }, ...caBundle };
}

function ruleFor(target: AdmissionTarget): V1RuleWithOperations {
  return {
    apiGroups: [target.group],
    apiVersions: [target.version],
    resources: [target.resource ?? pluralResource(target.kind)],
    operations: [...(target.operations ?? ['CREATE', 'UPDATE'])],
    scope: target.scope ?? '*',
  };
}

function webhookFor(registration: AdmissionRegistration, endpoint: WebhookEndpoint): V1ValidatingWebhook {
  const { target, path } = registration;
  return {
    name:
      target.name ?? defaultWebhookName(registration.type === 'validating' ? 'validate' : 'mutate', target),
    clientConfig: clientConfigFor(endpoint, path),
    rules: [ruleFor(target)],
    failurePolicy: target.failurePolicy ?? 'Fail',
    sideEffects: target.sideEffects ?? 'None',
    timeoutSeconds: target.timeoutSeconds ?? 10,
    matchPolicy: target.matchPolicy ?? 'Equivalent',
    admissionReviewVersions: ['v1'],
    ...(target.namespaceSelector ? { namespaceSelector: target.namespaceSelector } : {}),
    ...(target.objectSelector ? { objectSelector: target.objectSelector } : {}),
  };
}

const admissionOf = (source: RegistrationSource, type: AdmissionRegistration['type']) =>
  source.registrations().filter((r): r is AdmissionRegistration => r.type === type);

function metadataFor(options: WebhookConfigurationOptions) {
  return {
    name: options.name,
    ...(options.labels ? { labels: { ...options.labels } } : {}),
    ...(options.annotations ? { annotations: { ...options.annotations } } : {}),
  };
}

/** A ValidatingWebhookConfiguration with one webhook per registered validating handler. */
export function validatingWebhookConfiguration(
  source: RegistrationSource,
  options: WebhookConfigurationOptions,
): V1ValidatingWebhookConfiguration {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: metadataFor(options),
    webhooks: admissionOf(source, 'validating').map((r) => webhookFor(r, options.endpoint)),
  };
}

/** A MutatingWebhookConfiguration with one webhook per registered mutating handler. */
export function mutatingWebhookConfiguration(
  source: RegistrationSource,
  options: WebhookConfigurationOptions,
): V1MutatingWebhookConfiguration {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: metadataFor(options),
    webhooks: admissionOf(source, 'mutating').map((r): V1MutatingWebhook =>
      Object.assign(webhookFor(r, options.endpoint), { reinvocationPolicy: 'Never' }),
    ),
  };
}

/**
 * The `spec.conversion` stanza of a CRD whose conversion handler is registered for `group`/`kind`;
 * throws when none is.
 */
export function crdConversion(
  source: RegistrationSource,
  target: Pick<ConversionTarget, 'group' | 'kind'>,
  endpoint: WebhookEndpoint,
): V1CustomResourceConversion {
  const registration = source
    .registrations()
    .find(
      (r): r is ConversionRegistration =>
        r.type === 'conversion' && r.target.group === target.group && r.target.kind === target.kind,
    );
  if (!registration)
    throw new Error(`no conversion handler is registered for ${target.kind}.${target.group}`);
  return {
    strategy: 'Webhook',
    webhook: { conversionReviewVersions: ['v1'], clientConfig: clientConfigFor(endpoint, registration.path) },
  };
}
