import { typeratorWorkloads } from '../workload-api.ts';

/** Our Deployment kind (apps.typerator.dev/v1). */
export const deploymentKind = typeratorWorkloads.deployment;

/** Our ReplicaSet kind (apps.typerator.dev/v1). */
export const replicaSetKind = typeratorWorkloads.replicaSet;
