import { importStatement } from './import-statement.ts';
import type { KindNames } from './kind-names.ts';

/** The function the webhooks module exports: `registerWidgetWebhooks`. */
export const webhooksRegisterName = (names: KindNames): string => `register${names.kind}Webhooks`;

/**
 * src/webhooks/<kind>-webhooks.ts: defaulting and validation of the example kind as pure functions
 * (tested without a cluster), and their registration on a webhook server.
 */
export function webhooksModule(names: KindNames): string {
  const { kind, variable, constant } = names;
  const fromApi = [`${constant}_GROUP`, `${constant}_PLURAL`, `${constant}_VERSION`, `type ${kind}`];
  return `import { allow, deny, type AdmissionTarget, type WebhookServer } from 'typerator/webhook';
${importStatement(fromApi, `../api/${names.fileStem}.ts`)}

const target: AdmissionTarget = {
  group: ${constant}_GROUP,
  version: ${constant}_VERSION,
  kind: '${kind}',
  resource: ${constant}_PLURAL,
};

// Fixed lists and bounds fit the schema (markers in the API types); a webhook is for rules that need
// code. This list stands in for such a rule.
const COLORS = ['red', 'orange', 'yellow', 'green', 'blue', 'indigo', 'violet'];

/** Fills in what a ${kind} may leave out, in place. */
export function default${kind}(${variable}: ${kind}): void {
  ${variable}.spec.size ??= 1;
}

/** What is wrong with a ${kind}, one message per problem; empty when it is valid. */
export function validate${kind}(${variable}: ${kind}): string[] {
  const problems: string[] = [];
  if (!COLORS.includes(${variable}.spec.color))
    problems.push(\`spec.color: "\${${variable}.spec.color}" is not one of \${COLORS.join(', ')}\`);
  return problems;
}

// The webhook runs before the schema is checked, so a request may carry an object without a spec;
// let those through for the schema to refuse.
const hasSpec = (object: ${kind} | undefined): object is ${kind} =>
  typeof object?.spec === 'object' && object.spec !== null;

/** Registers defaulting (mutating) and validation of ${kind} on the manager's webhook server. */
export function ${webhooksRegisterName(names)}(server: WebhookServer): void {
  server.mutate<${kind}>(target, ({ object }) => {
    if (hasSpec(object)) default${kind}(object);
    return undefined; // changed in place: the server answers with the JSON patch
  });
  server.validate<${kind}>(target, ({ object }) => {
    if (!hasSpec(object)) return allow();
    const problems = validate${kind}(object);
    return problems.length === 0 ? allow() : deny(problems.join('; '), { code: 422, reason: 'Invalid' });
  });
}
`;
}
