import { SetupError } from '../errors/setup-error.ts';

/** One field-level problem from a 422 Invalid response. */
export interface FieldCause {
  /** e.g. `FieldValueInvalid`. */
  readonly reason: string;
  readonly message: string;
  /** Field path, e.g. `spec.replicas`. */
  readonly field: string;
}

/** A `meta/v1 Status` body as the apiserver returns it on failure. */
export interface StatusBody {
  readonly kind?: string;
  readonly status?: string;
  readonly message?: string;
  readonly reason?: string;
  readonly code?: number;
  readonly details?: {
    readonly name?: string;
    readonly group?: string;
    readonly kind?: string;
    readonly causes?: readonly { reason?: string; message?: string; field?: string }[];
    readonly retryAfterSeconds?: number;
  };
}

/** What a request was doing, for error messages. */
export interface RequestDescription {
  readonly method: string;
  readonly path: string;
}

/** Any non-success answer from the apiserver. Subclasses name the common cases. */
export class ApiError extends Error {
  override name = 'ApiError';
  /** HTTP status code. */
  readonly code: number;
  /** The Status reason, e.g. `NotFound`, `Conflict`. */
  readonly reason: string;
  readonly status: StatusBody;
  readonly request: RequestDescription;

  constructor(code: number, status: StatusBody, request: RequestDescription) {
    super(
      `${request.method} ${request.path}: ${code} ${status.reason ?? ''}: ${status.message ?? '(no message)'}`.replace(
        ': : ',
        ': ',
      ),
    );
    this.code = code;
    this.reason = status.reason ?? '';
    this.status = status;
    this.request = request;
  }
}

export class NotFoundError extends ApiError {
  override name = 'NotFoundError';
}
export class ConflictError extends ApiError {
  override name = 'ConflictError';
}
export class AlreadyExistsError extends ApiError {
  override name = 'AlreadyExistsError';
}
/** 410: the requested resourceVersion is too old (compacted); relist. */
export class GoneError extends ApiError {
  override name = 'GoneError';
}
export class ForbiddenError extends ApiError {
  override name = 'ForbiddenError';
}
export class UnauthorizedError extends ApiError {
  override name = 'UnauthorizedError';
}
/** 429: the server asked us to slow down; `retryAfterMs` says for how long. */
export class TooManyRequestsError extends ApiError {
  override name = 'TooManyRequestsError';
  retryAfterMs: number | undefined;
}
/** 422: the object failed validation; `causes` name the fields. */
export class InvalidError extends ApiError {
  override name = 'InvalidError';
  get causes(): FieldCause[] {
    return (this.status.details?.causes ?? []).map((c) => ({
      reason: c.reason ?? '',
      message: c.message ?? '',
      field: c.field ?? '',
    }));
  }
}
export class BadRequestError extends ApiError {
  override name = 'BadRequestError';
}
/** 5xx, including 504 timeouts. */
export class ServerError extends ApiError {
  override name = 'ServerError';
}

/** The request never got an HTTP answer (connection refused, reset, timed out). */
export class ConnectionError extends Error {
  override name = 'ConnectionError';
  readonly request: RequestDescription;
  constructor(request: RequestDescription, cause: unknown) {
    super(`${request.method} ${request.path}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.request = request;
  }
}

/**
 * No usable kubeconfig: none found, a file that is missing or does not parse, or one whose current
 * context, cluster or credentials cannot be used. The message names the file and what to do.
 */
export class KubeConfigError extends SetupError {
  override readonly name = 'KubeConfigError';
}

/** Builds the typed error for a failed response. */
export function apiErrorFrom(code: number, body: unknown, request: RequestDescription): ApiError {
  const status: StatusBody =
    typeof body === 'object' && body !== null && (body as StatusBody).kind === 'Status'
      ? body
      : { message: typeof body === 'string' ? body.slice(0, 500) : `HTTP ${code}`, code };
  const reason = status.reason;
  if (code === 404) return new NotFoundError(code, status, request);
  if (code === 409 && reason === 'AlreadyExists') return new AlreadyExistsError(code, status, request);
  if (code === 409) return new ConflictError(code, status, request);
  if (code === 410) return new GoneError(code, status, request);
  if (code === 401) return new UnauthorizedError(code, status, request);
  if (code === 403) return new ForbiddenError(code, status, request);
  if (code === 422) return new InvalidError(code, status, request);
  if (code === 429) return new TooManyRequestsError(code, status, request);
  if (code === 400) return new BadRequestError(code, status, request);
  if (code >= 500) return new ServerError(code, status, request);
  return new ApiError(code, status, request);
}

/** True for errors of a missing object, handy in `catch` blocks. */
export const isNotFound = (error: unknown): error is NotFoundError => error instanceof NotFoundError;
export const isConflict = (error: unknown): error is ConflictError => error instanceof ConflictError;
export const isAlreadyExists = (error: unknown): error is AlreadyExistsError =>
  error instanceof AlreadyExistsError;
export const isGone = (error: unknown): error is GoneError => error instanceof GoneError;
