import { Manager } from './manager.ts';
import { managerOptionsFromEnvironment } from './manager-options-from-environment.ts';

/**
 * The whole `main` of an operator: a Manager configured from the environment
 * ({@link managerOptionsFromEnvironment}: kubeconfig or in-cluster credentials, bind addresses, log
 * level and format, watched namespace, a Lease named `name` in POD_NAMESPACE), `setup` registering
 * the controllers, then running until SIGTERM or SIGINT. A set-up mistake ends it with one log line
 * naming the cause and the fix, and exit code 1 ({@link Manager.run}).
 *
 * @example
 * await runOperator('widget-operator', setup);
 */
export function runOperator(name: string, setup: (manager: Manager) => void | Promise<void>): Promise<never> {
  return Manager.run(async () => {
    const manager = await Manager.create(
      managerOptionsFromEnvironment(process.env, { loggerName: name, leaseName: name }),
    );
    await setup(manager);
    return manager;
  });
}
