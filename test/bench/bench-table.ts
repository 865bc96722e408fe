/** One benchmark's result: a titled table, printed by `npm run bench`. */
export interface BenchTable {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number)[])[];
  /** Lines printed under the table, e.g. ratios against the peer measured in the same run. */
  readonly notes?: readonly string[];
}

/** What a `test/bench/*.bench.ts` file default-exports. */
export interface Benchmark {
  readonly name: string;
  run(): Promise<BenchTable | readonly BenchTable[]>;
}

const cell = (value: string | number) =>
  typeof value === 'number' ? (Number.isInteger(value) ? String(value) : value.toFixed(2)) : value;

/** Renders a table as aligned Markdown. */
export function renderTable(table: BenchTable): string {
  const grid = [table.columns.map(cell), ...table.rows.map((row) => row.map(cell))];
  const widths = table.columns.map((_, i) => Math.max(...grid.map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]) => `| ${row.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const [header = [], ...body] = grid;
  return [
    `### ${table.title}`,
    '',
    line(header),
    `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`,
    ...body.map(line),
    ...(table.notes?.length ? ['', ...table.notes] : []),
    '',
  ].join('\n');
}
