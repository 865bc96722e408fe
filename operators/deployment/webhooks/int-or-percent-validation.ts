import type { IntOrString } from '@kubernetes/client-node';
import { invalid, type FieldError } from './field-errors.ts';

// apps/v1's rules for maxSurge / maxUnavailable (ValidatePositiveIntOrPercent and friends).

const PERCENT = /^[0-9]+%$/;

/** apimachinery's wording for a malformed percent string. */
export const INVALID_PERCENT_MESSAGE =
  "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

/** The value is a well-formed percent string such as "25%". */
export function isPercent(value: IntOrString | undefined): value is string {
  return typeof value === 'string' && PERCENT.test(value);
}

/** A count ≥ 0, or a string like "25%". */
export function validateNonNegativeIntOrPercent(value: IntOrString | undefined, field: string): FieldError[] {
  if (value === undefined) return [];
  if (typeof value === 'string')
    return isPercent(value) ? [] : [invalid(field, value, INVALID_PERCENT_MESSAGE)];
  return value < 0 ? [invalid(field, value, 'must be greater than or equal to 0')] : [];
}

/**
 * The number a value stands for, as upstream's getIntOrPercentValue reads it: the percent, the
 * count, or a malformed string's integer parse (0 when it is not one).
 */
export function intOrPercentNumber(value: IntOrString | undefined): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  if (isPercent(value)) return Number(value.slice(0, -1));
  return /^[+-]?\d+$/.test(value) ? Number(value) : 0;
}

/** A percent above 100% is rejected; counts are not capped here. */
export function validateAtMost100Percent(value: IntOrString | undefined, field: string): FieldError[] {
  return isPercent(value) && intOrPercentNumber(value) > 100
    ? [invalid(field, value, 'must not be greater than 100%')]
    : [];
}
