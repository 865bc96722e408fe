// The values an operator's settings take (bind addresses, namespaces, log levels, ports, ...), read
// from text the same way whether the text came from a flag or an environment variable. Each reader
// calls `refuse` with what the value should have been, and the caller turns that into an error
// naming the flag or variable.
import type { LogFormat } from '../logging/logger.ts';
import type { BindAddress } from './probe-server.ts';

/** Builds the error for a refused value from what it is not and what to write instead. */
export type Refuse = (what: string, expected: string) => Error;

/** pino's levels, quietest last. */
export const LOG_LEVELS: readonly string[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
/** A Kubernetes namespace name (an RFC 1123 label). */
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** A Kubernetes object name such as a Lease's (an RFC 1123 subdomain). */
const OBJECT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** `host:port`, `:port`, a port, or `off` (false). */
export function bindAddressValue(value: string, refuse: Refuse): BindAddress {
  if (value === 'off') return false;
  const colon = value.lastIndexOf(':');
  const host = colon >= 0 ? value.slice(0, colon) : '';
  const port = colon >= 0 ? value.slice(colon + 1) : value;
  const validPort = /^\d{1,5}$/.test(port) && Number(port) <= 65_535;
  if (!validPort || /\s/.test(host)) throw refuse('a bind address', 'host:port, :port or off (e.g. :8080)');
  return value;
}

/** One namespace name; a list is refused, since the manager watches one namespace or all. */
export function namespaceValue(value: string, refuse: Refuse): string {
  if (value.includes(','))
    throw refuse(
      'one namespace',
      'a single namespace, or leave it unset for all (the manager watches one namespace or all)',
    );
  if (!NAMESPACE.test(value))
    throw refuse('a namespace name', 'lower-case letters, digits and "-", at most 63 characters');
  return value;
}

/** The name of a Kubernetes object, e.g. the leader-election Lease. */
export function objectNameValue(value: string, refuse: Refuse): string {
  if (value.length > 253 || !OBJECT_NAME.test(value))
    throw refuse('an object name', 'lower-case letters, digits, "-" and ".", at most 253 characters');
  return value;
}

export function logLevelValue(value: string, refuse: Refuse): string {
  if (!LOG_LEVELS.includes(value)) throw refuse('a log level', `one of ${LOG_LEVELS.join(', ')}`);
  return value;
}

export function logFormatValue(value: string, refuse: Refuse): LogFormat {
  if (value !== 'pretty' && value !== 'json') throw refuse('a log format', 'pretty or json');
  return value;
}

/** A TCP port, 0 (any free port) to 65535. */
export function portValue(value: string, refuse: Refuse): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65_535)
    throw refuse('a port number', 'a whole number from 0 to 65535 (e.g. 9443)');
  return Number(value);
}

/** `true` or `false`. */
export function booleanValue(value: string, refuse: Refuse): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw refuse('a boolean', 'true or false');
}
