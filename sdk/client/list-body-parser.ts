const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const SPACE = 0x20;
const TAB = 0x09;
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;
/** Bytes of a string read in JS before the rest is searched natively (a native call costs ~20 ns). */
const SHORT_STRING = 32;

/** A list body that is not the JSON object the apiserver sends. */
export class ListBodyError extends Error {
  override readonly name = 'ListBodyError';
}

/**
 * Parses a JSON list response (`{..., "items": [{...}, ...]}`) while it arrives: each element of
 * the top-level `items` array is parsed on its own as soon as its last byte is in, so a large list
 * never becomes one string (a 50k-object LIST is ~48 MB) and parsing overlaps the transfer. The
 * rest of the body (kind, metadata) is parsed at the end with `items` left out.
 *
 * Only structure is tracked (nesting, strings, escapes); JSON.parse still validates every part.
 * Most bytes are inside strings, so a long string is skipped with a native search for its next
 * quote, which is escaped when an odd run of backslashes precedes it. Structural characters are
 * ASCII and never occur inside a UTF-8 sequence, so chunks may split characters anywhere.
 */
export class ListBodyParser {
  readonly items: unknown[] = [];
  private depth = 0;
  private inString = false;
  /** In a string, the last chunk ended with an unpaired backslash: the next byte is escaped. */
  private escaped = false;
  /** Inside the top-level `items` array. */
  private inItems = false;
  /** Parts of an element that began in an earlier chunk and is not complete yet. */
  private element: Buffer[] | undefined;
  /** The last string seen at depth 1: the key, when a `[` follows. */
  private lastString = '';
  /** Parts of a depth-1 string that began in an earlier chunk and is not complete yet. */
  private stringParts: Buffer[] | undefined;
  /** The body without the items array's contents. */
  private readonly rest: Buffer[] = [];

  push(chunk: Buffer): void {
    const end = chunk.length;
    if (end === 0) return;
    let depth = this.depth;
    let inItems = this.inItems;
    let restFrom = inItems ? -1 : 0;
    let elementFrom = this.element ? 0 : -1;
    let i = 0;
    if (this.inString) {
      const close = this.stringEnd(chunk, 0);
      if (close < 0) {
        this.element?.push(chunk);
        this.stringParts?.push(chunk);
        if (restFrom >= 0) this.rest.push(chunk);
        return;
      }
      this.inString = false;
      if (this.stringParts) {
        this.stringParts.push(chunk.subarray(0, close));
        this.lastString = Buffer.concat(this.stringParts).toString('utf8');
        this.stringParts = undefined;
      }
      i = close + 1;
    }
    for (; i < end; i++) {
      const byte = chunk[i];
      if (byte === QUOTE) {
        if (inItems && depth === 2) throw new ListBodyError('an element of items is not an object');
        const close = this.stringEnd(chunk, i + 1);
        if (close < 0) {
          this.inString = true;
          if (depth === 1) this.stringParts = [chunk.subarray(i + 1)];
          break;
        }
        if (depth === 1) this.lastString = chunk.toString('utf8', i + 1, close);
        i = close;
      } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
        if (inItems && depth === 2) {
          if (byte !== OPEN_BRACE) throw new ListBodyError('an element of items is not an object');
          elementFrom = i;
        } else if (depth === 1 && byte === OPEN_BRACKET && this.lastString === 'items') {
          inItems = true;
          this.rest.push(chunk.subarray(restFrom, i + 1));
          restFrom = -1;
        } else if (depth === 0 && byte !== OPEN_BRACE)
          throw new ListBodyError('the body is not a JSON object');
        depth++;
      } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        depth--;
        if (elementFrom >= 0 && depth === 2) {
          let text: string;
          if (this.element) {
            this.element.push(chunk.subarray(0, i + 1));
            text = Buffer.concat(this.element).toString('utf8');
            this.element = undefined;
          } else text = chunk.toString('utf8', elementFrom, i + 1);
          elementFrom = -1;
          this.items.push(parsePart(text, 'an element of items'));
        } else if (inItems && depth === 1) {
          inItems = false;
          restFrom = i;
        }
      } else if (inItems && depth === 2 && !isSeparator(byte))
        throw new ListBodyError('an element of items is not an object');
    }
    this.depth = depth;
    this.inItems = inItems;
    if (restFrom >= 0) this.rest.push(chunk.subarray(restFrom));
    if (elementFrom >= 0) {
      const tail = chunk.subarray(elementFrom);
      if (this.element) this.element.push(tail);
      else this.element = [tail];
    }
  }

  /** The whole body as JSON.parse would give it. */
  finish(): Record<string, unknown> {
    if (this.depth !== 0 || this.inString || this.element)
      throw new ListBodyError('the body ended before the JSON object did');
    const rest = parsePart(Buffer.concat(this.rest).toString('utf8'), 'the body');
    if (typeof rest !== 'object' || rest === null || Array.isArray(rest))
      throw new ListBodyError('the body is not a JSON object');
    const body = rest as Record<string, unknown>;
    if (Array.isArray(body['items'])) body['items'] = this.items;
    return body;
  }

  /**
   * The index of the quote that ends the string going on at `from`, or -1 when the string goes on
   * past the chunk (`escaped` then says whether the chunk ended with an unpaired backslash).
   */
  private stringEnd(chunk: Buffer, from: number): number {
    const end = chunk.length;
    let at = from;
    if (this.escaped) {
      this.escaped = false;
      at++;
    }
    const short = Math.min(at + SHORT_STRING, end);
    while (at < short) {
      const byte = chunk[at];
      if (byte === QUOTE) return at;
      at += byte === BACKSLASH ? 2 : 1;
    }
    if (at >= end) {
      this.escaped = at > end;
      return -1;
    }
    // No byte from `at` on is escaped by one before it, so backslash runs are counted from there.
    const start = at;
    for (let quote = chunk.indexOf(QUOTE, at); quote >= 0; quote = chunk.indexOf(QUOTE, quote + 1)) {
      let run = quote;
      while (run > start && chunk[run - 1] === BACKSLASH) run--;
      if ((quote - run) % 2 === 0) return quote;
    }
    let run = end;
    while (run > start && chunk[run - 1] === BACKSLASH) run--;
    this.escaped = (end - run) % 2 === 1;
    return -1;
  }
}

function isSeparator(byte: number | undefined): boolean {
  return byte === COMMA || byte === SPACE || byte === TAB || byte === LINE_FEED || byte === CARRIAGE_RETURN;
}

function parsePart(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ListBodyError(`${what} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}
