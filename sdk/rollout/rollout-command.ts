import type { KubernetesObject } from '@kubernetes/client-node';
import { Command, Option } from 'commander';
import { pino } from 'pino';
import { Client } from '../client/client.ts';
import { isNotFound } from '../client/errors.ts';
import { loadKubeConfig } from '../client/load-kubeconfig.ts';
import { followRollout } from './follow-rollout.ts';
import { parseDuration, parseRevision, parseTarget } from './rollout-arguments.ts';
import { formatHistory } from './rollout-history.ts';
import {
  RolloutError,
  resolveWorkload,
  resourceName,
  type RolloutContext,
  type RolloutWorkload,
} from './rollout-workload.ts';

/** Where the commands write; the process's stdout and stderr unless a test captures them. */
export interface RolloutOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Options of {@link rolloutCommand}. */
export interface RolloutCommandOptions {
  /** Replaces the command's one-line description in `typerator --help`. */
  readonly description?: string;
  readonly output?: RolloutOutput;
}

const processOutput: RolloutOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

interface GlobalOptions {
  readonly kubeconfig?: string;
  readonly namespace?: string;
  readonly kind: string;
}

interface StatusOptions extends GlobalOptions {
  readonly timeout: number;
  readonly watch: boolean;
  readonly revision?: bigint;
  readonly interval: number;
}

interface HistoryOptions extends GlobalOptions {
  readonly revision: bigint;
}

interface UndoOptions extends GlobalOptions {
  readonly toRevision: bigint;
}

/** One object a subcommand acts on, resolved from its arguments and connected to. */
interface Session {
  readonly workload: RolloutWorkload;
  readonly name: string;
  readonly context: RolloutContext;
  /** `<resource>/<name>`, as kubectl prefixes its output. */
  readonly target: string;
  readonly read: () => Promise<KubernetesObject>;
}

/** The workload named by `<kind>/<name>` or by --kind (not both, unless they agree). */
function workloadFor(
  workloads: readonly RolloutWorkload[],
  argument: string,
  command: Command,
): { workload: RolloutWorkload; name: string } {
  const target = parseTarget(argument);
  const option = command.optsWithGlobals<GlobalOptions>().kind;
  if (target.kind === undefined) return { workload: resolveWorkload(workloads, option), name: target.name };
  const workload = resolveWorkload(workloads, target.kind);
  if (command.getOptionValueSource('kind') !== 'default' && resolveWorkload(workloads, option) !== workload)
    throw new RolloutError(`--kind ${option} and ${argument} name different kinds: give the kind once`);
  return { workload, name: target.name };
}

/** Resolves the workload, connects with the kubeconfig, runs `action`, and closes the client. */
async function withSession<R>(
  workloads: readonly RolloutWorkload[],
  argument: string,
  command: Command,
  action: (session: Session) => Promise<R>,
): Promise<R> {
  const { workload, name } = workloadFor(workloads, argument, command);
  const options = command.optsWithGlobals<GlobalOptions>();
  const kubeConfig = loadKubeConfig(options.kubeconfig === undefined ? {} : { path: options.kubeconfig });
  const contextNamespace = kubeConfig.getContextObject(kubeConfig.getCurrentContext())?.namespace;
  const namespace = options.namespace ?? contextNamespace ?? 'default';
  const client = await Client.fromKubeConfig(kubeConfig, { logger: pino({ level: 'silent' }) });
  const resource = resourceName(workload.kind);
  try {
    return await action({
      workload,
      name,
      context: { client, namespace },
      target: `${resource}/${name}`,
      read: async () => {
        try {
          return await client.resource(workload.kind).get({ namespace, name });
        } catch (error) {
          if (isNotFound(error))
            throw new RolloutError(
              `${resource} ${JSON.stringify(name)} not found in namespace ${JSON.stringify(namespace)}`,
            );
          throw error;
        }
      },
    });
  } finally {
    client.close();
  }
}

/** Runs an action; a RolloutError (or any failure) becomes `error: …` on stderr and exit code 1. */
function reporting(
  setExitCode: (code: number) => void,
  output: RolloutOutput,
  action: () => Promise<void>,
): Promise<void> {
  return action().then(
    () => {
      setExitCode(0);
    },
    (error: unknown) => {
      output.stderr(`error: ${error instanceof Error ? error.message : String(error)}\n`);
      setExitCode(1);
    },
  );
}

/**
 * `rollout status|history|undo`, kubectl's rollout commands for the given workload kinds, as a
 * commander command that a project adds to `typerator` through its package.json
 * (`"typerator": { "commands": { "rollout": "<module>" } }`, the module exporting `command`):
 *
 * ```ts
 * import { rolloutCommand } from 'typerator/rollout';
 * export const command = (setExitCode: (code: number) => void) =>
 *   rolloutCommand([widgetRollout], setExitCode);
 * ```
 *
 * `--kind` (default: the first workload's first name) or a `<kind>/<name>` argument picks the
 * workload. `status` prints the workload's status line each time it changes until it is done
 * (polling every `--interval`, 500 ms), or once with `--no-watch`, and fails at `--timeout`;
 * `history` prints the revisions (or one with `--revision N`); `undo` rolls back to the previous
 * revision or `--to-revision N`. Failures print `error: …` and set exit code 1.
 */
export function rolloutCommand(
  workloads: readonly RolloutWorkload[],
  setExitCode: (code: number) => void,
  options: RolloutCommandOptions = {},
): Command {
  const output = options.output ?? processOutput;
  const first = workloads[0];
  if (first === undefined) throw new Error('rolloutCommand needs at least one workload');
  const kinds = workloads.map((w) => w.names[0] ?? resourceName(w.kind)).join(', ');
  const rollout = new Command('rollout')
    .description(options.description ?? `manage a rollout (${kinds})`)
    .option('--kubeconfig <file>', 'kubeconfig file (default: KUBECONFIG, ~/.kube/config or in-cluster)');
  const common = (command: Command) =>
    command
      .argument('<name>', 'the object: <name>, or <kind>/<name>')
      .option('-n, --namespace <namespace>', "namespace (default: the context's, else default)")
      .option('--kind <kind>', `what <name> is: ${kinds}`, first.names[0] ?? resourceName(first.kind));

  common(rollout.command('status'))
    .description('wait until a rollout finishes')
    .addOption(
      new Option('--timeout <duration>', 'give up after this long, e.g. 5m')
        .argParser(parseDuration)
        .default(0, '0, wait forever'),
    )
    .option('--revision <n>', 'fail unless this revision is the running one', parseRevision)
    .option('--no-watch', 'print the current status once and exit')
    .addOption(
      new Option('--interval <duration>', 'how often to check')
        .argParser(parseDuration)
        .default(500, '500ms'),
    )
    .action((argument: string, _options: unknown, command: Command) =>
      reporting(setExitCode, output, () =>
        withSession(workloads, argument, command, async ({ workload, name, read }) => {
          const opts = command.optsWithGlobals<StatusOptions>();
          await followRollout(
            async () => workload.status(await read(), opts.revision),
            {
              timeoutMs: opts.timeout,
              watch: opts.watch,
              intervalMs: opts.interval,
              what: `${workload.kind.kind.toLowerCase()} ${JSON.stringify(name)}`,
            },
            (line) => {
              output.stdout(`${line}\n`);
            },
          );
        }),
      ),
    );

  common(rollout.command('history'))
    .description('list the revisions, with their change-cause; --revision N shows one')
    // A bigint default needs its description: commander would print it with JSON.stringify.
    .addOption(
      new Option('--revision <n>', "show this revision's pod template")
        .argParser(parseRevision)
        .default(0n, '0'),
    )
    .action((argument: string, _options: unknown, command: Command) =>
      reporting(setExitCode, output, () =>
        withSession(workloads, argument, command, async ({ workload, context, target, read }) => {
          const revisions = await workload.history(await read(), context);
          output.stdout(formatHistory(target, revisions, command.optsWithGlobals<HistoryOptions>().revision));
        }),
      ),
    );

  common(rollout.command('undo'))
    .description('roll back to the previous revision, or to --to-revision')
    .addOption(
      new Option('--to-revision <n>', 'the revision to roll back to (0: the previous one)')
        .argParser(parseRevision)
        .default(0n, '0'),
    )
    .action((argument: string, _options: unknown, command: Command) =>
      reporting(setExitCode, output, () =>
        withSession(workloads, argument, command, async ({ workload, context, target, read }) => {
          const toRevision = command.optsWithGlobals<UndoOptions>().toRevision;
          const result = await workload.undo(await read(), toRevision, context);
          output.stdout(
            result.outcome === 'skipped'
              ? `${target} skipped rollback (current template already matches revision ${result.revision.toString()})\n`
              : `${target} rolled back\n`,
          );
        }),
      ),
    );
  return rollout;
}
