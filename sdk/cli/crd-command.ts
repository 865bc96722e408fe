import { join, relative, resolve } from 'node:path';
import { Command } from 'commander';
import {
  checkCrdFiles,
  CrdGenerationError,
  DEFAULT_ENTRIES,
  DEFAULT_OUT_DIR,
  generateCrds,
  NoResourcesError,
  writeCrdFiles,
} from '../crd/index.ts';

interface GenerateOptions {
  readonly entry?: string[];
  readonly out: string;
  readonly root: string;
  readonly check: boolean;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** Generates, then writes or (with --check) compares; returns the exit code. */
function crdGenerate(options: GenerateOptions): number {
  const root = resolve(options.root);
  const outDir = resolve(root, options.out);
  const fromHere = relative(process.cwd(), outDir);
  const shown = fromHere.startsWith('..') ? outDir : fromHere || '.';
  let crds;
  try {
    crds = generateCrds({ root, entries: options.entry ?? DEFAULT_ENTRIES });
  } catch (error) {
    if (error instanceof CrdGenerationError || error instanceof NoResourcesError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  if (options.check) {
    const check = checkCrdFiles(crds, outDir);
    if (check.upToDate) {
      process.stdout.write(`${crds.length} CRD file(s) in ${shown} are up to date\n`);
      return 0;
    }
    const lines = [
      ...check.stale.map((file) => `  stale:   ${join(shown, file)}`),
      ...check.missing.map((file) => `  missing: ${join(shown, file)}`),
      ...check.extra.map((file) => `  extra:   ${join(shown, file)} (no type generates it)`),
    ];
    process.stderr.write(
      `CRD files in ${shown} do not match the API types:\n${lines.join('\n')}\n` +
        'run `typerator crd generate` (npm run crd:generate) and commit the result\n',
    );
    return 1;
  }
  const result = writeCrdFiles(crds, outDir);
  for (const file of result.written) process.stdout.write(`wrote ${join(shown, file)}\n`);
  process.stdout.write(
    `${crds.length} CRD(s) generated into ${shown} (${result.written.length} written, ${result.unchanged.length} unchanged)\n`,
  );
  return 0;
}

/** `typerator crd generate`. */
export function crdCommand(setExitCode: (code: number) => void): Command {
  const crd = new Command('crd').description('CustomResourceDefinitions generated from TypeScript types');
  crd
    .command('generate')
    .description(
      'generate one CRD YAML per kind (<plural>.<group>.yaml) from the API types; see sdk/crd/README.md for markers',
    )
    .option(
      '--entry <glob>',
      `API type files or globs, relative to --root; repeatable (default: ${DEFAULT_ENTRIES.join(', ')})`,
      collect,
    )
    .option('--out <dir>', 'output folder, relative to --root', DEFAULT_OUT_DIR)
    .option('--root <dir>', 'project folder', '.')
    .option('--check', 'write nothing; exit 1 listing stale, missing and extra files', false)
    .action((options: GenerateOptions) => {
      setExitCode(crdGenerate(options));
    });
  return crd;
}
