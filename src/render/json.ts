/**
 * The JSON report (`--format json`, DESIGN.md §4) in pieces: `JSON.stringify(report, null, 2)`
 * and a newline, byte for byte, yielded a part at a time so the whole text is never one string.
 * The report of a 1 GiB `kubectl get pods -A -o json` (2,643 incidents) is 23 MB of text,
 * which V8 holds as 46 MB (UTF-16: the report has `—`), then the same again when the
 * newline is appended and the string flattened to write it, then 23 MB of UTF-8 (peak RSS
 * 164 → 277 MiB for rendering and writing it in one piece). Objects and arrays down to
 * `SPLIT_DEPTH` are split by member: one piece per incident, per warning, per quoted line.
 *
 * `prepare` (redaction, `redactValue`) is applied to each piece's value and to each member name
 * just before they are stringified, so the redacted report is never one copy in memory either
 * (1 GiB journal of 10,000 reports: peak RSS 464 → 383 MiB). An object it could change as a
 * whole (a `name`/`value` pair, or member names that become the same) is one piece.
 *
 * `streamedJsonPieces` prints a report whose incidents are diagnosed as they are printed
 * (`StreamedReport`): each incident is stringified and let go before the next is diagnosed, and
 * the quotes of the lines they cite come last, as in the whole report's text (1 GiB journal of
 * 10,000 reports: the incidents' models were 120 MB live at once).
 *
 * Sample: `[...jsonPieces({ tool: { name: "x" }, incidents: [] })].join("")` →
 * `'{\n  "tool": {\n    "name": "x"\n  },\n  "incidents": []\n}\n'`.
 */

import type { StreamedReport } from "../model/streamed-report.js";

/** Nesting levels split into members (the report's keys, then each incident, file, warning or quote). */
const SPLIT_DEPTH = 2;

/** A change made to every value before it is printed (redaction); the identity by default. */
type Prepare = <T>(value: T) => T;

/**
 * `JSON.stringify(prepare(value), null, 2)` + `"\n"` in pieces (`value` a plain JSON-able object,
 * as a Report is; `prepare` a deep copy that maps each string, object member name and object
 * on its own, as `redactValue` does): the printer `streamedJsonPieces` runs, on any value.
 * @internal exported for its tests (not the public API)
 */
export function* jsonPieces(value: unknown, prepare: Prepare = (v) => v): Generator<string> {
  yield* pieces(value, "", 0, prepare);
  yield "\n";
}

/**
 * `jsonPieces` of the whole report of `streamed` (`collectReport`), byte for byte: its members in
 * order with the incidents printed one by one as they are diagnosed, then `quotes` (read once the
 * incidents are done) when a line was quoted.
 */
export async function* streamedJsonPieces(
  streamed: StreamedReport,
  prepare: Prepare = (v) => v,
): AsyncGenerator<string> {
  const members = printable({ ...streamed.report, incidents: streamed.incidents });
  yield "{";
  yield* memberPieces(members, "", 0, prepare, 0);
  const quotes = await streamed.quotes();
  if (Object.keys(quotes).length > 0) yield* memberPieces([["quotes", quotes]], "", 0, prepare, members.length);
  yield "\n}\n";
}

// `JSON.stringify(value, null, 2)` for a value printed `pad` deep, split into members above `SPLIT_DEPTH`.
// An iterator there (the incidents of a `StreamedReport`) prints as the array of what it yields.
function* pieces(value: unknown, pad: string, depth: number, prepare: Prepare): Generator<string> {
  const list = Array.isArray(value) || isIterator(value);
  if (
    depth >= SPLIT_DEPTH ||
    value === null ||
    typeof value !== "object" ||
    typeof (value as { toJSON?: unknown }).toJSON === "function" ||
    (!list && wholeForPrepare(value, prepare))
  ) {
    // Undefined, functions and symbols print as null in an array (members holding them are left out below).
    const text = JSON.stringify(prepare(value), null, 2) ?? "null";
    yield pad === "" ? text : text.replaceAll("\n", `\n${pad}`);
    return;
  }
  const inner = `${pad}  `;
  if (list) {
    let i = 0;
    for (const item of value as Iterable<unknown>) {
      yield `${i > 0 ? "," : "["}\n${inner}`;
      yield* pieces(item, inner, depth + 1, prepare);
      i++;
    }
    yield i > 0 ? `\n${pad}]` : "[]";
    return;
  }
  const members = printable(value);
  if (members.length === 0) {
    yield "{}";
    return;
  }
  yield "{";
  yield* memberPieces(members, pad, depth, prepare, 0);
  yield `\n${pad}}`;
}

// The members of an object that JSON.stringify prints (not undefined, functions or symbols).
function printable(value: object): [string, unknown][] {
  return Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== "function" && typeof v !== "symbol");
}

// `"key": value` of each member of an object printed `pad` deep, after `before` members already printed.
function* memberPieces(
  members: [string, unknown][],
  pad: string,
  depth: number,
  prepare: Prepare,
  before: number,
): Generator<string> {
  const inner = `${pad}  `;
  for (const [i, [key, v]] of members.entries()) {
    yield `${before + i > 0 ? "," : ""}\n${inner}${JSON.stringify(prepare(key))}: `;
    yield* pieces(v, inner, depth + 1, prepare);
  }
}

// An iterator (a generator, `array.values()`): what JSON.stringify would print as `{}`.
function isIterator(value: unknown): boolean {
  const v = value as { next?: unknown; [Symbol.iterator]?: unknown } | null;
  return typeof v?.next === "function" && typeof v[Symbol.iterator] === "function";
}

// True when `prepare` may change `value` as a whole, not member by member: an object with
// string `name` and `value` (a Kubernetes env entry), or member names that `prepare` makes equal.
function wholeForPrepare(value: object, prepare: Prepare): boolean {
  if (Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  if (typeof v.name === "string" && typeof v.value === "string") return true;
  const keys = Object.keys(v);
  return new Set(keys.map((k) => prepare(k))).size !== keys.length;
}
