import type { KindNames } from './kind-names.ts';
import { importStatement, MAX_LINE } from './import-statement.ts';
import { controllerSetupName } from './project-layout.ts';

/** `export const widgetKind = resourceKind<Widget>(...)`, wrapped when long. */
function kindConstant(names: KindNames): string {
  const { constant } = names;
  const start = `export const ${names.variable}Kind = resourceKind<${names.kind}>(`;
  const args = [`${constant}_API_VERSION`, `'${names.kind}'`, `${constant}_PLURAL`];
  const oneLine = `${start}${args.join(', ')});`;
  return oneLine.length <= MAX_LINE ? oneLine : `${start}\n${args.map((arg) => `  ${arg},\n`).join('')});`;
}

function header(names: KindNames, fromTyperator: readonly string[], fromApi: readonly string[]): string {
  const { constant } = names;
  return `${importStatement([...fromTyperator, 'type Manager'], 'typerator')}
${importStatement(
  [...fromApi.map((name) => `${constant}_${name}`), `type ${names.kind}`],
  `../api/${names.fileStem}.ts`,
)}

/** ${names.kind} objects as the client and the informer caches address them. */
${kindConstant(names)}
`;
}

/**
 * The controller of `typerator init`'s example kind: keeps a ConfigMap per object (owned, so the
 * garbage collector removes it with its owner), a finalizer, and a Ready condition.
 */
export function exampleControllerModule(names: KindNames, fieldManager: string): string {
  const { kind, variable } = names;
  return `${header(
    names,
    [
      'addFinalizer',
      'isBeingDeleted',
      'kinds',
      'predicates',
      'removeFinalizer',
      'resourceKind',
      'setCondition',
      'withControllerReference',
    ],
    ['API_VERSION', 'GROUP', 'PLURAL'],
  )}
/** Holds a ${kind} until its clean-up has run. */
const FINALIZER = \`\${${names.constant}_GROUP}/cleanup\`;
/** The owner of the fields this controller writes with server-side apply. */
const FIELD_MANAGER = '${fieldManager}';

/**
 * Keeps a ConfigMap named after each ${kind} with its colour and size, and reports Ready. What it
 * watches and writes (for, owns) is what \`npm run rbac:generate\` grants in the ClusterRole.
 */
export function ${controllerSetupName(names)}(manager: Manager): void {
  const ${variable}Client = manager.client.resource(${variable}Kind);
  const configMaps = manager.client.resource(kinds.ConfigMap);
  const cache = manager.cache.informer(${variable}Kind).store;

  manager
    .controller('${names.fileStem}')
    // Status writes do not change metadata.generation, so our own status patch does not come back.
    .for(${variable}Kind, { predicates: [predicates.generationChanged] })
    .owns(kinds.ConfigMap) // a change to an owned ConfigMap reconciles its ${kind}
    .complete(async ({ namespace, name }) => {
      const ${variable} = cache.getByName(namespace, name);
      if (!${variable}) return; // gone: the garbage collector removes the ConfigMap it owned
      if (isBeingDeleted(${variable})) {
        // Clean up whatever lives outside the cluster here, then let the deletion finish.
        await removeFinalizer(${variable}Client, ${variable}, FINALIZER);
        return;
      }
      await addFinalizer(${variable}Client, ${variable}, FINALIZER);
      const configMap = {
        metadata: { name, namespace: namespace ?? 'default' },
        data: { color: ${variable}.spec.color, size: String(${variable}.spec.size ?? 1) },
      };
      await configMaps.apply(withControllerReference(configMap, ${variable}), {
        fieldManager: FIELD_MANAGER,
        force: true,
      });
      const observedGeneration = ${variable}.metadata?.generation;
      const conditions = setCondition(${variable}.status?.conditions, {
        type: 'Ready',
        status: 'True',
        reason: 'ConfigMapApplied',
        message: \`ConfigMap \${name} holds the colour\`,
        ...(observedGeneration === undefined ? {} : { observedGeneration }),
      });
      await ${variable}Client.patchStatus(
        { namespace, name },
        { status: { observedGeneration, conditions } },
        { type: 'merge' },
      );
    });
}
`;
}

/** A controller `typerator create api` adds: reports Ready and leaves the real work to the user. */
export function stubControllerModule(names: KindNames): string {
  const { kind, variable } = names;
  return `${header(names, ['predicates', 'resourceKind', 'setCondition'], ['API_VERSION', 'PLURAL'])}
/**
 * Reconciles ${kind} objects. Declare what else it reads or writes on the builder (\`.owns(kind)\`,
 * \`.watches(...)\`) or with \`manager.permit(...)\`, then run \`npm run rbac:generate\`.
 */
export function ${controllerSetupName(names)}(manager: Manager): void {
  const ${variable}Client = manager.client.resource(${variable}Kind);
  const cache = manager.cache.informer(${variable}Kind).store;

  manager
    .controller('${names.fileStem}')
    .for(${variable}Kind, { predicates: [predicates.generationChanged] })
    .complete(async ({ namespace, name }) => {
      const ${variable} = cache.getByName(namespace, name);
      if (!${variable}) return;
      // TODO: make the cluster match ${variable}.spec here.
      const observedGeneration = ${variable}.metadata?.generation;
      const conditions = setCondition(${variable}.status?.conditions, {
        type: 'Ready',
        status: 'True',
        reason: 'Reconciled',
        message: 'the spec has been applied',
        ...(observedGeneration === undefined ? {} : { observedGeneration }),
      });
      await ${variable}Client.patchStatus(
        { namespace, name },
        { status: { observedGeneration, conditions } },
        { type: 'merge' },
      );
    });
}
`;
}
