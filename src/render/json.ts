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
 * Sample: `[...jsonPieces({ tool: { name: "x" }, incidents: [] })].join("")` →
 * `'{\n  "tool": {\n    "name": "x"\n  },\n  "incidents": []\n}\n'`.
 */

/** Nesting levels split into members (the report's keys, then each incident, file, warning or quote). */
const SPLIT_DEPTH = 2;

/** A change made to every value before it is printed (redaction); the identity by default. */
type Prepare = <T>(value: T) => T;

/**
 * `JSON.stringify(prepare(value), null, 2)` + `"\n"` in pieces (`value` a plain JSON-able object,
 * as a Report is; `prepare` a deep copy that maps each string, object member name and object
 * on its own, as `redactValue` does).
 */
export function* jsonPieces(value: unknown, prepare: Prepare = (v) => v): Generator<string> {
  yield* pieces(value, "", 0, prepare);
  yield "\n";
}

// `JSON.stringify(value, null, 2)` for a value printed `pad` deep, split into members above `SPLIT_DEPTH`.
function* pieces(value: unknown, pad: string, depth: number, prepare: Prepare): Generator<string> {
  if (
    depth >= SPLIT_DEPTH ||
    value === null ||
    typeof value !== "object" ||
    typeof (value as { toJSON?: unknown }).toJSON === "function" ||
    wholeForPrepare(value, prepare)
  ) {
    // Undefined, functions and symbols print as null in an array (members holding them are left out below).
    const text = JSON.stringify(prepare(value), null, 2) ?? "null";
    yield pad === "" ? text : text.replaceAll("\n", `\n${pad}`);
    return;
  }
  const inner = `${pad}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield "[]";
      return;
    }
    yield "[";
    for (let i = 0; i < value.length; i++) {
      yield `${i > 0 ? "," : ""}\n${inner}`;
      yield* pieces(value[i], inner, depth + 1, prepare);
    }
    yield `\n${pad}]`;
    return;
  }
  const members = Object.entries(value).filter(
    ([, v]) => v !== undefined && typeof v !== "function" && typeof v !== "symbol",
  );
  if (members.length === 0) {
    yield "{}";
    return;
  }
  yield "{";
  for (const [i, [key, v]] of members.entries()) {
    yield `${i > 0 ? "," : ""}\n${inner}${JSON.stringify(prepare(key))}: `;
    yield* pieces(v, inner, depth + 1, prepare);
  }
  yield `\n${pad}}`;
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
