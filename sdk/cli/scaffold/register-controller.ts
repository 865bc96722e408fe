import type { KindNames } from './kind-names.ts';
import { controllerCall, controllerImport } from './operator-module.ts';
import { CONTROLLERS_MARKER, IMPORTS_MARKER } from './project-layout.ts';

/**
 * operator.ts with a kind's controller imported and set up, each line added just above its marker
 * comment (kept for the next kind). Undefined when either marker is gone, since guessing where the
 * lines belong in code the user rewrote could break it: the caller then prints the lines instead.
 */
export function registerController(source: string, names: KindNames): string | undefined {
  const lines = source.split('\n');
  const importAt = lines.findIndex((line) => line.trim() === IMPORTS_MARKER);
  const callAt = lines.findIndex((line) => line.trim() === CONTROLLERS_MARKER);
  if (importAt < 0 || callAt < 0) return undefined;
  const indent = /^\s*/.exec(lines[callAt] ?? '')?.[0] ?? '';
  const insertions = [
    { at: importAt, line: controllerImport(names) },
    { at: callAt, line: `${indent}${controllerCall(names)}` },
  ];
  // From the bottom up, so the earlier index still points at its marker.
  for (const { at, line } of insertions.sort((a, b) => b.at - a.at)) lines.splice(at, 0, line);
  return lines.join('\n');
}
