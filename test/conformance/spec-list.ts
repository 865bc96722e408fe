// The list of specs that do not judge the controllers here (excluded-specs.yaml), and how a spec's
// report is matched against it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { SpecListError } from './errors.ts';

export const SPEC_LIST_FILE = fileURLToPath(new URL('./excluded-specs.yaml', import.meta.url));

/** A spec by its own text (without bracketed tags) and why it is listed. */
export interface ListedSpec {
  readonly spec: string;
  readonly reason: string;
}

export interface SpecList {
  /** Never run: they need a kubelet or running containers. */
  readonly excluded: readonly ListedSpec[];
  /** Run, and expected to skip themselves (they need a cloud provider). */
  readonly skipsItself: readonly ListedSpec[];
}

function entries(file: string, value: unknown, key: string): ListedSpec[] {
  if (!Array.isArray(value)) throw new SpecListError(file, `${key} must be a list`);
  return value.map((item: unknown, index) => {
    const entry = (item ?? {}) as Record<string, unknown>;
    const spec = entry['spec'];
    const reason = entry['reason'];
    if (typeof spec !== 'string' || spec === '' || typeof reason !== 'string' || reason === '')
      throw new SpecListError(file, `${key}[${index}] needs a spec and a reason`);
    return { spec, reason };
  });
}

export function loadSpecList(file = SPEC_LIST_FILE): SpecList {
  let document: unknown;
  try {
    document = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new SpecListError(file, error instanceof Error ? error.message : String(error));
  }
  const root = (document ?? {}) as Record<string, unknown>;
  return {
    excluded: entries(file, root['excluded'], 'excluded'),
    skipsItself: entries(file, root['skipsItself'] ?? [], 'skipsItself'),
  };
}

/** A spec's own text without the bracketed tags the e2e framework appends (`[Conformance]`, ...). */
export function withoutTags(text: string): string {
  return text.replace(/(\s*\[[^\]]*\])+\s*$/, '').trim();
}

/** The entry of `list` for a spec's own text, if any. */
export function listedEntry(list: readonly ListedSpec[], leafText: string): ListedSpec | undefined {
  const own = withoutTags(leafText);
  return list.find((entry) => entry.spec === own);
}
