import type {
  AdmissionOperation,
  AdmissionRequest,
  AdmissionUserInfo,
  GroupVersionKind,
} from './admission-review.ts';

/** What a validating or mutating handler learns about the request. */
export interface AdmissionContext<T> {
  readonly uid: string;
  readonly operation: AdmissionOperation;
  /** The object as it will be stored; absent for DELETE (and some CONNECT). */
  readonly object: T | undefined;
  /** The object before the change; present for UPDATE and DELETE. */
  readonly oldObject: T | undefined;
  readonly userInfo: AdmissionUserInfo;
  /** True for `--dry-run=server` requests: nothing will be persisted, so side effects must not happen. */
  readonly dryRun: boolean;
  readonly namespace: string | undefined;
  readonly name: string | undefined;
  readonly kind: GroupVersionKind | undefined;
  readonly subResource: string | undefined;
  /** The raw request, for fields not lifted above (e.g. `options`). */
  readonly request: AdmissionRequest;
  /** Aborted when the handler's time budget runs out; pass it to I/O the handler starts. */
  readonly signal: AbortSignal;
  /** Adds a warning the client shows (kubectl prints `Warning: …`). */
  warn(message: string): void;
}

/** An admission the handler lets through, with optional warnings for the client. */
export interface Allowed {
  readonly allowed: true;
  readonly warnings?: readonly string[];
}

/** An admission the handler refuses; `message` reaches the user (kubectl prints it). */
export interface Denied {
  readonly allowed: false;
  readonly message: string;
  /** HTTP-like code in the refusal status; default 403. */
  readonly code?: number;
  /** Machine-readable reason, e.g. `Forbidden` or `Invalid`. */
  readonly reason?: string;
  readonly warnings?: readonly string[];
}

/** The verdict of a validating handler. */
export type ValidationResult = Allowed | Denied;

/** Lets the request through. */
export function allow(warnings?: readonly string[]): Allowed {
  return warnings?.length ? { allowed: true, warnings } : { allowed: true };
}

/** Refuses the request with a message the user sees. */
export function deny(
  message: string,
  options: { code?: number; reason?: string; warnings?: readonly string[] } = {},
): Denied {
  return { allowed: false, message, ...options };
}

/** Decides whether a request for objects of type T is admitted. */
export type ValidatingHandler<T> = (
  context: AdmissionContext<T>,
) => ValidationResult | Promise<ValidationResult>;

/** What a mutating handler sees: `object` is a private deep copy it may change in place. */
export interface MutationContext<T> extends AdmissionContext<T> {
  readonly object: T;
}

/**
 * Changes an object before it is stored. Return the changed object, or change `context.object` in
 * place and return nothing; the SDK answers with the JSON patch between the two. Return
 * {@link deny} to refuse the request. Not called when the request carries no object (DELETE).
 */
export type MutatingHandler<T> = (
  context: MutationContext<T>,
) => T | undefined | Denied | Promise<T | undefined | Denied>;
