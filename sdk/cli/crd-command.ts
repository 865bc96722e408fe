import { join, relative, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import {
  ANNOTATION_SIZE_LIMIT_BYTES,
  checkCrdFiles,
  crdJsonBytes,
  CrdGenerationError,
  DEFAULT_ENTRIES,
  DEFAULT_OUT_DIR,
  generateCrds,
  type GeneratedCrd,
  InvalidOptionError,
  NoResourcesError,
  writeCrdFiles,
} from '../crd/index.ts';
import { findProjectManifest, ProjectManifestError } from './project-manifest.ts';

interface GenerateOptions {
  readonly entry?: string[];
  readonly out: string;
  readonly root: string;
  readonly check: boolean;
  readonly maxDescriptionLength?: number;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

const isLength = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

function parseLength(value: string): number {
  const parsed = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!isLength(parsed)) throw new InvalidArgumentError('expected a non-negative integer.');
  return parsed;
}

/** `"typerator": { "crd": { "maxDescriptionLength": n } }` of the project's nearest package.json. */
function configuredMaxDescriptionLength(root: string): number | undefined {
  const manifest = findProjectManifest(root);
  if (!manifest) return undefined;
  const crd = (manifest.typerator as { crd?: unknown } | null | undefined)?.crd;
  if (crd === undefined) return undefined;
  if (typeof crd !== 'object' || crd === null || Array.isArray(crd))
    throw new ProjectManifestError(`${manifest.file}: typerator.crd must be an object`);
  const value = (crd as { maxDescriptionLength?: unknown }).maxDescriptionLength;
  if (value === undefined || isLength(value)) return value;
  throw new ProjectManifestError(
    `${manifest.file}: typerator.crd.maxDescriptionLength must be a non-negative integer, got ${JSON.stringify(value)}`,
  );
}

/** Warns on stderr about CRDs too big for client-side `kubectl apply`; never fails. */
function warnAboutSize(crds: readonly GeneratedCrd[], shown: string): void {
  for (const { crd, fileName } of crds) {
    const bytes = crdJsonBytes(crd);
    if (bytes <= ANNOTATION_SIZE_LIMIT_BYTES) continue;
    process.stderr.write(
      `warning: ${join(shown, fileName)} is ${(bytes / 1024).toFixed(1)} KiB as JSON, over the ` +
        `${ANNOTATION_SIZE_LIMIT_BYTES / 1024} KiB the kubectl.kubernetes.io/last-applied-configuration annotation ` +
        'may hold, so client-side `kubectl apply` will refuse it. Shorten descriptions with ' +
        '--max-description-length <n> (or "typerator": { "crd": { "maxDescriptionLength": n } } in package.json), ' +
        'or install it with `kubectl apply --server-side` or `kubectl create`\n',
    );
  }
}

/** Generates, then writes or (with --check) compares; returns the exit code. */
function crdGenerate(options: GenerateOptions): number {
  const root = resolve(options.root);
  const outDir = resolve(root, options.out);
  const fromHere = relative(process.cwd(), outDir);
  const shown = fromHere.startsWith('..') ? outDir : fromHere || '.';
  let crds;
  try {
    const maxDescriptionLength = options.maxDescriptionLength ?? configuredMaxDescriptionLength(root);
    crds = generateCrds({
      root,
      entries: options.entry ?? DEFAULT_ENTRIES,
      ...(maxDescriptionLength === undefined ? {} : { maxDescriptionLength }),
    });
  } catch (error) {
    if (
      error instanceof CrdGenerationError ||
      error instanceof NoResourcesError ||
      error instanceof InvalidOptionError ||
      error instanceof ProjectManifestError
    ) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  warnAboutSize(crds, shown);
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
    .option(
      '--max-description-length <n>',
      'cut schema descriptions to at most n characters (0 drops them); overrides typerator.crd.maxDescriptionLength in package.json',
      parseLength,
    )
    .action((options: GenerateOptions) => {
      setExitCode(crdGenerate(options));
    });
  return crd;
}
