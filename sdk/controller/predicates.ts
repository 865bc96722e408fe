import type { KubernetesObject } from '@kubernetes/client-node';
import type { InformerEvent } from '../informer/informer-event.ts';

/** Decides whether an event should trigger a reconcile. */
export type Predicate<T extends KubernetesObject = KubernetesObject> = (event: InformerEvent<T>) => boolean;

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a ?? {}) === JSON.stringify(b ?? {});

/** Updates pass only when `metadata.generation` changed (spec edits, not status writes). */
export const generationChanged: Predicate = (event) =>
  event.type !== 'updated' || event.previous.metadata?.generation !== event.object.metadata?.generation;

/** Updates pass only when labels changed. */
export const labelsChanged: Predicate = (event) =>
  event.type !== 'updated' || !sameJson(event.previous.metadata?.labels, event.object.metadata?.labels);

/** Updates pass only when annotations changed. */
export const annotationsChanged: Predicate = (event) =>
  event.type !== 'updated' ||
  !sameJson(event.previous.metadata?.annotations, event.object.metadata?.annotations);

/** Updates pass only when the resourceVersion changed (drops no-op resync duplicates). */
export const resourceVersionChanged: Predicate = (event) =>
  event.type !== 'updated' ||
  event.previous.metadata?.resourceVersion !== event.object.metadata?.resourceVersion;

/** Passes when every predicate passes. */
export const and =
  <T extends KubernetesObject>(...predicates: Predicate<T>[]): Predicate<T> =>
  (event) =>
    predicates.every((p) => p(event));

/** Passes when any predicate passes. */
export const or =
  <T extends KubernetesObject>(...predicates: Predicate<T>[]): Predicate<T> =>
  (event) =>
    predicates.some((p) => p(event));

/** Inverts a predicate. */
export const not =
  <T extends KubernetesObject>(predicate: Predicate<T>): Predicate<T> =>
  (event) =>
    !predicate(event);
