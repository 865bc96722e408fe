import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';

/** A manifest file cannot be read as Kubernetes objects; the message names the file and line. */
export class ManifestFileError extends Error {
  override readonly name = 'ManifestFileError';
}

/** One object from a manifest file, with where it came from for messages. */
export interface ManifestObject {
  readonly source: string;
  readonly object: KubernetesObject;
}

function yamlFilesIn(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(path, name));
}

/**
 * The objects in YAML files and folders of them (not recursive, in name order), every document of
 * a multi-document file. Empty documents are skipped; a document without apiVersion, kind or
 * metadata.name is refused with its file and line.
 */
export function readManifests(paths: readonly string[], cwd = process.cwd()): ManifestObject[] {
  const objects: ManifestObject[] = [];
  for (const file of paths.flatMap(yamlFilesIn)) {
    const shown = relative(cwd, file) || file;
    const text = readFileSync(file, 'utf8');
    for (const document of parseAllDocuments(text)) {
      // The line of the object's first key, not of the `---` before it.
      const start = document.contents?.range[0] ?? document.range[0];
      const line = text.slice(0, start).split('\n').length;
      const error = document.errors[0];
      if (error)
        throw new ManifestFileError(
          `${shown}:${error.linePos?.[0].line ?? line}: not valid YAML: ${error.message}`,
        );
      const value: unknown = document.toJS();
      if (value === null || value === undefined) continue;
      const object = value as Partial<KubernetesObject>;
      const missing = ['apiVersion', 'kind'].filter((field) => typeof object[field as 'kind'] !== 'string');
      if (typeof object.metadata?.name !== 'string') missing.push('metadata.name');
      if (missing.length > 0)
        throw new ManifestFileError(`${shown}:${line}: a Kubernetes object needs ${missing.join(', ')}`);
      objects.push({ source: `${shown}:${line}`, object });
    }
  }
  return objects;
}
