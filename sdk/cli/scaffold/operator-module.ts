import type { KindNames } from './kind-names.ts';
import { CONTROLLERS_MARKER, IMPORTS_MARKER, controllerSetupName } from './project-layout.ts';
import { webhooksRegisterName } from './webhook-module.ts';

/** The import line that brings a kind's controller into operator.ts. */
export function controllerImport(names: KindNames): string {
  return `import { ${controllerSetupName(names)} } from './controllers/${names.fileStem}-controller.ts';`;
}

/** The call in `setup(manager)` that registers a kind's controller. */
export function controllerCall(names: KindNames): string {
  return `${controllerSetupName(names)}(manager);`;
}

/**
 * src/operator.ts: `setup(manager)` registers the controllers, and the admission webhooks when the
 * manager serves webhooks. `typerator dev` runs it, `typerator rbac generate` reads it, and
 * `typerator create api` adds controllers above the marker comments.
 */
export function operatorModule(names: KindNames): string {
  return `import type { Manager } from 'typerator';
${controllerImport(names)}
import { ${webhooksRegisterName(names)} } from './webhooks/${names.fileStem}-webhooks.ts';
${IMPORTS_MARKER}

/**
 * Registers the operator on a manager. \`npm run rbac:generate\` derives the ClusterRole from what
 * the controllers registered here watch and write; \`npm start\` (typerator dev) runs it against a
 * local cluster, and src/main.ts in a real one.
 */
export async function setup(manager: Manager): Promise<void> {
  ${controllerCall(names)}
  ${CONTROLLERS_MARKER}
  // Webhooks need a serving certificate: the manager has one when created with \`webhook\` options
  // (src/main.ts does so with --webhook-cert-dir or WEBHOOK_CERT_DIR; typerator dev makes a development one).
  if (manager.servesWebhooks) ${webhooksRegisterName(names)}(await manager.webhookServer());
}
`;
}

/** src/main.ts: runs the operator in a cluster (or against KUBECONFIG) until SIGTERM or SIGINT. */
export function mainModule(project: string): string {
  return `import { runOperator } from 'typerator';
import { setup } from './operator.ts';

// Runs the operator with the credentials of KUBECONFIG, ~/.kube/config or the pod's service
// account, with leader election on the Lease ${project} so only one replica reconciles, until
// SIGTERM or SIGINT. \`node src/main.ts --help\` lists the flags and the variable behind each:
//
//   POD_NAMESPACE     where the Lease lives (the chart sets it); default "default"
//   LOG_LEVEL         pino's level; default info (LOG_FORMAT: pretty or json)
//   METRICS_BIND_ADDRESS, HEALTH_PROBE_BIND_ADDRESS   host:port or off; default :8080, :8081
//   WATCH_NAMESPACE   watch one namespace only; default all
//   WEBHOOK_CERT_DIR  folder with tls.crt and tls.key: serve the admission webhooks on :9443
//
// A malformed setting, an unreachable apiserver, missing RBAC or CRDs end the process with one
// log line naming the cause, and exit code 1.

await runOperator('${project}', setup);
`;
}
