import { parseAllDocuments, stringify } from 'yaml';
import { KWOK_POD_STAGES } from './kwok-stages.ts';

/**
 * Opt-in changes to the pod stages kwok plays in the `full` tier (`KWOK_POD_STAGES`), for
 * tests that need kwok to act more like a kubelet. Without any, the default stages are used as they are.
 */
export interface KwokPodStageOptions {
  /**
   * Images that cannot be pulled. A pod with a container using one stays Pending, not Ready, with
   * that container Waiting with reason ErrImagePull (its other containers run), instead of turning
   * Running and Ready.
   */
  readonly unpullableImages?: readonly string[];
  /**
   * A deleted pod first turns terminal (phase Failed, every container terminated, not Ready), as a
   * kubelet reports a pod it stopped, and only then goes; finalizers other components set stay for
   * them to remove. Default false: a deleted pod goes at once and its finalizers are stripped.
   * Either way, kwok never deletes a pod whose deletion grace period is already 0 (see
   * KWOK_POD_STAGES); with this option such a pod, held by a finalizer, still turns terminal.
   */
  readonly terminateBeforeDelete?: boolean;
}

interface MatchExpression {
  key: string;
  operator: string;
  values?: string[];
}

interface Stage {
  metadata: { name: string };
  spec: {
    selector: { matchExpressions: MatchExpression[] };
    next: Record<string, unknown>;
  } & Record<string, unknown>;
}

const POD = { apiGroup: 'v1', kind: 'Pod' };
const NOT_DELETED: MatchExpression = { key: '.metadata.deletionTimestamp', operator: 'DoesNotExist' };
const DELETED: MatchExpression = { key: '.metadata.deletionTimestamp', operator: 'Exists' };
// Same expression as the default delete stage: once kwok's own delete set the grace period to 0,
// playing a stage again could remove a pod recreated under the same name meanwhile.
const GRACE_PERIOD_LEFT: MatchExpression = {
  key: '(.metadata.deletionGracePeriodSeconds // 1) > 0',
  operator: 'In',
  values: ['true'],
};
const TERMINAL_PHASES = ['Succeeded', 'Failed'];
const IMAGES = '.spec.containers.[].image';

/** A Go template string literal (kwok's templates are Go templates). */
function goString(value: string): string {
  return JSON.stringify(value);
}

function parseStages(yaml: string): Stage[] {
  return parseAllDocuments(yaml).map((document) => document.toJS() as Stage);
}

function stageNamed(stages: readonly Stage[], name: string): Stage {
  const stage = stages.find((s) => s.metadata.name === name);
  if (!stage) throw new Error(`the default kwok stages have no stage named ${name}`);
  return stage;
}

function stage(name: string, matchExpressions: MatchExpression[], next: Record<string, unknown>): Stage {
  return {
    metadata: { name },
    spec: { resourceRef: POD, selector: { matchExpressions }, next },
  };
}

function imagePullFailureStage(images: readonly string[]): Stage {
  const unpullable = `(list ${images.map(goString).join(' ')})`;
  const statusTemplate = `{{ $now := Now }}
conditions:
- { type: Initialized, status: "True", lastTransitionTime: {{ $now | Quote }} }
- { type: Ready, status: "False", reason: ContainersNotReady, lastTransitionTime: {{ $now | Quote }} }
- { type: ContainersReady, status: "False", reason: ContainersNotReady, lastTransitionTime: {{ $now | Quote }} }
containerStatuses:
{{ range .spec.containers }}
- name: {{ .name | Quote }}
  image: {{ .image | Quote }}
  ready: false
  restartCount: 0
  {{ if has .image ${unpullable} }}
  started: false
  state: { waiting: { reason: ErrImagePull, message: {{ printf "image %s cannot be pulled (simulated by kwok)" .image | Quote }} } }
  {{ else }}
  started: true
  state: { running: { startedAt: {{ $now | Quote }} } }
  {{ end }}
{{ end }}
hostIP: {{ NodeIPWith .spec.nodeName | Quote }}
podIP: {{ PodIPWith .spec.nodeName ( or .spec.hostNetwork false ) ( or .metadata.uid "" ) ( or .metadata.name "" ) ( or .metadata.namespace "" ) | Quote }}
phase: Pending
startTime: {{ $now | Quote }}
`;
  // The pod gets its IP like a pod whose sandbox runs, which also keeps the ready stage
  // (`.status.podIP` DoesNotExist) and this one from playing again.
  return stage(
    'pod-image-pull-failure',
    [
      NOT_DELETED,
      { key: '.status.podIP', operator: 'DoesNotExist' },
      { key: IMAGES, operator: 'In', values: [...images] },
    ],
    { statusTemplate },
  );
}

// Also for a pod deleted with a grace period of 0 and held by a finalizer (a kubelet stops its
// containers too): only a status patch, and played once, since the pod is terminal afterwards.
function terminateStage(): Stage {
  const statusTemplate = `{{ $now := Now }}
conditions:
- { type: Ready, status: "False", reason: PodCompleted, lastTransitionTime: {{ $now | Quote }} }
- { type: ContainersReady, status: "False", reason: PodCompleted, lastTransitionTime: {{ $now | Quote }} }
containerStatuses:
{{ range .spec.containers }}
- name: {{ .name | Quote }}
  image: {{ .image | Quote }}
  ready: false
  started: false
  state: { running: null, waiting: null, terminated: { exitCode: 143, reason: Error, finishedAt: {{ $now | Quote }} } }
{{ end }}
phase: Failed
`;
  return stage(
    'pod-terminate',
    [DELETED, { key: '.status.phase', operator: 'NotIn', values: TERMINAL_PHASES }],
    { statusTemplate },
  );
}

function deleteTerminalStage(): Stage {
  // No finalizer change: kwok deletes with a grace period of 0, and finalizers keep the pod until
  // their owners remove them, as after a kubelet's final delete.
  return stage(
    'pod-delete',
    [DELETED, GRACE_PERIOD_LEFT, { key: '.status.phase', operator: 'In', values: TERMINAL_PHASES }],
    { delete: true },
  );
}

/**
 * The kwok pod stages for a `full`-tier control plane: `KWOK_POD_STAGES` as they are when no
 * option is set, otherwise derived from them with the changes {@link KwokPodStageOptions} asks for.
 */
export function kwokPodStages(options: KwokPodStageOptions = {}): string {
  const images = options.unpullableImages ?? [];
  const terminate = options.terminateBeforeDelete ?? false;
  if (images.length === 0 && !terminate) return KWOK_POD_STAGES;
  let stages = parseStages(KWOK_POD_STAGES);
  if (images.length > 0) {
    stageNamed(stages, 'pod-ready').spec.selector.matchExpressions.push({
      key: IMAGES,
      operator: 'NotIn',
      values: [...images],
    });
    stages.push(imagePullFailureStage(images));
  }
  if (terminate) {
    stageNamed(stages, 'pod-delete');
    stages = stages.filter((s) => s.metadata.name !== 'pod-delete');
    stages.push(terminateStage(), deleteTerminalStage());
  }
  return stages
    .map((s) => stringify({ apiVersion: 'kwok.x-k8s.io/v1alpha1', kind: 'Stage', ...s }, { lineWidth: 0 }))
    .join('---\n');
}
