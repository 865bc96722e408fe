// What the peers benchmarks read about a process from /proc (Linux only): its CPU time and memory.
// Each side is a process of its own, so the harness reads both the same way.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticks: number | undefined;

/** The kernel's clock ticks per second, the unit of the CPU times in /proc/<pid>/stat. */
export function clockTicksPerSecond(): number {
  ticks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  return ticks;
}

/** User and system CPU seconds of a live process (or `self`), from /proc/<pid>/stat. */
export function cpuSecondsOf(pid: number | 'self'): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces: state is field 3,
  // utime field 14 and stime field 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const perSecond = clockTicksPerSecond();
  return { user: Number(fields[11]) / perSecond, system: Number(fields[12]) / perSecond };
}

/** User + system CPU seconds of a live process. */
export function totalCpuSecondsOf(pid: number | 'self'): number {
  const { user, system } = cpuSecondsOf(pid);
  return user + system;
}

/** A process's resident memory in KiB, from /proc/<pid>/status. */
export interface MemoryKiB {
  /** Resident now (VmRSS). */
  readonly rssKiB: number;
  /** Resident at its peak (VmHWM). */
  readonly hwmKiB: number;
  /** The anonymous part of rssKiB: heaps, stacks, what the process itself allocated. */
  readonly anonKiB: number;
  /**
   * The file-backed part: pages of the executable and libraries it touched. Shared with other
   * processes running the same binary and reclaimable, which is why it is reported apart: a Node
   * process touches ~37 MiB of its 108 MiB binary before running any code.
   */
  readonly fileKiB: number;
}

/** The resident memory of a live process (or `self`) now, at its peak, and its two parts. */
export function memoryKiBOf(pid: number | 'self'): MemoryKiB {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1] ?? NaN);
  return {
    rssKiB: field('VmRSS'),
    hwmKiB: field('VmHWM'),
    anonKiB: field('RssAnon'),
    fileKiB: field('RssFile') + field('RssShmem'),
  };
}
