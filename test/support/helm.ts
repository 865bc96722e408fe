import { resolveBinary } from '../../sdk/testing/index.ts';
import { runProcess, type ProcessResult } from './run-process.ts';

/** Runs helm (and kubectl) from the build cache against one cluster. */
export class HelmRunner {
  readonly helm = resolveBinary('helm');
  readonly kubectl = resolveBinary('kubectl');
  private readonly kubeconfig: string;
  private readonly env: NodeJS.ProcessEnv;

  /** `home` keeps helm's cache, config and data out of the user's folders. */
  constructor(kubeconfig: string, home: string) {
    this.kubeconfig = kubeconfig;
    this.env = {
      ...process.env,
      HELM_CACHE_HOME: `${home}/cache`,
      HELM_CONFIG_HOME: `${home}/config`,
      HELM_DATA_HOME: `${home}/data`,
    };
  }

  /** `helm <args> --kubeconfig <plane>`, whatever its exit code. */
  run(args: readonly string[]): Promise<ProcessResult> {
    return runProcess(this.helm, [...args, '--kubeconfig', this.kubeconfig], {
      env: this.env,
      timeoutMs: 300_000,
    });
  }

  /** Like {@link run}, but a non-zero exit throws with helm's output. */
  async ok(args: readonly string[]): Promise<string> {
    const result = await this.run(args);
    if (result.code !== 0)
      throw new Error(`helm ${args.join(' ')} exited ${result.code}:\n${result.stderr}\n${result.stdout}`);
    return result.stdout;
  }

  /** `kubectl <args>` against the same cluster; a non-zero exit throws. */
  async kubectlOk(args: readonly string[]): Promise<string> {
    const result = await runProcess(this.kubectl, ['--kubeconfig', this.kubeconfig, ...args], {
      timeoutMs: 120_000,
    });
    if (result.code !== 0)
      throw new Error(`kubectl ${args.join(' ')} exited ${result.code}:\n${result.stderr}`);
    return result.stdout;
  }
}
