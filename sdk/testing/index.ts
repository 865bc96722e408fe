/**
 * A real local Kubernetes control plane for tests and development: etcd and kube-apiserver, and in
 * the `full` tier kube-controller-manager, kube-scheduler and kwok nodes, as processes on 127.0.0.1.
 */
export { startControlPlane, kwokNode, LOCAL_STORAGE_CLASS } from './control-plane.ts';
export type { ControlPlane, ControlPlaneOptions, ControlPlaneTier, ComponentName } from './control-plane.ts';
export { kwokPodStages, type KwokPodStageOptions } from './kwok-stage-variants.ts';
export type { ComponentProcess, ComponentExit } from './component-process.ts';
export { resolveBinary, ensureBinaries, type ComponentBinary } from './binaries.ts';
export {
  ControlPlaneStartError,
  BinaryNotFoundError,
  PrometheusStartError,
  OperatorContainerError,
  UnsupportedOnK3sError,
} from './errors.ts';
export { DEFAULT_K3S_IMAGE } from './k3s-control-plane.ts';
export { startOperatorContainer } from './operator-container.ts';
export type { OperatorContainer, OperatorContainerOptions } from './operator-container.ts';
export { startPrometheus } from './prometheus.ts';
export type { PrometheusServer, PrometheusOptions, ScrapeTarget } from './prometheus.ts';
export { CacheFolderError, cacheRoot, writableCacheRoot } from './cache-folder.ts';
export { waitUntil, WaitTimeoutError, type WaitOptions } from './wait-until.ts';
