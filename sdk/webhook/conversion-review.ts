/** The only ConversionReview API version CRDs send with `conversionReviewVersions: ['v1']`. */
export const CONVERSION_API_VERSION = 'apiextensions.k8s.io/v1';

/** The smallest shape of a Kubernetes object a converter works on. */
export interface KubernetesObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** `request` of a ConversionReview: convert every object to `desiredAPIVersion`. */
export interface ConversionRequest {
  readonly uid: string;
  /** `group/version`, e.g. `example.typerator.dev/v2`. */
  readonly desiredAPIVersion: string;
  readonly objects: readonly KubernetesObject[];
}

/** Outcome of a conversion; metav1.Status spells a failed one `Failure`. */
export interface ConversionResult {
  readonly status: 'Success' | 'Failure';
  readonly message?: string;
}

/** `response` of a ConversionReview. */
export interface ConversionResponse {
  readonly uid: string;
  readonly convertedObjects: readonly KubernetesObject[];
  readonly result: ConversionResult;
}

/** A whole ConversionReview, request or response side. */
export interface ConversionReview {
  readonly apiVersion: typeof CONVERSION_API_VERSION;
  readonly kind: 'ConversionReview';
  readonly request?: ConversionRequest;
  readonly response?: ConversionResponse;
}
