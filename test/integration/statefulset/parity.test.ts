// StatefulSet parity (spec §5, scenarios 27–40): each scenario runs twice on one cluster with
// identical inputs, once against kube-controller-manager's StatefulSet controller (apps/v1) and once
// against ours (apps.typerator.dev/v1), each in its own namespace. Both runs are followed the same
// way; the pod creations and deletions in order, the summaries (revision names replaced by their
// numbers) and the StatefulSet events must be equal, and neither run may break an invariant.
import { describe, it } from 'node:test';
import type { V1PersistentVolumeClaimTemplate } from '@kubernetes/client-node';
import type { Client } from '../../../sdk/client/client.ts';
import { kinds } from '../../../sdk/client/resource-kind.ts';
import { waitUntil } from '../../../sdk/testing/index.ts';
import {
  atMostUnavailableDuringUpdate,
  finish,
  orderedReady,
  parity,
  parityEnvironmentForSuite,
  setSpec,
  settledAt,
  startRun,
  type Flavor,
  type FlavorRun,
  type Outcome,
  type Summary,
} from '../../support/statefulset-parity.ts';

const labels = { app: 'web' };
const image = 'registry.local/web:1';
const NAME = 'web';

const claimTemplate = (name: string): V1PersistentVolumeClaimTemplate => ({
  metadata: { name },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
});

/** Creates the set and waits until it is settled at its replicas. */
async function createSettled(run: FlavorRun, spec: Parameters<FlavorRun['create']>[1]): Promise<Summary> {
  await run.create(NAME, spec);
  return run.waitFor(NAME, settledAt(spec.replicas ?? 1));
}

const scaleTo = (run: FlavorRun, replicas: number) => run.update(NAME, (spec) => ({ ...spec, replicas }));
const withImage = (run: FlavorRun, next: string) =>
  run.update(NAME, (spec) => ({
    ...spec,
    template: { ...spec.template, spec: { containers: [{ name: 'app', image: next }] } },
  }));

/** Waits until the pod runs again under its name with a UID other than `uid`, Ready. */
async function recreated(run: FlavorRun, pod: string, uid: string | undefined): Promise<void> {
  await waitUntil(
    async () => {
      const current = await run.pods.get({ namespace: run.namespace, name: pod }).catch(() => undefined);
      return (
        current !== undefined &&
        current.metadata?.uid !== uid &&
        current.metadata?.deletionTimestamp === undefined &&
        (current.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false)
      );
    },
    { what: `${run.flavor} ${pod} to be recreated and Ready`, timeoutMs: 60_000, intervalMs: 50 },
  );
}

const readyCount = (n: number) => (s: Summary) => s.status['readyReplicas'] === n;

describe('StatefulSet parity with kube-controller-manager', () => {
  const suite = parityEnvironmentForSuite();
  const client = (): Client => suite.client;

  it('27: OrderedReady scales up in order and halts on an unready pod; scales down from the top', async () => {
    await parity('27', async (flavor: Flavor): Promise<Outcome> => {
      const run = await startRun(client(), flavor, 's27', { podInvariant: orderedReady });
      const summaries = [await createSettled(run, setSpec(labels, image, { replicas: 1 }))];
      await run.setReady('web-0', false);
      await run.waitFor(NAME, readyCount(0));
      await scaleTo(run, 3);
      summaries.push(
        await run.holdFor(NAME, 10_000, (_p, o) =>
          o.pods.length === 1 ? undefined : `${o.pods.length} pods while web-0 is not Ready`,
        ),
      );
      await run.setReady('web-0', true);
      summaries.push(await run.waitFor(NAME, settledAt(3)));

      for (const pod of ['web-0', 'web-1', 'web-2']) await run.setReady(pod, false);
      await run.waitFor(NAME, readyCount(0));
      await scaleTo(run, 0);
      summaries.push(
        await run.holdFor(NAME, 5_000, (_p, o) =>
          o.pods.length === 3 ? undefined : `${o.pods.length} pods while all are unready`,
        ),
      );
      // Condemned pods go as soon as the controller may delete them, maybe before their turn here.
      for (const pod of ['web-0', 'web-1', 'web-2']) await run.setReady(pod, true, { mayBeGone: true });
      summaries.push(await run.waitFor(NAME, (s) => s.pods.length === 0 && s.status['replicas'] === 0));
      return finish(client(), run, summaries);
    });
  });

  it('28: Parallel scales 1→3 and 3→0 without waiting for unready pods', async () => {
    await parity('28', async (flavor) => {
      const run = await startRun(client(), flavor, 's28');
      const summaries = [
        await createSettled(run, setSpec(labels, image, { replicas: 1, podManagementPolicy: 'Parallel' })),
      ];
      await run.setReady('web-0', false);
      await run.waitFor(NAME, readyCount(0));
      await scaleTo(run, 3);
      // Not waiting for the new pods' readiness, but the state compared must not depend on timing.
      summaries.push(
        await run.waitFor(
          NAME,
          (s) => s.status['replicas'] === 3 && s.pods.length === 3 && s.status['readyReplicas'] === 2,
        ),
      );
      await run.setReady('web-1', false);
      await scaleTo(run, 0);
      summaries.push(await run.waitFor(NAME, (s) => s.pods.length === 0 && s.status['replicas'] === 0));
      return finish(client(), run, summaries, { unordered: true });
    });
  });

  it('30: a Failed or Succeeded pod is deleted and recreated under its name', async () => {
    await parity('30', async (flavor) => {
      const run = await startRun(client(), flavor, 's30', { podInvariant: orderedReady });
      const summaries = [await createSettled(run, setSpec(labels, image, { replicas: 2 }))];
      for (const [pod, phase] of [
        ['web-1', 'Failed'],
        ['web-0', 'Succeeded'],
      ] as const) {
        const before = await run.pods.get({ namespace: run.namespace, name: pod });
        await run.setPhase(pod, phase);
        await recreated(run, pod, before.metadata?.uid);
        summaries.push(await run.waitFor(NAME, settledAt(2)));
      }
      return finish(client(), run, summaries);
    });
  });

  it('31: identity: names, hostname, subdomain, labels and bound claims survive deleting every pod', async () => {
    await parity('31', async (flavor) => {
      const run = await startRun(client(), flavor, 's31');
      const spec = setSpec(labels, image, {
        replicas: 3,
        serviceName: 'web-headless',
        volumeClaimTemplates: [claimTemplate('datadir')],
      });
      await run.create(NAME, spec);
      const summaries = [
        await run.waitFor(NAME, (s) => settledAt(3)(s) && s.claims.every((c) => c.endsWith(' Bound'))),
      ];
      const identities = async () =>
        (await run.pods.list({ namespace: run.namespace })).items
          .map((p) => ({
            name: p.metadata?.name,
            hostname: p.spec?.hostname,
            subdomain: p.spec?.subdomain,
            podName: p.metadata?.labels?.['statefulset.kubernetes.io/pod-name'],
            podIndex: p.metadata?.labels?.['apps.kubernetes.io/pod-index'],
            hasRevision: Boolean(p.metadata?.labels?.['controller-revision-hash']),
            // The service-account token volume has a generated name: only the claims compare.
            claims: p.spec?.volumes
              ?.filter((v) => v.persistentVolumeClaim)
              .map((v) => `${v.name}:${v.persistentVolumeClaim?.claimName ?? ''}`),
          }))
          .sort((a, b) => String(a.name).localeCompare(String(b.name)));
      const claimUids = async () =>
        (await client().resource(kinds.PersistentVolumeClaim).list({ namespace: run.namespace })).items
          .map((c) => `${c.metadata?.name ?? ''}=${c.metadata?.uid ?? ''}`)
          .sort();
      const claimLabels = (
        await client().resource(kinds.PersistentVolumeClaim).list({ namespace: run.namespace })
      ).items
        .map((c) => `${c.metadata?.name ?? ''}:${c.metadata?.labels?.['app'] ?? ''}`)
        .sort();
      const first = await identities();
      const uidsBefore = await claimUids();

      const podUids = new Map<string, string | undefined>();
      for (const pod of ['web-0', 'web-1', 'web-2']) {
        podUids.set(pod, (await run.pods.get({ namespace: run.namespace, name: pod })).metadata?.uid);
        await run.pods.delete({ namespace: run.namespace, name: pod });
      }
      for (const [pod, uid] of podUids) await recreated(run, pod, uid);
      summaries.push(await run.waitFor(NAME, settledAt(3)));
      const again = await identities();
      const sameClaims = JSON.stringify(await claimUids()) === JSON.stringify(uidsBefore);
      return finish(client(), run, summaries, {
        unordered: true,
        claimRaces: true,
        extra: {
          first,
          sameIdentities: JSON.stringify(again) === JSON.stringify(first),
          sameClaims,
          claimLabels,
        },
      });
    });
  });

  it('33: a rolling update replaces pods from the top, holds at the partition, and a rollback reuses the old revision', async () => {
    await parity('33', async (flavor) => {
      const run = await startRun(client(), flavor, 's33');
      const oneAtATime = atMostUnavailableDuringUpdate(1);
      const summaries = [await createSettled(run, setSpec(labels, image, { replicas: 3 }))];
      await withImage(run, 'registry.local/web:2');
      summaries.push(
        await run.waitFor(NAME, (s) => settledAt(3)(s) && s.currentRevision === s.updateRevision, oneAtATime),
      );

      await run.update(NAME, (spec) => ({
        ...spec,
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } },
      }));
      await withImage(run, 'registry.local/web:3');
      summaries.push(
        await run.waitFor(
          NAME,
          (s) => s.status['updatedReplicas'] === 1 && s.status['readyReplicas'] === 3,
          oneAtATime,
        ),
      );
      summaries.push(await run.holdFor(NAME, 2_000, oneAtATime));
      await run.update(NAME, (spec) => ({
        ...spec,
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      }));
      summaries.push(
        await run.waitFor(NAME, (s) => settledAt(3)(s) && s.currentRevision === s.updateRevision, oneAtATime),
      );

      // Back to the first template: its revision is reused (renumbered), no new one is made.
      await withImage(run, image);
      summaries.push(
        await run.waitFor(NAME, (s) => settledAt(3)(s) && s.currentRevision === s.updateRevision, oneAtATime),
      );
      return finish(client(), run, summaries);
    });
  });

  it('35: OnDelete changes nothing until pods are deleted, which come back at the update revision', async () => {
    await parity('35', async (flavor) => {
      const run = await startRun(client(), flavor, 's35');
      const summaries = [
        await createSettled(
          run,
          setSpec(labels, image, { replicas: 3, updateStrategy: { type: 'OnDelete' } }),
        ),
      ];
      await withImage(run, 'registry.local/web:2');
      await run.waitFor(NAME, (s) => s.updateRevision !== s.currentRevision);
      summaries.push(await run.holdFor(NAME, 3_000));
      for (const pod of ['web-0', 'web-1', 'web-2']) {
        const before = await run.pods.get({ namespace: run.namespace, name: pod });
        await run.pods.delete({ namespace: run.namespace, name: pod });
        await recreated(run, pod, before.metadata?.uid);
      }
      summaries.push(await run.waitFor(NAME, settledAt(3)));
      return finish(client(), run, summaries);
    });
  });

  it('36: minReadySeconds delays availability and the next ordinal; changing it re-evaluates', async () => {
    await parity('36', async (flavor) => {
      const run = await startRun(client(), flavor, 's36', { podInvariant: orderedReady });
      const minReadySeconds = 10;
      await run.create(NAME, setSpec(labels, image, { replicas: 2, minReadySeconds }));
      const summaries = [
        await run.waitFor(
          NAME,
          (s) => s.status['availableReplicas'] === 2 && s.pods.length === 2,
          undefined,
          90_000,
        ),
      ];
      // OrderedReady waits for availability: web-1 is created only once web-0 has been Ready that long.
      const pods = (await run.pods.list({ namespace: run.namespace })).items;
      const ready0 = pods
        .find((p) => p.metadata?.name === 'web-0')
        ?.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime;
      const created1 = pods.find((p) => p.metadata?.name === 'web-1')?.metadata?.creationTimestamp;
      const gapSeconds = (new Date(created1 ?? 0).getTime() - new Date(ready0 ?? 0).getTime()) / 1000;

      await run.update(NAME, (spec) => ({ ...spec, minReadySeconds: 3600 }));
      summaries.push(await run.waitFor(NAME, (s) => s.status['availableReplicas'] === 0));
      await run.update(NAME, (spec) => ({ ...spec, minReadySeconds: 0 }));
      summaries.push(await run.waitFor(NAME, (s) => s.status['availableReplicas'] === 2));
      // Timestamps have one-second resolution.
      return finish(client(), run, summaries, {
        extra: { waitedForAvailability: gapSeconds >= minReadySeconds - 1 },
      });
    });
  });

  it('37: claims follow the retention policy on scale-down and when the set is deleted', async () => {
    await parity('37', async (flavor) => {
      const run = await startRun(client(), flavor, 's37');
      const claimsApi = client().resource(kinds.PersistentVolumeClaim);
      const bound = (n: number, claims: number) => (s: Summary) =>
        settledAt(n)(s) && s.claims.length === claims && s.claims.every((c) => c.endsWith(' Bound'));
      /** Deletes the set and returns the claims the garbage collector leaves, with their owner count. */
      const collected: [number, number][] = [];
      const deleteSet = async (name: string, left: number) => {
        const from = await run.mark();
        await run.sets.delete({ namespace: run.namespace, name });
        const claims = await waitUntil(
          async () => {
            // Terminating claims too: the next set must not meet a claim being deleted.
            const live = (await claimsApi.list({ namespace: run.namespace })).items;
            const pods = (await run.pods.list({ namespace: run.namespace })).items;
            return pods.length === 0 && live.length === left ? live : undefined;
          },
          { what: `${flavor}: the garbage collector to remove ${name}'s pods and claims`, timeoutMs: 90_000 },
        );
        // The garbage collector deletes the pods in no defined order.
        collected.push([from, await run.mark()]);
        return claims
          .map((c) => `${c.metadata?.name ?? ''}:${c.metadata?.ownerReferences?.length ?? 0}`)
          .sort();
      };
      // Two sets one after the other, so neither passes the built-in recorder's burst of 25 events.
      const retention = (whenDeleted: 'Delete' | 'Retain', whenScaled: 'Delete' | 'Retain') =>
        setSpec(labels, image, {
          replicas: 3,
          volumeClaimTemplates: [claimTemplate('data')],
          persistentVolumeClaimRetentionPolicy: { whenDeleted, whenScaled },
        });

      // Delete/Delete: a removed replica's claim goes with its pod, the rest with the set.
      await run.create(NAME, retention('Delete', 'Delete'));
      const summaries = [await run.waitFor(NAME, bound(3, 3))];
      await scaleTo(run, 1);
      summaries.push(await run.waitFor(NAME, bound(1, 1)));
      const afterDelete = await deleteSet(NAME, 0);

      // whenScaled Retain: the removed replica's claim stays, still the set's, until the set goes.
      await run.create(NAME, retention('Delete', 'Retain'));
      summaries.push(await run.waitFor(NAME, bound(3, 3)));
      await scaleTo(run, 2);
      summaries.push(await run.waitFor(NAME, bound(2, 3)));
      const afterRetainScaled = await deleteSet(NAME, 0);

      // Retain/Retain: every claim outlives the set, with no owner.
      await run.create(NAME, { ...retention('Retain', 'Retain'), replicas: 2 });
      summaries.push(await run.waitFor(NAME, bound(2, 2)));
      await scaleTo(run, 1);
      summaries.push(await run.waitFor(NAME, bound(1, 2)));
      const afterRetain = await deleteSet(NAME, 2);
      return finish(client(), run, summaries, {
        unorderedSpans: collected,
        claimRaces: true,
        extra: { afterDelete, afterRetainScaled, afterRetain },
      });
    });
  });

  it('39: ordinals.start moves the ordinals, creating ascending and deleting descending', async () => {
    await parity('39', async (flavor) => {
      const run = await startRun(client(), flavor, 's39', { podInvariant: orderedReady });
      const summaries = [await createSettled(run, setSpec(labels, image, { replicas: 2 }))];
      const move = async (next: number | undefined, replicas: number) => {
        const start = next ?? 0;
        await run.update(NAME, (spec) => {
          const { ordinals: _dropped, ...rest } = spec;
          return { ...rest, replicas, ...(next === undefined ? {} : { ordinals: { start: next } }) };
        });
        summaries.push(
          await run.waitFor(
            NAME,
            (s) =>
              settledAt(replicas)(s) &&
              s.pods.every((p) => {
                const ordinal = Number(/-(\d+)@/.exec(p)?.[1]);
                return ordinal >= start && ordinal < start + replicas;
              }),
          ),
        );
      };
      await move(2, 3);
      await move(4, 2);
      await move(2, 2);
      await move(undefined, 2);
      return finish(client(), run, summaries);
    });
  });

  it('40: maxUnavailable (gate off in 1.34): Parallel updates one pod at a time from the top, above the partition', async () => {
    await parity('40', async (flavor) => {
      const run = await startRun(client(), flavor, 's40');
      const oneAtATime = atMostUnavailableDuringUpdate(1);
      const summaries = [
        await createSettled(
          run,
          setSpec(labels, image, {
            replicas: 5,
            podManagementPolicy: 'Parallel',
            updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2, partition: 1 } },
          }),
        ),
      ];
      const created = await run.mark();
      await withImage(run, 'registry.local/web:2');
      summaries.push(
        await run.waitFor(
          NAME,
          (s) => s.status['updatedReplicas'] === 4 && s.status['readyReplicas'] === 5,
          oneAtATime,
        ),
      );
      summaries.push(await run.holdFor(NAME, 2_000, oneAtATime));
      await run.update(NAME, (spec) => ({
        ...spec,
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2, partition: 0 } },
      }));
      summaries.push(
        await run.waitFor(NAME, (s) => settledAt(5)(s) && s.currentRevision === s.updateRevision, oneAtATime),
      );
      return finish(client(), run, summaries, { unorderedSpans: [[0, created]] });
    });
  });
});
