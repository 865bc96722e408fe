// CRD generation time: Typerator's generator (schema walk + markers + structural check + YAML)
// against raw ts-json-schema-generator (JSON Schema with $refs, no CRD rewriting) on the same
// input, for the fixture types and for a synthetic project of 100 resource types.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGenerator } from 'ts-json-schema-generator';
import { generateCrds, renderCrdYaml } from '../../sdk/crd/index.ts';
import type { Benchmark, BenchTable } from './bench-table.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const RUNS = 3;
const SYNTHETIC_TYPES = 100;

interface Scenario {
  readonly name: string;
  readonly root: string;
  readonly glob: string;
  readonly tsconfig: string;
}

interface Sample {
  readonly ms: number;
  readonly output: string;
}

/** One resource kind of the synthetic project, with nested objects, arrays, maps and markers. */
function syntheticResource(index: number): string {
  const kind = `Synthetic${index}`;
  return `import type { Int32, IntOrString } from './common.ts';

/** Item ${index}. */
export interface ${kind}Item {
  /** Item name. @minLength 1 */
  name: string;
  /** @minimum 0 */
  weight?: Int32;
  labels?: Record<string, string>;
}

/** Desired state of ${kind}. */
export interface ${kind}Spec {
  /**
   * Replicas.
   * @minimum 0
   * @default 1
   */
  replicas?: Int32;
  /** Mode. */
  mode: 'a' | 'b' | 'c';
  /** @pattern ^[a-z]+$ */
  name: string;
  surge?: IntOrString;
  /**
   * @listType map
   * @listMapKeys name
   */
  items?: ${kind}Item[];
  tags?: string[];
  settings?: Record<string, unknown>;
  /** @immutable */
  zone?: string;
  nested?: { depth?: { value?: number; flag?: boolean } };
}

/**
 * ${kind} is generated for the benchmark.
 * @group bench${index % 10}.typerator.dev
 * @version v1
 * @printerColumn name=Mode type=string jsonPath=.spec.mode
 * @subresource status
 */
export interface ${kind} {
  apiVersion: string;
  kind: string;
  spec: ${kind}Spec;
  status?: { ready?: boolean; observedGeneration?: Int64 };
}

type Int64 = number;
`;
}

function writeSyntheticProject(): string {
  const folder = mkdtempSync(join(tmpdir(), 'typerator-crd-bench-'));
  writeFileSync(
    join(folder, 'common.ts'),
    'export type Int32 = number;\nexport type IntOrString = number | string;\n',
  );
  for (let i = 0; i < SYNTHETIC_TYPES; i++)
    writeFileSync(join(folder, `synthetic-${i}.ts`), syntheticResource(i));
  writeFileSync(
    join(folder, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'es2023',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        strict: true,
        allowImportingTsExtensions: true,
        noEmit: true,
        skipLibCheck: true,
        types: [],
      },
    }),
  );
  // The peer reads compiler options from a tsconfig; match ours (no ambient @types) for fairness.
  writeFileSync(
    join(folder, 'fixtures.tsconfig.json'),
    JSON.stringify({ extends: join(repoRoot, 'tsconfig.json'), compilerOptions: { types: [] } }),
  );
  return folder;
}

function ours(scenario: Scenario, yaml: boolean): Sample {
  const start = performance.now();
  const crds = generateCrds({ root: scenario.root, entries: [scenario.glob] });
  const output = yaml
    ? crds.map((c) => renderCrdYaml(c.crd)).join('')
    : JSON.stringify(crds.map((c) => c.crd));
  return { ms: performance.now() - start, output };
}

function peer(scenario: Scenario): Sample {
  const start = performance.now();
  const generator = createGenerator({
    path: join(scenario.root, scenario.glob),
    tsconfig: scenario.tsconfig,
    type: '*',
    expose: 'export',
    skipTypeCheck: true,
    jsDoc: 'extended',
  });
  const output = JSON.stringify(generator.createSchema('*'));
  return { ms: performance.now() - start, output };
}

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

const benchmark: Benchmark = {
  name: 'CRD generation',
  run(): Promise<BenchTable> {
    const synthetic = writeSyntheticProject();
    try {
      const scenarios: Scenario[] = [
        {
          name: 'fixtures (4 kinds, 6 versions, client-node pod templates)',
          root: repoRoot,
          glob: 'test/fixtures/crd/*.ts',
          tsconfig: join(synthetic, 'fixtures.tsconfig.json'),
        },
        {
          name: `synthetic (${SYNTHETIC_TYPES} kinds)`,
          root: synthetic,
          glob: '*.ts',
          tsconfig: join(synthetic, 'tsconfig.json'),
        },
      ];
      const rows: (string | number)[][] = [];
      const notes: string[] = [];
      for (const scenario of scenarios) {
        const oursRuns: Sample[] = [];
        const schemaRuns: Sample[] = [];
        const peerRuns: Sample[] = [];
        // Alternate so neither side gets the warmer JIT or file cache.
        for (let run = 0; run < RUNS; run++) {
          oursRuns.push(ours(scenario, true));
          schemaRuns.push(ours(scenario, false));
          peerRuns.push(peer(scenario));
        }
        const row = (name: string, samples: readonly Sample[], unit: string) => [
          scenario.name,
          name,
          median(samples.map((s) => s.ms)),
          Math.min(...samples.map((s) => s.ms)),
          `${Math.round((samples[0]?.output.length ?? 0) / 1024)} KiB ${unit}`,
        ];
        rows.push(row('typerator generateCrds + YAML', oursRuns, 'YAML'));
        rows.push(row('typerator generateCrds only', schemaRuns, 'JSON'));
        rows.push(row('ts-json-schema-generator (raw, peer)', peerRuns, 'JSON'));
        const ratio = median(oursRuns.map((s) => s.ms)) / median(peerRuns.map((s) => s.ms));
        notes.push(
          `${scenario.name}: typerator / ts-json-schema-generator = ${ratio.toFixed(2)}x (median of ${RUNS})`,
        );
      }
      notes.push(
        'The peer emits plain JSON Schema ($ref/definitions, no markers, no structural rewriting, no check); ' +
          'both sides include creating the TypeScript program. Typerator inlines shared types, so its output is larger.',
      );
      return Promise.resolve({
        title: 'CRD generation from TypeScript types',
        columns: ['input', 'generator', 'median ms', 'min ms', 'output'],
        rows,
        notes,
      });
    } finally {
      rmSync(synthetic, { recursive: true, force: true });
    }
  },
};

export default benchmark;
