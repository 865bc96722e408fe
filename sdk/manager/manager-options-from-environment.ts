import { SetupError } from '../errors/setup-error.ts';
import { createLogger, type LogFormat } from '../logging/logger.ts';
import type { ManagerOptions } from './manager.ts';
import type { BindAddress } from './probe-server.ts';

/** An environment variable holds a value the operator cannot use; the message names it. */
export class EnvironmentVariableError extends SetupError {
  override readonly name = 'EnvironmentVariableError';
  readonly variable: string;

  /** `<variable>=<value> is not <what>: use <expected>`. */
  constructor(variable: string, value: string, what: string, expected: string) {
    super(`${variable}=${value} is not ${what}: use ${expected}`);
    this.variable = variable;
  }
}

export interface EnvironmentDefaults {
  /** Names the logger (its `logger` field); default `typerator`. */
  readonly loggerName?: string;
  /** Elect a leader on a Lease of this name, in POD_NAMESPACE; default no leader election. */
  readonly leaseName?: string;
}

const LOG_LEVELS: readonly string[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
/** A Kubernetes namespace name (an RFC 1123 label). */
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** The value of a set, non-empty variable (empty counts as unset, as Kubernetes manifests often leave it). */
function valueOf(env: NodeJS.ProcessEnv, variable: string): string | undefined {
  const value = env[variable]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** `host:port`, `:port`, a port, or `off`. */
function bindAddress(env: NodeJS.ProcessEnv, variable: string): BindAddress | undefined {
  const value = valueOf(env, variable);
  if (value === undefined) return undefined;
  if (value === 'off') return false;
  const colon = value.lastIndexOf(':');
  const host = colon >= 0 ? value.slice(0, colon) : '';
  const port = colon >= 0 ? value.slice(colon + 1) : value;
  const validPort = /^\d{1,5}$/.test(port) && Number(port) <= 65_535;
  if (!validPort || /\s/.test(host))
    throw new EnvironmentVariableError(
      variable,
      value,
      'a bind address',
      'host:port, :port or off (e.g. :8080)',
    );
  return value;
}

function namespace(env: NodeJS.ProcessEnv, variable: string): string | undefined {
  const value = valueOf(env, variable);
  if (value === undefined) return undefined;
  if (value.includes(','))
    throw new EnvironmentVariableError(
      variable,
      value,
      'one namespace',
      'a single namespace, or leave it unset for all (the manager watches one namespace or all)',
    );
  if (!NAMESPACE.test(value))
    throw new EnvironmentVariableError(
      variable,
      value,
      'a namespace name',
      'lower-case letters, digits and "-", at most 63 characters',
    );
  return value;
}

function logLevel(env: NodeJS.ProcessEnv): string {
  const value = valueOf(env, 'LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(value))
    throw new EnvironmentVariableError('LOG_LEVEL', value, 'a log level', `one of ${LOG_LEVELS.join(', ')}`);
  return value;
}

function logFormat(env: NodeJS.ProcessEnv): LogFormat | undefined {
  const value = valueOf(env, 'LOG_FORMAT');
  if (value === undefined) return undefined;
  if (value !== 'pretty' && value !== 'json')
    throw new EnvironmentVariableError('LOG_FORMAT', value, 'a log format', 'pretty or json');
  return value;
}

/**
 * Manager options from the environment a Deployment gives an operator, checked up front so a typo
 * fails with the variable's name:
 * - METRICS_BIND_ADDRESS, HEALTH_PROBE_BIND_ADDRESS: `host:port`, `:port` or `off`; unset keeps the
 *   manager's defaults (:8080, :8081).
 * - LOG_LEVEL: pino's level; default info. LOG_FORMAT: `pretty` or `json`; default pretty on a
 *   terminal, JSON otherwise.
 * - WATCH_NAMESPACE: watch and cache only this namespace; unset watches all.
 * - POD_NAMESPACE (from the downward API): where the leader-election Lease lives; default "default".
 *
 * @example
 * const manager = await Manager.create(
 *   managerOptionsFromEnvironment(process.env, { loggerName: 'my-operator', leaseName: 'my-operator' }),
 * );
 */
export function managerOptionsFromEnvironment(
  env: NodeJS.ProcessEnv = process.env,
  defaults: EnvironmentDefaults = {},
): ManagerOptions {
  const metricsBindAddress = bindAddress(env, 'METRICS_BIND_ADDRESS');
  const healthProbeBindAddress = bindAddress(env, 'HEALTH_PROBE_BIND_ADDRESS');
  const watchNamespace = namespace(env, 'WATCH_NAMESPACE');
  const leaseNamespace = namespace(env, 'POD_NAMESPACE') ?? 'default';
  const format = logFormat(env);
  const logger = createLogger({
    component: defaults.loggerName ?? 'typerator',
    level: logLevel(env),
    ...(format ? { format } : {}),
  });
  return {
    logger,
    ...(metricsBindAddress !== undefined ? { metricsBindAddress } : {}),
    ...(healthProbeBindAddress !== undefined ? { healthProbeBindAddress } : {}),
    ...(watchNamespace !== undefined ? { namespace: watchNamespace } : {}),
    ...(defaults.leaseName !== undefined
      ? { leaderElection: { name: defaults.leaseName, namespace: leaseNamespace } }
      : {}),
  };
}
