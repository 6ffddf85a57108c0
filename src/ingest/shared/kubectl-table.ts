/**
 * The column tables `kubectl get` and `kubectl top` print (kubectl `printers.TablePrinter`,
 * `k8s.io/cli-runtime/pkg/printers/tableprinter.go`): an upper-case header, then one row per
 * object, written through a tabwriter (`tabwriter.NewWriter(out, 6, 4, 3, ' ', 0)` in
 * `GetNewTabWriter`: cells padded with spaces, at least three between columns), so in an
 * untouched capture every cell starts at its header's column. Headers may hold two words
 * (`LAST SEEN`, `NOMINATED NODE`). Pastes through chat, tickets or mail collapse the padding:
 * then cells are split on runs of two or more spaces, and last on single spaces with what each
 * column's cells look like (`TokenColumn.take`), the free-text column taking the rest.
 */
import { warning, type Diagnostic } from "../../model/source.js";
import { expandTabs } from "../kubectl-describe/text.js";
import type { ArtifactSource } from "../types.js";
import { readCommandLine, type CommandHint } from "./command-line.js";

/** A header column: its name as printed (`LAST SEEN`) and the column it starts at. */
export interface Column {
  name: string;
  start: number;
}

/** How many whitespace-separated tokens a column's cell takes at `tokens[i]` (0: cannot start here). */
export type TakeTokens = (tokens: readonly string[], i: number) => number;

/** One token, whatever it is. */
export const ONE: TakeTokens = (tokens, i) => (i < tokens.length ? 1 : 0);

/** Cell separator when alignment is lost: a tab or two or more spaces (cells rarely hold either). */
const LOOSE_SEPARATOR = /\t+| {2,}/;

/** Whitespace between tokens of a collapsed row. */
const BLANKS = /\s+/;

/**
 * Reads a header line against the column names a table may have (longest first at each
 * position). Null when any word is not a known name, or when `required` names are missing.
 */
function readHeader(line: string, known: readonly string[], required: readonly string[]): Column[] | null {
  const text = expandTabs(line);
  const names = [...known].sort((a, b) => b.length - a.length);
  const cols: Column[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === " ") {
      i++;
      continue;
    }
    const name = names.find(
      (n) => text.startsWith(n, i) && (i + n.length === text.length || text[i + n.length] === " "),
    );
    if (!name) return null;
    cols.push({ name, start: i });
    i += name.length;
  }
  return required.every((r) => cols.some((c) => c.name === r)) ? cols : null;
}

/**
 * Splits a row into cells keyed by column name: by the header's columns when every boundary
 * falls on a blank, else on runs of blanks (surplus joined into `free`), else token by token
 * with `take` (columns before `free` from the left; those after it, one token each, from the right). `accept` checks
 * each candidate; null when none is accepted.
 */
function splitRow(
  cols: readonly Column[],
  row: string,
  free: string | null,
  take: Readonly<Record<string, TakeTokens>>,
  accept: (cells: Record<string, string>) => boolean,
): Record<string, string> | null {
  const text = expandTabs(row);
  for (const cells of [aligned(cols, text), loose(cols, text, free), collapsed(cols, text, free, take)]) {
    if (cells && accept(cells)) return cells;
  }
  return null;
}

// Cells by column position; null when a boundary falls inside a word (alignment lost).
function aligned(cols: readonly Column[], text: string): Record<string, string> | null {
  if (text.slice(0, cols[0]!.start).trim() !== "" || text.length <= cols[cols.length - 1]!.start) return null;
  const cells: Record<string, string> = {};
  for (let i = 0; i < cols.length; i++) {
    const start = cols[i]!.start;
    if (i > 0 && text[start - 1] !== " ") return null;
    const end = i + 1 < cols.length ? cols[i + 1]!.start : text.length;
    cells[cols[i]!.name] = text.slice(start, end).trim();
  }
  return cells;
}

// Cells split on runs of blanks; the surplus (a message with double spaces) joined into `free`.
function loose(cols: readonly Column[], text: string, free: string | null): Record<string, string> | null {
  const parts = text.trim().split(LOOSE_SEPARATOR);
  const extra = parts.length - cols.length;
  if (extra < 0 || (extra > 0 && free === null)) return null;
  const at = free === null ? -1 : cols.findIndex((c) => c.name === free);
  const cells: Record<string, string> = {};
  let p = 0;
  cols.forEach((c, i) => {
    const n = i === at ? extra + 1 : 1;
    cells[c.name] = parts
      .slice(p, p + n)
      .join("  ")
      .trim();
    p += n;
  });
  return cells;
}

// Cells from single-blank tokens: fixed columns by `take`, the free column gets what is left.
function collapsed(
  cols: readonly Column[],
  text: string,
  free: string | null,
  take: Readonly<Record<string, TakeTokens>>,
): Record<string, string> | null {
  const tokens = text.trim().split(BLANKS);
  const at = free === null ? cols.length : cols.findIndex((c) => c.name === free);
  const cells: Record<string, string> = {};
  let left = 0;
  for (let i = 0; i < at; i++) {
    const n = (take[cols[i]!.name] ?? ONE)(tokens, left);
    if (n === 0) return null;
    cells[cols[i]!.name] = tokens.slice(left, left + n).join(" ");
    left += n;
  }
  // Columns after the free one (`FIRST SEEN COUNT NAME` of wide events) hold one token each.
  let right = tokens.length;
  for (let i = cols.length - 1; i > at; i--) {
    if (right - 1 < left) return null;
    cells[cols[i]!.name] = tokens[--right]!;
  }
  if (free === null) return right === left ? cells : null;
  cells[free] = tokens.slice(left, right).join(" ");
  return cells;
}

/** One kubectl table kind as {@link tableRows} reads it. */
export interface TableSpec {
  /** The ingester kind, prefix of the diagnostic codes (`kubectl-get-pods/bad-row`). */
  kind: string;
  /** Every column name the table may have, and the ones a header must hold. */
  columns: readonly string[];
  required: readonly string[];
  /** The free-text column that takes the rest of a collapsed row (`MESSAGE`), or null. */
  free: string | null;
  take: Readonly<Record<string, TakeTokens>>;
  /** True when a candidate split of a row has cells of the right shapes. */
  accept: (cells: Record<string, string>) => boolean;
}

/** A row of a kubectl table, with the command line that printed its table when the capture kept it. */
interface TableRow {
  cells: Record<string, string>;
  cols: Column[];
  command: CommandHint | null;
  line: number;
  text: string;
}

/** Rows warned about per file: a file of another kind under a header says so 20 times, not 100k. */
const BAD_ROWS_WARNED = 20;

/**
 * The rows of every table of `spec` in `source` (several tables, each under its header, each
 * optionally under the `$ kubectl …` line that printed it). A row that no split accepts gets a
 * warning naming its line in `diagnostics` (the first 20), and is skipped.
 */
export async function* tableRows(
  source: ArtifactSource,
  spec: TableSpec,
  diagnostics: Diagnostic[],
): AsyncGenerator<TableRow> {
  let cols: Column[] | null = null;
  let command: CommandHint | null = null;
  let bad = 0;
  for await (const { text, line } of source.lines()) {
    const trimmed = text.trim();
    if (trimmed === "") continue;
    const cmd = readCommandLine(text);
    if (cmd) {
      command = cmd;
      cols = null;
      continue;
    }
    const header = readHeader(text, spec.columns, spec.required);
    if (header) {
      cols = header;
      continue;
    }
    if (!cols) continue;
    const cells = splitRow(cols, text, spec.free, spec.take, spec.accept);
    if (cells) yield { cells, cols, command, line, text };
    else if (++bad <= BAD_ROWS_WARNED)
      diagnostics.push(
        warning(
          `${spec.kind}/bad-row`,
          `row not understood — expected ${cols.map((c) => c.name).join(", ")} — received \`${trimmed.slice(0, 100)}\``,
          { file: source.path, line },
        ),
      );
  }
}
