import { CLUSTER_ROLE_FILE, MAIN_MODULE, OPERATOR_MODULE, SAMPLES_FOLDER } from './project-layout.ts';
import type { TyperatorVersions } from './typerator-versions.ts';

/** What a new project's package.json depends on. */
export interface PackageJsonOptions {
  readonly project: string;
  readonly versions: TyperatorVersions;
  /** The `typerator` dependency spec: `^<version>` by default, or a path to a packed .tgz. */
  readonly typeratorSpec: string;
}

/** package.json of a new operator project. */
export function packageJson({ project, versions, typeratorSpec }: PackageJsonOptions): string {
  const rbac = `typerator rbac generate --entry ${OPERATOR_MODULE} --name ${project} --out ${CLUSTER_ROLE_FILE}`;
  const manifest = {
    name: project,
    version: '0.1.0',
    private: true,
    description: `${project}: a Kubernetes operator written with Typerator`,
    type: 'module',
    engines: { node: versions.nodeEngine },
    scripts: {
      // typerator dev installs crds/, so regenerate it first.
      prestart: 'typerator crd generate',
      start: 'typerator dev',
      operator: `node ${MAIN_MODULE}`,
      test: 'node --test --test-timeout=300000 "test/**/*.test.ts"',
      typecheck: 'tsc --noEmit -p tsconfig.json',
      'crd:generate': 'typerator crd generate',
      'crd:check': 'typerator crd generate --check',
      'rbac:generate': rbac,
      'rbac:check': `${rbac} --check`,
    },
    dependencies: {
      '@kubernetes/client-node': versions.clientNode,
      typerator: typeratorSpec,
    },
    // npm scripts put node_modules/.bin first on PATH, so this Node runs the TypeScript sources
    // even where the system Node is too old to strip types.
    devDependencies: {
      '@types/node': versions.typesNode,
      node: versions.node,
      typescript: versions.typescript,
    },
    // The `node` package installs its binary from an install script.
    allowScripts: { node: true },
    // `typerator run` and `typerator dev` run the operators named here.
    typerator: {
      operators: { [project]: `./${OPERATOR_MODULE}` },
      dev: { samples: [SAMPLES_FOLDER] },
    },
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
