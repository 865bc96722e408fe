import type { JsonSchema } from './json-schema.ts';

/**
 * Why `value` does not fit `schema` (type, integer-ness, enum, nested properties), or undefined
 * when it fits. Used for `@default` values and enum members, which the apiserver would reject.
 */
export function valueMisfit(value: unknown, schema: JsonSchema): string | undefined {
  if (value === null) return schema.nullable ? undefined : 'null is not allowed (add @nullable or `| null`)';
  if (schema['x-kubernetes-preserve-unknown-fields'] && schema.type === undefined) return undefined;
  if (schema['x-kubernetes-int-or-string'])
    return (typeof value === 'number' && Number.isInteger(value)) || typeof value === 'string'
      ? undefined
      : `${JSON.stringify(value)} is neither an integer nor a string`;
  if (schema.enum && !schema.enum.some((member) => JSON.stringify(member) === JSON.stringify(value)))
    return `${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`;
  switch (schema.type) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value)
        ? undefined
        : `${JSON.stringify(value)} is not an integer`;
    case 'number':
      return typeof value === 'number' ? undefined : `${JSON.stringify(value)} is not a number`;
    case 'string':
      return typeof value === 'string' ? undefined : `${JSON.stringify(value)} is not a string`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${JSON.stringify(value)} is not a boolean`;
    case 'array': {
      if (!Array.isArray(value)) return `${JSON.stringify(value)} is not an array`;
      for (const [index, item] of value.entries()) {
        const misfit = schema.items ? valueMisfit(item, schema.items) : undefined;
        if (misfit) return `[${index}]: ${misfit}`;
      }
      return undefined;
    }
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value))
        return `${JSON.stringify(value)} is not an object`;
      for (const [key, item] of Object.entries(value)) {
        const property =
          schema.properties?.[key] ??
          (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
        if (!property) {
          if (schema['x-kubernetes-preserve-unknown-fields']) continue;
          return `"${key}" is not a declared property (the apiserver would prune it)`;
        }
        const misfit = valueMisfit(item, property);
        if (misfit) return `.${key}: ${misfit}`;
      }
      const missing = schema.required?.find((key) => !(key in value));
      return missing ? `required property "${missing}" is missing` : undefined;
    }
    default:
      return undefined;
  }
}
