// `typerator rollout status|history|undo` for the example operators' workloads, declared in the
// repository's package.json (`typerator.commands.rollout`). The command is the SDK's
// (sdk/rollout); each operator contributes what its kind needs (operators/*/cli/).
import type { Command } from 'commander';
import { rolloutCommand, type RolloutWorkload } from '../sdk/rollout/index.ts';
import { deploymentRollouts } from './deployment/cli/deployment-rollout.ts';
import { statefulSetRollouts } from './statefulset/cli/statefulset-rollout.ts';

/**
 * The workloads, ours first: `--kind` defaults to our Deployment; `deployment.apps` and
 * `statefulset.apps` are the built-in kinds.
 */
export const workloads: readonly RolloutWorkload[] = [...deploymentRollouts, ...statefulSetRollouts];

/** The `rollout` command, for the `typerator` CLI's plugin loader. */
export function command(setExitCode: (code: number) => void): Command {
  return rolloutCommand(workloads, setExitCode, {
    description: 'manage the rollout of a Deployment or StatefulSet (apps.typerator.dev by default)',
  });
}
