/**
 * The column tables of `kubectl describe`: `Events:` and node `Conditions:`. kubectl writes a
 * header, a dashes line and rows through a tabwriter (`pkg/describe/describe.go`
 * `DescribeEvents`: `"Events:\n  Type\tReason\tAge\tFrom\tMessage\n"`, `"----\t------\t----\t----\t-------\n"`,
 * rows `"%v\t%v\t%s\t%v\t%v\n"`), so in an untouched capture every cell starts at its header's
 * column. Copies through chat or issue trackers collapse the padding; then cells are split on runs
 * of two or more spaces (or tabs), and the caller's own regex is the last resort.
 */
import { dashColumns, expandTabs, headerColumns } from "./text.js";

/** Header words that describe tables use (current and pre-1.9 `FirstSeen … SubObjectPath`). */
const KNOWN_HEADER_WORDS = new Set([
  "Type",
  "Reason",
  "Age",
  "From",
  "Message",
  "FirstSeen",
  "LastSeen",
  "Count",
  "SubObjectPath",
  "SubobjectPath",
  "Source",
  "Status",
  "LastHeartbeatTime",
  "LastTransitionTime",
]);

/** The dashes line under a header: dashes and blanks only (`  ----    ------  ----`). */
const DASHES_ONLY = /^[-\s]+$/;

/** Cell separator when alignment is lost: a tab or two or more spaces (cells never hold either). */
const LOOSE_SEPARATOR = /\t+| {2,}/;

/** A table's columns: header names and the columns their cells start at. */
export interface TableLayout {
  names: string[];
  starts: number[];
}

/**
 * Reads a header line (`  Type    Reason  Age   From  Message`); null when it is not one
 * (fewer than two known column names, or any unknown word).
 */
export function parseHeader(text: string): TableLayout | null {
  const cols = headerColumns(expandTabs(text));
  if (cols.length < 1 || !cols.every((c) => KNOWN_HEADER_WORDS.has(c.name))) return null;
  if (cols.length < 2 && cols[0]?.name !== "Message") return null;
  return { names: cols.map((c) => c.name), starts: cols.map((c) => c.start) };
}

/** True for the dashes line under a header. */
export function isDashLine(trimmed: string): boolean {
  return trimmed.length > 0 && DASHES_ONLY.test(trimmed);
}

/** Takes the dash runs' columns when they match the header one for one (they are exact). */
export function refineWithDashes(layout: TableLayout, text: string): TableLayout {
  const dashes = dashColumns(expandTabs(text));
  return dashes.length === layout.starts.length ? { names: layout.names, starts: dashes } : layout;
}

/**
 * Splits a row into cells keyed by header name. First by the header's columns (exact for
 * untouched output: each boundary must fall on whitespace); `accept` checks the result.
 * Then by loose separators, the surplus joined into the last column (a message may contain
 * double spaces). Returns null when neither gives an accepted row.
 */
export function splitRow(
  layout: TableLayout,
  text: string,
  accept: (cells: Record<string, string>) => boolean,
): Record<string, string> | null {
  const expanded = expandTabs(text);
  const aligned = sliceByColumns(layout, expanded);
  if (aligned && accept(aligned)) return aligned;
  const parts = expanded.trim().split(LOOSE_SEPARATOR);
  if (parts.length < layout.names.length) return null;
  const cells: Record<string, string> = {};
  layout.names.forEach((name, i) => {
    const last = i === layout.names.length - 1;
    cells[name] = (last ? parts.slice(i).join("  ") : parts[i]!).trim();
  });
  return accept(cells) ? cells : null;
}

// Cells by column position; null when a boundary falls inside a word (alignment lost).
function sliceByColumns(layout: TableLayout, expanded: string): Record<string, string> | null {
  const { names, starts } = layout;
  if (expanded.length <= starts[starts.length - 1]!) return null;
  const cells: Record<string, string> = {};
  for (let i = 0; i < names.length; i++) {
    const start = starts[i]!;
    const end = i + 1 < starts.length ? starts[i + 1]! : expanded.length;
    if (i > 0 && expanded[start - 1] !== " ") return null;
    if (expanded.slice(0, starts[0]!).trim() !== "") return null;
    cells[names[i]!] = expanded.slice(start, end).trim();
  }
  return cells;
}
