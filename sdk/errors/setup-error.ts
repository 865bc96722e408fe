/**
 * Something wrong with how the program is set up or pointed at a cluster (a kubeconfig, the
 * apiserver's address or certificate, credentials, RBAC, a missing CRD, a port, a folder, an
 * environment variable), rather than a bug. Its message names the cause and the fix, so it is
 * reported as one line, without a stack trace.
 */
export class SetupError extends Error {
  override readonly name: string = 'SetupError';
}

/** True for the errors reported as one line without a stack (see {@link SetupError}). */
export const isSetupError = (error: unknown): error is SetupError => error instanceof SetupError;
