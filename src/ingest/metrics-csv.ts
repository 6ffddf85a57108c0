/**
 * metrics-csv: metric exports as CSV → `MetricSeries` facts. Shapes (see `metrics-csv/layout.ts`):
 * Grafana "Download CSV" wide (a Time column, one column per series named
 * `metric{label="v", …}` or by its legend, e.g. `worker-7b9 / app`), Grafana long / "series
 * joined" (`Series,Time,Value`), Prometheus range-query exports (`timestamp,value` plus a
 * `metric` or `__name__` column and label columns), and netdata `/api/v1/data?format=csv`
 * (`time,used,cached,…`, MiB, newest first). Formats: Grafana docs "Inspect → Data → Download
 * CSV", Prometheus HTTP API `query_range` (matrix of `[unix_seconds, "value"]`), netdata REST API.
 *
 * Times: epoch seconds or ms, ISO 8601, or zone-less `YYYY-MM-DD HH:MM:SS` (read as UTC, one
 * warning). Values raw or with units (`1.9 GiB`, `512 MiB`, `1.2e9`); empty/`null` cells skipped.
 * Rows may come in any order (series are sorted at the end); points per series are bounded by
 * bucketed min/max downsampling as rows stream (`metrics-csv/collector.ts`).
 *
 * Sample input:
 * ```text
 * "Time","container_memory_working_set_bytes{container=""app"", namespace=""shop"", pod=""worker-7b9""}"
 * 2026-06-09 10:00:00,402653184
 * 2026-06-09 10:00:15,405798912
 * ```
 */
import { emptyFacts, type FactSet, type MetricSeries } from "../model/facts.js";
import { warning } from "../model/source.js";
import { SeriesCollector } from "./metrics-csv/collector.js";
import { podsFromMetrics } from "./shared/ksm.js";
import { COMMENT_LINE, delimiterOf, layoutOf, SEP_LINE, splitRow, type Layout } from "./metrics-csv/layout.js";
import { parseSeriesName, parseTime, parseValue } from "./metrics-csv/values.js";
import { lineBatchesOf } from "./source.js";
import type { ArtifactSource, Ingester } from "./types.js";
import { pushAll } from "../util/arrays.js";

/** A file name that says the export is about memory (`memory.csv`, `working-set.csv`). */
const MEMORY_FILE = /mem|working.?set|rss/i;
/** netdata's memory charts are in MiB. */
const NETDATA_UNIT = 1024 ** 2;
/** A carriage return left at a line end in `head` (CRLF files). */
const TRAILING_CR = /\r$/;
/** At most this many line warnings per file; the rest are counted in one summary warning. */
const MAX_LINE_WARNINGS = 50;
/** Longest cell text quoted in a warning. */
const CLIP = 60;

export const metricsCsv: Ingester = {
  kind: "metrics-csv",
  description: "metric CSV exports: Grafana Download CSV (wide or series joined), Prometheus range queries, netdata",
  nameHint: /\.csv$/i,

  sniff(head: string): boolean {
    const lines = head
      .split("\n")
      .map((l) => l.replace(TRAILING_CR, "").trim())
      .filter((l) => l !== "" && !COMMENT_LINE.test(l));
    let i = 0;
    let delimiter: string | null = null;
    const sep = SEP_LINE.exec(lines[0] ?? "");
    if (sep) [delimiter, i] = [sep[1]!, 1];
    const headerLine = lines[i];
    if (!headerLine || headerLine.startsWith("{") || headerLine.startsWith("[")) return false;
    const d = delimiter ?? delimiterOf(headerLine);
    const layout = layoutOf(splitRow(headerLine, d), d);
    if (!layout) return false;
    const first = lines[i + 1];
    return first === undefined || parseTime(splitRow(first, d)[layout.timeCol] ?? "") !== null;
  },

  async parse(source: ArtifactSource): Promise<FactSet> {
    const facts = emptyFacts();
    let lineWarnings = 0;
    const warn = (code: string, message: string, line: number): void => {
      if (++lineWarnings <= MAX_LINE_WARNINGS)
        facts.diagnostics.push(warning(`metrics-csv/${code}`, message, { file: source.path, line }));
    };
    const out = new SeriesCollector(source.path, MEMORY_FILE.test(source.path) ? "bytes" : null);
    // Unreadable values, one tally per column (a column of `req/s` Grafana formatted one way is
    // unreadable on every row: one warning for the column, not one per row).
    const badValues = new Map<string, { count: number; first: number; last: number; sample: string }>();
    const badValue = (column: string, cell: string, line: number): void => {
      const seen = badValues.get(column);
      if (seen) {
        seen.count++;
        seen.last = line;
      } else badValues.set(column, { count: 1, first: line, last: line, sample: clip(cell) });
    };
    let layout: Layout | null = null;
    let delimiter: string | null = null;
    let zoneless: MetricSeries["zoneless"] = undefined;
    let pending: { cells: string[]; line: number } | null = null;
    let lastLine = 0;
    let exportNo = 0;

    const readRow = (cells: string[], line: number): void => {
      const L = layout!;
      const t = parseTime(cells[L.timeCol] ?? "");
      if (!t)
        return warn(
          "bad-time",
          `row's time is unreadable — expected epoch seconds/ms or ISO 8601 in column \`${L.header[L.timeCol]}\` — received \`${clip(cells[L.timeCol] ?? "")}\``,
          line,
        );
      if (t.local && !zoneless) zoneless = { line, text: clip(cells[L.timeCol]!) };
      if (L.kind === "long") return readLong(L, cells, t.ms, line);
      for (let c = 0; c < cells.length && c < L.header.length; c++) {
        if (c === L.timeCol) continue;
        const v = parseValue(cells[c]!);
        if (!v.ok) {
          if (!v.empty) badValue(`\`${L.header[c]}\``, cells[c]!, line);
          continue;
        }
        const value = L.kind === "netdata" ? Math.abs(v.value) * (v.byteUnit ? 1 : NETDATA_UNIT) : v.value;
        out.add(`${exportNo}:${c}`, t.ms, value, line, v.byteUnit);
      }
    };

    const readLong = (L: Layout, cells: string[], ms: number, line: number): void => {
      const v = parseValue(cells[L.valueCol] ?? "");
      if (!v.ok) {
        if (!v.empty) badValue(`\`${L.header[L.valueCol]}\``, cells[L.valueCol] ?? "", line);
        return;
      }
      const seriesText = L.seriesCol >= 0 ? (cells[L.seriesCol] ?? "") : "";
      let key = seriesText; // with the name and label cells when the export has them
      if (L.nameCol >= 0 || L.labelCols.length > 0) key += `\u0000${L.nameCol >= 0 ? (cells[L.nameCol] ?? "") : ""}`;
      for (const c of L.labelCols) key += `\u0000${cells[c] ?? ""}`;
      if (!out.has(key)) declareSeries(out, key, L, cells, seriesText); // once per series, not per row
      out.add(key, ms, v.value, line, v.byteUnit);
    };

    const flushPending = (truncated: boolean): void => {
      if (!pending || !layout) return;
      const { cells, line } = pending;
      pending = null;
      warn(
        "short-row",
        `row has ${cells.length} of ${layout.header.length} columns${truncated ? ", its last cell may be cut off (read without it)" : ""} — expected ${layout.header.length} ${layout.delimiter === "\t" ? "tab" : `\`${layout.delimiter}\``}-separated cells — received ${cells.length}`,
        line,
      );
      readRow(truncated ? cells.slice(0, -1) : cells, line);
    };

    const readLine = (text: string, line: number): void => {
      lastLine = line;
      const trimmed = text.trim();
      if (trimmed === "") return;
      if (!layout) {
        const sep = SEP_LINE.exec(trimmed);
        if (sep) delimiter = sep[1]!;
        if (sep || COMMENT_LINE.test(trimmed)) return;
      }
      let current: Layout | null = layout;
      const d = current?.delimiter ?? delimiter ?? delimiterOf(trimmed);
      const cells = splitRow(trimmed, d);
      if (current && isHeaderAgain(cells[current.timeCol] ?? "", current.header[current.timeCol]!)) {
        flushPending(false);
        current = layout = null; // a second export concatenated: its header starts over
      }
      if (!current) {
        const fresh: Layout | null = layoutOf(cells, d);
        if (!fresh) {
          warn(
            "no-header",
            `line is not a CSV header — expected a header row with a time column (Time, timestamp, time) — received \`${clip(trimmed)}\``,
            line,
          );
          return;
        }
        layout = fresh;
        exportNo++;
        if (fresh.kind !== "long") declareColumns(out, fresh, line, exportNo);
        return;
      }
      flushPending(false);
      const short =
        current.kind === "long"
          ? cells.length <= Math.max(current.valueCol, current.timeCol)
          : cells.length < current.header.length;
      if (short) pending = { cells, line };
      else readRow(cells, line);
    };

    for await (const batch of lineBatchesOf(source)) {
      for (const { text, line } of batch) readLine(text, line);
    }
    flushPending(true);
    for (const [column, b] of badValues) {
      const where = b.count === 1 ? "" : ` (${b.count} rows, lines ${b.first}–${b.last})`;
      facts.diagnostics.push(
        warning(
          "metrics-csv/bad-value",
          `${column} value unreadable${where} — expected a number, optionally with a unit (512 MiB, 1.5 K req/s) — received \`${b.sample}\``,
          { file: source.path, line: b.first },
        ),
      );
    }

    // Times without a zone: read as UTC, marked for analyze (series-zone.ts), which places them or warns.
    pushAll(facts.series, zoneless ? out.finish().map((x) => ({ ...x, zoneless })) : out.finish());
    // kube-state-metrics / cAdvisor series also say which container was OOM-killed, its limit and restarts.
    pushAll(facts.pods, podsFromMetrics(facts.series, source.path));
    if (lineWarnings > MAX_LINE_WARNINGS) {
      facts.diagnostics.push(
        warning(
          "metrics-csv/too-many-warnings",
          `${lineWarnings - MAX_LINE_WARNINGS} more bad rows not listed — expected CSV rows of time and values — received ${lineWarnings} bad rows`,
          { file: source.path, line: lastLine },
        ),
      );
    }
    if (facts.series.length === 0) {
      facts.diagnostics.push({
        severity: "error",
        code: "metrics-csv/no-data",
        message: "no metric points read — expected a CSV header with a time column and rows of values — received none",
        at: { file: source.path },
      });
    }
    return facts;
  },
};

/** Declares a long-format series from its first row: name, metric and labels (series column parsed once). */
function declareSeries(out: SeriesCollector, key: string, L: Layout, cells: string[], seriesText: string): void {
  const parsed = parseSeriesName(seriesText);
  const labels: Record<string, string> = { ...parsed.labels };
  for (const c of L.labelCols) if ((cells[c] ?? "") !== "") labels[L.header[c]!] = cells[c]!;
  const metric = (L.nameCol >= 0 && cells[L.nameCol]) || parsed.metric;
  const labelText = Object.entries(labels)
    .map(([k, val]) => `${k}="${val}"`)
    .join(", ");
  const name = seriesText || (metric || labelText ? `${metric ?? ""}{${labelText}}` : L.header[L.valueCol]!);
  out.declare(key, name, null, { metric: metric ?? null, labels });
}

/** Declares one series per value column of a wide or netdata export. */
function declareColumns(out: SeriesCollector, layout: Layout, line: number, exportNo: number): void {
  layout.header.forEach((name, c) => {
    if (c === layout.timeCol) return;
    if (layout.kind === "netdata")
      out.declare(`${exportNo}:${c}`, name, line, {
        metric: `netdata_mem_${name}`,
        labels: { dimension: name },
        unit: "bytes",
      });
    else out.declare(`${exportNo}:${c}`, name, line);
  });
}

// The time column holds its header's name again: a second export concatenated.
function isHeaderAgain(cell: string, header: string): boolean {
  return cell.length === header.length && cell.toLowerCase() === header.toLowerCase();
}

function clip(text: string, n = CLIP): string {
  return text.length > n ? `${text.slice(0, n)}…` : text;
}
