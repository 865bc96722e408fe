// The full-tier cluster the upstream suite runs against: kube-controller-manager with or without its
// workload controllers, default storage so claims bind, and kwok playing the kubelet closely enough
// for the workload specs (images that cannot be pulled, pods that stop before they go).
import type { Logger } from 'pino';
import { startControlPlane, type ControlPlane, type KwokPodStageOptions } from '../../sdk/testing/index.ts';
import { controllerManagerArgs, type ControllersMode } from './controllers-mode.ts';

/**
 * Images the workload specs use on purpose to get pods that never become ready: a real kubelet
 * cannot pull them, so kwok must not report those pods Running and Ready.
 */
export const UNPULLABLE_IMAGES: readonly string[] = [
  'webserver:404',
  'gcr.io/google_samples/gb-redisslave:nonexistent',
];

export const SUITE_POD_STAGES: KwokPodStageOptions = {
  unpullableImages: UNPULLABLE_IMAGES,
  terminateBeforeDelete: true,
};

export function startConformanceCluster(options: {
  readonly mode: ControllersMode;
  /** Kept after the run: certificates, the kubeconfig and one log per component. */
  readonly dir: string;
  readonly logger: Logger;
}): Promise<ControlPlane> {
  return startControlPlane({
    tier: 'full',
    nodes: 3,
    dir: options.dir,
    controllerManagerArgs: controllerManagerArgs(options.mode),
    storage: true,
    podStages: SUITE_POD_STAGES,
    logger: options.logger,
  });
}
