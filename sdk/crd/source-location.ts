import { relative } from 'node:path';

/** Where something was declared: a file and a 1-based line. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
}

/** `path/to/file.ts:12`, relative to the working folder when the file lies under it. */
export function formatLocation(location: SourceLocation): string {
  const shown = relative(process.cwd(), location.file);
  const file = shown.startsWith('..') || shown === '' ? location.file : shown;
  return `${file}:${location.line}`;
}
