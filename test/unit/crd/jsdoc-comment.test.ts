// JSDoc reading: descriptions, tags with their own line numbers, continuation lines, code fences.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { readJsDoc } from '../../../sdk/crd/jsdoc-comment.ts';

function docOfFirstStatement(source: string) {
  const file = ts.createSourceFile('/api/example.ts', source, ts.ScriptTarget.ES2023, true);
  const [statement] = file.statements;
  assert.ok(statement);
  return readJsDoc(statement);
}

describe('readJsDoc', () => {
  it('splits the description from the tags and keeps each tag line', () => {
    const doc = docOfFirstStatement(
      [
        '// header',
        '/**',
        ' * First line.',
        ' *',
        ' * Second paragraph with an @inline mention.',
        ' * @minimum 1',
        ' * @validation rule="self.a <= self.b"',
        ' *   message="a must not exceed b"',
        ' */',
        'export interface Example { a: number }',
      ].join('\n'),
    );
    assert.equal(doc.description, 'First line.\n\nSecond paragraph with an @inline mention.');
    assert.deepEqual(
      doc.tags.map((tag) => [tag.name, tag.text, tag.location.line]),
      [
        ['minimum', '1', 6],
        ['validation', 'rule="self.a <= self.b" message="a must not exceed b"', 7],
      ],
    );
  });

  it('treats @ lines inside code fences as description, and unescapes client-node quotes', () => {
    const doc = docOfFirstStatement(
      [
        '/**',
        " * Say \\'hi\\'. See {@link Other the other type}.",
        ' * ```',
        ' * @notATag',
        ' * ```',
        ' */',
        'type A = string;',
      ].join('\n'),
    );
    assert.equal(doc.description, "Say 'hi'. See the other type.\n```\n@notATag\n```");
    assert.deepEqual(doc.tags, []);
  });

  it('reads a one-line comment and no comment at all', () => {
    assert.deepEqual(
      docOfFirstStatement('/** @integer */\ntype N = number;').tags.map((t) => [
        t.name,
        t.text,
        t.location.line,
      ]),
      [['integer', '', 1]],
    );
    assert.deepEqual(docOfFirstStatement('type N = number;'), { description: '', tags: [] });
  });
});
