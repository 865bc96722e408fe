// Annotation and label keys shared with upstream, so tools that read them (kubectl rollout
// history, dashboards) understand our objects too.

/** Rollout sequence number of a ReplicaSet, copied to its Deployment. */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
/** Earlier revisions a ReplicaSet served (it was rolled back to), comma-separated. */
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
/** spec.replicas of the Deployment when it last scaled this ReplicaSet. */
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
/** replicas + maxSurge of the Deployment when it last scaled this ReplicaSet. */
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
/** Asks the controller to roll back to a revision ("0" = the previous one). */
export const ROLLBACK_TO_ANNOTATION = 'deprecated.deployment.rollback.to';
/** kubectl apply's record of the last applied manifest. */
export const LAST_APPLIED_CONFIG_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
/** Why a rollout happened; copied to the new ReplicaSet like any other annotation. */
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';
/** Pods with a lower cost are deleted first on scale-down (int32, default 0). */
export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';
/** Label that ties a ReplicaSet and its pods to one version of the pod template. */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';
