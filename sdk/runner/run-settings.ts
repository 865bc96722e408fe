// The settings of a process that runs operators: each is a command-line flag with an environment
// variable behind it (the flag wins; an empty variable counts as unset), read and checked before
// anything starts, so a typo ends the process with one line naming the flag or the variable.
import { statSync } from 'node:fs';
import { InvalidSettingError } from '../errors/invalid-setting-error.ts';
import { EnvironmentVariableError } from '../manager/manager-options-from-environment.ts';
import type { BindAddress } from '../manager/probe-server.ts';
import {
  bindAddressValue,
  booleanValue,
  logFormatValue,
  logLevelValue,
  namespaceValue,
  objectNameValue,
  portValue,
  type Refuse,
} from '../manager/setting-values.ts';
import type { LogFormat } from '../logging/logger.ts';

/** The flags as the command line gives them: text, or a boolean for `--leader-elect`. */
export interface RunFlags {
  readonly operators?: string;
  readonly namespace?: string;
  readonly leaderElect?: string | boolean;
  readonly leaderElectionId?: string;
  readonly leaderElectionNamespace?: string;
  readonly metricsBindAddress?: string;
  readonly healthProbeBindAddress?: string;
  readonly webhookPort?: string;
  readonly webhookCertDir?: string;
  readonly logLevel?: string;
  readonly logFormat?: string;
  readonly kubeconfig?: string;
}

/** One setting: its flag, the variable read when the flag is absent, and its help. */
export interface RunSetting {
  /** e.g. `--metrics-bind-address`. */
  readonly flag: string;
  /** What the flag takes, for help: `<address>`. */
  readonly argument: string;
  /** e.g. `METRICS_BIND_ADDRESS`. */
  readonly variable: string;
  readonly description: string;
  /** The default, as help shows it. */
  readonly defaultText: string;
}

/** Every setting, keyed as {@link RunFlags}; the order is the order of `--help`. */
export const RUN_SETTINGS: { readonly [K in keyof RunFlags]-?: RunSetting } = {
  operators: {
    flag: '--operators',
    argument: '<names>',
    variable: 'OPERATORS',
    description: 'the operators to run, comma-separated',
    defaultText: 'all of them',
  },
  namespace: {
    flag: '--namespace',
    argument: '<namespace>',
    variable: 'WATCH_NAMESPACE',
    description: 'watch and cache only this namespace; one, as the cache watches one namespace or all',
    defaultText: 'all namespaces',
  },
  leaderElect: {
    flag: '--leader-elect',
    argument: '[true|false]',
    variable: 'LEADER_ELECT',
    description: 'elect a leader on a Lease, so only one replica reconciles (--no-leader-elect: off)',
    defaultText: 'true',
  },
  leaderElectionId: {
    flag: '--leader-election-id',
    argument: '<name>',
    variable: 'LEADER_ELECTION_ID',
    description: 'the name of the leader-election Lease',
    defaultText: 'the program name',
  },
  leaderElectionNamespace: {
    flag: '--leader-election-namespace',
    argument: '<namespace>',
    variable: 'POD_NAMESPACE',
    description:
      'the namespace of the leader-election Lease (charts set POD_NAMESPACE from the downward API)',
    defaultText: 'default',
  },
  metricsBindAddress: {
    flag: '--metrics-bind-address',
    argument: '<address>',
    variable: 'METRICS_BIND_ADDRESS',
    description: 'where /metrics listens: host:port, :port or off',
    defaultText: ':8080',
  },
  healthProbeBindAddress: {
    flag: '--health-probe-bind-address',
    argument: '<address>',
    variable: 'HEALTH_PROBE_BIND_ADDRESS',
    description: 'where /healthz and /readyz listen: host:port, :port or off',
    defaultText: ':8081',
  },
  webhookPort: {
    flag: '--webhook-port',
    argument: '<port>',
    variable: 'WEBHOOK_PORT',
    description: "the webhook server's port (needs --webhook-cert-dir)",
    defaultText: '9443',
  },
  webhookCertDir: {
    flag: '--webhook-cert-dir',
    argument: '<folder>',
    variable: 'WEBHOOK_CERT_DIR',
    description:
      'serve every operator’s admission and conversion webhooks on one server, with tls.crt and tls.key from this folder',
    defaultText: 'no webhooks',
  },
  logLevel: {
    flag: '--log-level',
    argument: '<level>',
    variable: 'LOG_LEVEL',
    description: 'fatal, error, warn, info, debug (every reconcile), trace or silent',
    defaultText: 'info',
  },
  logFormat: {
    flag: '--log-format',
    argument: '<format>',
    variable: 'LOG_FORMAT',
    description: 'pretty or json',
    defaultText: 'pretty on a terminal, json otherwise',
  },
  kubeconfig: {
    flag: '--kubeconfig',
    argument: '<file>',
    variable: 'KUBECONFIG',
    description: 'the kubeconfig file (KUBECONFIG may list several)',
    defaultText: '~/.kube/config, or the pod’s service account',
  },
};

/** What a process runs with, every default filled in. */
export interface RunSettings {
  /** The names of the operators to run, in the order they were registered. */
  readonly operators: readonly string[];
  /** Watch and cache only this namespace; undefined watches all. */
  readonly namespace: string | undefined;
  /** The Lease to hold; undefined runs without leader election. */
  readonly leaderElection: { readonly name: string; readonly namespace: string } | undefined;
  readonly metricsBindAddress: BindAddress;
  readonly healthProbeBindAddress: BindAddress;
  /** The one webhook server every operator registers on; undefined serves none. */
  readonly webhook: { readonly certDir: string; readonly port: number } | undefined;
  readonly logLevel: string;
  /** Undefined: pretty on a terminal, JSON otherwise. */
  readonly logFormat: LogFormat | undefined;
  /** A kubeconfig file named by the flag; undefined finds one as kubectl does (KUBECONFIG, ...). */
  readonly kubeconfig: string | undefined;
}

/** What the settings are read against: the program's name and the operators it can run. */
export interface RunTarget {
  /** Names the default leader-election Lease. */
  readonly name: string;
  /** The registered operators' names, in order. */
  readonly operators: readonly string[];
  /** Those that run only when named (see Operator.optIn). */
  readonly optIn?: readonly string[];
}

/** Where a setting's text came from, for the message that refuses it. */
interface Given {
  readonly value: string;
  /** The flag or variable, as the message names it. */
  readonly setting: string;
  readonly fromFlag: boolean;
}

const nonEmpty = (text: string | undefined): string | undefined => {
  const value = text?.trim();
  return value === undefined || value === '' ? undefined : value;
};

/**
 * Reads and checks the settings: each flag, else its environment variable, else the default.
 * Throws an {@link InvalidSettingError} (an {@link EnvironmentVariableError} for a variable) whose
 * message names the flag or variable and what it accepts, e.g.
 * `--metrics-bind-address=abc is not a bind address: use host:port, :port or off (e.g. :8080)`.
 */
export function resolveRunSettings(flags: RunFlags, env: NodeJS.ProcessEnv, target: RunTarget): RunSettings {
  const given = (key: Exclude<keyof RunFlags, 'leaderElect'>): Given | undefined => {
    const { flag, variable } = RUN_SETTINGS[key];
    const fromFlag = nonEmpty(flags[key]);
    if (fromFlag !== undefined) return { value: fromFlag, setting: flag, fromFlag: true };
    const fromVariable = nonEmpty(env[variable]);
    return fromVariable === undefined
      ? undefined
      : { value: fromVariable, setting: variable, fromFlag: false };
  };
  const read = <T>(
    key: Exclude<keyof RunFlags, 'leaderElect'>,
    parse: (value: string, refuse: Refuse) => T,
  ): T | undefined => {
    const found = given(key);
    return found === undefined ? undefined : parse(found.value, refusal(found));
  };

  const operators = selectOperators(given('operators'), target.operators, target.optIn ?? []);
  const namespace = read('namespace', namespaceValue);
  const leaderElect = readLeaderElect(flags.leaderElect, env);
  const leaseName = read('leaderElectionId', objectNameValue) ?? target.name;
  const leaseNamespace = read('leaderElectionNamespace', namespaceValue) ?? 'default';
  const metricsBindAddress = read('metricsBindAddress', bindAddressValue) ?? ':8080';
  const healthProbeBindAddress = read('healthProbeBindAddress', bindAddressValue) ?? ':8081';
  const port = given('webhookPort');
  const webhookPort = port === undefined ? 9443 : portValue(port.value, refusal(port));
  const certDir = read('webhookCertDir', folderValue);
  if (port !== undefined && certDir === undefined)
    throw new InvalidSettingError(
      port.setting,
      `${port.setting}=${port.value} needs a certificate folder: set ${RUN_SETTINGS.webhookCertDir.flag} ` +
        `(or ${RUN_SETTINGS.webhookCertDir.variable}) to the folder with tls.crt and tls.key, or leave the port unset`,
    );
  const logLevel = read('logLevel', logLevelValue) ?? 'info';
  const logFormat = read('logFormat', logFormatValue);
  // KUBECONFIG itself may list several files; readKubeconfig reads it when the flag is absent.
  const kubeconfig = nonEmpty(flags.kubeconfig);
  return {
    operators,
    namespace,
    leaderElection: leaderElect ? { name: leaseName, namespace: leaseNamespace } : undefined,
    metricsBindAddress,
    healthProbeBindAddress,
    webhook: certDir === undefined ? undefined : { certDir, port: webhookPort },
    logLevel,
    logFormat,
    kubeconfig,
  };
}

/** An existing folder (the certificate files inside are read, and reloaded, by the webhook server). */
function folderValue(value: string, refuse: Refuse): string {
  if (!statSync(value, { throwIfNoEntry: false })?.isDirectory())
    throw refuse('a folder', 'the folder that holds tls.crt and tls.key (e.g. where a Secret is mounted)');
  return value;
}

/** The error for a refused value: an EnvironmentVariableError for a variable, else one naming the flag. */
function refusal(given: Given): Refuse {
  return (what, expected) =>
    given.fromFlag
      ? InvalidSettingError.malformed(given.setting, given.value, what, expected)
      : new EnvironmentVariableError(given.setting, given.value, what, expected);
}

/** `--leader-elect` (true), `--leader-elect=false`, `--no-leader-elect` (false), else LEADER_ELECT. */
function readLeaderElect(flag: string | boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  const { flag: name, variable } = RUN_SETTINGS.leaderElect;
  if (typeof flag === 'boolean') return flag;
  const fromFlag = nonEmpty(flag);
  if (fromFlag !== undefined)
    return booleanValue(fromFlag, refusal({ value: fromFlag, setting: name, fromFlag: true }));
  const fromVariable = nonEmpty(env[variable]);
  if (fromVariable !== undefined)
    return booleanValue(fromVariable, refusal({ value: fromVariable, setting: variable, fromFlag: false }));
  return true;
}

/**
 * The operators a comma-separated list names, in registration order; when none is given, all but
 * the opt-in ones.
 */
function selectOperators(
  given: Given | undefined,
  known: readonly string[],
  optIn: readonly string[],
): string[] {
  if (given === undefined) return known.filter((name) => !optIn.includes(name));
  const names = given.value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const choices = known.length > 0 ? known.join(', ') : '(none registered)';
  const unknown = names.filter((name) => !known.includes(name));
  if (names.length === 0 || unknown.length > 0)
    throw new InvalidSettingError(
      given.setting,
      `${given.setting}=${given.value} ${
        unknown.length === 0
          ? 'names no operator'
          : `names ${unknown.length === 1 ? 'an unknown operator' : 'unknown operators'} ${unknown.map((name) => `"${name}"`).join(', ')}`
      }: use a comma-separated list of ${choices}, or leave it unset for all`,
    );
  return known.filter((name) => names.includes(name));
}
