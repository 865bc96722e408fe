import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GeneratedCrd } from './assemble-crd.ts';
import { renderCrdYaml } from './crd-yaml.ts';

/** Default output folder for generated CRDs, relative to the project root. */
export const DEFAULT_OUT_DIR = 'crds';

/** What {@link writeCrdFiles} did, file names relative to the output folder. */
export interface WriteCrdFilesResult {
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
}

/**
 * Writes one `<plural>.<group>.yaml` per CRD into `outDir`, creating it when needed. Files whose
 * content is already right are left untouched (mtime included).
 */
export function writeCrdFiles(crds: readonly GeneratedCrd[], outDir: string): WriteCrdFilesResult {
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  const unchanged: string[] = [];
  for (const { crd, fileName } of crds) {
    const path = join(outDir, fileName);
    const content = renderCrdYaml(crd);
    if (existsSync(path) && readFileSync(path, 'utf8') === content) {
      unchanged.push(fileName);
      continue;
    }
    writeFileSync(path, content);
    written.push(fileName);
  }
  return { written, unchanged };
}

/** How the CRD files on disk differ from what the types generate. */
export interface CrdFilesCheck {
  /** Files that exist but whose content differs. */
  readonly stale: readonly string[];
  /** Files that should exist but do not. */
  readonly missing: readonly string[];
  /** `*.yaml` files in the folder that no type generates. */
  readonly extra: readonly string[];
  readonly upToDate: boolean;
}

/** Compares `outDir` with the generated CRDs without writing anything. */
export function checkCrdFiles(crds: readonly GeneratedCrd[], outDir: string): CrdFilesCheck {
  const stale: string[] = [];
  const missing: string[] = [];
  const expected = new Set<string>();
  for (const { crd, fileName } of crds) {
    expected.add(fileName);
    const path = join(outDir, fileName);
    if (!existsSync(path)) missing.push(fileName);
    else if (readFileSync(path, 'utf8') !== renderCrdYaml(crd)) stale.push(fileName);
  }
  const present = existsSync(outDir) ? readdirSync(outDir).filter((f) => /\.ya?ml$/.test(f)) : [];
  const extra = present.filter((file) => !expected.has(file)).sort();
  return { stale, missing, extra, upToDate: stale.length + missing.length + extra.length === 0 };
}
