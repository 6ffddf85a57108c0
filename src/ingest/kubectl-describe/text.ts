/**
 * Line helpers for `kubectl describe` output: indentation, `Key:<tab>value` splitting and
 * tab expansion. kubectl writes every describe line through a `tabwriter`
 * (`pkg/describe/describe.go` `tabbedString`): since ~1.9 `Init(buf, 0, 8, 2, ' ', 0)`
 * (cells padded with spaces), before that padded with '\t' at 8-column stops, so old captures
 * hold runs of tabs (`Name:\t\tnginx`). Expanding tabs at 8 columns restores the alignment.
 */

/** Tab stops of Go's tabwriter and of terminals. */
const TAB_WIDTH = 8;

/**
 * `Key:<padding>value` as printed by `w.Write(LEVEL_n, "Restart Count:\t%d\n", …)`, e.g.
 * `    Restart Count:  6`, `Name:\t\tnginx`, `  memory-eater:`. The key ends at the first colon
 * followed by whitespace or the end of the line, so `Liveness:  http-get http://:8085/x` keys
 * on `Liveness` and `Image:  quay.io/x:v3` keeps its tag.
 */
const KEY_VALUE = /^(\w[\w.\-/ ()]{0,99}):(?:[ \t]+((?:\S.*)?))?$/;

/** A run of dashes under a table header (`  ----    ------  ----`). */
const DASH_RUN = /-+/g;

/** One header word of a describe table (`Type`, `LastHeartbeatTime`, `SubObjectPath`). */
const HEADER_WORD = /\S+/g;

/** A `Key: value` line, trimmed; `value` is "" when nothing follows the colon. */
export interface KeyValue {
  key: string;
  value: string;
}

/** Width of the leading whitespace, tabs counted to 8-column stops. */
export function indentOf(text: string): number {
  let col = 0;
  for (const ch of text) {
    if (ch === " ") col++;
    else if (ch === "\t") col += TAB_WIDTH - (col % TAB_WIDTH);
    else break;
  }
  return col;
}

/** Splits a trimmed line into key and value, or null when it is not a `Key:` line. */
export function splitKeyValue(trimmed: string): KeyValue | null {
  const m = KEY_VALUE.exec(trimmed);
  if (!m) return null;
  return { key: m[1]!.trimEnd(), value: (m[2] ?? "").trim() };
}

/** Replaces tabs by spaces to the next 8-column stop (tabwriter's padding), keeping columns. */
export function expandTabs(text: string): string {
  if (!text.includes("\t")) return text;
  let out = "";
  for (const ch of text) {
    if (ch === "\t") out += " ".repeat(TAB_WIDTH - (out.length % TAB_WIDTH));
    else out += ch;
  }
  return out;
}

/** Start columns of the words of a (tab-expanded) header line, with the words. */
export function headerColumns(expanded: string): { name: string; start: number }[] {
  return [...expanded.matchAll(HEADER_WORD)].map((m) => ({ name: m[0], start: m.index }));
}

/** Start columns of the dash runs of a (tab-expanded) `----  ------` line. */
export function dashColumns(expanded: string): number[] {
  return [...expanded.matchAll(DASH_RUN)].map((m) => m.index);
}

/** True for values kubectl prints for "nothing": `<none>`, `<unset>`, `<nil>`, empty. */
export function isNone(value: string): boolean {
  return value === "" || value === "<none>" || value === "<unset>" || value === "<nil>" || value === "<unknown>";
}

/** Shortens a line for a diagnostic message. */
export function excerpt(text: string, max = 80): string {
  const t = text.trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
}
