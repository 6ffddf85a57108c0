/**
 * The JSON report (`--format json`, DESIGN.md §4) in pieces: `JSON.stringify(report, null, 2)`
 * and a newline, byte for byte, yielded a part at a time so the whole text is never one string.
 * The report of a 1 GiB `kubectl get pods -A -o json` (2,643 incidents) is 23 MB of text,
 * which V8 holds as 46 MB (UTF-16: the report has `—`), then the same again when the
 * newline is appended and the string flattened to write it, then 23 MB of UTF-8 (peak RSS
 * 164 → 277 MiB for rendering and writing it in one piece). Objects and arrays down to
 * `SPLIT_DEPTH` are split by member: one piece per incident, per warning, per quoted line.
 *
 * Sample: `[...jsonPieces({ tool: { name: "x" }, incidents: [] })].join("")` →
 * `'{\n  "tool": {\n    "name": "x"\n  },\n  "incidents": []\n}\n'`.
 */

/** Nesting levels split into members (the report's keys, then each incident, file, warning or quote). */
const SPLIT_DEPTH = 2;

/** `JSON.stringify(value, null, 2)` + `"\n"` in pieces (`value` a plain JSON-able object, as a Report is). */
export function* jsonPieces(value: unknown): Generator<string> {
  yield* pieces(value, "", 0);
  yield "\n";
}

// `JSON.stringify(value, null, 2)` for a value printed `pad` deep, split into members above `SPLIT_DEPTH`.
function* pieces(value: unknown, pad: string, depth: number): Generator<string> {
  if (depth >= SPLIT_DEPTH || value === null || typeof value !== "object" || typeof (value as { toJSON?: unknown }).toJSON === "function") {
    // Undefined, functions and symbols print as null in an array (members holding them are left out below).
    const text = JSON.stringify(value, null, 2) ?? "null";
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
      yield* pieces(value[i], inner, depth + 1);
    }
    yield `\n${pad}]`;
    return;
  }
  const members = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== "function" && typeof v !== "symbol");
  if (members.length === 0) {
    yield "{}";
    return;
  }
  yield "{";
  for (const [i, [key, v]] of members.entries()) {
    yield `${i > 0 ? "," : ""}\n${inner}${JSON.stringify(key)}: `;
    yield* pieces(v, inner, depth + 1);
  }
  yield `\n${pad}}`;
}
