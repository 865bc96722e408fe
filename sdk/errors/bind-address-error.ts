import { SetupError } from './setup-error.ts';

/** Why a server could not listen, in words, from the error code `listen` failed with. */
function listenFailureReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') return 'the address is already in use (another process listens there)';
  if (code === 'EACCES') return 'permission denied (ports below 1024 need privileges)';
  if (code === 'EADDRNOTAVAIL') return 'this machine has no such address';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name does not resolve';
  return error instanceof Error ? error.message : String(error);
}

/**
 * A server (metrics, health probes, webhooks) cannot listen where it was told to: the address is
 * malformed, in use, or not this machine's. The message names the address and the setting that
 * changes it.
 */
export class BindAddressError extends SetupError {
  override readonly name = 'BindAddressError';
  readonly address: string;

  constructor(message: string, address: string, options?: ErrorOptions) {
    super(message, options);
    this.address = address;
  }

  /**
   * `cannot serve <what> on <address>: <reason>; <fix>`.
   * @param fix what changes the address, e.g. `set METRICS_BIND_ADDRESS ... to a free host:port`
   */
  static listenFailed(what: string, address: string, error: unknown, fix: string): BindAddressError {
    return new BindAddressError(
      `cannot serve ${what} on ${address}: ${listenFailureReason(error)}; ${fix}`,
      address,
      { cause: error },
    );
  }
}
