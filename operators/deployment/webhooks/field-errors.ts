// Validation errors in the shape of apimachinery's field.Error, so a refusal reads like apps/v1's:
// `spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0`.

/** The kinds of field error apps/v1 validation reports. */
export type FieldErrorType = 'Required' | 'Invalid' | 'Forbidden' | 'NotSupported' | 'Duplicate';

/** One problem with one field of an object. */
export interface FieldError {
  readonly type: FieldErrorType;
  /** Dotted path from the object root, e.g. `spec.selector`. */
  readonly field: string;
  /** The offending value (Invalid, NotSupported, Duplicate). */
  readonly value?: unknown;
  readonly detail?: string;
  /** The accepted values (NotSupported). */
  readonly supported?: readonly string[];
}

/** A required field is missing. */
export const required = (field: string, detail?: string): FieldError =>
  detail === undefined ? { type: 'Required', field } : { type: 'Required', field, detail };

/** A field holds a value that is not allowed. */
export const invalid = (field: string, value: unknown, detail: string): FieldError => ({
  type: 'Invalid',
  field,
  value,
  detail,
});

/** A field may not be set (in this situation). */
export const forbidden = (field: string, detail: string): FieldError => ({
  type: 'Forbidden',
  field,
  detail,
});

/** A field holds a value outside a fixed set. */
export const notSupported = (field: string, value: unknown, supported: readonly string[]): FieldError => ({
  type: 'NotSupported',
  field,
  value,
  supported,
});

/** A value that must be unique is repeated (e.g. a name in a list). */
export const duplicate = (field: string, value: unknown): FieldError => ({
  type: 'Duplicate',
  field,
  value,
});

const rendered = (value: unknown): string => (value === undefined ? 'null' : JSON.stringify(value));

/** One error as apimachinery prints it: `<field>: <Type text>: <value>: <detail>`. */
export function formatFieldError(error: FieldError): string {
  const detail = error.detail ? `: ${error.detail}` : '';
  switch (error.type) {
    case 'Required':
      return `${error.field}: Required value${detail}`;
    case 'Forbidden':
      return `${error.field}: Forbidden${detail}`;
    case 'Invalid':
      return `${error.field}: Invalid value: ${rendered(error.value)}${detail}`;
    case 'Duplicate':
      return `${error.field}: Duplicate value: ${rendered(error.value)}${detail}`;
    case 'NotSupported': {
      const supported = (error.supported ?? []).map((s) => JSON.stringify(s)).join(', ');
      return `${error.field}: Unsupported value: ${rendered(error.value)}: supported values: ${supported}`;
    }
  }
}

/**
 * The message of a refused write, as the apiserver words it:
 * `Deployment.apps.typerator.dev "web" is invalid: <error>` (several errors in brackets).
 */
export function invalidObjectMessage(
  qualifiedKind: string,
  name: string | undefined,
  errors: readonly FieldError[],
): string {
  const lines = errors.map(formatFieldError);
  const body = lines.length === 1 ? (lines[0] ?? '') : `[${lines.join(', ')}]`;
  return `${qualifiedKind} ${JSON.stringify(name ?? '')} is invalid: ${body}`;
}
