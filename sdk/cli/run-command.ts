import type { Command } from 'commander';
import type { RunFlags } from '../runner/run-settings.ts';
import { runnerCommand } from '../runner/runner-command.ts';
import { findProjectManifest } from './project-manifest.ts';
import {
  loadProjectOperator,
  programName,
  projectOperators,
  ProjectOperatorsError,
  type ProjectOperator,
} from './project-operators.ts';

/** The project's declared operators, or why they cannot be read (reported when the command runs). */
interface Declared {
  readonly name: string;
  readonly operators: readonly ProjectOperator[];
  readonly problem?: Error;
  readonly manifestFile?: string;
}

function readDeclared(cwd: string): Declared {
  try {
    const manifest = findProjectManifest(cwd);
    if (!manifest) return { name: 'typerator', operators: [] };
    return {
      name: programName(manifest.packageName),
      operators: projectOperators(manifest),
      manifestFile: manifest.file,
    };
  } catch (error) {
    return { name: 'typerator', operators: [], problem: error as Error };
  }
}

/**
 * `typerator run`: the operators the project declares in package.json
 * (`"typerator": { "operators": { "<name>": "<module>" } }`) in one manager, in the foreground,
 * against the cluster of KUBECONFIG or `--kubeconfig`, with the same flags as any runner
 * ({@link runnerCommand}). The program name (default Lease) is the package's name.
 */
export function runCommand(): Command {
  const declared = readDeclared(process.cwd());
  return runnerCommand({
    name: 'run',
    description:
      "run the project's operators (package.json typerator.operators) in one manager until SIGTERM or " +
      'SIGINT, against the cluster of KUBECONFIG or --kubeconfig',
    operators: declared.operators.map((operator) => operator.name),
  }).action(async (flags: RunFlags) => {
    if (declared.problem) throw declared.problem;
    if (declared.operators.length === 0)
      throw new ProjectOperatorsError(
        `${declared.manifestFile ?? 'no package.json here or above'}: no operators to run: declare them as ` +
          '"typerator": { "operators": { "<name>": "./src/operator.ts" } } (modules exporting setup(manager))',
      );
    const operators = await Promise.all(declared.operators.map(loadProjectOperator));
    const { startOperators } = await import('../runner/run-operators.ts');
    await startOperators(declared.name, operators, flags);
  });
}
