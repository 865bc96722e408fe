// A watchdog started beside every control plane. If the process that started the control plane dies
// without calling stop() (a crashed or killed test run), it ends the components and removes the
// control plane's folder, so no etcd or apiserver outlives its owner.
//
//   node orphan-reaper.ts <owner pid> <pid file> <folder> <remove folder: 1|0>
import { readFileSync, rmSync, existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { isProcessAlive as isAlive } from './process-alive.ts';

const [ownerArg, pidFile, folder, removeArg] = process.argv.slice(2);
const ownerPid = Number(ownerArg);
if (!Number.isInteger(ownerPid) || !pidFile || !folder) {
  console.error('usage: orphan-reaper <owner pid> <pid file> <folder> <1|0>');
  process.exit(2);
}

const componentPids = (): number[] => {
  try {
    return readFileSync(pidFile, 'utf8').split(/\s+/).filter(Boolean).map(Number).filter(Number.isInteger);
  } catch {
    return [];
  }
};

for (;;) {
  await sleep(1_000);
  // stop() removes the pid file once it has ended everything itself: nothing left to guard.
  if (!existsSync(pidFile)) process.exit(0);
  if (isAlive(ownerPid)) continue;
  const pids = componentPids();
  for (const pid of pids) if (isAlive(pid)) process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline && pids.some(isAlive)) await sleep(200);
  for (const pid of pids) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  if (removeArg === '1') rmSync(folder, { recursive: true, force: true });
  process.exit(0);
}
