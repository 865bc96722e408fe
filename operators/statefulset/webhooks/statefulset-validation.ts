import type { StatefulSet, StatefulSetSpec, StatefulSetUpdateStrategy } from '../api/types.ts';
import { canonicalJson } from '../../deployment/logic/hash.ts';
import { forbidden, invalid, notSupported, type FieldError } from '../../deployment/webhooks/field-errors.ts';
import {
  intOrPercentNumber,
  validateAtMost100Percent,
  validateNonNegativeIntOrPercent,
} from '../../deployment/webhooks/int-or-percent-validation.ts';
import {
  validateNonNegative,
  validateReplicaTemplate,
  validateWorkloadSelector,
} from '../../deployment/webhooks/selector-validation.ts';
import { validateClaimTemplates } from './claim-template-validation.ts';
import { defaultStatefulSet } from './statefulset-defaults.ts';

// apps/v1's StatefulSet validation in 1.34 (ValidateStatefulSet, ValidateStatefulSetUpdate and the
// strategy's warnings), applied to the defaulted object so it holds whether or not the defaulting
// webhook ran. Values inside errors are rendered as upstream renders them: a struct of the internal
// API (no JSON tags) shows Go's field names, e.g. `{"Partition":2,"MaxUnavailable":null}`.

/** The spec fields an update may change; a change anywhere else is refused. */
const MUTABLE_FIELDS: readonly string[] = [
  'replicas',
  'ordinals',
  'template',
  'updateStrategy',
  'revisionHistoryLimit',
  'persistentVolumeClaimRetentionPolicy',
  'minReadySeconds',
];

/** apps/v1's refusal of an update to an immutable spec field, at `spec`. */
export const FORBIDDEN_UPDATE_MESSAGE =
  "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

/** The warning apps/v1 gives for a negative revisionHistoryLimit (accepted since 1.34). */
export const NEGATIVE_HISTORY_LIMIT_WARNING =
  'spec.revisionHistoryLimit: a negative value retains all historical revisions; a value >= 0 is recommended';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

/** apimachinery's IsDNS1123Label: what is wrong with `value` as a DNS label (empty when nothing). */
function dnsLabelProblems(value: string): string[] {
  const problems: string[] = [];
  if (value.length > 63) problems.push('must be no more than 63 characters');
  if (!DNS1123_LABEL.test(value))
    problems.push(DNS1123_SUBDOMAIN.test(value) ? 'must not contain dots' : DNS1123_LABEL_MESSAGE);
  return problems;
}

/**
 * metadata.name and generateName must be DNS labels (ValidateStatefulSetName), stricter than the
 * DNS subdomain every custom resource's name is held to: the pods' names and hostnames derive
 * from it. A generateName's trailing dash is allowed.
 */
function validateName(set: StatefulSet): FieldError[] {
  const generateName = set.metadata?.generateName ?? '';
  const name = set.metadata?.name ?? '';
  // apimachinery's maskTrailingDash, which also replaces the character before the dash.
  const prefix =
    generateName.length > 1 && generateName.endsWith('-') ? `${generateName.slice(0, -2)}a` : generateName;
  return [
    ...(generateName === ''
      ? []
      : dnsLabelProblems(prefix).map((p) => invalid('metadata.generateName', generateName, p))),
    ...(name === '' ? [] : dnsLabelProblems(name).map((p) => invalid('metadata.name', name, p))),
  ];
}

/** The rollingUpdate block as the internal API holds it, for error values. */
function internalRollingUpdate(block: NonNullable<StatefulSetUpdateStrategy['rollingUpdate']>) {
  return { Partition: block.partition ?? 0, MaxUnavailable: block.maxUnavailable ?? null };
}

/**
 * updateStrategy: RollingUpdate or OnDelete, rollingUpdate only with RollingUpdate, a partition
 * ≥ 0, and maxUnavailable (when set) a count ≥ 1 or a percent in (0%, 100%]. maxUnavailable is
 * checked as with the MaxUnavailableStatefulSet gate on: our CRD keeps the field whatever the gate.
 */
function validateUpdateStrategy(
  strategy: StatefulSetUpdateStrategy | undefined,
  field: string,
): FieldError[] {
  // Typed as the enum, but the request may hold any string.
  const type: string | undefined = strategy?.type;
  const block = strategy?.rollingUpdate;
  if (type === 'OnDelete') {
    return block === undefined
      ? []
      : [
          invalid(
            `${field}.rollingUpdate`,
            internalRollingUpdate(block),
            "only allowed for updateStrategy 'RollingUpdate'",
          ),
        ];
  }
  if (type !== 'RollingUpdate') {
    const value = {
      Type: type ?? '',
      RollingUpdate: block === undefined ? null : internalRollingUpdate(block),
    };
    return [invalid(field, value, "must be 'RollingUpdate' or 'OnDelete'")];
  }
  if (block === undefined) return [];
  const errors = validateNonNegative(block.partition ?? 0, `${field}.rollingUpdate.partition`);
  const maxUnavailable = block.maxUnavailable;
  if (maxUnavailable !== undefined) {
    const path = `${field}.rollingUpdate.maxUnavailable`;
    errors.push(...validateNonNegativeIntOrPercent(maxUnavailable, path));
    if (intOrPercentNumber(maxUnavailable) === 0) errors.push(invalid(path, maxUnavailable, 'cannot be 0'));
    errors.push(...validateAtMost100Percent(maxUnavailable, path));
  }
  return errors;
}

const RETENTION_POLICIES = ['Retain', 'Delete'];

/** Each field of the claim retention policy is Retain or Delete. */
function validateRetention(spec: StatefulSetSpec, field: string): FieldError[] {
  const policy = spec.persistentVolumeClaimRetentionPolicy;
  if (policy === undefined) return [];
  return (['whenDeleted', 'whenScaled'] as const).flatMap((key) => {
    const value: string = policy[key] ?? '';
    return RETENTION_POLICIES.includes(value)
      ? []
      : [notSupported(`${field}.${key}`, value, RETENTION_POLICIES)];
  });
}

/**
 * Whether the update changes a spec field outside {@link MUTABLE_FIELDS}. Compared as canonical
 * JSON, as revisions are: absent, null and empty count alike (Go's semantic equality for slices
 * and maps), but quantities are compared as written (`1Gi` ≠ `1024Mi`, which Go finds equal).
 */
function changesImmutableFields(spec: StatefulSetSpec, oldSpec: StatefulSetSpec): boolean {
  const immutable = (s: StatefulSetSpec) =>
    Object.fromEntries(Object.entries(s).filter(([key]) => !MUTABLE_FIELDS.includes(key)));
  return canonicalJson(immutable(spec)) !== canonicalJson(immutable(oldSpec));
}

/**
 * apps/v1's StatefulSet validation: on create ValidateStatefulSet, on update (with `oldSet`)
 * ValidateStatefulSetUpdate, both on the defaulted objects. Returns every error found, each naming
 * its field path; empty when the StatefulSet is valid.
 *
 * Checked: the name (a DNS label, on create); podManagementPolicy; the update strategy; the claim
 * retention policy; the claim templates (on create); replicas, minReadySeconds and ordinals.start
 * not negative; serviceName a DNS label (on create); a non-empty, well-formed selector that matches
 * the template's labels; template restartPolicy Always and no activeDeadlineSeconds; and on update
 * that only replicas, ordinals, template, updateStrategy, revisionHistoryLimit,
 * persistentVolumeClaimRetentionPolicy and minReadySeconds changed. A negative revisionHistoryLimit
 * is allowed, with a warning ({@link statefulSetWarnings}).
 */
export function validateStatefulSet(set: StatefulSet, oldSet?: StatefulSet): FieldError[] {
  const creating = oldSet === undefined;
  const spec = defaultStatefulSet(set).spec;
  const errors: FieldError[] = creating ? validateName(set) : [];
  const policy: string | undefined = spec.podManagementPolicy;
  if (policy !== 'OrderedReady' && policy !== 'Parallel')
    errors.push(invalid('spec.podManagementPolicy', policy ?? '', "must be 'OrderedReady' or 'Parallel'"));
  errors.push(...validateUpdateStrategy(spec.updateStrategy, 'spec.updateStrategy'));
  errors.push(...validateRetention(spec, 'spec.persistentVolumeClaimRetentionPolicy'));
  // Immutable, so an update only tolerates what was stored before this check existed.
  if (creating)
    errors.push(...validateClaimTemplates(spec.volumeClaimTemplates, 'spec.volumeClaimTemplates'));
  errors.push(...validateNonNegative(spec.replicas, 'spec.replicas'));
  errors.push(...validateNonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  if (spec.ordinals !== undefined)
    errors.push(...validateNonNegative(spec.ordinals.start ?? 0, 'spec.ordinals.start'));
  const serviceName = spec.serviceName ?? '';
  if (creating && serviceName !== '')
    errors.push(...dnsLabelProblems(serviceName).map((p) => invalid('spec.serviceName', serviceName, p)));
  const selector = validateWorkloadSelector(spec.selector, 'spec.selector', 'statefulset');
  errors.push(...selector.errors);
  errors.push(...validateReplicaTemplate(spec.template, selector.matcher, 'spec.template', 'StatefulSet'));
  if (oldSet !== undefined && changesImmutableFields(spec, defaultStatefulSet(oldSet).spec))
    errors.push(forbidden('spec', FORBIDDEN_UPDATE_MESSAGE));
  return errors;
}

/** The warnings apps/v1 gives on an admitted create or update: a negative revisionHistoryLimit. */
export function statefulSetWarnings(set: StatefulSet): string[] {
  const limit = set.spec.revisionHistoryLimit;
  return limit !== undefined && limit < 0 ? [NEGATIVE_HISTORY_LIMIT_WARNING] : [];
}
