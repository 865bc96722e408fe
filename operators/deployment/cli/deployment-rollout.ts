import { setTimeout as sleep } from 'node:timers/promises';
import { KubeConfig, type V1ObjectMeta, type V1PodTemplateSpec } from '@kubernetes/client-node';
import { Command, InvalidArgumentError, Option } from 'commander';
import { pino } from 'pino';
import { Client } from '../../../sdk/client/client.ts';
import { isNotFound } from '../../../sdk/client/errors.ts';
import { resourceKind, type ResourceKind } from '../../../sdk/client/resource-kind.ts';
import { controllerOf } from '../../../sdk/controller/owner-references.ts';
// The rollout rules (revisions, the hash label, the annotations a rollback keeps) are the ones the
// operator's controller applies; sharing them keeps `undo` and the controller in agreement about
// which ReplicaSet runs which template.
import { REVISION_ANNOTATION } from '../logic/annotations.ts';
import { templatesEqualIgnoringHash, withoutHashLabel } from '../logic/hash.ts';
import { annotationsForRollback, parseInt64 } from '../logic/revisions.ts';

/** The apps/v1-shaped Deployment fields the rollout commands read. */
export interface RolloutDeployment {
  apiVersion?: string;
  kind?: string;
  metadata?: V1ObjectMeta;
  spec: { replicas?: number; paused?: boolean; template: V1PodTemplateSpec };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    conditions?: { type: string; status: string; reason?: string }[];
  };
}

/** The ReplicaSet fields `undo` reads. */
export interface RolloutReplicaSet {
  apiVersion?: string;
  kind?: string;
  metadata?: V1ObjectMeta;
  spec: { template?: V1PodTemplateSpec };
}

/** A rollout command cannot do what was asked; the message is printed as `error: …`. */
export class RolloutError extends Error {
  override readonly name = 'RolloutError';
}

/** The Deployment kind a rollout command acts on, with its ReplicaSets. */
export interface RolloutKinds {
  /** How objects are named in output, e.g. `deployment.apps.typerator.dev`. */
  readonly display: string;
  readonly deployment: ResourceKind<RolloutDeployment>;
  readonly replicaSet: ResourceKind<RolloutReplicaSet>;
}

function kindsIn(group: string): RolloutKinds {
  const apiVersion = `${group}/v1`;
  return {
    display: `deployment.${group}`,
    deployment: resourceKind<RolloutDeployment>(apiVersion, 'Deployment', 'deployments'),
    replicaSet: resourceKind<RolloutReplicaSet>(apiVersion, 'ReplicaSet', 'replicasets'),
  };
}

/**
 * `--kind`: our Deployment (`deployment`, `deployments`, `deployment.apps.typerator.dev`) or the
 * built-in one (`deployment.apps`), which has the same shape.
 */
export function rolloutKinds(kind: string): RolloutKinds {
  const lower = kind.toLowerCase();
  if (['deployment', 'deployments', 'tdeploy', 'deployment.apps.typerator.dev'].includes(lower))
    return kindsIn('apps.typerator.dev');
  if (['deployment.apps', 'deployments.apps'].includes(lower)) return kindsIn('apps');
  throw new InvalidArgumentError(
    `unsupported kind ${JSON.stringify(kind)}: use deployment (apps.typerator.dev) or deployment.apps`,
  );
}

/**
 * A duration as kubectl writes one (`90s`, `5m`, `1h30m`, `250ms`; a bare number is seconds), in
 * milliseconds; 0 means no limit.
 */
export function parseDuration(text: string): number {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text)
    throw new InvalidArgumentError(`invalid duration ${JSON.stringify(text)} (write e.g. 30s, 5m or 1h)`);
  return parts.reduce((total, p) => total + Number(p[1]) * (units[p[2] ?? ''] ?? 0), 0);
}

function nonNegativeRevision(text: string): bigint {
  const value = parseInt64(text);
  if (value === undefined)
    throw new InvalidArgumentError(`expected a revision number, got ${JSON.stringify(text)}`);
  return value;
}

/** Where a rollout stands, as `kubectl rollout status` reports it. */
export interface RolloutStatus {
  readonly message: string;
  readonly done: boolean;
}

/**
 * kubectl's reading of a Deployment's rollout: wait until the controller has seen the latest spec,
 * then until every replica is updated, old replicas are gone and the updated ones are available.
 * Throws RolloutError when the progress deadline was exceeded or `revision` is not the running one.
 */
export function rolloutStatus(deployment: RolloutDeployment, revision?: bigint): RolloutStatus {
  const name = deployment.metadata?.name ?? '';
  if (revision !== undefined && revision > 0n) {
    const running = parseInt64(deployment.metadata?.annotations?.[REVISION_ANNOTATION] ?? '0') ?? 0n;
    if (running !== revision)
      throw new RolloutError(
        `desired revision (${revision.toString()}) is different from the running revision (${running.toString()})`,
      );
  }
  const status = deployment.status ?? {};
  if ((deployment.metadata?.generation ?? 0) > (status.observedGeneration ?? 0))
    return { message: 'Waiting for deployment spec update to be observed...', done: false };
  const progressing = status.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded')
    throw new RolloutError(`deployment ${JSON.stringify(name)} exceeded its progress deadline`);
  const replicas = deployment.spec.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const current = status.replicas ?? 0;
  const available = status.availableReplicas ?? 0;
  const waiting = `Waiting for deployment ${JSON.stringify(name)} rollout to finish:`;
  if (updated < replicas)
    return {
      message: `${waiting} ${updated} out of ${replicas} new replicas have been updated...`,
      done: false,
    };
  if (current > updated)
    return {
      message: `${waiting} ${current - updated} old replicas are pending termination...`,
      done: false,
    };
  if (available < updated)
    return {
      message: `${waiting} ${available} of ${updated} updated replicas are available...`,
      done: false,
    };
  return { message: `deployment ${JSON.stringify(name)} successfully rolled out`, done: true };
}

/**
 * The ReplicaSet of `toRevision` among the Deployment's own ReplicaSets, as kubectl picks it: the
 * exact revision, or for 0 the second-highest one. Malformed revisions are skipped.
 */
export function replicaSetForRevision(
  deploymentName: string,
  owned: readonly RolloutReplicaSet[],
  toRevision: bigint,
): { replicaSet: RolloutReplicaSet; revision: bigint } {
  const notFound = () =>
    new RolloutError(`unable to find specified revision ${toRevision.toString()} in history`);
  if (toRevision < 0n) throw notFound();
  let latest: { replicaSet: RolloutReplicaSet; revision: bigint } | undefined;
  let previous: { replicaSet: RolloutReplicaSet; revision: bigint } | undefined;
  for (const replicaSet of owned) {
    const revision = revisionOf(replicaSet);
    if (revision === undefined) continue;
    if (toRevision > 0n) {
      if (revision === toRevision) return { replicaSet, revision };
      continue;
    }
    if (latest === undefined || latest.revision < revision) {
      previous = latest;
      latest = { replicaSet, revision };
    } else if (previous === undefined || previous.revision < revision) {
      previous = { replicaSet, revision };
    }
  }
  if (toRevision > 0n) throw notFound();
  if (previous === undefined)
    throw new RolloutError(`no rollout history found for deployment ${JSON.stringify(deploymentName)}`);
  return previous;
}

/** A ReplicaSet's revision: 0 without the annotation, undefined when it is malformed (kubectl skips those). */
function revisionOf(replicaSet: RolloutReplicaSet): bigint | undefined {
  const text = replicaSet.metadata?.annotations?.[REVISION_ANNOTATION];
  return text === undefined ? 0n : parseInt64(text);
}

/** What `rollout undo` does to a Deployment: nothing (already there) or a JSON patch. */
export type UndoPlan =
  | { readonly kind: 'skip'; readonly revision: bigint }
  | { readonly kind: 'patch'; readonly revision: bigint; readonly patch: readonly object[] };

/**
 * kubectl's rollback: refuse a paused Deployment; skip when the template already matches; otherwise
 * put the ReplicaSet's template (without its pod-template-hash label) back, with its annotations
 * (the Deployment's own revision, last-applied, ... kept).
 */
export function planUndo(
  deployment: RolloutDeployment,
  owned: readonly RolloutReplicaSet[],
  toRevision: bigint,
): UndoPlan {
  const { replicaSet, revision } = replicaSetForRevision(deployment.metadata?.name ?? '', owned, toRevision);
  if (deployment.spec.paused)
    throw new RolloutError(
      "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
    );
  if (templatesEqualIgnoringHash(replicaSet.spec.template, deployment.spec.template))
    return { kind: 'skip', revision };
  const template = withoutHashLabel(replicaSet.spec.template ?? {});
  const annotations = annotationsForRollback(
    deployment.metadata?.annotations,
    replicaSet.metadata?.annotations,
  );
  return {
    kind: 'patch',
    revision,
    patch: [
      { op: 'replace', path: '/spec/template', value: template },
      // `add` also creates the map when the Deployment has none.
      { op: 'add', path: '/metadata/annotations', value: annotations },
    ],
  };
}

interface ConnectionOptions {
  readonly kubeconfig?: string;
  readonly namespace?: string;
  readonly kind: string;
}

async function connect(options: ConnectionOptions): Promise<{ client: Client; namespace: string }> {
  const kubeConfig = new KubeConfig();
  if (options.kubeconfig) kubeConfig.loadFromFile(options.kubeconfig);
  else kubeConfig.loadFromDefault();
  const contextNamespace = kubeConfig.getContextObject(kubeConfig.getCurrentContext())?.namespace;
  const client = await Client.fromKubeConfig(kubeConfig, { logger: pino({ level: 'silent' }) });
  return { client, namespace: options.namespace ?? contextNamespace ?? 'default' };
}

async function getDeployment(client: Client, kinds: RolloutKinds, namespace: string, name: string) {
  try {
    return await client.resource(kinds.deployment).get({ namespace, name });
  } catch (error) {
    if (isNotFound(error))
      throw new RolloutError(
        `${kinds.display} ${JSON.stringify(name)} not found in namespace ${JSON.stringify(namespace)}`,
      );
    throw error;
  }
}

interface StatusOptions extends ConnectionOptions {
  readonly timeout: number;
  readonly watch: boolean;
  readonly revision?: bigint;
  readonly interval: number;
}

async function waitForRollout(
  name: string,
  options: StatusOptions,
  print: (line: string) => void,
): Promise<void> {
  const kinds = rolloutKinds(options.kind);
  const { client, namespace } = await connect(options);
  try {
    const deadline = options.timeout > 0 ? Date.now() + options.timeout : Number.POSITIVE_INFINITY;
    let last: string | undefined;
    for (;;) {
      const status = rolloutStatus(await getDeployment(client, kinds, namespace, name), options.revision);
      // kubectl prints on every watch event; repeating an unchanged line adds nothing.
      if (status.message !== last) print(status.message);
      last = status.message;
      if (status.done || !options.watch) return;
      const remaining = deadline - Date.now();
      if (remaining <= 0)
        throw new RolloutError(
          `timed out waiting for deployment ${JSON.stringify(name)} rollout to finish (--timeout ${String(options.timeout / 1000)}s)`,
        );
      await sleep(Math.min(options.interval, remaining));
    }
  } finally {
    client.close();
  }
}

interface UndoOptions extends ConnectionOptions {
  readonly toRevision: bigint;
}

async function undo(name: string, options: UndoOptions): Promise<string> {
  const kinds = rolloutKinds(options.kind);
  const { client, namespace } = await connect(options);
  try {
    const deployment = await getDeployment(client, kinds, namespace, name);
    const uid = deployment.metadata?.uid;
    const all = await client.resource(kinds.replicaSet).list({ namespace });
    const owned = all.items.filter((rs) => uid !== undefined && controllerOf(rs)?.uid === uid);
    const plan = planUndo(deployment, owned, options.toRevision);
    if (plan.kind === 'skip')
      return `${kinds.display}/${name} skipped rollback (current template already matches revision ${plan.revision.toString()})`;
    await client.resource(kinds.deployment).patch({ namespace, name }, plan.patch, { type: 'json' });
    return `${kinds.display}/${name} rolled back`;
  } finally {
    client.close();
  }
}

/** Runs an action; a RolloutError (or any failure) becomes `error: …` on stderr and exit code 1. */
function reporting(setExitCode: (code: number) => void, action: () => Promise<void>): Promise<void> {
  return action().then(
    () => {
      setExitCode(0);
    },
    (error: unknown) => {
      process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
      setExitCode(1);
    },
  );
}

/**
 * `typerator rollout status|undo`, kubectl's rollout commands for the operator's Deployment; added to
 * the `typerator` CLI through package.json's `typerator.commands`.
 */
export function command(setExitCode: (code: number) => void): Command {
  const rollout = new Command('rollout')
    .description("manage a Deployment's rollout (apps.typerator.dev by default)")
    .option('--kubeconfig <file>', 'kubeconfig file (default: KUBECONFIG, ~/.kube/config or in-cluster)');
  const common = (command: Command) =>
    command
      .option('-n, --namespace <namespace>', "namespace (default: the context's, else default)")
      .option('--kind <kind>', 'deployment (apps.typerator.dev) or deployment.apps', 'deployment');

  common(rollout.command('status'))
    .description('wait until a rollout finishes')
    .argument('<name>', 'Deployment name')
    .addOption(
      new Option('--timeout <duration>', 'give up after this long, e.g. 5m')
        .argParser(parseDuration)
        .default(0, '0, wait forever'),
    )
    .option('--revision <n>', 'fail unless this revision is the running one', nonNegativeRevision)
    .option('--no-watch', 'print the current status once and exit')
    .addOption(
      new Option('--interval <duration>', 'how often to check')
        .argParser(parseDuration)
        .default(500, '500ms'),
    )
    .action((name: string, _options: unknown, command: Command) =>
      reporting(setExitCode, () =>
        waitForRollout(name, command.optsWithGlobals<StatusOptions>(), (line) => {
          process.stdout.write(`${line}\n`);
        }),
      ),
    );

  common(rollout.command('undo'))
    .description('roll back to the previous revision, or to --to-revision')
    .argument('<name>', 'Deployment name')
    .option(
      '--to-revision <n>',
      'the revision to roll back to (0: the previous one)',
      nonNegativeRevision,
      0n,
    )
    .action((name: string, _options: unknown, command: Command) =>
      reporting(setExitCode, async () => {
        process.stdout.write(`${await undo(name, command.optsWithGlobals<UndoOptions>())}\n`);
      }),
    );
  return rollout;
}
