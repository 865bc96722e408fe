// The API reference (`npm run docs:api`) builds from the TSDoc comments without a warning: TypeDoc
// runs with typedoc.json, which treats warnings as errors, and emits nothing. A {@link} to a name
// that does not resolve, or an exported API that mentions a type the entry points do not export,
// fails here with TypeDoc's message.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runProcess } from '../../support/run-process.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const typedoc = join(repoRoot, 'node_modules', 'typedoc', 'bin', 'typedoc');
const config = join(repoRoot, 'typedoc.json');

/** Runs TypeDoc with an options file (default the repository's), writing nothing. */
async function runTypedoc(options = config): Promise<{ code: number | null; output: string }> {
  const result = await runProcess(
    process.execPath,
    [typedoc, '--options', options, '--emit', 'none'],
    // No colour codes in the messages a failure prints.
    { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' }, timeoutMs: 120_000 },
  );
  return { code: result.code, output: `${result.stdout}${result.stderr}` };
}

describe('API reference (TypeDoc)', () => {
  it('builds from sdk/ with no warnings', async () => {
    const { code, output } = await runTypedoc();
    assert.equal(code, 0, `typedoc --emit none failed:\n${output}`);
  });

  it('fails on a {@link} that does not resolve (the check above is not toothless)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'typerator-typedoc-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(
      join(dir, 'broken.ts'),
      '/** Does nothing; see {@link NoSuchHelper}. */\nexport function broken(): void {}\n',
    );
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, module: 'nodenext', target: 'es2023', noEmit: true, types: [] },
        files: ['broken.ts'],
      }),
    );
    // TypeDoc reads `tsconfig` from the options file before the command line, so the fixture gets
    // an options file of its own, extending the repository's.
    writeFileSync(
      join(dir, 'typedoc.json'),
      JSON.stringify({
        extends: [config],
        tsconfig: './tsconfig.json',
        entryPoints: ['./broken.ts'],
        intentionallyNotExported: [],
      }),
    );
    const { code, output } = await runTypedoc(join(dir, 'typedoc.json'));
    assert.notEqual(code, 0, output);
    assert.match(output, /NoSuchHelper/);
  });
});
