import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  PluginCommandError,
  findPluginCommands,
  loadPluginCommand,
} from '../../../sdk/cli/plugin-commands.ts';

const root = mkdtempSync(join(tmpdir(), 'typerator-plugins-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A project directory with this package.json (and files), plus a nested src/ to search from. */
function project(name: string, manifest: string, files: Record<string, string> = {}): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), manifest);
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

// Stands in for a commander Command (a temp directory cannot resolve the repo's packages).
const commandModule = (name: string) =>
  `export const command = () => ({ name: () => '${name}', description: () => 'from a plugin' });\n`;

describe('plugin commands from package.json', () => {
  it('finds the nearest package.json above the working directory and resolves module paths', () => {
    const dir = project('ok', JSON.stringify({ typerator: { commands: { hello: './hello.ts' } } }));
    assert.deepEqual(findPluginCommands(join(dir, 'src')), [
      { name: 'hello', module: join(dir, 'hello.ts'), declaredIn: join(dir, 'package.json') },
    ]);
  });

  it('has no commands when package.json declares none', () => {
    assert.deepEqual(findPluginCommands(project('none', '{"name":"x"}')), []);
  });

  it('names the file and field of a malformed declaration', () => {
    const notJson = project('broken', '{ "typerator": ');
    assert.throws(
      () => findPluginCommands(notJson),
      (e: Error) => {
        assert.ok(e instanceof PluginCommandError);
        assert.match(e.message, /broken\/package\.json: not valid JSON/);
        return true;
      },
    );
    const list = project('list', JSON.stringify({ typerator: { commands: ['./a.ts'] } }));
    assert.throws(
      () => findPluginCommands(list),
      /list\/package\.json: typerator\.commands must be an object/,
    );
    const number = project('number', JSON.stringify({ typerator: { commands: { go: 3 } } }));
    assert.throws(
      () => findPluginCommands(number),
      /number\/package\.json: typerator\.commands\.go must be a module path/,
    );
  });

  it('loads a module that exports `command`, and explains one that does not', async () => {
    const dir = project(
      'load',
      JSON.stringify({
        typerator: {
          commands: { hello: './hello.ts', bare: './bare.ts', missing: './missing.ts', other: './hello.ts' },
        },
      }),
      { 'hello.ts': commandModule('hello'), 'bare.ts': 'export const nothing = 1;\n' },
    );
    const [hello, bare, missing, other] = findPluginCommands(dir);
    assert.ok(hello && bare && missing && other);
    const exit = () => undefined;
    assert.equal((await loadPluginCommand(hello, exit)).description(), 'from a plugin');
    await assert.rejects(
      loadPluginCommand(bare, exit),
      /commands\.bare: .*bare\.ts does not export a function named "command"/,
    );
    await assert.rejects(loadPluginCommand(missing, exit), /commands\.missing: .*missing\.ts does not exist/);
    await assert.rejects(
      loadPluginCommand(other, exit),
      /commands\.other: the module's command is named "hello"/,
    );
  });
});
