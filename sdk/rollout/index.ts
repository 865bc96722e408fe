/**
 * `typerator rollout status|history|undo` for any workload kind. A workload operator describes its
 * kind as a {@link RolloutWorkload} (the `--kind` names it answers to, how kubectl would read its
 * status, its revisions, how to go back to one); {@link rolloutCommand} is the command around any
 * number of them, for a project's package.json `typerator.commands`:
 *
 * ```ts
 * // src/cli/rollout-command.ts; package.json: "typerator": { "commands": { "rollout": "./src/cli/rollout-command.ts" } }
 * import { rolloutCommand } from 'typerator/rollout';
 * import { widgetRollout } from '../rollout/widget-rollout.ts';
 *
 * export const command = (setExitCode: (code: number) => void) => rolloutCommand([widgetRollout], setExitCode);
 * ```
 */
export { rolloutCommand, type RolloutCommandOptions, type RolloutOutput } from './rollout-command.ts';
export {
  RolloutError,
  resolveWorkload,
  resourceName,
  type RolloutWorkload,
  type RolloutStatus,
  type RolloutRevision,
  type RolloutContext,
  type UndoResult,
} from './rollout-workload.ts';
