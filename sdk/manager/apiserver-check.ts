import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError, ConnectionError, ForbiddenError, UnauthorizedError } from '../client/errors.ts';
import type { Transport } from '../client/transport.ts';
import { SetupError } from '../errors/setup-error.ts';
import { AccessDeniedError } from './access-denied-error.ts';

/** The apiserver could not be reached at start-up: refused, timed out, TLS failure, unknown host... */
export class ApiServerUnreachableError extends SetupError {
  override readonly name = 'ApiServerUnreachableError';
  /** The apiserver URL from the kubeconfig. */
  readonly server: string;

  constructor(server: string, cause: string, options?: ErrorOptions) {
    super(`cannot reach the apiserver at ${server}: ${cause}`, options);
    this.server = server;
  }
}

export interface ApiServerCheckOptions {
  /** How long the check may take, retries included. */
  readonly timeoutMs: number;
  /** Ends the check early (start-up interrupted); it then rejects with the signal's reason. */
  readonly signal: AbortSignal;
  /** From {@link describeCredentials}, for a 401. */
  readonly credentials: string;
}

const CHECK_THE_SERVER =
  'check the server in the kubeconfig and that the apiserver runs (for a local cluster: `typerator cluster up`)';
const NEW_KUBECONFIG = 'get a fresh kubeconfig for this cluster';
/** Node's codes for a certificate chain that does not end in a CA the client trusts. */
const UNKNOWN_AUTHORITY = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);
/** Failures worth retrying within the check's time: the apiserver may be (re)starting. */
const TRANSIENT = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

/** A connection failure in words: what happened, what to do, and whether a retry might help. */
interface Failure {
  readonly cause: string;
  readonly fix: string;
  readonly transient: boolean;
}

function describeFailure(error: unknown, server: URL): Failure {
  const underlying = error instanceof ConnectionError ? error.cause : error;
  const code = (underlying as NodeJS.ErrnoException | undefined)?.code ?? '';
  const message = underlying instanceof Error ? underlying.message : String(underlying);
  const transient = TRANSIENT.has(code);
  if (code === 'ECONNREFUSED')
    return { cause: 'connection refused (nothing listens there)', fix: CHECK_THE_SERVER, transient };
  if (UNKNOWN_AUTHORITY.has(code))
    return {
      cause: `TLS: certificate signed by unknown authority (${code})`,
      fix:
        "the kubeconfig's certificate-authority is not the CA that signed this apiserver's certificate: " +
        NEW_KUBECONFIG,
      transient,
    };
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return {
      cause: `TLS: the apiserver's certificate is not valid for ${server.hostname} (${message})`,
      fix: 'use an address the certificate names, or set tls-server-name in the kubeconfig',
      transient,
    };
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID')
    return {
      cause: `TLS: the apiserver's certificate is not valid now (${code})`,
      fix: NEW_KUBECONFIG,
      transient,
    };
  if (code === 'EPROTO' || code.startsWith('ERR_SSL'))
    return {
      cause: `TLS handshake failed (${message})`,
      fix: `check that ${server.origin} is the apiserver's https address`,
      transient,
    };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return {
      cause: `the host ${server.hostname} does not resolve (${code})`,
      fix: CHECK_THE_SERVER,
      transient,
    };
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH')
    return { cause: `no route to ${server.hostname} (${code})`, fix: CHECK_THE_SERVER, transient };
  return { cause: code ? `${code}: ${message}` : message, fix: CHECK_THE_SERVER, transient };
}

/**
 * Asks the apiserver for GET /version before anything else starts, so a wrong address, CA or token
 * fails start-up within seconds with the cause, instead of informers retrying until the cache sync
 * timeout. Refused connections and 5xx answers are retried within `timeoutMs` (an apiserver may be
 * starting); other failures end the check at once.
 */
export async function checkApiServer(transport: Transport, options: ApiServerCheckOptions): Promise<void> {
  const server = transport.server;
  const url = server.origin;
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = AbortSignal.any([options.signal, deadline]);
  const waited = `${Math.round(options.timeoutMs / 100) / 10} s`;
  const unreachable = (failure: Omit<Failure, 'transient'>, cause: unknown) =>
    new ApiServerUnreachableError(url, `${failure.cause}; ${failure.fix}`, { cause });
  let last: { failure: Omit<Failure, 'transient'>; error: unknown } | undefined;
  for (;;) {
    try {
      await transport.request({ method: 'GET', path: '/version', signal, retry: false });
      return;
    } catch (error) {
      options.signal.throwIfAborted();
      if (error instanceof UnauthorizedError) throw AccessDeniedError.from(error, options.credentials, url);
      // /version is readable by anyone authenticated; a refusal still proves the apiserver answers.
      if (error instanceof ForbiddenError) return;
      if (deadline.aborted) {
        if (!last)
          throw unreachable(
            { cause: `timed out (no answer within ${waited})`, fix: CHECK_THE_SERVER },
            error,
          );
        throw unreachable(
          { ...last.failure, cause: `${last.failure.cause}, still after ${waited}` },
          last.error,
        );
      }
      if (error instanceof ApiError) {
        if (error.code < 500 && error.code !== 429)
          throw unreachable(
            {
              cause: `GET /version answered ${error.code}, so this is not a Kubernetes apiserver`,
              fix: CHECK_THE_SERVER,
            },
            error,
          );
        last = {
          failure: {
            cause: `the apiserver answers ${error.code} (${error.message})`,
            fix: 'check its health',
          },
          error,
        };
      } else if (error instanceof ConnectionError) {
        const failure = describeFailure(error, server);
        if (!failure.transient) throw unreachable(failure, error);
        last = { failure, error };
      } else {
        throw error;
      }
      await sleep(250, undefined, { signal }).catch(() => undefined);
    }
  }
}
