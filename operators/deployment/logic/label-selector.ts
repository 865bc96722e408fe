import type { V1LabelSelector, V1LabelSelectorRequirement } from '@kubernetes/client-node';

/** A selector the apiserver would reject: unknown operator, wrong number of values, bad key or value. */
export class InvalidLabelSelectorError extends Error {
  override readonly name = 'InvalidLabelSelectorError';
  /** Where in the selector, e.g. `matchExpressions[1].values`. */
  readonly field: string;

  constructor(field: string, problem: string) {
    super(`invalid label selector: ${field}: ${problem}`);
    this.field = field;
  }
}

/** Tests a set of labels. */
export type LabelMatcher = (labels: Readonly<Record<string, string>> | undefined) => boolean;

// Qualified name: optional DNS-subdomain prefix and '/', then a name of up to 63 characters.
const NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function checkKey(key: string, field: string): void {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !PREFIX.test(prefix))) {
    throw new InvalidLabelSelectorError(field, `key ${JSON.stringify(key)} has an invalid prefix`);
  }
  if (name.length === 0 || name.length > 63 || !NAME.test(name)) {
    throw new InvalidLabelSelectorError(field, `key ${JSON.stringify(key)} is not a valid label name`);
  }
}

function checkValue(value: string, field: string): void {
  if (value.length > 63 || (value !== '' && !NAME.test(value))) {
    throw new InvalidLabelSelectorError(field, `value ${JSON.stringify(value)} is not a valid label value`);
  }
}

function requirementMatcher(requirement: V1LabelSelectorRequirement, field: string): LabelMatcher {
  const { key, operator } = requirement;
  const values = requirement.values ?? [];
  checkKey(key, `${field}.key`);
  values.forEach((value, i) => {
    checkValue(value, `${field}.values[${i}]`);
  });
  switch (operator) {
    case 'In':
    case 'NotIn': {
      if (values.length === 0) {
        throw new InvalidLabelSelectorError(
          `${field}.values`,
          `operator ${operator} needs at least one value`,
        );
      }
      const set = new Set(values);
      return operator === 'In'
        ? (labels) => labels?.[key] !== undefined && set.has(labels[key])
        : (labels) => labels?.[key] === undefined || !set.has(labels[key]);
    }
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) {
        throw new InvalidLabelSelectorError(`${field}.values`, `operator ${operator} takes no values`);
      }
      return operator === 'Exists'
        ? (labels) => labels?.[key] !== undefined
        : (labels) => labels?.[key] === undefined;
    default:
      throw new InvalidLabelSelectorError(
        `${field}.operator`,
        `unknown operator ${JSON.stringify(operator)} (use In, NotIn, Exists or DoesNotExist)`,
      );
  }
}

/**
 * Compiles a metav1.LabelSelector. All matchLabels and matchExpressions must hold. An absent
 * selector matches nothing; an empty one matches everything. Throws InvalidLabelSelectorError for
 * a malformed selector.
 */
export function labelSelectorMatcher(selector: V1LabelSelector | undefined): LabelMatcher {
  if (selector === undefined) return () => false;
  const matchers: LabelMatcher[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    checkKey(key, `matchLabels[${key}]`);
    checkValue(value, `matchLabels[${key}]`);
    matchers.push((labels) => labels?.[key] === value);
  }
  (selector.matchExpressions ?? []).forEach((requirement, i) => {
    matchers.push(requirementMatcher(requirement, `matchExpressions[${i}]`));
  });
  return (labels) => matchers.every((matches) => matches(labels));
}

/** Whether `labels` satisfy the selector (see labelSelectorMatcher). */
export function matchesLabelSelector(
  selector: V1LabelSelector | undefined,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  return labelSelectorMatcher(selector)(labels);
}

/** The selector is present but empty, so it selects every object (a Deployment refuses to act on it). */
export function selectsEverything(selector: V1LabelSelector | undefined): boolean {
  return (
    selector !== undefined &&
    Object.keys(selector.matchLabels ?? {}).length === 0 &&
    (selector.matchExpressions ?? []).length === 0
  );
}
