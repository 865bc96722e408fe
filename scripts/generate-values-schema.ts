// Writes charts/typerator-operators/values.schema.json from the TypeScript type in
// charts/typerator-operators/values.ts (scripts/values-schema.ts: sdk/crd's schema walker, then the
// JSON Schema Helm validates values with). `--check` writes nothing and exits 1 when the file is
// stale, for CI (`npm run lint` runs it).
// Usage: node scripts/generate-values-schema.ts [--check]
//   npm run chart:schema / npm run chart:schema:check
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OPERATORS_CHART, renderValuesSchema } from './values-schema.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const unknown = process.argv.slice(2).filter((arg) => arg !== '--check');
if (unknown.length > 0) {
  console.error(`unknown argument ${unknown.join(' ')}; usage: generate-values-schema.ts [--check]`);
  process.exit(2);
}

const file = join(root, OPERATORS_CHART.chartDir, 'values.schema.json');
const shown = relative(process.cwd(), file);
const source = join(OPERATORS_CHART.chartDir, OPERATORS_CHART.typeFile);
let text: string;
try {
  text = await renderValuesSchema(OPERATORS_CHART, root);
} catch (error) {
  console.error(
    `${source} (${OPERATORS_CHART.typeName}): ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
}
let current: string | undefined;
try {
  current = readFileSync(file, 'utf8');
} catch {
  current = undefined;
}
if (check) {
  if (current === text) {
    console.error(`${shown} is up to date with ${source}`);
  } else {
    console.error(
      `${shown} is ${current === undefined ? 'missing' : 'stale'}: it does not match ${source} (${OPERATORS_CHART.typeName}). Run \`npm run chart:schema\`.`,
    );
    process.exit(1);
  }
} else if (current === text) {
  console.error(`${shown} is up to date`);
} else {
  writeFileSync(file, text);
  console.error(`wrote ${shown} from ${source} (${OPERATORS_CHART.typeName})`);
}
