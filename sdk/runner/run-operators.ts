import { relative } from 'node:path';
import { readKubeconfig } from '../client/kubeconfig/read-kubeconfig.ts';
import { createLogger } from '../logging/logger.ts';
import { Manager, type ManagerOptions } from '../manager/manager.ts';
import { OPERATOR_NAME, type Operator } from './operator.ts';
import { resolveRunSettings, type RunFlags, type RunSettings } from './run-settings.ts';
import { runnerCommand } from './runner-command.ts';

/** A process that runs operators. */
export interface RunOperatorsOptions {
  /**
   * The program's name: the logger's, and the leader-election Lease's unless
   * `--leader-election-id` names another.
   */
  readonly name: string;
  /** The operators it can run; `--operators` picks some, by default all run. */
  readonly operators: readonly Operator[];
  /** One line for `--help`; default "runs <names> in one manager". */
  readonly description?: string;
  /** The command line, node and script first; default `process.argv`. */
  readonly argv?: readonly string[];
  /** Default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * The whole `main` of a process that runs operators: reads the flags and environment variables
 * (`--help` lists them: which operators, watched namespace, leader election, metrics, probe and
 * webhook addresses, certificate folder, log level and format, kubeconfig), builds one manager,
 * lets each chosen operator register on it, and runs until SIGTERM or SIGINT. A malformed setting
 * or any other set-up mistake ends it with one line naming the cause and the fix, and exit code 1.
 *
 * @example
 * await runOperators({ name: 'shop', operators: [ordersOperator, invoicesOperator] });
 */
export async function runOperators(options: RunOperatorsOptions): Promise<never> {
  const names = checkRegistry(options.operators);
  const argv = options.argv ?? process.argv;
  const script = argv[1];
  const command = runnerCommand({
    // Usage reads as the command that was run, e.g. `node operators/main.ts [options]`.
    name: script === undefined ? options.name : `node ${relative(process.cwd(), script) || script}`,
    description: options.description ?? `runs ${names.join(', ')} in one manager`,
    operators: names,
  });
  command.action((flags: RunFlags) =>
    startOperators(options.name, options.operators, flags, options.env ?? process.env),
  );
  await command.parseAsync([...argv]);
  // Only `--help` returns here (the action never does); commander has printed it.
  process.exit(0);
}

/**
 * Runs `operators` with the given flags (and the environment behind them) until SIGTERM or
 * SIGINT; for commands that parse the flags themselves, as `typerator run` does.
 */
export function startOperators(
  name: string,
  operators: readonly Operator[],
  flags: RunFlags,
  env: NodeJS.ProcessEnv = process.env,
): Promise<never> {
  return Manager.run(async () => {
    const settings = resolveRunSettings(flags, env, {
      name,
      operators: checkRegistry(operators),
      optIn: operators.filter((operator) => operator.optIn).map((operator) => operator.name),
    });
    const manager = await Manager.create(managerOptionsFor(name, settings));
    for (const operator of operators) {
      if (!settings.operators.includes(operator.name)) continue;
      await operator.setup(manager, {
        name: operator.name,
        settings,
        logger: manager.logger.child({ operator: operator.name }),
      });
    }
    manager.logger.info(
      {
        operators: settings.operators,
        namespace: settings.namespace ?? '(all)',
        lease: settings.leaderElection
          ? `${settings.leaderElection.namespace}/${settings.leaderElection.name}`
          : '(no leader election)',
        webhooks: manager.servesWebhooks,
      },
      'operators registered',
    );
    return manager;
  });
}

/** The manager the settings describe: its logger, kubeconfig, addresses, namespace, Lease and webhooks. */
export function managerOptionsFor(name: string, settings: RunSettings): ManagerOptions {
  const logger = createLogger({
    component: name,
    level: settings.logLevel,
    ...(settings.logFormat ? { format: settings.logFormat } : {}),
  });
  return {
    logger,
    // A file named on the command line that cannot be used fails here, as a one-line KubeConfigError.
    ...(settings.kubeconfig !== undefined
      ? { kubeConfig: readKubeconfig({ path: settings.kubeconfig }) }
      : {}),
    metricsBindAddress: settings.metricsBindAddress,
    healthProbeBindAddress: settings.healthProbeBindAddress,
    ...(settings.namespace !== undefined ? { namespace: settings.namespace } : {}),
    ...(settings.leaderElection ? { leaderElection: settings.leaderElection } : {}),
    ...(settings.webhook ? { webhook: settings.webhook } : {}),
  };
}

/** The registered names, after checking they can be told apart on a command line. */
function checkRegistry(operators: readonly Operator[]): string[] {
  const names = operators.map((operator) => operator.name);
  for (const name of names) {
    if (!OPERATOR_NAME.test(name))
      throw new Error(
        `operator name "${name}": use letters, digits, ".", "_" and "-" (--operators separates names with commas)`,
      );
    if (names.indexOf(name) !== names.lastIndexOf(name))
      throw new Error(`two operators are registered as "${name}"`);
  }
  return names;
}
