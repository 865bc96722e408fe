import type { Deployment, DeploymentStrategy } from '../api/types.ts';
import { defaultDeployment } from './deployment-defaults.ts';
import { forbidden, invalid, notSupported, required, type FieldError } from './field-errors.ts';
import {
  intOrPercentNumber,
  validateAtMost100Percent,
  validateNonNegativeIntOrPercent,
} from './int-or-percent-validation.ts';
import {
  validateNonNegative,
  validateReplicaTemplate,
  validateSelectorUnchanged,
  validateWorkloadSelector,
} from './selector-validation.ts';

const STRATEGY_TYPES = ['Recreate', 'RollingUpdate'];

/** apps/v1's ValidateDeploymentStrategy, on a defaulted strategy. */
export function validateDeploymentStrategy(
  strategy: DeploymentStrategy | undefined,
  field: string,
): FieldError[] {
  // Typed as the enum, but the request may hold any string.
  const type: string | undefined = strategy?.type;
  if (type === 'Recreate') {
    return strategy?.rollingUpdate === undefined
      ? []
      : [forbidden(`${field}.rollingUpdate`, "may not be specified when strategy `type` is 'Recreate'")];
  }
  if (type !== 'RollingUpdate') return [notSupported(`${field}.type`, type ?? '', STRATEGY_TYPES)];
  const rollingUpdate = strategy?.rollingUpdate;
  if (rollingUpdate === undefined)
    return [required(`${field}.rollingUpdate`, 'this should be defaulted and never be nil')];
  const path = `${field}.rollingUpdate`;
  const { maxSurge, maxUnavailable } = rollingUpdate;
  const errors = [
    ...validateNonNegativeIntOrPercent(maxUnavailable, `${path}.maxUnavailable`),
    ...validateNonNegativeIntOrPercent(maxSurge, `${path}.maxSurge`),
  ];
  // Both 0 would leave a rollout no room to move.
  if (intOrPercentNumber(maxUnavailable) === 0 && intOrPercentNumber(maxSurge) === 0)
    errors.push(invalid(`${path}.maxUnavailable`, maxUnavailable ?? 0, 'may not be 0 when `maxSurge` is 0'));
  errors.push(...validateAtMost100Percent(maxUnavailable, `${path}.maxUnavailable`));
  return errors;
}

/**
 * apps/v1's Deployment validation (ValidateDeploymentSpec, plus selector immutability on update),
 * applied to the defaulted object so it holds whether or not the defaulting webhook ran. Returns
 * every error found, each naming its field path; empty when the Deployment is valid.
 */
export function validateDeployment(deployment: Deployment, oldDeployment?: Deployment): FieldError[] {
  const spec = defaultDeployment(deployment).spec;
  const errors: FieldError[] = [...validateNonNegative(spec.replicas, 'spec.replicas')];
  const selector = validateWorkloadSelector(spec.selector, 'spec.selector');
  errors.push(...selector.errors);
  errors.push(...validateReplicaTemplate(spec.template, selector.matcher, 'spec.template'));
  errors.push(...validateDeploymentStrategy(spec.strategy, 'spec.strategy'));
  errors.push(...validateNonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errors.push(...validateNonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  const deadline = spec.progressDeadlineSeconds;
  if (deadline !== undefined) {
    errors.push(...validateNonNegative(deadline, 'spec.progressDeadlineSeconds'));
    if (deadline <= (spec.minReadySeconds ?? 0))
      errors.push(invalid('spec.progressDeadlineSeconds', deadline, 'must be greater than minReadySeconds'));
  }
  if (oldDeployment !== undefined)
    errors.push(...validateSelectorUnchanged(spec.selector, oldDeployment.spec.selector, 'spec.selector'));
  return errors;
}
