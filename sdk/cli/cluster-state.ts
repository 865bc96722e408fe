import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writableCacheRoot } from '../testing/cache-folder.ts';
import { isProcessAlive } from '../testing/process-alive.ts';

/** What `typerator cluster up` records about a running local cluster. */
export interface ClusterRecord {
  readonly name: string;
  readonly tier: string;
  readonly nodes: number;
  readonly pid: number;
  readonly kubeconfig: string;
  readonly server: string;
}

/**
 * The folder that holds one named local cluster's state, certificates, data and logs, under the
 * cache root (TYPERATOR_CACHE...); a CacheFolderError if that is not a writable folder.
 */
export function clusterFolder(name: string): string {
  return join(writableCacheRoot(), 'clusters', name);
}

export const recordFile = (folder: string) => join(folder, 'cluster.json');
export const supervisorLog = (folder: string) => join(folder, 'supervisor.log');

/** The record of a cluster whose supervisor is still alive, if any. */
export function runningCluster(name: string): ClusterRecord | undefined {
  const file = recordFile(clusterFolder(name));
  if (!existsSync(file)) return undefined;
  const record = JSON.parse(readFileSync(file, 'utf8')) as ClusterRecord;
  return isProcessAlive(record.pid) ? record : undefined;
}
