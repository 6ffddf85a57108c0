/**
 * The usage series behind the verdict: the subject's memory series (preferring
 * `container_memory_working_set_bytes`, then RSS, then any bytes series) split into runs at
 * restarts — a drop below half the previous value, an increment of a restarts counter, or a
 * kill — with per-run statistics (min/median/p99/max, least-squares slope and R², time to limit).
 *
 * Sample series point: `container_memory_working_set_bytes{pod="worker-7b9"}` at
 * 2026-06-09T10:04:00Z = 251658240 bytes; a run reads "grows 37 MiB/min (R² 0.99), reaches the
 * 512 MiB limit 11m after start".
 */
import type { SubjectFacts } from "../correlate/index.js";
import type { MetricSeries, PointColumns, SeriesPoint as Point } from "../model/facts.js";
import type { Kill, RunStats, UsageSeries } from "../model/incident.js";
import { pointList } from "../model/series-points.js";
import type { Evidence } from "../model/source.js";
import { formatBytes, formatDuration, formatTime, iso } from "../util/format.js";
import { downsample, linearFit, quantile } from "./series-stats.js";

/** One run of the series with its points and whether a kill ended it. */
export interface UsageRun extends RunStats {
  startMs: number;
  endMs: number;
  points: Point[];
  /** The kill (epoch ms) that ended this run, if one falls in it. */
  killMs: number | null;
}

/** Everything the rules and sizing need about the subject's usage. */
export interface UsageView {
  series: MetricSeries;
  /** `series.points` as objects, in time order (each run holds a slice of them). */
  points: Point[];
  limitBytes: number | null;
  /** Where the limit came from, in words (`limits.memory`, a series name, the kernel report). */
  limitSource: string | null;
  runs: UsageRun[];
  stepSec: number | null;
  /** Cites the series: file, header/first line, name and time range. */
  evidence: Evidence;
  restartsMs: number[];
  killsMs: number[];
  /** A request-rate series of the subject (per-second), if the bundle has one. */
  rate: MetricSeries | null;
}

/** A drop below this share of the previous value is a restart. */
const RESTART_DROP = 0.5;
/** Usage at or above this share of the limit has reached it. */
const AT_LIMIT = 0.95;
/** Points on the chart. */
const CHART_POINTS = 500;
const LIMIT_SOURCE_WORDS = {
  kernel: "the kernel's OOM report",
  spec: "limits.memory",
  "memcg-snapshot": "memory.max",
  metrics: "a limit metric",
} as const;
/** Request series and other bytes series that are not usage. */
const NOT_USAGE = /resource_requests|request|limit|free|avail|swap|total_bytes|capacity|allocatable/i;
const WORKING_SET = /working_?set/i;
const RSS = /\brss\b|_rss|anon/i;
const RESTARTS = /restart/i;
/** Node-level series: netdata memory charts, node_exporter. */
const NODE_SERIES = /^(?:netdata_|node_)/;

/** The subject's usage series, split into runs, with per-run stats and chart points; null without a memory series. */
export function usageSeries(s: SubjectFacts, kills: Kill[]): UsageSeries | null {
  const v = usageView(s, kills);
  if (!v) return null;
  return {
    metric: v.series.metric ?? v.series.name,
    evidence: v.evidence,
    limitBytes: v.limitBytes,
    points: downsample(v.points, CHART_POINTS).map((p) => [p.ms, p.value] as [number, number]),
    restarts: v.restartsMs.flatMap((ms) => iso(ms) ?? []),
    restartCount: s.container?.restartCount ?? null,
    kills: v.killsMs.flatMap((ms) => iso(ms) ?? []),
    runs: v.runs.map(
      ({ start, end, minBytes, medianBytes, p99Bytes, maxBytes, slopeBytesPerSec, r2, timeToLimitSec, killMs }, i) => ({
        start,
        end,
        minBytes,
        medianBytes,
        p99Bytes,
        maxBytes,
        slopeBytesPerSec,
        r2,
        timeToLimitSec,
        endedBy: killMs !== null ? "kill" : i < v.runs.length - 1 ? "restart" : null,
      }),
    ),
    stepSec: v.stepSec,
  };
}

/** Views already built, per subject and kill list: four rules and the incident's usage block ask for the same one. */
const views = new WeakMap<SubjectFacts, WeakMap<Kill[], UsageView | null>>();

/**
 * The usage view of a subject (series, limit, runs); null when the subject has no memory series
 * with points. Built once per subject and kill list (the facts do not change after correlate),
 * the same object on every call: callers read it, never change it.
 */
export function usageView(s: SubjectFacts, kills: Kill[]): UsageView | null {
  let byKills = views.get(s);
  if (!byKills) views.set(s, (byKills = new WeakMap()));
  if (!byKills.has(kills)) byKills.set(kills, buildUsageView(s, kills));
  return byKills.get(kills)!;
}

function buildUsageView(s: SubjectFacts, kills: Kill[]): UsageView | null {
  // Node-wide series (netdata system.ram, node_exporter) say nothing about one container's usage.
  const own = s.subject.container !== null ? s.series.filter((x) => !NODE_SERIES.test(x.metric ?? "")) : s.series;
  const series = pickMemorySeries(own, s.subject.container, s.subject.pod);
  if (!series) return null;
  const limit = limitFor(s);
  const killsMs = kills
    .map((k) => (k.time ? Date.parse(k.time) : NaN))
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  const restartSeries = s.series.find((x) => x.unit === "count" && RESTARTS.test(`${x.metric ?? ""} ${x.name}`));
  const restartsMs = mergeNear([...(restartSeries ? increments(restartSeries.points) : []), ...kubeletRestarts(s)]);
  const points = pointList(series.points);
  const runs = runsOf(points, series.stepMs, killsMs, restartsMs, limit.bytes);
  const first = points[0]!,
    last = points.at(-1)!;
  const stepSec = series.stepMs === null ? null : series.stepMs / 1000;
  const evidence: Evidence = {
    file: series.source.file,
    ...(series.source.line !== undefined ? { line: series.source.line } : {}),
    text: `${series.name} — ${series.rawPoints} points ${formatTime(first.ms)} … ${formatTime(last.ms)}${stepSec !== null ? `, step ${formatDuration(stepSec)}` : ""}`,
  };
  const rate = s.series.find((x) => x.unit === "per-second") ?? null;
  return {
    series,
    points,
    limitBytes: limit.bytes,
    limitSource: limit.source,
    runs,
    stepSec,
    evidence,
    restartsMs,
    killsMs,
    rate,
  };
}

/**
 * The memory series to read: working set, then RSS, then any bytes series; one naming the subject's container wins ties, then the longest.
 * @internal exported for its tests (not the public API)
 */
export function pickMemorySeries(
  all: MetricSeries[],
  container: string | null,
  pod: string | null,
): MetricSeries | null {
  const scored = all
    .filter((x) => x.unit === "bytes" && x.points.ms.length > 0 && !NOT_USAGE.test(`${x.metric ?? ""} ${x.name}`))
    .map((x) => {
      const text = `${x.metric ?? ""} ${x.name}`;
      const kind = WORKING_SET.test(text) ? 3 : RSS.test(text) ? 2 : 1;
      const named =
        (container !== null && (x.labels["container"] === container || x.name.includes(container))) ||
        (pod !== null && x.name.includes(pod))
          ? 0.5
          : 0;
      return { x, score: kind + named };
    })
    .sort((a, b) => b.score - a.score || b.x.rawPoints - a.x.rawPoints);
  return scored[0]?.x ?? null;
}

/**
 * Splits a series' points (scraped every `stepMs` ms, null when unknown) into runs at restarts:
 * drops below half the previous value, restart-counter increments and kills (epoch ms) not
 * already explained by a drop within 3 points. Each run gets its stats; `timeToLimitSec` is the
 * time to the first point at ≥ 95 % of the limit, else to the kill that ended the run.
 */
function runsOf(
  pts: Point[],
  stepMs: number | null,
  killsMs: number[],
  restartsMs: number[],
  limitBytes: number | null,
): UsageRun[] {
  if (pts.length === 0) return [];
  const drops: number[] = [];
  for (let i = 1; i < pts.length; i++) if (pts[i]!.value < RESTART_DROP * pts[i - 1]!.value) drops.push(i);
  const events: number[] = [];
  for (const t of [...killsMs, ...restartsMs]) {
    const idx = pts.findIndex((p) => p.ms > t);
    if (idx > 0 && !drops.some((d) => Math.abs(d - idx) <= 3)) events.push(idx);
  }
  const cuts: number[] = [];
  for (const c of [...new Set([...drops, ...events])].sort((a, b) => a - b))
    if (c - (cuts.at(-1) ?? 0) > 2) cuts.push(c);
  const bounds = [0, ...cuts, pts.length];
  const runs: UsageRun[] = [];
  for (let r = 0; r + 1 < bounds.length; r++) {
    const points = pts.slice(bounds[r], bounds[r + 1]);
    const nextStart = bounds[r + 1]! < pts.length ? pts[bounds[r + 1]!]!.ms : Infinity;
    const slack = Math.max(2 * (stepMs ?? 0), 60_000);
    const end = points.at(-1)!.ms;
    const killMs = killsMs.find((k) => k >= points[0]!.ms && k <= Math.min(nextStart, end + slack)) ?? null;
    runs.push(runStats(points, limitBytes, killMs));
  }
  return runs;
}

function runStats(points: Point[], limitBytes: number | null, killMs: number | null): UsageRun {
  const values = points.map((p) => p.value).sort((a, b) => a - b);
  const { slopePerSec, r2 } = linearFit(points);
  const startMs = points[0]!.ms,
    endMs = points.at(-1)!.ms;
  const reached =
    limitBytes !== null && limitBytes > 0 ? points.find((p) => p.value >= AT_LIMIT * limitBytes) : undefined;
  const timeToLimitSec = reached ? (reached.ms - startMs) / 1000 : killMs !== null ? (killMs - startMs) / 1000 : null;
  return {
    start: iso(startMs),
    end: iso(endMs),
    startMs,
    endMs,
    points,
    killMs,
    minBytes: values[0]!,
    medianBytes: quantile(values, 0.5),
    p99Bytes: quantile(values, 0.99),
    maxBytes: values.at(-1)!,
    slopeBytesPerSec: slopePerSec,
    r2,
    timeToLimitSec,
  };
}

/** The subject's resolved limit (`correlate/limit.ts`) and where it was read, in words. */
function limitFor(s: SubjectFacts): { bytes: number | null; source: string | null } {
  if (!s.limit) return { bytes: null, source: null };
  return { bytes: s.limit.bytes, source: LIMIT_SOURCE_WORDS[s.limit.source] };
}

/**
 * Restart times the kubelet's records give: the start of the current run after a terminated one,
 * and, after two or more restarts, the start of the run that ended (it too followed a restart).
 */
export function kubeletRestarts(s: SubjectFacts): number[] {
  const c = s.container;
  if (!c || (c.restartCount ?? 0) === 0) return [];
  const out: number[] = [];
  if (c.lastState?.kind === "terminated" && c.state?.startedAtMs != null) out.push(c.state.startedAtMs);
  if ((c.restartCount ?? 0) >= 2 && c.lastState?.startedAtMs != null) out.push(c.lastState.startedAtMs);
  return out;
}

/** Sorted times with those within a minute of the previous one dropped (one restart seen twice). */
function mergeNear(times: number[]): number[] {
  const out: number[] = [];
  for (const t of [...times].sort((a, b) => a - b)) if (out.length === 0 || t - out.at(-1)! > 60_000) out.push(t);
  return out;
}

/** Times where a counter went up. */
function increments(points: PointColumns): number[] {
  const { ms, value } = points;
  const out: number[] = [];
  for (let i = 1; i < value.length; i++) if (value[i]! > value[i - 1]!) out.push(ms[i]!);
  return out;
}

/** Evidence for one point of the view's series: file, its line, and the value with its time. */
export function pointEvidence(view: UsageView, p: Point): Evidence {
  return {
    file: view.series.source.file,
    line: p.line,
    text: `${view.series.name} = ${formatBytes(p.value)} at ${formatTime(iso(p.ms))}`,
  };
}

/** Runs with enough points (≥ 5) to read a shape from. */
export function usableRuns(view: UsageView): UsageRun[] {
  return view.runs.filter((r) => r.points.length >= 5);
}

/** True when the run grows steadily: positive slope, R² > 0.8, and growth over the run ≥ 20 % of the limit (or of its max). */
export function isGrowing(r: UsageRun, limitBytes: number | null): boolean {
  const growth = r.slopeBytesPerSec * ((r.endMs - r.startMs) / 1000);
  return r.slopeBytesPerSec > 0 && r.r2 > 0.8 && growth >= 0.2 * (limitBytes ?? r.maxBytes);
}
