// generateTypeSchema: the CRD walker for a type that is not a resource (a chart's values).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  CrdGenerationError,
  generateTypeSchema,
  InvalidOptionError,
  MarkerError,
} from '../../../sdk/crd/index.ts';

describe('generateTypeSchema', () => {
  const dir = mkdtempSync(join(tmpdir(), 'typerator-type-schema-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('reads an interface with descriptions and field markers, no resource fields added', () => {
    const file = write(
      'values.ts',
      [
        '/** Settings. */',
        'export interface Values {',
        '  /**',
        '   * Pods.',
        '   * @integer',
        '   * @minimum 0',
        '   */',
        '  replicas: number;',
        "  mode?: 'a' | 'b';",
        '  labels: Record<string, string>;',
        '}',
      ].join('\n'),
    );
    assert.deepEqual(generateTypeSchema({ file, typeName: 'Values' }), {
      type: 'object',
      description: 'Settings.',
      properties: {
        replicas: { type: 'integer', description: 'Pods.', minimum: 0 },
        mode: { type: 'string', enum: ['a', 'b'] },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
      },
      required: ['replicas', 'labels'],
    });
  });

  it('reports marker problems with file:line and the property path', () => {
    const file = write('bad.ts', 'export interface Values {\n  /** @minimum 1 */\n  name: string;\n}\n');
    assert.throws(
      () => generateTypeSchema({ file, typeName: 'Values' }),
      (error: unknown) => {
        assert.ok(error instanceof CrdGenerationError);
        const [first] = error.errors;
        assert.ok(first instanceof MarkerError);
        assert.equal(first.path, 'name');
        assert.deepEqual(first.location, { file, line: 2 });
        return true;
      },
    );
  });

  it('names the option when the file does not declare the type', () => {
    const file = write('empty.ts', 'export interface Other {\n  a: string;\n}\n');
    assert.throws(
      () => generateTypeSchema({ file, typeName: 'Values' }),
      (error: unknown) => error instanceof InvalidOptionError && error.option === 'typeName',
    );
  });
});
