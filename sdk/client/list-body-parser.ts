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
 * Structural characters are ASCII and never occur inside a UTF-8 sequence, so chunks may split
 * characters anywhere.
 */
export class ListBodyParser {
  readonly items: unknown[] = [];
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Inside the top-level `items` array. */
  private inItems = false;
  /** Parts of the element being read (it may span chunks), undefined between elements. */
  private element: Buffer[] | undefined;
  /** The last string seen at depth 1: the key, when a `[` follows. */
  private lastString = '';
  private stringParts: Buffer[] | undefined;
  /** The body without the items array's contents. */
  private readonly rest: Buffer[] = [];

  push(chunk: Buffer): void {
    let restFrom = this.inItems ? -1 : 0;
    let elementFrom = this.element ? 0 : -1;
    let stringFrom = this.stringParts ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (byte === BACKSLASH) this.escaped = true;
        else if (byte === QUOTE) {
          this.inString = false;
          if (this.stringParts) {
            this.stringParts.push(chunk.subarray(stringFrom, i));
            this.lastString = Buffer.concat(this.stringParts).toString('utf8');
            this.stringParts = undefined;
            stringFrom = -1;
          }
        }
        continue;
      }
      switch (byte) {
        case QUOTE:
          this.inString = true;
          if (this.depth === 1) {
            this.stringParts = [];
            stringFrom = i + 1;
          }
          break;
        case OPEN_BRACE:
        case OPEN_BRACKET:
          if (this.inItems && this.depth === 2) {
            if (byte !== OPEN_BRACE) throw new ListBodyError('an element of items is not an object');
            this.element = [];
            elementFrom = i;
          } else if (this.depth === 1 && byte === OPEN_BRACKET && this.lastString === 'items') {
            this.inItems = true;
            this.rest.push(chunk.subarray(restFrom, i + 1));
            restFrom = -1;
          } else if (this.depth === 0 && byte !== OPEN_BRACE)
            throw new ListBodyError('the body is not a JSON object');
          this.depth++;
          break;
        case CLOSE_BRACE:
        case CLOSE_BRACKET:
          this.depth--;
          if (this.element && this.depth === 2) {
            this.element.push(chunk.subarray(elementFrom, i + 1));
            this.items.push(parsePart(Buffer.concat(this.element), 'an element of items'));
            this.element = undefined;
            elementFrom = -1;
          } else if (this.inItems && this.depth === 1) {
            this.inItems = false;
            restFrom = i;
          }
          break;
        default:
          if (this.inItems && this.depth === 2 && !this.element && !isSeparator(byte))
            throw new ListBodyError('an element of items is not an object');
      }
    }
    if (restFrom >= 0) this.rest.push(chunk.subarray(restFrom));
    if (this.element && elementFrom >= 0) this.element.push(chunk.subarray(elementFrom));
    if (this.stringParts && stringFrom >= 0) this.stringParts.push(chunk.subarray(stringFrom));
  }

  /** The whole body as JSON.parse would give it. */
  finish(): Record<string, unknown> {
    if (this.depth !== 0 || this.inString || this.element)
      throw new ListBodyError('the body ended before the JSON object did');
    const rest = parsePart(Buffer.concat(this.rest), 'the body');
    if (typeof rest !== 'object' || rest === null || Array.isArray(rest))
      throw new ListBodyError('the body is not a JSON object');
    const body = rest as Record<string, unknown>;
    if (Array.isArray(body['items'])) body['items'] = this.items;
    return body;
  }
}

function isSeparator(byte: number | undefined): boolean {
  return byte === COMMA || byte === SPACE || byte === TAB || byte === LINE_FEED || byte === CARRIAGE_RETURN;
}

function parsePart(bytes: Buffer, what: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch (error) {
    throw new ListBodyError(`${what} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}
