import { ForbiddenError, UnauthorizedError } from '../client/errors.ts';
import { SetupError } from '../errors/setup-error.ts';

const RBAC_FIX =
  'check RBAC: apply the ClusterRole that `typerator rbac generate` writes for this operator ' +
  'and bind it to these credentials';

/** The verb an apiserver refusal names (`cannot list resource ...`), else one from the HTTP method. */
function refusedVerb(error: ForbiddenError): string {
  const named = /cannot (\S+) resource/.exec(error.status.message ?? '')?.[1];
  if (named) return named;
  const byMethod: Record<string, string> = {
    GET: 'get or list',
    POST: 'create',
    PUT: 'update',
    PATCH: 'patch',
    DELETE: 'delete',
  };
  return byMethod[error.request.method] ?? error.request.method;
}

/** `configmaps`, `leases.coordination.k8s.io`, else the request path. */
function refusedResource(error: ForbiddenError): string {
  const { kind, group } = error.status.details ?? {};
  if (!kind) return error.request.path;
  return group ? `${kind}.${group}` : kind;
}

function refusedScope(error: ForbiddenError): string {
  const namespace = /\/namespaces\/([^/]+)\//.exec(error.request.path)?.[1];
  return namespace ? `in namespace "${namespace}"` : 'at the cluster scope';
}

/**
 * The apiserver refused the operator's credentials (401) or what they may do (403) while it started.
 * The message names the credentials (kubeconfig user and context, or service account), the verb and
 * resource refused, and the fix.
 */
export class AccessDeniedError extends SetupError {
  override readonly name = 'AccessDeniedError';
  /** 401 or 403. */
  readonly code: number;

  constructor(message: string, code: number, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }

  /**
   * @param credentials from {@link describeCredentials}, e.g. `kubeconfig user "ci" (context "ci")`
   * @param server the apiserver URL
   */
  static from(
    error: ForbiddenError | UnauthorizedError,
    credentials: string,
    server: string,
  ): AccessDeniedError {
    if (error instanceof UnauthorizedError)
      return new AccessDeniedError(
        `the apiserver at ${server} does not accept the credentials of ${credentials} (401 Unauthorized): ` +
          'the token or client certificate is missing, wrong or expired; get fresh credentials for this ' +
          'cluster (for a local cluster, use the kubeconfig `typerator cluster up` prints)',
        401,
        { cause: error },
      );
    const said = error.status.message ? `: ${error.status.message}` : '';
    return new AccessDeniedError(
      `${credentials} may not ${refusedVerb(error)} ${refusedResource(error)} ${refusedScope(error)} ` +
        `(403 Forbidden${said}); ${RBAC_FIX}`,
      403,
      { cause: error },
    );
  }
}
