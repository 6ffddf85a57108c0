/**
 * A tolerant JSON reader that records the line of every value (RFC 8259 grammar, the shape
 * `kubectl get -o json` prints). Unlike `JSON.parse` it never throws: on a syntax error or an
 * early end of file it returns everything read up to that point (open objects and arrays are
 * closed where the text stops) together with the error and its line, so a pod JSON cut in the
 * middle still yields its metadata and the statuses before the cut. Several top-level values in
 * a row (`kubectl get pod a -o json; kubectl get pod b -o json`) are read one after the other.
 *
 * Sample input (a truncated pod, error at line 4, end of file):
 * ```text
 * {
 *   "kind": "Pod",
 *   "metadata": {"name": "api-0", "namespace": "shop"},
 *   "status": {"phase": "Runn
 * ```
 */
import { ownCopy } from "../../util/shared-strings.js";
import type { MapNode, Node, ScalarNode, SeqNode } from "./tree.js";

/** What was read, and the first error (null when the text is well-formed JSON). */
export interface JsonReadResult {
  values: Node[];
  error: { line: number; message: string; atEnd: boolean } | null;
}

/** RFC 8259 number: `-12`, `0.5`, `1e9`. */
const JSON_NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:e[+-]?\d+)?/iy;

/** RFC 8259 insignificant whitespace. */
const JSON_WHITESPACE = /[ \t\n\r]*/y;

/** Deeper nesting than any Kubernetes object; stops stack exhaustion on hostile input. */
const MAX_DEPTH = 256;

/**
 * Reads `text` as one or more JSON values. `firstLine` is the file line of `text`'s first line
 * (when `text` is a slice of the file). Never throws.
 */
export function readJson(text: string, firstLine = 1): JsonReadResult {
  const reader = new Reader(text, firstLine);
  const values: Node[] = [];
  for (;;) {
    reader.skipWhitespace();
    if (reader.pos >= text.length) break;
    if (values.length > 0 && text[reader.pos] !== "{" && text[reader.pos] !== "[") {
      reader.fail(`unexpected ${JSON.stringify(text[reader.pos])} after the end of the JSON value`);
      break;
    }
    const value = reader.value(0);
    if (value) values.push(value);
    if (reader.error) break;
  }
  return { values, error: reader.error };
}

class Reader {
  pos = 0;
  error: JsonReadResult["error"] = null;
  private readonly newlines: number[] = [];
  /** Length without trailing whitespace: a number ending there may have been cut. */
  private readonly end: number;

  constructor(
    private readonly text: string,
    private readonly firstLine: number,
  ) {
    this.end = text.trimEnd().length;
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) this.newlines.push(i);
  }

  /** File line of offset `pos` (binary search over newline offsets). */
  lineAt(pos: number): number {
    let lo = 0;
    let hi = this.newlines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.newlines[mid]! < pos) lo = mid + 1;
      else hi = mid;
    }
    return lo + this.firstLine;
  }

  skipWhitespace(): void {
    JSON_WHITESPACE.lastIndex = this.pos;
    JSON_WHITESPACE.test(this.text);
    this.pos = JSON_WHITESPACE.lastIndex;
  }

  /** Records the first error; at end of file the line is that of the last non-blank character. */
  fail(message: string): void {
    if (this.error) return;
    const atEnd = this.pos >= this.text.length;
    let at = Math.min(this.pos, this.text.length - 1);
    while (atEnd && at > 0 && this.text.charCodeAt(at) <= 32) at--;
    this.error = { line: this.lineAt(Math.max(at, 0)), message, atEnd };
  }

  value(depth: number): Node | null {
    this.skipWhitespace();
    if (this.pos >= this.text.length) {
      this.fail("expected a value, received end of file");
      return null;
    }
    if (depth > MAX_DEPTH) {
      this.fail(`nesting deeper than ${MAX_DEPTH} levels`);
      return null;
    }
    const c = this.text[this.pos]!;
    if (c === "{") return this.object(depth);
    if (c === "[") return this.array(depth);
    const line = this.lineAt(this.pos);
    const scalar = (value: ScalarNode["value"]): ScalarNode => ({ type: "scalar", value, line, endLine: line });
    if (c === '"') {
      const s = this.string();
      return s === null ? null : scalar(s);
    }
    JSON_NUMBER.lastIndex = this.pos;
    const m = JSON_NUMBER.exec(this.text);
    if (m && m[0] !== "-") {
      this.pos += m[0].length;
      return scalar(Number(m[0]));
    }
    for (const [word, v] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return scalar(v);
      }
    }
    const rest = this.text.slice(this.pos, this.pos + 6).trimEnd();
    if (this.pos + rest.length >= this.end && ["true", "false", "null"].some((w) => w.startsWith(rest))) {
      this.pos = this.text.length;
      this.fail(`expected a value, received end of file after ${JSON.stringify(rest)}`);
      return null;
    }
    this.fail(`expected a value, received ${JSON.stringify(c)}`);
    return null;
  }

  private object(depth: number): MapNode {
    const node: MapNode = { type: "map", entries: new Map(), line: this.lineAt(this.pos), endLine: 0 };
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === "}") return this.close(node);
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') {
        this.fail(
          this.pos >= this.text.length
            ? "expected a key or `}`, received end of file"
            : `expected a quoted key, received ${JSON.stringify(this.text[this.pos])}`,
        );
        return this.stop(node);
      }
      const keyLine = this.lineAt(this.pos);
      const key = this.string();
      if (key === null) return this.stop(node);
      this.skipWhitespace();
      if (this.text[this.pos] !== ":") {
        this.fail(
          this.pos >= this.text.length
            ? "expected `:`, received end of file"
            : `expected \`:\` after key ${JSON.stringify(key)}, received ${JSON.stringify(this.text[this.pos])}`,
        );
        return this.stop(node);
      }
      this.pos++;
      const value = this.value(depth + 1);
      if (value && !this.cutAtEnd(value)) {
        value.line = keyLine;
        node.entries.set(key, value);
      }
      if (this.error) return this.stop(node);
      this.skipWhitespace();
      const sep = this.text[this.pos];
      if (sep === "}") return this.close(node);
      if (sep !== ",") {
        this.fail(
          sep === undefined
            ? "expected `,` or `}`, received end of file"
            : `expected \`,\` or \`}\`, received ${JSON.stringify(sep)}`,
        );
        return this.stop(node);
      }
      this.pos++;
    }
  }

  private array(depth: number): SeqNode {
    const node: SeqNode = { type: "seq", items: [], line: this.lineAt(this.pos), endLine: 0 };
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === "]") return this.close(node);
    for (;;) {
      const value = this.value(depth + 1);
      if (value && !this.cutAtEnd(value)) node.items.push(value);
      if (this.error) return this.stop(node);
      this.skipWhitespace();
      const sep = this.text[this.pos];
      if (sep === "]") return this.close(node);
      if (sep !== ",") {
        this.fail(
          sep === undefined
            ? "expected `,` or `]`, received end of file"
            : `expected \`,\` or \`]\`, received ${JSON.stringify(sep)}`,
        );
        return this.stop(node);
      }
      this.pos++;
    }
  }

  /** Reads a string at `pos` (on its opening quote); null on an unterminated or invalid string. */
  private string(): string | null {
    const start = this.pos + 1;
    let i = start;
    for (;;) {
      const q = this.text.indexOf('"', i);
      if (q < 0) {
        this.pos = this.text.length;
        this.fail('unterminated string: expected a closing `"`, received end of file');
        return null;
      }
      let backslashes = 0;
      for (let j = q - 1; j >= start && this.text[j] === "\\"; j--) backslashes++;
      if (backslashes % 2 === 0) {
        const raw = this.text.slice(start, q);
        this.pos = q + 1;
        if (!raw.includes("\\")) return ownCopy(raw);
        try {
          return JSON.parse(`"${raw}"`) as string;
        } catch {
          this.pos = start;
          this.fail("invalid escape sequence in string");
          return null;
        }
      }
      i = q + 1;
    }
  }

  /** A number that runs up to the end of a truncated file (`"exitCode": 13|`) may be cut: dropped. */
  private cutAtEnd(value: Node): boolean {
    return value.type === "scalar" && typeof value.value === "number" && this.pos >= this.end;
  }

  private close<T extends MapNode | SeqNode>(node: T): T {
    node.endLine = this.lineAt(this.pos);
    this.pos++;
    return node;
  }

  private stop<T extends MapNode | SeqNode>(node: T): T {
    node.endLine = Math.max(node.line, this.error?.line ?? node.line);
    return node;
  }
}
