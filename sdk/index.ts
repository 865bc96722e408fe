/**
 * Typerator: a TypeScript operator SDK for Kubernetes.
 *
 * The entry points: {@link runOperators} (a process's main: flags, one manager, your operators),
 * {@link Manager} (hosts controllers, caches, leader election, metrics, probes),
 * `manager.controller(name)` (the builder), {@link Client} (typed access to any kind), and the
 * helpers a reconciler uses. The local control plane for tests lives in `typerator/testing`.
 */
export {
  Manager,
  GracefulShutdownTimeoutError,
  type ManagerOptions,
  type Runnable,
} from './manager/manager.ts';
export { LeaderElectionLostError, type LeaderElectionOptions } from './manager/leader-election.ts';
export {
  managerOptionsFromEnvironment,
  EnvironmentVariableError,
  type EnvironmentDefaults,
} from './manager/manager-options-from-environment.ts';
export { runOperator } from './manager/run-operator.ts';
export { runOperators, startOperators, type RunOperatorsOptions } from './runner/run-operators.ts';
export type { Operator, OperatorContext } from './runner/operator.ts';
export {
  RUN_SETTINGS,
  resolveRunSettings,
  type RunFlags,
  type RunSetting,
  type RunSettings,
  type RunTarget,
} from './runner/run-settings.ts';
export type { LogFormat } from './logging/logger.ts';
export { ApiServerUnreachableError } from './manager/apiserver-check.ts';
export { AccessDeniedError } from './manager/access-denied-error.ts';
export { SetupError, isSetupError } from './errors/setup-error.ts';
export { InvalidSettingError } from './errors/invalid-setting-error.ts';
export { BindAddressError } from './errors/bind-address-error.ts';

export { Client } from './client/client.ts';
export { loadKubeConfig, type LoadKubeConfigOptions } from './client/load-kubeconfig.ts';
export { readKubeconfig, type ReadKubeconfigOptions } from './client/kubeconfig/read-kubeconfig.ts';
export type {
  Kubeconfig,
  KubeconfigCluster,
  KubeconfigContext,
  KubeconfigUser,
  ExecConfig,
} from './client/kubeconfig/kubeconfig.ts';
export type { AnyKubeconfig } from './client/kubeconfig/client-node-shape.ts';
export { ExecPluginError } from './client/kubeconfig/exec-plugin-error.ts';
export { describeCredentials } from './client/credentials.ts';
export { UnknownKindError } from './client/resource-mapper.ts';
export { kinds, resourceKind, apiVersionOf, type ResourceKind } from './client/resource-kind.ts';
export {
  keyOf,
  type ResourceClient,
  type ObjectKey,
  type ListOptions,
  type ListResult,
  type WatchOptions,
  type WriteOptions,
  type PatchOptions,
  type PatchType,
  type DeleteOptions,
  type Scale,
} from './client/resource-client.ts';
export type { TransportOptions } from './client/transport.ts';
export type { WatchEvent } from './client/watch-stream.ts';
export * from './client/errors.ts';
export { ListBodyError } from './client/list-body-parser.ts';

export type { ControllerBuilder } from './controller/controller-builder.ts';
export type { Controller } from './controller/controller.ts';
export {
  TerminalError,
  ignoreNotFound,
  requeueAfter,
  type Reconciler,
  type Request,
  type Result,
  type ReconcileContext,
} from './controller/reconcile.ts';
export * as predicates from './controller/predicates.ts';
export type { Predicate } from './controller/predicates.ts';
export type { EventMapper } from './controller/event-source.ts';
export { addFinalizer, removeFinalizer, hasFinalizer, isBeingDeleted } from './controller/finalizers.ts';
export {
  controllerReference,
  controllerOf,
  withControllerReference,
  AlreadyOwnedError,
} from './controller/owner-references.ts';
export {
  setCondition,
  findCondition,
  removeCondition,
  isConditionTrue,
  type Condition,
  type ConditionUpdate,
} from './controller/conditions.ts';
export { EventRecorder, type EventType } from './controller/event-recorder.ts';

export {
  Informer,
  CacheSyncTimeoutError,
  InformerStoppedError,
  type InformerOptions,
  type ListFailure,
  type SyncWaitOptions,
} from './informer/informer.ts';
export type { InformerEvent } from './informer/informer-event.ts';
export type { Store, IndexFunction } from './informer/store.ts';
export {
  InformerCache,
  listerWatcher,
  type InformerCacheOptions,
  type InformerScope,
  type CacheSyncOptions,
} from './informer/informer-cache.ts';
export type { ListerWatcher, InitialListMode } from './informer/reflector.ts';
export { WorkQueue, Priority, type WorkQueueOptions, type AddOptions } from './queue/work-queue.ts';
export {
  ItemExponentialRateLimiter,
  BucketRateLimiter,
  MaxOfRateLimiter,
  defaultControllerRateLimiter,
  type RateLimiter,
} from './queue/rate-limiter.ts';
export type { Permission } from './rbac/policy-rules.ts';
export type { HealthCheck, BindAddress } from './manager/probe-server.ts';
export { metricsRegistry } from './metrics/registry.ts';
