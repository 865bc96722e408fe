import type { KubernetesObject } from '@kubernetes/client-node';
import { resourceKind } from '../../sdk/client/resource-kind.ts';
import { SLA_API_VERSION, type ApiSla } from './api/types.ts';

/** The ApiSla kind (sla.typerator.dev/v1alpha1). */
export const apiSlaKind = resourceKind<ApiSla>(SLA_API_VERSION, 'ApiSla', 'apislas');

/** The fields of an autoscaling/v2 HorizontalPodAutoscaler the operator reads to avoid a tug of war. */
export interface HorizontalPodAutoscaler extends KubernetesObject {
  spec?: { scaleTargetRef?: { apiVersion?: string; kind?: string; name?: string } };
}

export const horizontalPodAutoscalerKind = resourceKind<HorizontalPodAutoscaler>(
  'autoscaling/v2',
  'HorizontalPodAutoscaler',
  'horizontalpodautoscalers',
);
