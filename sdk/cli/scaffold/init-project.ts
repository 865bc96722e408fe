import { existsSync, mkdirSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { apiTypesModule } from './api-types.ts';
import { dockerfile, dockerignore } from './container-image.ts';
import { exampleControllerModule } from './controller-module.ts';
import { CHART_CRDS_LINK, helmChartFiles } from './helm-chart.ts';
import { kindNames } from './kind-names.ts';
import { mainModule, operatorModule } from './operator-module.ts';
import { controllerTest, webhooksTest } from './operator-tests.ts';
import { packageJson } from './package-json.ts';
import { gitignore, tsconfigJson } from './project-config-files.ts';
import { writeProjectFiles, type ProjectFiles } from './project-files.ts';
import {
  MAIN_MODULE,
  OPERATOR_MODULE,
  apiTypesPath,
  controllerPath,
  samplePath,
  webhooksPath,
} from './project-layout.ts';
import { checkProjectName, defaultGroup } from './project-name.ts';
import { projectReadme } from './project-readme.ts';
import { sampleManifest } from './sample-manifest.ts';
import { ScaffoldError } from './scaffold-error.ts';
import { typeratorVersions } from './typerator-versions.ts';
import { webhooksModule } from './webhook-module.ts';

/** What `typerator init` was asked for. */
export interface InitOptions {
  /** The new project's folder, relative to `cwd`; created unless it exists and is empty. */
  readonly dir: string;
  /** npm package, chart and ClusterRole name; default the folder's name. */
  readonly name?: string | undefined;
  /** The example kind; default Widget. */
  readonly kind?: string | undefined;
  /** Its API group; default `<name>.example.com`. */
  readonly group?: string | undefined;
  /** Its API version; default v1. */
  readonly apiVersion?: string | undefined;
  /** The `typerator` dependency: a version range, or a path to a packed .tgz or a folder. */
  readonly typerator?: string | undefined;
  /** Resolves `dir` and a relative `typerator` path; default the process's working folder. */
  readonly cwd?: string | undefined;
}

/** The project `typerator init` wrote. */
export interface InitResult {
  readonly root: string;
  readonly project: string;
  /** Paths relative to `root`, in the order written. */
  readonly files: readonly string[];
}

export const DEFAULT_KIND = 'Widget';
export const DEFAULT_API_VERSION = 'v1';

/** A path (to a packed .tgz or a folder) becomes an absolute `file:` spec; anything else is kept. */
export function typeratorDependency(spec: string | undefined, version: string, cwd: string): string {
  if (spec === undefined) return `^${version}`;
  const looksLikePath = /^(\.{1,2}\/|\/|~\/)/.test(spec) || spec.endsWith('.tgz');
  return looksLikePath && !spec.includes(':') ? `file:${resolve(cwd, spec)}` : spec;
}

/** A new project goes into a folder that does not exist yet or is empty. */
function checkTargetFolder(root: string): void {
  if (!existsSync(root)) return;
  if (!statSync(root).isDirectory()) throw new ScaffoldError(`${root} exists and is not a folder`);
  if (readdirSync(root).length > 0)
    throw new ScaffoldError(`${root} exists and is not empty; choose a new or empty folder`);
}

/** Writes a new operator project (see project-layout.ts); refuses a non-empty folder or bad names. */
export function initProject(options: InitOptions): InitResult {
  const cwd = options.cwd ?? process.cwd();
  const root = resolve(cwd, options.dir);
  const project = checkProjectName(options.name ?? basename(root));
  const names = kindNames(
    options.kind ?? DEFAULT_KIND,
    options.group ?? defaultGroup(project),
    options.apiVersion ?? DEFAULT_API_VERSION,
  );
  checkTargetFolder(root);
  const versions = typeratorVersions();
  const files: ProjectFiles = {
    'package.json': packageJson({
      project,
      versions,
      typeratorSpec: typeratorDependency(options.typerator, versions.typerator, cwd),
    }),
    'tsconfig.json': tsconfigJson(),
    '.gitignore': gitignore(),
    'README.md': projectReadme(project, names),
    Dockerfile: dockerfile(versions.node),
    '.dockerignore': dockerignore(),
    [apiTypesPath(names)]: apiTypesModule(names, 'example'),
    [controllerPath(names)]: exampleControllerModule(names, project),
    [webhooksPath(names)]: webhooksModule(names),
    [OPERATOR_MODULE]: operatorModule(names),
    [MAIN_MODULE]: mainModule(project),
    [`test/${names.fileStem}-controller.test.ts`]: controllerTest(names),
    [`test/${names.fileStem}-webhooks.test.ts`]: webhooksTest(names),
    [samplePath(names)]: sampleManifest(names, 'example'),
    ...helmChartFiles(project),
  };
  mkdirSync(root, { recursive: true });
  const written = writeProjectFiles(root, files);
  symlinkSync(CHART_CRDS_LINK.target, join(root, CHART_CRDS_LINK.path));
  return { root, project, files: [...written, CHART_CRDS_LINK.path] };
}
