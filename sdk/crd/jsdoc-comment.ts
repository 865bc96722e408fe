import ts from 'typescript';
import type { SourceLocation } from './source-location.ts';

/** One `@tag text` line (plus its continuation lines) of a JSDoc comment. */
export interface JsDocTag {
  readonly name: string;
  readonly text: string;
  readonly location: SourceLocation;
}

/** A declaration's JSDoc, read from the source text so every tag keeps its own line number. */
export interface JsDocComment {
  readonly description: string;
  readonly tags: readonly JsDocTag[];
}

const EMPTY: JsDocComment = { description: '', tags: [] };

/** Unescapes `\'` and `\"`, which the client-node generator leaves in its comments. */
function cleanText(text: string): string {
  return text
    .replace(/\\(['"])/g, '$1')
    .replace(
      /\{@link(?:code|plain)?\s+([^}|\s]+)(?:[\s|]+([^}]*))?\}/g,
      (_, target: string, label?: string) => (label ? label.trim() : target),
    );
}

/** Reads the JSDoc blocks attached to `node`; description lines come before the first tag. */
export function readJsDoc(node: ts.Node): JsDocComment {
  const blocks = ts.getJSDocCommentsAndTags(node).filter((doc): doc is ts.JSDoc => ts.isJSDoc(doc));
  if (blocks.length === 0) return EMPTY;
  const sourceFile = node.getSourceFile();
  const descriptions: string[] = [];
  const tags: { name: string; lines: string[]; location: SourceLocation }[] = [];
  for (const block of blocks) {
    const start = block.getStart(sourceFile);
    const firstLine = sourceFile.getLineAndCharacterOfPosition(start).line;
    const body = sourceFile.text
      .slice(start, block.end)
      .replace(/^\/\*\*/, '')
      .replace(/\*\/$/, '');
    const lines = body.split('\n').map((line) => line.replace(/^\s*\*? ?/, '').trimEnd());
    let inTags = false;
    let inFence = false;
    const blockDescription: string[] = [];
    lines.forEach((line, index) => {
      if (line.trimStart().startsWith('```')) inFence = !inFence;
      const tag = inFence ? null : /^@([A-Za-z][\w.-]*)(?:\s+(.*))?$/.exec(line.trim());
      if (tag) {
        inTags = true;
        tags.push({
          name: tag[1] ?? '',
          lines: tag[2] ? [tag[2]] : [],
          location: { file: sourceFile.fileName, line: firstLine + index + 1 },
        });
      } else if (inTags) {
        tags.at(-1)?.lines.push(line.trim());
      } else {
        blockDescription.push(line);
      }
    });
    const text = blockDescription.join('\n').trim();
    if (text) descriptions.push(text);
  }
  return {
    description: cleanText(descriptions.join('\n\n')),
    tags: tags.map((tag) => ({
      name: tag.name,
      text: tag.lines.filter(Boolean).join(' ').trim(),
      location: tag.location,
    })),
  };
}
