/** Longest line the generated TypeScript keeps on one line. */
export const MAX_LINE = 110;

/** An import statement: on one line when it fits in MAX_LINE characters, else one name per line. */
export function importStatement(names: readonly string[], from: string): string {
  const oneLine = `import { ${names.join(', ')} } from '${from}';`;
  return oneLine.length <= MAX_LINE
    ? oneLine
    : `import {\n${names.map((name) => `  ${name},\n`).join('')}} from '${from}';`;
}
