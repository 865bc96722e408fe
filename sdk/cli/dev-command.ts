import { Command, InvalidArgumentError } from 'commander';
import { loadDevConfig } from '../dev/dev-config.ts';
import { runDevSession } from '../dev/dev-session.ts';

interface DevCommandOptions {
  readonly name: string;
  readonly kubeconfig?: string;
  readonly nodes: number;
  readonly webhooks?: boolean;
  readonly once?: boolean;
  readonly timeout: number;
}

function positiveNumber(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0)
    throw new InvalidArgumentError(`expected a number > 0, got "${value}"`);
  return parsed;
}

const progress = (line: string) => process.stderr.write(`typerator dev: ${line}\n`);

/** `typerator dev`: the project's operators on a local cluster, with its samples and a live view. */
export function devCommand(setExitCode: (code: number) => void): Command {
  return new Command('dev')
    .description(
      'start a local cluster, install the CRDs, run the operators (package.json typerator.operators) with ' +
        'development webhook certificates, apply the samples and show what happens until Ctrl-C',
    )
    .option('--kubeconfig <file>', 'use this existing cluster instead of starting a local one')
    .option(
      '--name <name>',
      'name of the local cluster (for `typerator env --name` and `cluster down --name`)',
      'dev',
    )
    .option('--nodes <n>', 'kwok nodes of the local cluster', (v) => Math.floor(positiveNumber(v)), 3)
    .option(
      '--no-webhooks',
      'do not serve or register the operators’ webhooks (default: on for a local apiserver)',
    )
    .option('--once', 'exit 0 once every sample is ready (exit 1 after --timeout)')
    .option('--timeout <seconds>', 'with --once: how long the samples may take', positiveNumber, 300)
    .action(async (options: DevCommandOptions) => {
      const stop = new AbortController();
      let startingUp = true;
      const onSignal = (signal: NodeJS.Signals) => {
        if (startingUp || stop.signal.aborted) {
          // The control plane's exit hook kills its processes; nothing is left half-started.
          progress(`${signal} ${startingUp ? 'during start-up' : 'again'}: stopping at once`);
          process.exit(signal === 'SIGINT' ? 130 : 143);
        }
        stop.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        setExitCode(
          await runDevSession({
            config: loadDevConfig(process.cwd()),
            name: options.name,
            ...(options.kubeconfig !== undefined ? { kubeconfig: options.kubeconfig } : {}),
            nodes: options.nodes,
            ...(options.webhooks === false ? { webhooks: false } : {}),
            once: options.once === true,
            timeoutMs: options.timeout * 1000,
            signal: stop.signal,
            onStarted: () => (startingUp = false),
            out: process.stdout,
            progress,
          }),
        );
      } catch (error) {
        progress(error instanceof Error ? error.message : String(error));
        setExitCode(1);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
