import type { V1ControllerRevision, V1Pod } from '@kubernetes/client-node';
import type { StatefulSet } from '../api/types.ts';
import { podRevision } from './identity.ts';
import { sortRevisions } from './revisions.ts';
import { revisionHistoryLimit } from './statefulset-spec.ts';

// After each sync (even a failed one) the history is truncated. A revision is live while it is the
// current or the update revision or while any pod's controller-revision-hash label names it; the
// other revisions are history, of which revisionHistoryLimit are kept, the newest.

/**
 * The revisions to delete: the non-live ones beyond revisionHistoryLimit, lowest `.revision` first
 * (then older, then by name). None when the limit is negative. `pods` are all the set's pods.
 */
export function revisionsToDelete(
  set: StatefulSet,
  revisions: readonly V1ControllerRevision[],
  live: { readonly current?: string; readonly update?: string },
  pods: readonly V1Pod[],
): V1ControllerRevision[] {
  const limit = revisionHistoryLimit(set);
  if (limit < 0) return [];
  const liveNames = new Set<string>(pods.map(podRevision));
  if (live.current !== undefined) liveNames.add(live.current);
  if (live.update !== undefined) liveNames.add(live.update);
  const history = sortRevisions(revisions).filter((r) => !liveNames.has(r.metadata?.name ?? ''));
  return history.slice(0, Math.max(history.length - limit, 0));
}
