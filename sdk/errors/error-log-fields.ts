import { ApiError, ConnectionError } from '../client/errors.ts';
import { SetupError } from './setup-error.ts';

/**
 * Pino fields for an error: its name and message for errors whose message says everything (setup
 * mistakes, apiserver answers, connection failures), since pino's `err` serialiser adds a stack
 * that only points into the SDK; `err` (with the stack) for anything else, which may be a bug.
 */
export function errorLogFields(error: unknown): Record<string, unknown> {
  if (error instanceof SetupError || error instanceof ApiError || error instanceof ConnectionError)
    return { reason: error.name, error: error.message };
  return { err: error };
}
