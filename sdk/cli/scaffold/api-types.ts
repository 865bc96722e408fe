import type { KindNames } from './kind-names.ts';

/** The example kind of `typerator init` has real fields; `create api` starts with a placeholder. */
export type ApiFields = 'example' | 'placeholder';

function specFields(names: KindNames, fields: ApiFields): string {
  if (fields === 'placeholder')
    return `  /**
   * An example field: replace it with the desired state of a ${names.kind}.
   * @maxLength 256
   */
  message?: string;`;
  return `  /**
   * Colour of the ${names.kind}, copied into its ConfigMap; the admission webhook accepts the
   * colours of the rainbow.
   * @minLength 1
   * @maxLength 63
   */
  color: string;
  /**
   * How many parts it has; the admission webhook sets 1 when left out.
   * @minimum 1
   * @maximum 100
   */
  size?: Int32;`;
}

function printerColumns(fields: ApiFields): string[] {
  const ready = `@printerColumn name=Ready type=string jsonPath='.status.conditions[?(@.type=="Ready")].status'`;
  const age = '@printerColumn name=Age type=date jsonPath=.metadata.creationTimestamp';
  return fields === 'example'
    ? ['@printerColumn name=Color type=string jsonPath=.spec.color', ready, age]
    : [ready, age];
}

/**
 * src/api/<kind>.ts: the kind as TypeScript types with CRD markers, which `typerator crd generate`
 * turns into crds/<plural>.<group>.yaml. Type-only imports, so the generator reads it quickly.
 */
export function apiTypesModule(names: KindNames, fields: ApiFields): string {
  const { kind, constant } = names;
  const imports =
    fields === 'example'
      ? "import type { Int32, Int64 } from 'typerator/crd';"
      : "import type { Int64 } from 'typerator/crd';";
  return `import type { V1ObjectMeta } from '@kubernetes/client-node';
${imports}

// The markers (@group, @printerColumn, @minimum, ...) are documented in Typerator's sdk/crd/README.md.
// After changing these types run \`npm run crd:generate\`.

/** API group and version of ${kind}; keep them in step with the @group and @version markers below. */
export const ${constant}_GROUP = '${names.group}';
export const ${constant}_VERSION = '${names.version}';
export const ${constant}_API_VERSION = \`\${${constant}_GROUP}/\${${constant}_VERSION}\`;
/** The resource name the CRD generator derives from the kind. */
export const ${constant}_PLURAL = '${names.plural}';

/** Desired state of a ${kind}. */
export interface ${kind}Spec {
${specFields(names, fields)}
}

/** An observation about a ${kind}, shaped like every Kubernetes condition (metav1.Condition). */
export interface ${kind}Condition {
  /** Ready, or any other CamelCase type. */
  type: string;
  status: 'True' | 'False' | 'Unknown';
  /** One-word CamelCase cause. */
  reason: string;
  /** Human-readable details. */
  message: string;
  /** When the status last changed (RFC 3339). */
  lastTransitionTime: string;
  /** The metadata.generation the condition was set for. */
  observedGeneration?: Int64;
}

/** Observed state of a ${kind}. */
export interface ${kind}Status {
  /** The metadata.generation the controller last reconciled. */
  observedGeneration?: Int64;
  /**
   * Latest observations, one per type.
   * @listType map
   * @listMapKeys type
   */
  conditions?: ${kind}Condition[];
}

/**
 * A ${kind}.
 * @group ${names.group}
 * @version ${names.version}
 * @subresource status
${printerColumns(fields)
  .map((marker) => ` * ${marker}`)
  .join('\n')}
 */
export interface ${kind} {
  apiVersion: string;
  kind: string;
  metadata?: V1ObjectMeta;
  spec: ${kind}Spec;
  status?: ${kind}Status;
}
`;
}
