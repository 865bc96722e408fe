import type { KindNames } from './kind-names.ts';

// Where the generated files live in a project. `typerator crd generate` reads API types from
// src/api/ by default, `typerator dev` reads the package.json's "typerator.dev" section, and
// `typerator create api` finds the operator module and its markers here.

/** The module exporting `setup(manager)`. */
export const OPERATOR_MODULE = 'src/operator.ts';
/** The program that runs the operator against a cluster (`npm run operator`, the container). */
export const MAIN_MODULE = 'src/main.ts';
/** The folder of the API types. */
export const API_FOLDER = 'src/api';
/** Where `npm run rbac:generate` writes the ClusterRole the chart installs. */
export const CLUSTER_ROLE_FILE = 'chart/files/clusterrole.yaml';
/** Folder of sample objects `typerator dev` applies. */
export const SAMPLES_FOLDER = 'samples';

/** Lines in operator.ts above which `typerator create api` adds an import and a setup call. */
export const IMPORTS_MARKER = '// typerator:scaffold:imports';
export const CONTROLLERS_MARKER = '// typerator:scaffold:controllers';

export const apiTypesPath = (names: KindNames): string => `${API_FOLDER}/${names.fileStem}.ts`;
export const controllerPath = (names: KindNames): string => `src/controllers/${names.fileStem}-controller.ts`;
export const webhooksPath = (names: KindNames): string => `src/webhooks/${names.fileStem}-webhooks.ts`;
export const samplePath = (names: KindNames): string => `${SAMPLES_FOLDER}/${names.fileStem}.yaml`;

/** The function a controller module exports: `setupWidgetController`. */
export const controllerSetupName = (names: KindNames): string => `setup${names.kind}Controller`;
