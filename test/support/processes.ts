import { execFileSync } from 'node:child_process';

/** The live processes whose command line mentions `text` (e.g. a cluster's state folder), as `pid args`. */
export function processesMentioning(text: string): string[] {
  const table = execFileSync('ps', ['-eo', 'pid,args', '--no-headers'], { encoding: 'utf8' });
  return table.split('\n').filter((line) => line.includes(text) && !line.includes('ps -eo'));
}
