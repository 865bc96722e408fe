// Pod templates for parity scenarios, optionally held Pending until a matching node exists.
import type { V1Node, V1PodTemplateSpec } from '@kubernetes/client-node';
import { kwokNode } from '../../../sdk/testing/index.ts';

/** A nodeSelector no node matches until {@link labelledNode} adds one: pods stay Pending. */
export const NEVER_LABEL = 'typerator.dev/never';

/** A pod template with one container, optionally held Pending by a nodeSelector nothing matches. */
export function podTemplate(
  labels: Record<string, string>,
  image: string,
  options: { pendingUntil?: string } = {},
): V1PodTemplateSpec {
  return {
    metadata: { labels },
    spec: {
      containers: [{ name: 'app', image }],
      ...(options.pendingUntil ? { nodeSelector: { [NEVER_LABEL]: options.pendingUntil } } : {}),
    },
  };
}

/** A kwok node carrying `NEVER_LABEL=value`, so pods held for `value` get scheduled and Ready. */
export function labelledNode(name: string, value: string): V1Node {
  return kwokNode(name, { [NEVER_LABEL]: value });
}
