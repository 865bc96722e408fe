import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Generated files by path relative to the project folder. */
export type ProjectFiles = Record<string, string>;

/** Writes the files under `root`, creating folders; returns their paths in the order written. */
export function writeProjectFiles(root: string, files: ProjectFiles): string[] {
  for (const [path, text] of Object.entries(files)) {
    const file = join(root, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text, { flag: 'wx' }); // never replace a file someone wrote
  }
  return Object.keys(files);
}
