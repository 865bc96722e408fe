import { resourceKind } from '../../sdk/client/resource-kind.ts';
import { API_VERSION, type StatefulSet } from './api/types.ts';

/** Our StatefulSet kind (apps.typerator.dev/v1). */
export const statefulSetKind = resourceKind<StatefulSet>(API_VERSION, 'StatefulSet', 'statefulsets');
