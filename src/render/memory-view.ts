/**
 * View models of an incident's memory sections: "Where the memory went" (`Incident.anatomy`)
 * and "Usage over time" (`Incident.usage`), as ready-to-print Markdown strings for
 * `templates/partials/anatomy.hbs` and `usage.hbs`, plus the usage chart (trusted SVG,
 * `chart.ts`) that only the HTML report places.
 *
 * Every artifact string (part names, notes, metric names, evidence files and text, times
 * that did not parse) is escaped here as in `view-model.ts`.
 *
 * Sample: the anatomy row `{part: "anon", bytes: 1887436800, shareOfLimit: 0.8789,
 * evidence: {file: "memory.stat", line: 1, text: "anon 1887436800"}}` becomes
 * `{part: "anon", bytes: "1.8 GiB", share: "87.9%", evidence: "`memory.stat:1`"}`; the run
 * `{start: "2026-06-09T05:00:00Z", …, slopeBytesPerSec: 58254.2, r2: 0.97, timeToLimitSec: 21737}`
 * becomes `{start: "2026-06-09 05:00:00 UTC", …, slope: "+3.33 MiB/min", r2: "0.97",
 * timeToLimit: "6 h 2 min"}`.
 */
import type { MemoryAnatomy, RunStats, UsageSeries } from "../model/incident.js";
import { usageChartSvg } from "./chart.js";
import type { Citations } from "./cite.js";
import {
  formatBytes,
  formatDuration,
  formatPercent,
  formatR2,
  formatRate,
  formatTime,
  percentOf,
  UNKNOWN,
} from "../util/format.js";
import { escapeMarkdown, inlineCode } from "./markdown-escape.js";

/** The "Where the memory went" section. All strings are Markdown. */
export interface AnatomyView {
  /** One sentence: when the snapshot was taken and where it was read. */
  sourceLine: string;
  rows: AnatomyRowView[];
  noRows: string;
  /** One line: usage, limit, working set and OOM risk, each against the limit. */
  totals: string;
  /** The analysis notes, escaped. */
  notes: string[];
}

/** One row of the anatomy table. */
interface AnatomyRowView {
  part: string;
  bytes: string;
  share: string;
  evidence: string;
}

/** The "Usage over time" section. All strings are Markdown except `chart` (SVG). */
export interface UsageView {
  /** One sentence: metric, where it was read, scrape step, points, limit. */
  metricLine: string;
  runs: RunRowView[];
  noRuns: string;
  /** Runs left out of the short table, in words, or null. */
  moreRuns: string | null;
  /** One line: the kills and the restarts in the series, with their times. */
  eventsLine: string;
  /**
   * The chart as trusted SVG markup (numbers and HTML-escaped text only), or null when the
   * series has nothing to draw. Only the HTML report prints it.
   */
  chart: string | null;
}

/** One row of the per-run table. */
interface RunRowView {
  run: string;
  start: string;
  end: string;
  min: string;
  median: string;
  p99: string;
  max: string;
  slope: string;
  r2: string;
  timeToLimit: string;
  /** `OOM kill`, `restart (no kill record)`, or `—` for the run the series ends in. */
  ended: string;
}

/** How many kill/restart times the events line names before "and N more". */
const EVENTS_LISTED = 10;

/** Parts below this share of the limit are left out of the short table. */
const SMALL_PART = 0.01;
/** Runs in the short table. */
const SHORT_RUNS = 4;

/** Builds the anatomy section view; the short table leaves out parts under 1% of the limit. */
export function anatomyView(anatomy: MemoryAnatomy, cite: Citations, full = true): AnatomyView {
  const limit = anatomy.limitBytes;
  const when = anatomy.time ? `taken ${escapeMarkdown(formatTime(anatomy.time))}` : "time not known";
  const rows = full
    ? anatomy.rows
    : anatomy.rows.filter((r) => r.shareOfLimit === null || r.shareOfLimit >= SMALL_PART);
  return {
    sourceLine: `Snapshot ${when}, read from ${cite.item(anatomy.source)}.`,
    rows: rows.map((row) => ({
      part: escapeMarkdown(row.part) || UNKNOWN,
      bytes: formatBytes(row.bytes),
      share: formatPercent(row.shareOfLimit),
      evidence: row.evidence ? cite.refs([row.evidence]) : UNKNOWN,
    })),
    noRows: "The snapshot has no breakdown by part.",
    totals:
      `Usage ${bytesOfLimit(anatomy.usageBytes, limit)}; limit ${limit === null ? "unknown or unlimited" : formatBytes(limit)}; ` +
      `working set (usage − inactive file, as the kubelet counts it) ${bytesOfLimit(anatomy.workingSetBytes, limit)}; ` +
      `OOM risk (usage − (file − shmem): memory that cannot be reclaimed) ${bytesOfLimit(anatomy.oomRiskBytes, limit)}.`,
    notes: anatomy.notes.map(escapeMarkdown).filter((n) => n !== ""),
  };
}

/** Builds the usage section view; `chartTitle` is plain text (escaped by the chart). The short table keeps the last runs. */
export function usageView(usage: UsageSeries, chartTitle: string, cite: Citations, full = true): UsageView {
  const step =
    usage.stepSec !== null && Number.isFinite(usage.stepSec) && usage.stepSec > 0
      ? `scraped every ${formatDuration(usage.stepSec)} (spikes shorter than that do not show)`
      : "scrape step unknown";
  const runs = full ? usage.runs : usage.runs.slice(-SHORT_RUNS);
  const left = usage.runs.length - runs.length;
  return {
    metricLine:
      `Metric ${inlineCode(usage.metric)} from ${cite.ref(usage.evidence.file, usage.evidence.line)}, ${step}; ` +
      `${usage.points.length} ${usage.points.length === 1 ? "point" : "points"}; limit ${usage.limitBytes === null ? "unknown" : formatBytes(usage.limitBytes)}.`,
    runs: runs.map((r) => runRow(r, usage.runs.indexOf(r))),
    noRuns: "The series has no run to summarise.",
    moreRuns: left > 0 ? `${left} earlier ${left === 1 ? "run" : "runs"} with \`--detail full\`.` : null,
    eventsLine: `Kills: ${eventList(usage.kills)}. Restarts: ${restartList(usage)}.`,
    chart: usageChartSvg(usage, chartTitle),
  };
}

function runRow(run: RunStats, i: number): RunRowView {
  return {
    run: String(i + 1),
    start: escapeMarkdown(formatTime(run.start)),
    end: escapeMarkdown(formatTime(run.end)),
    min: formatBytes(run.minBytes),
    median: formatBytes(run.medianBytes),
    p99: formatBytes(run.p99Bytes),
    max: formatBytes(run.maxBytes),
    slope: formatRate(run.slopeBytesPerSec),
    // Truncated, so 0.9996 reads 0.999 and only a perfect fit reads 1.000.
    r2: formatR2(run.r2),
    timeToLimit: run.timeToLimitSec === null ? "not reached" : formatDuration(run.timeToLimitSec),
    ended: run.endedBy === "kill" ? "OOM kill" : run.endedBy === "restart" ? "restart (no kill record)" : "—",
  };
}

/** The restarts placed in time, and the kubelet's Restart Count when it counts more of them. */
function restartList(usage: UsageSeries): string {
  const placed = eventList(usage.restarts);
  const count = usage.restartCount ?? null;
  if (count === null || count <= usage.restarts.length) return placed;
  return `${count} by the kubelet's Restart Count, ${usage.restarts.length === 0 ? "none" : placed} placed in time`;
}

/** `2 (2026-06-09 11:02:17 UTC, …)`, `none`, or the first ten and `and N more`. */
function eventList(times: string[]): string {
  if (times.length === 0) return "none";
  const shown = times.slice(0, EVENTS_LISTED).map((t) => escapeMarkdown(formatTime(t)));
  const more = times.length > EVENTS_LISTED ? ` and ${times.length - EVENTS_LISTED} more` : "";
  return `${times.length} (${shown.join(", ")}${more})`;
}

/** `1.9 GiB (95% of limit)`, or just the size when the limit is unknown. */
function bytesOfLimit(bytes: number | null, limit: number | null): string {
  const share = percentOf(bytes, limit);
  return share === UNKNOWN ? formatBytes(bytes) : `${formatBytes(bytes)} (${share} of limit)`;
}
