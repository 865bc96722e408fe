// Every relative link in the guide (docs/*.md) and the README points to a file or folder that
// exists. Links to web pages (scheme:) and to anchors in the same page (#...) are not checked; an
// anchor after a path is dropped before the path is checked. Code blocks and code spans are skipped.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const docs = join(repoRoot, 'docs');

/** The Markdown files checked: README.md and docs/*.md (docs/api/ is generated HTML). */
const pages = [
  join(repoRoot, 'README.md'),
  ...readdirSync(docs)
    .filter((name) => name.endsWith('.md'))
    .map((name) => join(docs, name)),
];

/** The link targets of a Markdown text, each with its line number. */
function linkTargets(markdown: string): { line: number; target: string }[] {
  const targets: { line: number; target: string }[] = [];
  let fence: string | undefined;
  markdown.split('\n').forEach((text, index) => {
    const opening = /^\s*(`{3,}|~{3,})/.exec(text)?.[1];
    if (opening && (fence === undefined || opening.startsWith(fence))) {
      fence = fence === undefined ? opening : undefined;
      return;
    }
    if (fence !== undefined) return;
    const prose = text.replace(/(`+)[^`]*?\1/g, '');
    // Inline links and images: [text](target "title") or ![alt](<target>).
    for (const match of prose.matchAll(/\]\(\s*(?:<([^>]*)>|([^)\s]+))(?:\s+"[^"]*")?\s*\)/g))
      targets.push({ line: index + 1, target: match[1] ?? match[2] ?? '' });
    // Reference definitions: [label]: target
    const definition = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/.exec(prose);
    if (definition?.[1]) targets.push({ line: index + 1, target: definition[1] });
  });
  return targets;
}

const isRelative = (target: string) => !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('#');

describe('relative links in README.md and docs/*.md', () => {
  it('finds the guide', () => {
    assert.ok(pages.length > 1, 'docs/ has no Markdown files');
  });

  for (const page of pages) {
    const name = relative(repoRoot, page);
    it(`${name}: every relative link points to an existing file`, () => {
      const broken = linkTargets(readFileSync(page, 'utf8'))
        .filter(({ target }) => isRelative(target))
        .filter(({ target }) => {
          const path = decodeURIComponent(target.replace(/[#?].*$/, ''));
          return !existsSync(resolve(dirname(page), path));
        })
        .map(({ line, target }) => `${name}:${line}: ${target}`);
      assert.deepEqual(broken, [], `links to missing files:\n${broken.join('\n')}`);
    });
  }

  it('the link reader sees inline links, reference definitions, and skips code', () => {
    const markdown = [
      'See [the guide](docs/README.md#start) and ![diagram](<img/a b.png> "A").',
      '[ref]: ../sdk/index.ts',
      'Not a link: `[x](nowhere.md)`.',
      '```md',
      '[inside](a-fence.md)',
      '```',
      '[after](after.md)',
    ].join('\n');
    assert.deepEqual(
      linkTargets(markdown).map(({ line, target }) => `${line}:${target}`),
      ['1:docs/README.md#start', '1:img/a b.png', '2:../sdk/index.ts', '7:after.md'],
    );
  });
});
