/**
 * Where a fact came from. Every fact, warning and piece of evidence carries one so the
 * report can cite `file:line` for any claim.
 */

/** A place in a bundle file. `file` is the path relative to the bundle root; lines are 1-based. */
export interface SourceRef {
  file: string;
  line?: number;
  endLine?: number;
}

/** One cited line: the JSON contract's `{file, line, text}` (DESIGN.md §4). */
export interface Evidence {
  file: string;
  line?: number;
  /** The artifact text as found (one line, trimmed), or a short named computation. */
  text: string;
}

/**
 * A warning or error about an input, returned next to facts, never thrown.
 * `code` is stable: `<kind>/<kebab-case>`, e.g. `kernel-log/oom-report-truncated`.
 * `message` says what failed, what was expected and what was received.
 */
export interface Diagnostic {
  severity: "warning" | "error";
  code: string;
  message: string;
  at: SourceRef;
}

/** Builds the evidence entry for one source line. */
export function evidence(at: SourceRef, text: string): Evidence {
  return at.line === undefined
    ? { file: at.file, text: text.trim() }
    : { file: at.file, line: at.line, text: text.trim() };
}

/**
 * One item per cited line, in first-seen order: items citing the same `file:line` become one whose
 * text joins theirs with `; ` (a text already contained is not repeated); items without a line are
 * one per file and text. `[{a.txt:3 "x"}, {a.txt:3 "y"}, {a.txt:3 "x"}]` → `[{a.txt:3 "x; y"}]`.
 */
export function mergeSameLine<T extends Evidence>(list: T[]): T[] {
  const byRef = new Map<string, T>();
  for (const e of list) {
    const key = e.line !== undefined ? `${e.file}:${e.line}` : `${e.file}\n${e.text}`;
    const seen = byRef.get(key);
    if (!seen) byRef.set(key, { ...e });
    else if (!seen.text.includes(e.text)) seen.text = `${seen.text}; ${e.text}`;
  }
  return [...byRef.values()];
}

/** Shorthand for a warning diagnostic. */
export function warning(code: string, message: string, at: SourceRef): Diagnostic {
  return { severity: "warning", code, message, at };
}
