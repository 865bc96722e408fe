import { Command, Option } from 'commander';
import { RUN_SETTINGS, type RunFlags } from './run-settings.ts';

/** What the command's help says about the program. */
export interface RunnerCommandOptions {
  /** The command's name, as usage shows it (`typerator run`, `main.ts`). */
  readonly name: string;
  readonly description: string;
  /** The operators `--operators` chooses from, listed in help. */
  readonly operators: readonly string[];
}

const AFTER_HELP = `
Every flag has the environment variable shown beside it (as a Deployment's env would set it): the
flag wins, and an empty variable counts as unset. A malformed value, an unusable kubeconfig, an
unreachable apiserver, missing RBAC or CRDs, or a port in use end the process with one line naming
the cause and the fix, and exit code 1. SIGTERM or SIGINT stops it gracefully (exit 0).`;

/**
 * A commander command with the runner's flags ({@link RUN_SETTINGS}) and their variables in its
 * help, no positional arguments, and errors (an unknown flag, a missing value) on one line. The
 * caller adds the action, which receives the {@link RunFlags}.
 */
export function runnerCommand(options: RunnerCommandOptions): Command {
  const command = new Command(options.name)
    .description(options.description)
    .helpOption('-h, --help', 'show the flags')
    .addHelpText('after', AFTER_HELP)
    .configureOutput({
      // Commander puts "(Did you mean --namespace?)" on a line of its own.
      outputError: (text, write) => write(`${text.trim().split('\n').join(' ')} (see --help)\n`),
    });
  for (const [key, setting] of Object.entries(RUN_SETTINGS) as [
    keyof RunFlags,
    (typeof RUN_SETTINGS)[keyof RunFlags],
  ][]) {
    const choices = key === 'operators' ? `: ${options.operators.join(', ') || '(none registered)'}` : '';
    const description = `${setting.description}${choices} [env ${setting.variable}; default: ${setting.defaultText}]`;
    command.addOption(new Option(`${setting.flag} ${setting.argument}`, description));
    if (key === 'leaderElect')
      command.addOption(
        new Option('--no-leader-elect', 'run without leader election (as LEADER_ELECT=false)'),
      );
  }
  return command;
}
