/**
 * What an informer reports after its store changed. Events only say which object changed; a
 * controller reads the current state from the store.
 * - `added` with `fromList: true` comes from an initial list, a relist, or replay to a late subscriber.
 * - `deleted` with `fromList: true` is synthetic: the object vanished while the watch was down, and
 *   a relist noticed; `object` is its last known state.
 */
export type InformerEvent<T> =
  | { readonly type: 'added'; readonly object: T; readonly fromList: boolean }
  | { readonly type: 'updated'; readonly object: T; readonly previous: T; readonly fromList: boolean }
  | { readonly type: 'deleted'; readonly object: T; readonly fromList: boolean };
