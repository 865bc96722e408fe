import type { AdmissionContext, Denied, MutatingHandler, ValidatingHandler } from './admission-handler.ts';
import type { AdmissionRequest, AdmissionResponse } from './admission-review.ts';
import { withDeadline } from './handler-deadline.ts';
import { jsonPatchBetween } from './json-patch.ts';

const DEFAULT_DENIAL_CODE = 403;

const isDenied = (value: unknown): value is Denied =>
  typeof value === 'object' &&
  value !== null &&
  (value as { allowed?: unknown }).allowed === false &&
  typeof (value as { message?: unknown }).message === 'string';

// The apiserver sends `null` for an absent object; handlers see `undefined`.
const presentOrUndefined = (value: unknown): unknown => (value === null ? undefined : value);

function contextFor<T>(
  request: AdmissionRequest,
  signal: AbortSignal,
  warnings: string[],
  object: T | undefined,
): AdmissionContext<T> {
  return {
    uid: request.uid,
    operation: request.operation,
    object,
    oldObject: presentOrUndefined(request.oldObject) as T | undefined,
    userInfo: request.userInfo ?? {},
    dryRun: request.dryRun === true,
    namespace: request.namespace || undefined,
    name: request.name || undefined,
    kind: request.kind,
    subResource: request.subResource || undefined,
    request,
    signal,
    warn: (message) => {
      warnings.push(message);
    },
  };
}

function withWarnings(response: AdmissionResponse, warnings: readonly string[]): AdmissionResponse {
  return warnings.length > 0 ? { ...response, warnings } : response;
}

function denial(uid: string, denied: Denied, warnings: readonly string[]): AdmissionResponse {
  const status = {
    code: denied.code ?? DEFAULT_DENIAL_CODE,
    message: denied.message,
    ...(denied.reason ? { reason: denied.reason } : {}),
  };
  return withWarnings({ uid, allowed: false, status }, [...warnings, ...(denied.warnings ?? [])]);
}

/**
 * The answer for a handler that threw or ran out of time: a refusal the user can read, so the
 * apiserver reports it instead of a transport error.
 */
export function handlerFailure(uid: string, webhookPath: string, error: unknown): AdmissionResponse {
  const reason = error instanceof Error ? error.message : String(error);
  return {
    uid,
    allowed: false,
    status: { code: 500, reason: 'InternalError', message: `webhook ${webhookPath} failed: ${reason}` },
  };
}

/** Runs a validating handler and turns its verdict into an AdmissionReview response. */
export async function validateRequest<T>(
  handler: ValidatingHandler<T>,
  request: AdmissionRequest,
  webhookPath: string,
  timeoutMs: number,
): Promise<AdmissionResponse> {
  const warnings: string[] = [];
  const verdict = await withDeadline(webhookPath, timeoutMs, (signal) =>
    handler(contextFor(request, signal, warnings, presentOrUndefined(request.object) as T | undefined)),
  );
  if (isDenied(verdict)) return denial(request.uid, verdict, warnings);
  return withWarnings({ uid: request.uid, allowed: true }, [...warnings, ...(verdict.warnings ?? [])]);
}

/** Runs a mutating handler on a deep copy and answers with the JSON patch between before and after. */
export async function mutateRequest<T>(
  handler: MutatingHandler<T>,
  request: AdmissionRequest,
  webhookPath: string,
  timeoutMs: number,
): Promise<AdmissionResponse> {
  const original = presentOrUndefined(request.object) as T | undefined;
  if (original === undefined) return { uid: request.uid, allowed: true };
  const warnings: string[] = [];
  // The object came from JSON.parse, so a JSON round trip is a faithful (and fast) deep copy.
  const copy = JSON.parse(JSON.stringify(original)) as T;
  const outcome = await withDeadline(webhookPath, timeoutMs, (signal) =>
    handler({ ...contextFor(request, signal, warnings, copy), object: copy }),
  );
  if (isDenied(outcome)) return denial(request.uid, outcome, warnings);
  const patch = jsonPatchBetween(original, outcome ?? copy);
  const response: AdmissionResponse =
    patch.length === 0
      ? { uid: request.uid, allowed: true }
      : {
          uid: request.uid,
          allowed: true,
          patchType: 'JSONPatch',
          patch: Buffer.from(JSON.stringify(patch)).toString('base64'),
        };
  return withWarnings(response, warnings);
}
