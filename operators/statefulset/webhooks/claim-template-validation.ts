import type { V1PersistentVolumeClaim } from '@kubernetes/client-node';
import {
  duplicate,
  forbidden,
  notSupported,
  required,
  type FieldError,
} from '../../deployment/webhooks/field-errors.ts';

// What a StatefulSet's volumeClaimTemplates must satisfy on create. Since 1.34 apps/v1 runs the
// PersistentVolumeClaim spec validation on each template (validateVolumeClaimTemplates); we check
// the part a claim cannot be made without (access modes and a storage request). Unique names are
// ours: upstream keys the claims by template name, so a repeated name silently yields one claim,
// while our controller would give the pod two volumes of that name, which the apiserver refuses.

/** The access modes a claim may ask for, sorted as apimachinery lists them. */
const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];

/** ValidatePersistentVolumeClaimSpec's rules for access modes and the storage request. */
function validateClaimSpec(template: V1PersistentVolumeClaim, field: string): FieldError[] {
  const errors: FieldError[] = [];
  const modes = template.spec?.accessModes ?? [];
  if (modes.length === 0) errors.push(required(`${field}.accessModes`, 'at least 1 access mode is required'));
  for (const mode of modes)
    if (!ACCESS_MODES.includes(mode)) errors.push(notSupported(`${field}.accessModes`, mode, ACCESS_MODES));
  const readWriteOncePod = modes.includes('ReadWriteOncePod');
  const others = modes.some((mode) => mode !== 'ReadWriteOncePod' && ACCESS_MODES.includes(mode));
  if (readWriteOncePod && others)
    errors.push(forbidden(`${field}.accessModes`, 'may not use ReadWriteOncePod with other access modes'));
  if (template.spec?.resources?.requests?.['storage'] === undefined)
    errors.push(required(`${field}.resources[storage]`));
  return errors;
}

/**
 * The errors of `spec.volumeClaimTemplates` (at `field`) on create, each naming its template by
 * index: a missing or unsupported access mode, ReadWriteOncePod with others, no storage request,
 * a name used by an earlier template.
 */
export function validateClaimTemplates(
  templates: readonly V1PersistentVolumeClaim[] | undefined,
  field: string,
): FieldError[] {
  const seen = new Set<string>();
  return (templates ?? []).flatMap((template, index) => {
    const errors = validateClaimSpec(template, `${field}[${index}].spec`);
    const name = template.metadata?.name ?? '';
    if (seen.has(name)) errors.push(duplicate(`${field}[${index}].metadata.name`, name));
    seen.add(name);
    return errors;
  });
}
