import { typeratorWorkloads } from '../workload-api.ts';

/** Our StatefulSet kind (apps.typerator.dev/v1). */
export const statefulSetKind = typeratorWorkloads.statefulSet;
