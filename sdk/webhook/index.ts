/**
 * Admission (validating, mutating) and CRD conversion webhooks: a typed handler per kind, an HTTPS
 * server with certificate reload, development certificates and generated webhook manifests.
 *
 * ```ts
 * const server = new WebhookServer({ certDir: '/tmp/k8s-webhook-server/serving-certs' });
 * server.validate<V1ConfigMap>({ group: '', version: 'v1', kind: 'ConfigMap' }, ({ object }) =>
 *   object?.data?.['password'] ? deny('use a Secret for passwords') : allow(),
 * );
 * server.mutate<V1ConfigMap>({ group: '', version: 'v1', kind: 'ConfigMap' }, ({ object }) => {
 *   object.metadata = { ...object.metadata, labels: { ...object.metadata?.labels, checked: 'yes' } };
 *   return undefined;
 * });
 * server.convert({ group: 'example.dev', kind: 'Widget' }, {
 *   'v1->v2': (w: WidgetV1): WidgetV2 => ({ ...w, spec: { replicas: w.spec.size } }),
 *   'v2->v1': (w: WidgetV2): WidgetV1 => ({ ...w, spec: { size: w.spec.replicas } }),
 * });
 * await server.start();
 * const config = validatingWebhookConfiguration(server, {
 *   name: 'my-operator',
 *   endpoint: { service: { name: 'webhook-service', namespace: 'system' }, caBundlePem },
 * });
 * ```
 */
export { WebhookServer } from './webhook-server.ts';
export type {
  WebhookServerOptions,
  AdmissionRegistration,
  ConversionRegistration,
} from './webhook-server.ts';
export { allow, deny } from './admission-handler.ts';
export type {
  AdmissionContext,
  MutationContext,
  ValidatingHandler,
  MutatingHandler,
  ValidationResult,
  Allowed,
  Denied,
} from './admission-handler.ts';
export type {
  AdmissionOperation,
  AdmissionRequest,
  AdmissionResponse,
  AdmissionReview,
  AdmissionUserInfo,
  GroupVersionKind,
  GroupVersionResource,
} from './admission-review.ts';
export type {
  ConversionReview,
  ConversionRequest,
  ConversionResponse,
  KubernetesObject,
} from './conversion-review.ts';
export type { Converter, ConversionFunction, VersionPairConverters } from './converter.ts';
export { admissionPath, conversionPath, pluralResource } from './webhook-target.ts';
export type {
  AdmissionTarget,
  ConversionTarget,
  FailurePolicy,
  SideEffects,
  MatchPolicy,
  RuleScope,
} from './webhook-target.ts';
export { jsonPatchBetween, type JsonPatchOperation } from './json-patch.ts';
export {
  validatingWebhookConfiguration,
  mutatingWebhookConfiguration,
  crdConversion,
  clientConfigFor,
  caBundleBase64,
} from './manifests.ts';
export type { WebhookEndpoint, WebhookConfigurationOptions, RegistrationSource } from './manifests.ts';
export { ensureDevCertificates, devCertificateNames } from './dev-certificates.ts';
export type { DevCertificateOptions, DevCertificates } from './dev-certificates.ts';
export { injectCaBundle, type CaBundleTargets } from './ca-bundle-injector.ts';
export { CertificateWatcher, certificateFilesIn, readServingKeyPair } from './certificate-watcher.ts';
export type { CertificateFiles, ServingKeyPair } from './certificate-watcher.ts';
export {
  WebhookRequestError,
  WebhookHandlerTimeoutError,
  WebhookRegistrationError,
  WebhookCertificateError,
  ConversionError,
} from './errors.ts';
