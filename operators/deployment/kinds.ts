import { resourceKind } from '../../sdk/client/resource-kind.ts';
import { API_VERSION, type Deployment, type ReplicaSet } from './api/types.ts';

/** Our Deployment kind (apps.typerator.dev/v1). */
export const deploymentKind = resourceKind<Deployment>(API_VERSION, 'Deployment', 'deployments');

/** Our ReplicaSet kind (apps.typerator.dev/v1). */
export const replicaSetKind = resourceKind<ReplicaSet>(API_VERSION, 'ReplicaSet', 'replicasets');
