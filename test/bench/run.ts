// `npm run bench [-- <name filter>]`: runs every test/bench/*.bench.ts one after another and prints
// each result as a table. Benchmarks measure; they never assert timings.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderTable, type Benchmark } from './bench-table.ts';

const folder = fileURLToPath(new URL('.', import.meta.url));
const filter = process.argv[2];
const files = readdirSync(folder)
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => !filter || file.includes(filter))
  .sort();

if (files.length === 0) {
  console.error(`no benchmark matches "${filter ?? ''}" in ${folder}`);
  process.exit(1);
}
for (const file of files) {
  const { default: benchmark } = (await import(new URL(file, import.meta.url).href)) as {
    default: Benchmark;
  };
  console.error(`running ${benchmark.name} (${file})...`);
  const result = await benchmark.run();
  for (const table of Array.isArray(result) ? result : [result])
    console.log(renderTable(table as Parameters<typeof renderTable>[0]));
}
