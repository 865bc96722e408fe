import { InvalidSettingError } from '../errors/invalid-setting-error.ts';
import { createLogger, type LogFormat } from '../logging/logger.ts';
import type { ManagerOptions } from './manager.ts';
import type { BindAddress } from './probe-server.ts';
import {
  bindAddressValue,
  logFormatValue,
  logLevelValue,
  namespaceValue,
  type Refuse,
} from './setting-values.ts';

/** An environment variable holds a value the operator cannot use; the message names it. */
export class EnvironmentVariableError extends InvalidSettingError {
  override readonly name = 'EnvironmentVariableError';
  readonly variable: string;

  /** `<variable>=<value> is not <what>: use <expected>`. */
  constructor(variable: string, value: string, what: string, expected: string) {
    super(variable, `${variable}=${value} is not ${what}: use ${expected}`);
    this.variable = variable;
  }
}

export interface EnvironmentDefaults {
  /** Names the logger (its `logger` field); default `typerator`. */
  readonly loggerName?: string;
  /** Elect a leader on a Lease of this name, in POD_NAMESPACE; default no leader election. */
  readonly leaseName?: string;
}

/** The value of a set, non-empty variable (empty counts as unset, as Kubernetes manifests often leave it). */
function valueOf(env: NodeJS.ProcessEnv, variable: string): string | undefined {
  const value = env[variable]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** Reads `variable` with `parse` when it is set; a refused value names the variable. */
function read<T>(
  env: NodeJS.ProcessEnv,
  variable: string,
  parse: (value: string, refuse: Refuse) => T,
): T | undefined {
  const value = valueOf(env, variable);
  if (value === undefined) return undefined;
  return parse(value, (what, expected) => new EnvironmentVariableError(variable, value, what, expected));
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
  const metricsBindAddress: BindAddress | undefined = read(env, 'METRICS_BIND_ADDRESS', bindAddressValue);
  const healthProbeBindAddress = read(env, 'HEALTH_PROBE_BIND_ADDRESS', bindAddressValue);
  const watchNamespace = read(env, 'WATCH_NAMESPACE', namespaceValue);
  const leaseNamespace = read(env, 'POD_NAMESPACE', namespaceValue) ?? 'default';
  const format: LogFormat | undefined = read(env, 'LOG_FORMAT', logFormatValue);
  const logger = createLogger({
    component: defaults.loggerName ?? 'typerator',
    level: read(env, 'LOG_LEVEL', logLevelValue) ?? 'info',
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
