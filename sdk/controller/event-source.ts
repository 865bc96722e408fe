import type { KubernetesObject } from '@kubernetes/client-node';
import { filter, mergeMap, type Observable } from 'rxjs';
import type { ResourceKind } from '../client/resource-kind.ts';
import type { InformerEvent } from '../informer/informer-event.ts';
import type { Informer } from '../informer/informer.ts';
import { Priority } from '../queue/work-queue.ts';
import type { Predicate } from './predicates.ts';
import type { Request } from './reconcile.ts';

/** Maps an event to the requests it should trigger (none, one or many). */
export type EventMapper<T extends KubernetesObject> = (event: InformerEvent<T>) => readonly Request[];

/** A request to enqueue, with the queue priority its event deserves. */
export interface QueuedRequest {
  readonly request: Request;
  readonly priority: number;
}

/** The object itself: for `for(kind)`. */
export const mapToSelf: EventMapper<KubernetesObject> = (event) => [
  { namespace: event.object.metadata?.namespace, name: event.object.metadata?.name ?? '' },
];

/**
 * The controller owner of the object, if it is of `ownerKind`: for `owns(kind)`. On updates the
 * previous owner is reconciled too, so a release is seen by the old owner.
 */
export function mapToControllerOwner(ownerKind: ResourceKind): EventMapper<KubernetesObject> {
  const apiGroup = ownerKind.group;
  const owners = (object: KubernetesObject): Request[] =>
    (object.metadata?.ownerReferences ?? [])
      .filter((ref) => {
        if (!ref.controller || ref.kind !== ownerKind.kind) return false;
        const slash = ref.apiVersion.indexOf('/');
        return (slash < 0 ? '' : ref.apiVersion.slice(0, slash)) === apiGroup;
      })
      .map((ref) => ({ namespace: object.metadata?.namespace, name: ref.name }));
  return (event) => {
    const current = owners(event.object);
    if (event.type !== 'updated') return current;
    const previous = owners(event.previous).filter((p) => !current.some((c) => c.name === p.name));
    return [...current, ...previous];
  };
}

/**
 * Turns an informer's events into requests: predicates filter, the mapper fans out. Events from
 * lists (initial sync, relists) get low priority so live changes are served first.
 */
export function requestsFrom<T extends KubernetesObject>(
  informer: Informer<T>,
  mapper: EventMapper<T>,
  predicates: readonly Predicate<T>[],
): Observable<QueuedRequest> {
  return informer.events().pipe(
    filter((event) => predicates.every((p) => p(event))),
    mergeMap((event) =>
      mapper(event).map((request) => ({
        request,
        priority: event.fromList ? Priority.LOW : Priority.NORMAL,
      })),
    ),
  );
}
