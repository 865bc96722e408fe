import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { KWOK_POD_STAGES } from '../../../sdk/testing/kwok-stages.ts';
import { kwokPodStages } from '../../../sdk/testing/kwok-stage-variants.ts';

interface Expression {
  readonly key: string;
  readonly operator: string;
  readonly values?: readonly string[];
}
interface Stage {
  readonly metadata: { readonly name: string };
  readonly spec: {
    readonly selector: { readonly matchExpressions: readonly Expression[] };
    readonly next: {
      readonly delete?: boolean;
      readonly finalizers?: unknown;
      readonly statusTemplate?: string;
    };
  };
}

const stagesOf = (yaml: string) =>
  new Map(
    parseAllDocuments(yaml).map((document) => {
      const stage = document.toJS() as Stage;
      return [stage.metadata.name, stage] as const;
    }),
  );
const expression = (stage: Stage | undefined, key: string) =>
  stage?.spec.selector.matchExpressions.find((e) => e.key === key);
const GRACE = '(.metadata.deletionGracePeriodSeconds // 1) > 0';
const IMAGES = ['webserver:404', 'registry.example/app:missing'];

describe('kwokPodStages', () => {
  it('is the default stages, unchanged, without options', () => {
    assert.equal(kwokPodStages(), KWOK_POD_STAGES);
    assert.equal(kwokPodStages({ unpullableImages: [], terminateBeforeDelete: false }), KWOK_POD_STAGES);
  });

  it('keeps pods with an unpullable image out of the ready stage and gives them their own', () => {
    const stages = stagesOf(kwokPodStages({ unpullableImages: IMAGES }));
    assert.deepEqual(expression(stages.get('pod-ready'), '.spec.containers.[].image'), {
      key: '.spec.containers.[].image',
      operator: 'NotIn',
      values: IMAGES,
    });
    const failure = stages.get('pod-image-pull-failure');
    assert.deepEqual(expression(failure, '.spec.containers.[].image')?.operator, 'In');
    // Played once: the stage sets the pod IP that its selector requires to be absent.
    assert.equal(expression(failure, '.status.podIP')?.operator, 'DoesNotExist');
    const template = failure?.spec.next.statusTemplate ?? '';
    assert.match(template, /reason: ErrImagePull/);
    assert.match(template, /podIP: /);
    assert.match(template, /phase: Pending/);
    assert.match(template, /has \.image \(list "webserver:404" "registry\.example\/app:missing"\)/);
    // The delete stage is the default one.
    assert.deepEqual(stages.get('pod-delete')?.spec.next.finalizers, { empty: true });
  });

  it('turns a deleted pod terminal before deleting it, leaving finalizers alone and never deleting twice', () => {
    const stages = stagesOf(kwokPodStages({ terminateBeforeDelete: true }));
    const terminate = stages.get('pod-terminate');
    const remove = stages.get('pod-delete');
    assert.equal(expression(terminate, '.status.phase')?.operator, 'NotIn');
    assert.equal(expression(remove, '.status.phase')?.operator, 'In');
    for (const stage of [terminate, remove])
      assert.equal(expression(stage, '.metadata.deletionTimestamp')?.operator, 'Exists');
    // Only the delete needs the grace period left: kwok's own delete sets it to 0, and playing the
    // delete again could remove a pod recreated under the same name. Turning terminal is played once.
    assert.deepEqual(expression(remove, GRACE)?.values, ['true']);
    assert.equal(expression(terminate, GRACE), undefined);
    assert.match(terminate?.spec.next.statusTemplate ?? '', /phase: Failed/);
    assert.match(terminate?.spec.next.statusTemplate ?? '', /type: Ready, status: "False"/);
    assert.deepEqual(remove?.spec.next, { delete: true });
    assert.equal(expression(stages.get('pod-ready'), '.spec.containers.[].image'), undefined);
  });
});
