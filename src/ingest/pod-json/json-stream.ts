/**
 * JSON read as a stream of list items, for files too big to hold as one tree: a 500 MB
 * `kubectl get pods -A -o json` is a `List` whose `items` are a few KiB each. This splits the
 * text, line by line, into the items of each top-level value's `items` array (or of a top-level
 * array, as troubleshoot's `cluster-resources/pods/<ns>.json`), and the rest of the value (its
 * envelope: `apiVersion`, `kind`, `metadata`). Each piece is parsed with `json-reader.ts` at its
 * own file line, so every node keeps its line, and is then dropped: memory holds one item.
 *
 * The splitter only tracks strings, escapes and bracket depth; syntax errors are found by the
 * reader on the piece that holds them (a truncated file ends in a truncated item). A key that
 * arrives before `items` (`"kind": "PodList"`, as the API server orders it) gives the items'
 * kind hint; kubectl prints `kind` after `items`, and its items carry their own `kind`.
 * (A streaming tokenizer library was measured first: @streamparser/json 0.0.26 reads about
 * 8 MB/s here, a minute for a 500 MB list; this loop plus the reader does about 100 MB/s.)
 *
 * Sample input (pieces: lines 1–3 + 9–13 are the envelope, 4–8 one item):
 * ```text
 * {
 *     "apiVersion": "v1",
 *     "items": [
 *         {
 *             "apiVersion": "v1",
 *             "kind": "Pod",
 *             "metadata": {"name": "api-0", "namespace": "shop"}
 *         }
 *     ],
 *     "kind": "List",
 *     "metadata": {"resourceVersion": ""}
 * }
 * ```
 */
import type { Line } from "../types.js";
import { readJson, type JsonReadResult } from "./json-reader.js";
import type { Node } from "./tree.js";

/** One parsed piece: a list item, or a top-level value (with its `items` left out). */
export interface JsonPiece {
  /** What the reader made of the piece (values and the first error, lines in the file). */
  read: JsonReadResult;
  /** `item`: an element of `items` or of a top-level array; `value`: a top-level value. */
  role: "item" | "value";
  /** For items: the `kind` of the enclosing value when it came before `items` (`PodList`), else null. */
  listKind: string | null;
}

/** Largest envelope kept (characters outside the items); past it the envelope is read as cut. */
const MAX_ENVELOPE_CHARS = 8 * 1024 * 1024;

/** Largest single item kept (characters); a bigger item is read up to here (and warned as cut). */
const MAX_ITEM_CHARS = 16 * 1024 * 1024;

const LBRACE = 123;
const RBRACE = 125;
const LBRACKET = 91;
const RBRACKET = 93;
const QUOTE = 34;
const BACKSLASH = 92;
const COLON = 58;
const COMMA = 44;

/** A text being collected with the file line it starts at. */
interface Piece {
  parts: string[];
  chars: number;
  line: number;
  cut: boolean;
  /** Envelopes: the lines from `[` to `]` of its items, which its text leaves out. */
  gap?: { from: number; to: number };
}

/**
 * Splits the JSON text of `lines` (each without its newline) into items and envelopes and
 * parses each one. Yields pieces in file order, items before the envelope that holds them.
 */
export async function* streamJson(lines: AsyncIterable<Line[]>): AsyncGenerator<JsonPiece> {
  const splitter = new Splitter();
  for await (const batch of lines) {
    for (const { text, line } of batch) splitter.feed(text, line);
    if (splitter.out.length > 0) yield* splitter.out.splice(0);
  }
  splitter.end();
  yield* splitter.out;
}

class Splitter {
  /** Parsed pieces not yet handed out. */
  readonly out: JsonPiece[] = [];
  private depth = 0;
  /** A string left open at the end of a line (not JSON, but text can be anything). */
  private inString = false;
  private escaped = false;
  /** The string last closed at depth 1 outside items (a key, or the value of `"kind"`), and the key in force there. */
  private lastString: string | null = null;
  private key: string | null = null;
  private topIsArray = false;
  private listKind: string | null = null;
  /** Depth at which items live (2 inside `"items": [`, 1 in a top-level array), 0 outside a list. */
  private itemDepth = 0;
  private item: Piece | null = null;
  private envelope: Piece | null = null;
  /** The line being fed, and where its not-yet-kept part starts. */
  private text = "";
  private from = 0;

  feed(text: string, line: number): void {
    this.text = text;
    this.from = 0;
    let i = 0;
    if (this.inString) i = this.skipOpenString(0);
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 13) continue;
      if (this.depth === 0 && !this.envelope) {
        this.envelope = { parts: [], chars: 0, line, cut: false };
        this.from = i;
        this.topIsArray = c === LBRACKET;
        this.listKind = null;
        this.key = null;
      }
      // The first character of an item.
      if (this.itemDepth > 0 && this.depth === this.itemDepth && !this.item && c !== COMMA && c !== RBRACKET) {
        this.flush(i);
        this.item = { parts: [], chars: 0, line, cut: false };
      }
      if (c === QUOTE) i = this.skipString(i);
      else if (c === LBRACE || c === LBRACKET) {
        this.depth++;
        if (
          c === LBRACKET &&
          !this.item &&
          ((this.depth === 1 && this.topIsArray) || (this.depth === 2 && this.key === "items" && !this.topIsArray))
        ) {
          this.flush(i + 1);
          this.itemDepth = this.depth;
          this.envelope!.gap = { from: line, to: line };
        }
      } else if (c === RBRACE || c === RBRACKET) {
        if (this.item && this.depth === this.itemDepth) {
          // A scalar item ends at the closing bracket of the list.
          this.flush(i);
          this.finishItem();
        }
        this.depth--;
        if (this.item && this.depth === this.itemDepth) {
          this.flush(i + 1);
          this.finishItem();
        } else if (this.itemDepth > 0 && this.depth === this.itemDepth - 1 && !this.item) {
          this.itemDepth = 0;
          this.from = i;
          this.envelope!.gap!.to = line;
        }
        if (this.depth <= 0) {
          this.depth = 0;
          this.flush(i + 1);
          this.finishEnvelope();
        }
      } else if (c === COLON && this.depth === 1 && !this.item) {
        this.key = this.lastString;
      } else if (c === COMMA) {
        if (this.item && this.depth === this.itemDepth) {
          this.flush(i);
          this.finishItem();
          this.from = i + 1;
        } else if (this.depth === 1 && !this.item && this.key === "kind" && this.lastString !== null)
          this.listKind = this.lastString;
      }
    }
    this.flush(text.length);
    if (this.item) append(this.item, "\n", MAX_ITEM_CHARS);
    else if (this.envelope && this.itemDepth === 0) append(this.envelope, "\n", MAX_ENVELOPE_CHARS);
  }

  end(): void {
    this.finishItem();
    this.finishEnvelope();
  }

  // Keeps text[from, to) in the open item or envelope; between items (commas, blanks) nothing is kept.
  private flush(to: number): void {
    if (to <= this.from) return;
    if (this.item) append(this.item, this.text.slice(this.from, to), MAX_ITEM_CHARS);
    else if (this.envelope && this.itemDepth === 0)
      append(this.envelope, this.text.slice(this.from, to), MAX_ENVELOPE_CHARS);
    this.from = to;
  }

  // From the opening quote at `at`: the index of the closing quote (jumping with indexOf), or the
  // line's last index with the string left open.
  private skipString(at: number): number {
    const text = this.text;
    let q = text.indexOf('"', at + 1);
    while (q >= 0) {
      let backslashes = 0;
      for (let j = q - 1; j > at && text.charCodeAt(j) === BACKSLASH; j--) backslashes++;
      if (backslashes % 2 === 0) break;
      q = text.indexOf('"', q + 1);
    }
    if (q < 0) {
      this.inString = true;
      this.escaped = text.length > at + 1 && trailingBackslashes(text, at + 1) % 2 === 1;
      return text.length;
    }
    if (this.depth === 1 && !this.item) this.lastString = text.slice(at + 1, q);
    return q;
  }

  // A string carried over from the previous line: the index after its closing quote, or the line's end.
  private skipOpenString(from: number): number {
    const text = this.text;
    for (let i = from; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.escaped) this.escaped = false;
      else if (c === BACKSLASH) this.escaped = true;
      else if (c === QUOTE) {
        this.inString = false;
        return i + 1;
      }
    }
    this.escaped = false; // the newline was the escaped character
    return text.length;
  }

  private finishItem(): void {
    if (this.item)
      this.out.push({
        read: readJson(this.item.parts.join(""), this.item.line),
        role: "item",
        listKind: this.listKind,
      });
    this.item = null;
  }

  private finishEnvelope(): void {
    if (this.envelope) {
      const read = readJson(this.envelope.parts.join(""), this.envelope.line);
      if (this.envelope.gap) shiftAfterGap(read, this.envelope.gap);
      this.out.push({ read, role: "value", listKind: null });
    }
    this.envelope = null;
  }
}

function append(p: Piece, text: string, max: number): void {
  if (p.cut) return;
  if (p.chars + text.length > max) {
    p.parts.push(text.slice(0, max - p.chars));
    p.chars = max;
    p.cut = true;
    return;
  }
  p.parts.push(text);
  p.chars += text.length;
}

function trailingBackslashes(text: string, from: number): number {
  let n = 0;
  for (let j = text.length - 1; j >= from && text.charCodeAt(j) === BACKSLASH; j--) n++;
  return n;
}

/**
 * An envelope's text has its items' lines left out: nodes and errors after the gap are moved
 * down by its height, and nodes that end after it (the `items` array, the root) end lower.
 */
function shiftAfterGap(read: JsonReadResult, gap: { from: number; to: number }): void {
  const by = gap.to - gap.from;
  if (by === 0) return;
  const stack: Node[] = [...read.values];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.line > gap.from) n.line += by;
    if (n.endLine >= gap.from) n.endLine += by;
    if (n.type === "map") for (const v of n.entries.values()) stack.push(v);
    else if (n.type === "seq") for (const v of n.items) stack.push(v);
  }
  if (read.error && read.error.line > gap.from) read.error.line += by;
}
