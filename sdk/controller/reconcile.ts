import type { Logger } from 'pino';
import type { Client } from '../client/client.ts';
import { isNotFound } from '../client/errors.ts';

/** Which object to reconcile. Events only name the object; the reconciler reads its state. */
export interface Request {
  readonly namespace?: string | undefined;
  readonly name: string;
}

/**
 * What a reconcile asks for next. Return nothing when done. `requeueAfterMs` schedules another pass
 * (e.g. for time-based transitions); `requeue` retries with the rate limiter's backoff.
 */
export interface Result {
  readonly requeueAfterMs?: number;
  readonly requeue?: boolean;
}

/** What a reconcile gets besides the request. */
export interface ReconcileContext {
  /** A child logger carrying controller, namespace, name and reconcileID. */
  readonly logger: Logger;
  /** Aborts when the manager must stop reconciling at once (e.g. leadership lost). */
  readonly signal: AbortSignal;
  readonly client: Client;
  readonly reconcileId: string;
}

/** A level-triggered reconcile function: read desired and current state, take one step, return. */
export type Reconciler = (
  request: Request,
  context: ReconcileContext,
) => Promise<Result | undefined> | Promise<void>;

/**
 * An error that retrying cannot fix (e.g. an invalid spec): it is logged and counted, and the
 * request is not retried until the object changes again.
 */
export class TerminalError extends Error {
  override readonly name = 'TerminalError';
}

/**
 * Wraps a reconciler so that NotFound from the apiserver ends the reconcile instead of retrying it:
 * the object, or one it was writing, was deleted meanwhile, and that deletion's own event brings the
 * controller back if anything is left to do (controller-runtime's `client.IgnoreNotFound`).
 */
export function ignoreNotFound(reconciler: Reconciler): Reconciler {
  return async (request, context): Promise<Result | undefined> => {
    try {
      return (await reconciler(request, context)) ?? undefined;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  };
}

/** Reconcile again after `ms` milliseconds. */
export const requeueAfter = (ms: number): Result => ({ requeueAfterMs: ms });

/** The queue key of a request (`namespace/name` or `name`). */
export function requestKey(request: Request): string {
  return request.namespace ? `${request.namespace}/${request.name}` : request.name;
}

/** The request a queue key stands for. */
export function requestFromKey(key: string): Request {
  const slash = key.indexOf('/');
  return slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
