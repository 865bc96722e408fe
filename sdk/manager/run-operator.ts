import { runOperators } from '../runner/run-operators.ts';
import type { Manager } from './manager.ts';

/**
 * The whole `main` of a one-operator process: {@link runOperators} with `setup` registered as
 * `name`, which also names the logger and the leader-election Lease. The process takes the
 * runner's flags and environment variables (`--help` lists them: kubeconfig, bind addresses, log
 * level and format, watched namespace, leader election, webhook certificate folder) and runs until
 * SIGTERM or SIGINT. A set-up mistake ends it with one log line naming the cause and the fix, and
 * exit code 1 ({@link Manager.run}).
 *
 * @example
 * await runOperator('widget-operator', setup);
 */
export function runOperator(name: string, setup: (manager: Manager) => void | Promise<void>): Promise<never> {
  return runOperators({ name, operators: [{ name, setup: (manager) => setup(manager) }] });
}
