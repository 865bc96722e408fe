/** `key=value` arguments of a marker, with an optional leading positional word. */
export interface MarkerArguments {
  readonly positional: readonly string[];
  readonly named: ReadonlyMap<string, string>;
}

/** Why a marker's arguments could not be read. */
export class MarkerSyntaxError extends Error {
  override readonly name = 'MarkerSyntaxError';
}

function readQuoted(text: string, start: number): { value: string; end: number } {
  const quote = text[start];
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const char = text[i];
    if (char === '\\' && i + 1 < text.length) {
      const next = text[++i] ?? '';
      value += next === 'n' ? '\n' : next;
    } else if (char === quote) {
      return { value, end: i + 1 };
    } else {
      value += char ?? '';
    }
  }
  throw new MarkerSyntaxError(`unterminated ${quote === '"' ? 'double' : 'single'}-quoted string`);
}

/**
 * Splits `scale specReplicasPath=.spec.replicas message="a b"` into positional words and named
 * values. Values are bare words or strings in single or double quotes, with backslash escapes.
 */
export function parseMarkerArguments(text: string): MarkerArguments {
  const positional: string[] = [];
  const named = new Map<string, string>();
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i] ?? '')) {
      i++;
      continue;
    }
    const key = /^([A-Za-z][\w-]*)=/.exec(text.slice(i));
    if (key) {
      const name = key[1] ?? '';
      if (named.has(name)) throw new MarkerSyntaxError(`"${name}" is given twice`);
      i += key[0].length;
      const first = text[i];
      if (first === '"' || first === "'") {
        const quoted = readQuoted(text, i);
        named.set(name, quoted.value);
        i = quoted.end;
      } else {
        const bare = /^\S*/.exec(text.slice(i))?.[0] ?? '';
        if (bare === '') throw new MarkerSyntaxError(`"${name}=" has no value`);
        named.set(name, bare);
        i += bare.length;
      }
      if (i < text.length && !/\s/.test(text[i] ?? ''))
        throw new MarkerSyntaxError(`expected a space after the value of "${name}"`);
    } else {
      if (named.size > 0)
        throw new MarkerSyntaxError(
          `positional word "${text.slice(i).split(/\s/)[0] ?? ''}" after key=value`,
        );
      const word = /^\S+/.exec(text.slice(i))?.[0] ?? '';
      if (word.startsWith('"') || word.startsWith("'"))
        throw new MarkerSyntaxError('a quoted value needs a key, e.g. message="..."');
      positional.push(word);
      i += word.length;
    }
  }
  return { positional, named };
}
