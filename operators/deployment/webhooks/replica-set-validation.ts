import type { ReplicaSet } from '../api/types.ts';
import { defaultReplicaSet } from './deployment-defaults.ts';
import type { FieldError } from './field-errors.ts';
import {
  validateNonNegative,
  validateReplicaTemplate,
  validateSelectorUnchanged,
  validateWorkloadSelector,
} from './selector-validation.ts';

/**
 * apps/v1's ReplicaSet validation (ValidateReplicaSetSpec, plus selector immutability on update):
 * non-negative replicas and minReadySeconds, a non-empty selector matching the template's labels.
 * Returns every error found; empty when the ReplicaSet is valid.
 */
export function validateReplicaSet(replicaSet: ReplicaSet, oldReplicaSet?: ReplicaSet): FieldError[] {
  const spec = defaultReplicaSet(replicaSet).spec;
  const selector = validateWorkloadSelector(spec.selector, 'spec.selector');
  const errors: FieldError[] = [
    ...validateNonNegative(spec.replicas, 'spec.replicas'),
    ...validateNonNegative(spec.minReadySeconds, 'spec.minReadySeconds'),
    ...selector.errors,
    ...validateReplicaTemplate(spec.template, selector.matcher, 'spec.template'),
  ];
  if (oldReplicaSet !== undefined)
    errors.push(...validateSelectorUnchanged(spec.selector, oldReplicaSet.spec.selector, 'spec.selector'));
  return errors;
}
