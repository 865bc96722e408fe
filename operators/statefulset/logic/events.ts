// The events the StatefulSet controller records on the set, worded as kube-controller-manager
// words them (the parity tests compare them): one per pod or claim write, Normal on success and
// Warning with the error on failure.

/** A pod or claim write the controller reports. */
export type EventVerb = 'create' | 'update' | 'delete';

/** An event to record on the StatefulSet. */
export interface StatefulSetEvent {
  readonly type: 'Normal' | 'Warning';
  /** SuccessfulCreate, FailedDelete, ... */
  readonly reason: string;
  readonly message: string;
}

const title = (verb: EventVerb) => verb.charAt(0).toUpperCase() + verb.slice(1);

/** The event for a pod write (error: the failure's message, undefined on success). */
export function podEvent(
  verb: EventVerb,
  setName: string,
  podName: string,
  error?: string,
): StatefulSetEvent {
  return error === undefined
    ? {
        type: 'Normal',
        reason: `Successful${title(verb)}`,
        message: `${verb} Pod ${podName} in StatefulSet ${setName} successful`,
      }
    : {
        type: 'Warning',
        reason: `Failed${title(verb)}`,
        message: `${verb} Pod ${podName} in StatefulSet ${setName} failed error: ${error}`,
      };
}

/** The event for a claim write made for a pod (error: the failure's message, undefined on success). */
export function claimEvent(
  verb: EventVerb,
  setName: string,
  podName: string,
  claimName: string,
  error?: string,
): StatefulSetEvent {
  return error === undefined
    ? {
        type: 'Normal',
        reason: `Successful${title(verb)}`,
        message: `${verb} Claim ${claimName} Pod ${podName} in StatefulSet ${setName} success`,
      }
    : {
        type: 'Warning',
        reason: `Failed${title(verb)}`,
        message: `${verb} Claim ${claimName} for Pod ${podName} in StatefulSet ${setName} failed error: ${error}`,
      };
}
