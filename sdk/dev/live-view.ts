import { stripVTControlCharacters } from 'node:util';
import type { CoreV1Event } from '@kubernetes/client-node';
import type { ObjectProgress } from './object-progress.ts';

/** One watched object as the view shows it. */
export interface WatchedRow {
  /** `Deployment.apps.typerator.dev/default/web`-style label. */
  readonly label: string;
  /** Undefined while the object does not exist (yet). */
  readonly progress: ObjectProgress | undefined;
}

/** What the view draws at one moment. */
export interface ViewState {
  readonly rows: readonly WatchedRow[];
  /** Newest last. */
  readonly events: readonly CoreV1Event[];
}

const BAR_WIDTH = 12;

function bar(done: number, total: number): string {
  const fraction = total === 0 ? 1 : Math.min(1, done / total);
  const filled = Math.round(fraction * BAR_WIDTH);
  return `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)} ${String(Math.round(fraction * 100)).padStart(3)}%`;
}

function statusWord(progress: ObjectProgress | undefined, colour: boolean): string {
  const [word, code] =
    progress === undefined ? ['missing', 31] : progress.ready ? ['ready', 32] : ['progressing', 33];
  return colour ? `\u001b[${code}m${word.padEnd(11)}\u001b[0m` : word.padEnd(11);
}

/** `3/3 ready, 3 up to date, 3 available`, or nothing for objects without replicas. */
function replicaText(progress: ObjectProgress): string {
  const r = progress.replicas;
  if (!r) return '';
  const parts = [`${r.ready}/${r.desired} ready`];
  if (r.updated !== undefined) parts.push(`${r.updated} up to date`);
  if (r.available !== undefined) parts.push(`${r.available} available`);
  return parts.join(', ');
}

/** One line per object: state, progress bar, replica counts, conditions or what it waits for. */
export function rowLine(row: WatchedRow, colour = false, labelWidth = 0): string {
  const { progress } = row;
  const head = `${statusWord(progress, colour)} ${row.label.padEnd(labelWidth)}`;
  if (!progress) return head.trimEnd();
  const r = progress.replicas;
  const counts = r
    ? `  ${bar(Math.min(r.ready, r.updated ?? r.ready), r.desired)}  ${replicaText(progress)}`
    : '';
  const tail = progress.ready
    ? progress.conditions.length > 0
      ? `  ${progress.conditions.join(' ')}`
      : ''
    : `  waiting for ${progress.waitingFor}`;
  return `${head}${counts}${tail}`;
}

function eventTime(event: CoreV1Event): string {
  const when =
    event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp ?? event.metadata.creationTimestamp;
  return when ? new Date(when).toISOString().slice(11, 19) : '--:--:--';
}

/** `12:01:02 Normal  Deployment/web ScalingReplicaSet: Scaled up replica set web-5d9 to 3 (x2)`. */
export function eventLine(event: CoreV1Event): string {
  const about = `${event.involvedObject.kind ?? ''}/${event.involvedObject.name ?? ''}`;
  const count = (event.count ?? 1) > 1 ? ` (x${event.count})` : '';
  return `${eventTime(event)} ${(event.type ?? 'Normal').padEnd(7)} ${about} ${event.reason ?? ''}: ${event.message ?? ''}${count}`;
}

function clip(line: string, width: number): string {
  // Count what shows, not the colour escapes.
  const visible = stripVTControlCharacters(line);
  if (visible.length <= width) return line;
  return `${visible.slice(0, Math.max(0, width - 1))}…`;
}

/** The whole screen for a terminal: header, one line per object, the recent events. */
export function renderScreen(
  header: readonly string[],
  state: ViewState,
  width: number,
  eventLines = 10,
): string {
  const labelWidth = Math.max(0, ...state.rows.map((row) => row.label.length));
  const lines = [
    ...header,
    '',
    ...state.rows.map((row) => rowLine(row, true, labelWidth)),
    '',
    'Recent events:',
    ...(state.events.length === 0
      ? ['  (none yet)']
      : state.events.slice(-eventLines).map((e) => `  ${eventLine(e)}`)),
  ];
  return lines.map((line) => clip(line, width)).join('\n');
}
