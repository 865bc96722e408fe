import { relative } from 'node:path';
import { Command } from 'commander';
import { ProjectManifestError } from './project-manifest.ts';
import { createApi } from './scaffold/create-api.ts';
import { DEFAULT_API_VERSION, DEFAULT_KIND, initProject } from './scaffold/init-project.ts';
import { OPERATOR_MODULE } from './scaffold/project-layout.ts';
import { ScaffoldError } from './scaffold/scaffold-error.ts';

type SetExitCode = (code: number) => void;

/** Runs a scaffolding action; a refusal is one line on stderr and exit code 1, without a stack. */
function refusalsAsExitCode(setExitCode: SetExitCode, action: () => void): void {
  try {
    action();
    setExitCode(0);
  } catch (error) {
    if (!(error instanceof ScaffoldError || error instanceof ProjectManifestError)) throw error;
    process.stderr.write(`typerator: ${error.message}\n`);
    setExitCode(1);
  }
}

/** A path as the user would type it from the working folder. */
function shown(path: string): string {
  const fromHere = relative(process.cwd(), path);
  return fromHere === '' ? '.' : fromHere.startsWith('..') ? path : fromHere;
}

interface InitFlags {
  readonly name?: string;
  readonly kind: string;
  readonly group?: string;
  readonly apiVersion: string;
  readonly typerator?: string;
}

/** `typerator init <dir>`. */
export function initCommand(setExitCode: SetExitCode): Command {
  return new Command('init')
    .description(
      'create an operator project: API types, a controller, admission webhooks, tests, samples and a Helm chart',
    )
    .argument('<dir>', 'the project folder; created, or used if it is empty')
    .option('--name <name>', "package, chart and ClusterRole name (default: the folder's name)")
    .option('--kind <Kind>', 'the first kind, PascalCase', DEFAULT_KIND)
    .option('--group <group>', 'its API group (default: <name>.example.com)')
    .option('--api-version <version>', 'its API version', DEFAULT_API_VERSION)
    .option(
      '--typerator <spec>',
      'the typerator dependency: a version range, or a path to a packed .tgz (default: ^ this version)',
    )
    .action((dir: string, flags: InitFlags) => {
      refusalsAsExitCode(setExitCode, () => {
        const result = initProject({
          dir,
          name: flags.name,
          kind: flags.kind,
          group: flags.group,
          apiVersion: flags.apiVersion,
          typerator: flags.typerator,
        });
        const folder = shown(result.root);
        process.stdout.write(
          `created ${result.project} in ${folder}:\n${result.files.map((file) => `  ${file}\n`).join('')}\n` +
            `next:\n  cd ${folder}\n  npm install\n  npm run crd:generate && npm run rbac:generate\n` +
            '  npm test     # the controller against a local control plane\n' +
            '  npm start    # typerator dev: a local cluster with the CRDs, the operator and samples/\n',
        );
      });
    });
}

interface CreateApiFlags {
  readonly group?: string;
  readonly apiVersion: string;
}

/** `typerator create api <Kind>`. */
export function createCommand(setExitCode: SetExitCode): Command {
  const create = new Command('create').description('add to a project made by `typerator init`');
  create
    .command('api')
    .description(`add a kind: API types, a controller stub registered in ${OPERATOR_MODULE}, and a sample`)
    .argument('<Kind>', 'the kind, PascalCase (e.g. Gadget, DatabaseBackup)')
    .option('--group <group>', "API group (default: the group of the project's existing API types)")
    .option('--api-version <version>', 'API version', DEFAULT_API_VERSION)
    .action((kind: string, flags: CreateApiFlags) => {
      refusalsAsExitCode(setExitCode, () => {
        const result = createApi({ kind, group: flags.group, apiVersion: flags.apiVersion });
        const lines = result.files.map((file) => `  created ${file}\n`);
        if (result.registered) lines.push(`  updated ${OPERATOR_MODULE}: sets up the new controller\n`);
        else
          lines.push(
            `\n${OPERATOR_MODULE} has no "// typerator:scaffold:" marker comments, so it was left alone; add:\n` +
              result.linesToAdd.map((line) => `  ${line}\n`).join(''),
          );
        process.stdout.write(
          `${result.names.kind} (${result.names.apiVersion}):\n${lines.join('')}\n` +
            'next: npm run crd:generate && npm run rbac:generate\n',
        );
      });
    });
  return create;
}
