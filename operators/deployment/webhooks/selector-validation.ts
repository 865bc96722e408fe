import type { V1LabelSelector, V1PodTemplateSpec } from '@kubernetes/client-node';
import {
  InvalidLabelSelectorError,
  labelSelectorMatcher,
  selectsEverything,
  type LabelMatcher,
} from '../logic/label-selector.ts';
import { forbidden, invalid, notSupported, required, type FieldError } from './field-errors.ts';

/** What checking a workload's selector found: its errors, and a matcher when it is well formed. */
export interface SelectorCheck {
  readonly errors: FieldError[];
  readonly matcher: LabelMatcher | undefined;
}

/**
 * apps/v1's selector rules for workloads: required, well formed, and not empty (an empty selector
 * would select every pod in the namespace). `workload` names the kind in the empty-selector
 * message as upstream words it: `deployment` (which the ReplicaSet's message says too) or
 * `statefulset`.
 */
export function validateWorkloadSelector(
  selector: V1LabelSelector | undefined,
  field: string,
  workload: 'deployment' | 'statefulset' = 'deployment',
): SelectorCheck {
  if (selector === undefined) return { errors: [required(field)], matcher: undefined };
  const errors: FieldError[] = [];
  if (selectsEverything(selector))
    errors.push(invalid(field, selector, `empty selector is invalid for ${workload}`));
  try {
    return { errors, matcher: labelSelectorMatcher(selector) };
  } catch (error) {
    if (!(error instanceof InvalidLabelSelectorError)) throw error;
    const problem = error.message.replace(`invalid label selector: ${error.field}: `, '');
    errors.push(invalid(`${field}.${error.field}`, selector, problem));
    return { errors, matcher: undefined };
  }
}

/**
 * apps/v1's rules for a workload's pod template (ValidatePodTemplateSpecForReplicaSet, and the same
 * checks in ValidateStatefulSetSpec): the selector must match the template's labels, pods restart
 * Always, and no activeDeadlineSeconds (`kind` names the workload in that message: ReplicaSet for
 * Deployments and ReplicaSets, StatefulSet). The pod spec itself is left to the CRD schema.
 */
export function validateReplicaTemplate(
  template: V1PodTemplateSpec | undefined,
  matcher: LabelMatcher | undefined,
  field: string,
  kind: 'ReplicaSet' | 'StatefulSet' = 'ReplicaSet',
): FieldError[] {
  if (template === undefined) return [required(field)];
  const errors: FieldError[] = [];
  const labels = template.metadata?.labels;
  if (matcher !== undefined && !matcher(labels)) {
    errors.push(
      invalid(`${field}.metadata.labels`, labels ?? {}, '`selector` does not match template `labels`'),
    );
  }
  const restartPolicy = template.spec?.restartPolicy;
  if (restartPolicy !== undefined && restartPolicy !== 'Always')
    errors.push(notSupported(`${field}.spec.restartPolicy`, restartPolicy, ['Always']));
  if (template.spec?.activeDeadlineSeconds !== undefined) {
    errors.push(
      forbidden(`${field}.spec.activeDeadlineSeconds`, `activeDeadlineSeconds in ${kind} is not Supported`),
    );
  }
  return errors;
}

/** A negative count is rejected (replicas, minReadySeconds, ...). */
export function validateNonNegative(value: number | undefined, field: string): FieldError[] {
  return value !== undefined && value < 0
    ? [invalid(field, value, 'must be greater than or equal to 0')]
    : [];
}

/** The selector may not change after creation. */
export function validateSelectorUnchanged(
  selector: V1LabelSelector | undefined,
  oldSelector: V1LabelSelector | undefined,
  field: string,
): FieldError[] {
  return JSON.stringify(selector ?? null) === JSON.stringify(oldSelector ?? null)
    ? []
    : [invalid(field, selector, 'field is immutable')];
}
