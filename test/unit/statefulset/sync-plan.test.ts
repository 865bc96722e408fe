import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1ControllerRevision, V1PersistentVolumeClaim, V1Pod } from '@kubernetes/client-node';
import type { StatefulSet } from '../../../operators/statefulset/api/types.ts';
import { revisionsToDelete } from '../../../operators/statefulset/logic/history.ts';
import { isMemberOf, podRevision } from '../../../operators/statefulset/logic/identity.ts';
import { revisionTemplate, selectRevisions } from '../../../operators/statefulset/logic/revisions.ts';
import type { PodStep } from '../../../operators/statefulset/logic/scaling.ts';
import { statusNeedsWrite } from '../../../operators/statefulset/logic/status.ts';
import { planSync, type SyncPlan } from '../../../operators/statefulset/logic/sync-plan.ts';
import type { UpdateOptions } from '../../../operators/statefulset/logic/update-strategy.ts';
import { claim, NOW, podRef, setRef, statefulSet, type SetOptions } from './fixtures.ts';

/**
 * A small stand-in for the controller: settles revisions, plans a sync, applies every write as if
 * it succeeded (created pods start Pending; deleted pods vanish), writes status and truncates
 * history. Tests decide when pods become ready.
 */
class Cluster {
  set: StatefulSet;
  pods: V1Pod[] = [];
  claims = new Map<string, V1PersistentVolumeClaim>();
  revisions: V1ControllerRevision[] = [];
  log: string[] = [];
  lastPlan: SyncPlan | undefined;
  readonly gates: UpdateOptions;
  private uids = 0;

  constructor(options: SetOptions, gates: UpdateOptions = {}) {
    this.set = statefulSet({ claims: ['datadir'], ...options });
    this.gates = gates;
  }

  sync(): this {
    const selection = selectRevisions(this.set, this.revisions);
    const chosen = selection.update;
    let update = chosen.revision;
    if (chosen.kind === 'create') {
      this.revisions.push(chosen.revision);
      this.log.push(`new revision ${chosen.revision.revision}`);
    } else if (chosen.kind === 'rollback') {
      update = { ...chosen.revision, revision: chosen.revisionNumber };
      this.revisions = this.revisions.map((r) => (r === chosen.revision ? update : r));
      this.log.push(`rollback to revision ${chosen.revision.revision} as ${chosen.revisionNumber}`);
    }
    const current = selection.current ?? update;
    const ref = (r: V1ControllerRevision) => ({
      name: r.metadata?.name ?? '',
      template: revisionTemplate(r, this.set.spec.template),
    });
    const plan = planSync({
      set: this.set,
      pods: this.pods.filter((pod) => isMemberOf(this.set, pod)),
      claims: this.claims,
      currentRevision: ref(current),
      updateRevision: ref(update),
      collisionCount: selection.collisionCount,
      now: NOW,
      options: this.gates,
    });
    this.lastPlan = plan;
    const phases = [plan.replicas, plan.condemnedClaims, plan.condemned];
    for (const phase of phases) for (const step of phase?.steps ?? []) this.apply(step);
    for (const pod of plan.update?.deletions ?? []) this.remove(pod, 'update');
    if (statusNeedsWrite(this.set, plan.status)) this.set = { ...this.set, status: plan.status };
    const old = revisionsToDelete(
      this.set,
      this.revisions,
      { current: current.metadata?.name ?? '', update: update.metadata?.name ?? '' },
      this.pods,
    );
    this.revisions = this.revisions.filter((r) => !old.includes(r));
    return this;
  }

  /** Syncs, making every pod Running and Ready after each sync, until nothing changes. */
  settle(limit = 30): this {
    for (let i = 0; i < limit; i++) {
      const before = this.log.length;
      this.sync().readyAll();
      if (this.log.length === before) return this;
    }
    throw new Error('did not settle');
  }

  private apply(step: PodStep): void {
    for (const action of step.actions) {
      switch (action.kind) {
        case 'create-claims':
          for (const c of action.claims) this.claims.set(c.metadata?.name ?? '', c);
          break;
        case 'update-claims':
          for (const c of action.claims) this.claims.set(c.metadata?.name ?? '', c);
          break;
        case 'create-pod': {
          const pod = {
            ...action.pod,
            metadata: { ...action.pod.metadata, uid: `uid-${++this.uids}` },
            status: { phase: 'Pending' },
          };
          this.pods.push(pod);
          this.log.push(`create ${pod.metadata.name ?? ''}@${podRevision(pod).slice(-4)}`);
          break;
        }
        case 'delete-pod':
          this.remove(action.pod, action.reason);
          break;
        case 'update-pod':
          this.pods = this.pods.map((p) => (p.metadata?.uid === action.pod.metadata?.uid ? action.pod : p));
          this.log.push(`update ${action.pod.metadata?.name ?? ''}`);
          break;
        case 'fail':
          throw action.error;
      }
    }
  }

  private remove(pod: V1Pod, reason: string): void {
    this.pods = this.pods.filter((p) => p.metadata?.uid !== pod.metadata?.uid);
    this.log.push(`delete ${pod.metadata?.name ?? ''} (${reason})`);
  }

  readyAll(): this {
    this.pods = this.pods.map((pod) => this.withState(pod, 'Running', true));
    return this;
  }

  setPod(name: string, phase: string, ready: boolean): this {
    this.pods = this.pods.map((pod) =>
      pod.metadata?.name === name ? this.withState(pod, phase, ready) : pod,
    );
    return this;
  }

  change(edit: (set: StatefulSet) => void): this {
    const next = structuredClone(this.set);
    edit(next);
    next.metadata = { ...next.metadata, generation: (next.metadata?.generation ?? 0) + 1 };
    this.set = next;
    return this;
  }

  image(image: string): this {
    return this.change((s) => {
      const container = s.spec.template.spec?.containers[0];
      if (container !== undefined) container.image = image;
    });
  }

  podNames(): string[] {
    return this.pods.map((p) => p.metadata?.name ?? '').sort();
  }

  takeLog(): string[] {
    const log = this.log;
    this.log = [];
    return log;
  }

  private withState(pod: V1Pod, phase: string, ready: boolean): V1Pod {
    const wasReady = pod.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True');
    return {
      ...pod,
      status: {
        phase,
        conditions: [
          ready
            ? {
                type: 'Ready',
                status: 'True',
                lastTransitionTime: wasReady?.lastTransitionTime ?? new Date(NOW - 3600_000),
              }
            : { type: 'Ready', status: 'False' },
        ],
      },
    };
  }
}

/** The revision hash suffix of the last revision the cluster holds, as the log prints it. */
const suffix = (c: Cluster, revision: number) =>
  c.revisions.find((r) => r.revision === revision)?.metadata?.name?.slice(-4) ?? '?';

describe('planSync: OrderedReady scale up and down (e2e Scaling)', () => {
  it('creates web-0, web-1, web-2 one at a time, each after the previous is Ready', () => {
    const c = new Cluster({ replicas: 3 });
    c.sync();
    assert.deepEqual(c.podNames(), ['web-0']);
    c.sync();
    assert.deepEqual(c.podNames(), ['web-0'], 'web-0 is Pending: wait');
    c.readyAll().sync();
    assert.deepEqual(c.podNames(), ['web-0', 'web-1']);
    c.readyAll().sync();
    const rev = suffix(c, 1);
    assert.deepEqual(c.takeLog(), [
      'new revision 1',
      `create web-0@${rev}`,
      `create web-1@${rev}`,
      `create web-2@${rev}`,
    ]);
    const counts = () => {
      const s = c.set.status;
      return [s?.replicas, s?.readyReplicas, s?.availableReplicas, s?.currentReplicas, s?.updatedReplicas];
    };
    assert.deepEqual(counts(), [2, 2, 2, 2, 2], 'status counts the pods the sync started from');
    c.readyAll().sync();
    assert.deepEqual(counts(), [3, 3, 3, 3, 3]);
    assert.deepEqual(c.claims.size, 3);
  });
  it('halts while a pod is unready, both ways; then deletes web-2, web-1, web-0', () => {
    const c = new Cluster({ replicas: 1 }).settle();
    c.takeLog();
    c.setPod('web-0', 'Running', false).change((s) => (s.spec.replicas = 3));
    c.sync().sync();
    assert.deepEqual(c.podNames(), ['web-0'], 'no scale-up past an unready pod');
    c.readyAll().settle();
    assert.deepEqual(c.podNames(), ['web-0', 'web-1', 'web-2']);
    for (const name of ['web-0', 'web-1', 'web-2']) c.setPod(name, 'Running', false);
    c.takeLog();
    c.change((s) => (s.spec.replicas = 0))
      .sync()
      .sync();
    assert.deepEqual(c.podNames(), ['web-0', 'web-1', 'web-2'], 'no scale-down while all are unready');
    c.readyAll();
    c.sync().sync().sync();
    assert.deepEqual(c.takeLog(), [
      'delete web-2 (scale-down)',
      'delete web-1 (scale-down)',
      'delete web-0 (scale-down)',
    ]);
    assert.deepEqual(c.sync().set.status?.replicas, 0);
  });
  it('claims outlive their pods (Retain) and are reused', () => {
    const c = new Cluster({ replicas: 2 }).settle();
    c.change((s) => (s.spec.replicas = 0)).settle();
    assert.deepEqual([...c.claims.keys()].sort(), ['datadir-web-0', 'datadir-web-1']);
    c.takeLog();
    c.change((s) => (s.spec.replicas = 1)).settle();
    assert.deepEqual(
      c.takeLog().filter((l) => l.includes('claim')),
      [],
    );
  });
});

describe('planSync: Parallel (e2e Burst)', () => {
  it('scales 0 → 3 and 3 → 0 in one sync each, without waiting for readiness', () => {
    const c = new Cluster({ replicas: 3, policy: 'Parallel' });
    c.sync();
    assert.deepEqual(c.podNames(), ['web-0', 'web-1', 'web-2']);
    c.change((s) => (s.spec.replicas = 0)).sync();
    assert.deepEqual(c.podNames(), []);
  });
  it('a rolling update still goes one pod at a time from the top', () => {
    const c = new Cluster({ replicas: 3, policy: 'Parallel' }).settle();
    c.takeLog();
    c.image('nginx:2').sync();
    assert.deepEqual(c.takeLog(), ['new revision 2', 'delete web-2 (update)']);
    c.sync();
    assert.deepEqual(c.takeLog(), [`create web-2@${suffix(c, 2)}`]);
    c.sync();
    assert.deepEqual(c.takeLog(), [], 'waits for web-2 to be Ready');
  });
});

describe('planSync: replacing Failed and Succeeded pods (e2e evicted)', () => {
  for (const phase of ['Failed', 'Succeeded']) {
    it(`${phase}: deleted, then recreated under the same name with a new UID`, () => {
      const c = new Cluster({ replicas: 1 }).settle();
      const uid = c.pods[0]?.metadata?.uid;
      c.takeLog();
      c.setPod('web-0', phase, false).sync();
      assert.deepEqual(c.takeLog(), [`delete web-0 (${phase.toLowerCase()})`]);
      c.sync().readyAll();
      assert.deepEqual(c.podNames(), ['web-0']);
      assert.notEqual(c.pods[0]?.metadata?.uid, uid);
    });
  }
});

describe('planSync: RollingUpdate and rollback (e2e rollbackTest)', () => {
  it('replaces 2, 1, 0 one at a time; currentRevision catches up at the end; rollback reuses the old revision', () => {
    const c = new Cluster({ replicas: 3 }).settle();
    const first = c.set.status?.currentRevision;
    c.takeLog();
    c.image('nginx:2').sync();
    assert.notEqual(c.set.status?.updateRevision, c.set.status?.currentRevision);
    assert.equal(c.set.status?.currentReplicas, 2, 'the deletion is counted at once');
    c.readyAll().settle();
    const v2 = suffix(c, 2);
    assert.deepEqual(c.takeLog(), [
      'new revision 2',
      'delete web-2 (update)',
      `create web-2@${v2}`,
      'delete web-1 (update)',
      `create web-1@${v2}`,
      'delete web-0 (update)',
      `create web-0@${v2}`,
    ]);
    assert.equal(c.set.status?.currentRevision, c.set.status?.updateRevision);
    assert.equal(c.set.status?.currentReplicas, 3);

    c.image('nginx:1').settle();
    const log = c.takeLog();
    assert.equal(log[0], 'rollback to revision 1 as 3');
    assert.equal(log.filter((l) => l.startsWith('new revision')).length, 0, 'no new ControllerRevision');
    assert.equal(c.set.status?.updateRevision, first, 'the earlier revision name');
    assert.equal(c.set.status?.currentRevision, first);
    assert.deepEqual(c.revisions.map((r) => r.revision).sort(), [2, 3]);
  });
  it('partition: only ordinals at or above it are updated; a deleted lower pod comes back at current', () => {
    const c = new Cluster({ replicas: 3, partition: 2 }).settle();
    const v1 = suffix(c, 1);
    c.takeLog();
    c.image('nginx:2').settle();
    const v2 = suffix(c, 2);
    assert.deepEqual(c.takeLog(), ['new revision 2', 'delete web-2 (update)', `create web-2@${v2}`]);
    c.pods = c.pods.filter((p) => p.metadata?.name !== 'web-0');
    c.settle();
    assert.deepEqual(c.takeLog(), [`create web-0@${v1}`]);
    assert.notEqual(c.set.status?.currentRevision, c.set.status?.updateRevision);
    c.change((s) => (s.spec.updateStrategy = { rollingUpdate: { partition: 0 } })).settle();
    assert.deepEqual(c.takeLog(), [
      'delete web-1 (update)',
      `create web-1@${v2}`,
      'delete web-0 (update)',
      `create web-0@${v2}`,
    ]);
    assert.equal(c.set.status?.currentRevision, c.set.status?.updateRevision);
  });
  it('partition ≥ replicas: nothing is updated', () => {
    const c = new Cluster({ replicas: 3, partition: 3 }).settle();
    c.takeLog();
    c.image('nginx:2').settle();
    assert.deepEqual(c.takeLog(), ['new revision 2']);
  });
  it('MaxUnavailableStatefulSet, maxUnavailable 2: two pods at a time', () => {
    const c = new Cluster(
      { replicas: 5, policy: 'Parallel', maxUnavailable: 2 },
      { maxUnavailableStatefulSet: true },
    ).settle();
    c.takeLog();
    c.image('nginx:2').sync();
    assert.deepEqual(c.takeLog(), ['new revision 2', 'delete web-4 (update)', 'delete web-3 (update)']);
    c.sync();
    assert.deepEqual(c.takeLog().length, 2, 'both recreated at once');
    c.sync();
    assert.deepEqual(c.takeLog(), [], 'two unavailable: wait');
    c.readyAll().sync();
    assert.deepEqual(c.takeLog(), ['delete web-2 (update)', 'delete web-1 (update)']);
  });
});

describe('planSync: OnDelete (e2e)', () => {
  it('nothing happens after a template change; deleted pods return at the update revision; currentRevision stays', () => {
    const c = new Cluster({ replicas: 3, updateStrategy: { type: 'OnDelete' } }).settle();
    const first = c.set.status?.currentRevision;
    c.takeLog();
    c.image('nginx:2').settle();
    assert.deepEqual(c.takeLog(), ['new revision 2']);
    c.pods = [];
    c.settle();
    const v2 = suffix(c, 2);
    assert.deepEqual(c.takeLog(), [`create web-0@${v2}`, `create web-1@${v2}`, `create web-2@${v2}`]);
    assert.equal(c.set.status?.currentRevision, first);
    assert.equal(c.set.status?.updatedReplicas, 3);
  });
});

describe('planSync: ordinals.start (e2e, GA 1.31)', () => {
  it('{0,1} → start 2, replicas 3 → {2,3,4}: creates ascending, then deletes descending', () => {
    const c = new Cluster({ replicas: 2 }).settle();
    c.takeLog();
    c.change((s) => (s.spec.ordinals = { start: 2 }))
      .change((s) => (s.spec.replicas = 3))
      .settle();
    const log = c.takeLog().map((l) => l.replace(/@.*/, ''));
    assert.deepEqual(log, [
      'create web-2',
      'create web-3',
      'create web-4',
      'delete web-1 (scale-down)',
      'delete web-0 (scale-down)',
    ]);
    c.change((s) => (s.spec.ordinals = { start: 4 }))
      .change((s) => (s.spec.replicas = 2))
      .settle();
    assert.deepEqual(c.podNames(), ['web-4', 'web-5']);
    c.change((s) => delete s.spec.ordinals).settle();
    assert.deepEqual(c.podNames(), ['web-0', 'web-1']);
  });
});

describe('planSync: claim retention (e2e Non-retain policy)', () => {
  it('whenScaled Delete, scale 3 → 1: claims 2 and 1 move to their pods before the pods go', () => {
    const c = new Cluster({ replicas: 3, whenScaled: 'Delete', whenDeleted: 'Delete' }).settle();
    assert.deepEqual(
      [...c.claims.values()].map((x) => x.metadata?.ownerReferences?.map((r) => r.kind)),
      [['StatefulSet'], ['StatefulSet'], ['StatefulSet']],
      'whenDeleted Delete: the set controls every claim',
    );
    c.change((s) => (s.spec.replicas = 1)).sync();
    const owners = (name: string) =>
      c.claims.get(name)?.metadata?.ownerReferences?.map((r) => `${r.kind}/${r.name}`);
    assert.deepEqual(
      [owners('datadir-web-0'), owners('datadir-web-1'), owners('datadir-web-2')],
      [['StatefulSet/web'], ['Pod/web-1'], ['Pod/web-2']],
    );
    assert.deepEqual(c.podNames(), ['web-0', 'web-1'], 'one deletion per sync');
  });
  it('a claim another controller owns keeps its owner and loses ours, with a warning', () => {
    const c = new Cluster({ replicas: 1, whenScaled: 'Delete', whenDeleted: 'Delete' });
    const foreign = {
      apiVersion: 'example.com/v1',
      kind: 'Owner',
      name: 'o',
      uid: 'o-uid',
      controller: true,
    };
    c.claims.set('datadir-web-0', claim('datadir-web-0', [foreign, setRef()]));
    c.sync();
    assert.deepEqual(c.claims.get('datadir-web-0')?.metadata?.ownerReferences, [foreign]);
    const created = c.lastPlan?.replicas?.steps[0]?.actions.find((a) => a.kind === 'update-claims');
    assert.deepEqual(created?.kind === 'update-claims' && created.conflicting, ['datadir-web-0']);
  });
  it('a stale claim (previous web-0 still owns it) blocks the create until it is gone', () => {
    const c = new Cluster({ replicas: 1, whenScaled: 'Delete' });
    c.claims.set('datadir-web-0', claim('datadir-web-0', [podRef(0, 'gone')]));
    c.sync();
    assert.deepEqual(c.podNames(), []);
    assert.equal(c.lastPlan?.replicas?.steps[0]?.halt, 'stale-claim');
    c.claims.delete('datadir-web-0');
    c.sync();
    assert.deepEqual(c.podNames(), ['web-0']);
  });
});

describe('planSync: other paths', () => {
  it('a set being deleted: status only, counted over every claimed pod', () => {
    const c = new Cluster({ replicas: 2 }).settle();
    c.change((s) => (s.metadata = { ...s.metadata, deletionTimestamp: new Date(NOW) }));
    c.change((s) => (s.spec.replicas = 0));
    c.takeLog();
    c.sync();
    assert.deepEqual(c.takeLog(), []);
    assert.equal(c.lastPlan?.replicas, undefined);
    assert.equal(c.set.status?.replicas, 2);
  });
  it('OrderedReady halting in the replica phase plans nothing later', () => {
    const c = new Cluster({ replicas: 2 }).settle();
    c.setPod('web-0', 'Running', false).change((s) => (s.spec.replicas = 1));
    c.sync();
    assert.equal(c.lastPlan?.replicas?.halted, true);
    assert.equal(c.lastPlan?.condemned, undefined);
    assert.equal(c.lastPlan?.update, undefined);
    assert.deepEqual(c.podNames(), ['web-0', 'web-1']);
  });
  it('revision history is truncated to revisionHistoryLimit, keeping live revisions', () => {
    const c = new Cluster({ replicas: 1, revisionHistoryLimit: 1 }).settle();
    for (const image of ['nginx:2', 'nginx:3', 'nginx:4']) c.image(image).settle();
    assert.deepEqual(
      c.revisions.map((r) => r.revision).sort(),
      [2, 3, 4],
      'the old current is live until the status moves on',
    );
    c.sync();
    assert.deepEqual(c.revisions.map((r) => r.revision).sort(), [3, 4]);
  });
});
