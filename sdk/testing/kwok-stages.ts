/**
 * The pod stages kwok plays in the `full` tier: what a kubelet would do, simulated. They follow
 * kwok's built-in "fast" stages (scheduled pods turn Running and Ready at once, a Job's pods
 * complete, deleted pods go) with one change: kwok deletes a terminating pod by name, with a grace
 * period of 0, and that delete itself updates the pod (deletionGracePeriodSeconds becomes 0), which
 * made kwok play its delete stage a second time. If a controller had recreated a pod under the same
 * name in between (a StatefulSet does, within milliseconds), the second delete removed the new pod.
 * So the delete stage ignores pods whose grace period is already 0.
 */
export const KWOK_POD_STAGES = `apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: pod-ready
spec:
  resourceRef: { apiGroup: v1, kind: Pod }
  selector:
    matchExpressions:
    - { key: .metadata.deletionTimestamp, operator: DoesNotExist }
    - { key: .status.podIP, operator: DoesNotExist }
  next:
    statusTemplate: |
      {{ $now := Now }}
      conditions:
      {{ range list "Initialized" "Ready" "ContainersReady" }}
      - { type: {{ . | Quote }}, status: "True", lastTransitionTime: {{ $now | Quote }} }
      {{ end }}
      {{ range .spec.readinessGates }}
      - { type: {{ .conditionType | Quote }}, status: "True", lastTransitionTime: {{ $now | Quote }} }
      {{ end }}
      containerStatuses:
      {{ range .spec.containers }}
      - name: {{ .name | Quote }}
        image: {{ .image | Quote }}
        ready: true
        restartCount: 0
        state: { running: { startedAt: {{ $now | Quote }} } }
      {{ end }}
      initContainerStatuses:
      {{ range .spec.initContainers }}
      - name: {{ .name | Quote }}
        image: {{ .image | Quote }}
        ready: true
        restartCount: 0
        {{ if eq .restartPolicy "Always" }}
        started: true
        state: { running: { startedAt: {{ $now | Quote }} } }
        {{ else }}
        state: { terminated: { exitCode: 0, reason: Completed, startedAt: {{ $now | Quote }}, finishedAt: {{ $now | Quote }} } }
        {{ end }}
      {{ end }}
      hostIP: {{ NodeIPWith .spec.nodeName | Quote }}
      podIP: {{ PodIPWith .spec.nodeName ( or .spec.hostNetwork false ) ( or .metadata.uid "" ) ( or .metadata.name "" ) ( or .metadata.namespace "" ) | Quote }}
      phase: Running
      startTime: {{ $now | Quote }}
---
apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: pod-complete
spec:
  resourceRef: { apiGroup: v1, kind: Pod }
  selector:
    matchExpressions:
    - { key: .metadata.deletionTimestamp, operator: DoesNotExist }
    - { key: .status.phase, operator: In, values: [Running] }
    - { key: '.metadata.ownerReferences.[].kind', operator: In, values: [Job] }
  next:
    statusTemplate: |
      {{ $now := Now }}
      containerStatuses:
      {{ range .spec.containers }}
      - name: {{ .name | Quote }}
        image: {{ .image | Quote }}
        ready: false
        restartCount: 0
        started: false
        state: { terminated: { exitCode: 0, reason: Completed, startedAt: {{ $now | Quote }}, finishedAt: {{ $now | Quote }} } }
      {{ end }}
      phase: Succeeded
---
apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: pod-delete
spec:
  resourceRef: { apiGroup: v1, kind: Pod }
  selector:
    matchExpressions:
    - { key: .metadata.deletionTimestamp, operator: Exists }
    - { key: '(.metadata.deletionGracePeriodSeconds // 1) > 0', operator: In, values: ['true'] }
  next:
    finalizers: { empty: true }
    delete: true
`;
