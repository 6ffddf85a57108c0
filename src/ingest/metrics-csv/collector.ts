/**
 * Bounded per-series point collection for metrics CSV exports. Rows stream in (in any time
 * order); each series keeps at most `MAX_POINTS` points: when full, consecutive groups of four
 * stored points are reduced to their min and max (in time order), halving the store while
 * keeping every spike. The scrape step is the median gap of the first `STEP_SAMPLE` raw times.
 *
 * Sample use: `add("container_memory_working_set_bytes{pod=\"x\"}", 1718000000000, 5.1e8, 12)`.
 */
import type { MetricSeries } from "../../model/facts.js";
import type { SourceRef } from "../../model/source.js";
import { parseSeriesName, unitOfName } from "./values.js";

/** Most points kept per series (downsampled beyond it). */
export const MAX_POINTS = 2000;
/** Raw times sampled for the scrape step. */
const STEP_SAMPLE = 1001;

type Point = MetricSeries["points"][number];

interface Building {
  name: string;
  firstLine: number;
  lastLine: number;
  headerLine: number | null;
  points: Point[];
  raw: number;
  times: number[];
  byteUnit: boolean;
  unitHint: MetricSeries["unit"] | null;
  metric: string | null;
  labels: Record<string, string>;
}

/** Collects points per series key, bounded, and builds the `MetricSeries` at the end. */
export class SeriesCollector {
  private readonly series = new Map<string, Building>();

  constructor(private readonly file: string, private readonly fileUnitHint: MetricSeries["unit"] | null) {}

  /**
   * Declares a series (a wide column, or a long-format series key) before its points: its
   * printed name, the line that named it, and metric/labels when the export had them as columns.
   */
  declare(key: string, name: string, line: number | null, known?: { metric: string | null; labels: Record<string, string>; unit?: MetricSeries["unit"] }): void {
    if (this.series.has(key)) return;
    const parsed = known ?? parseSeriesName(name);
    this.series.set(key, {
      name, firstLine: line ?? Infinity, lastLine: 0, headerLine: line, points: [], raw: 0, times: [], byteUnit: false,
      unitHint: known?.unit ?? null, metric: parsed.metric, labels: parsed.labels,
    });
  }

  /** True once `key` is declared. */
  has(key: string): boolean {
    return this.series.has(key);
  }

  /** Adds one raw point (epoch ms, value, 1-based line) to a declared series. */
  add(key: string, ms: number, value: number, line: number, byteUnit: boolean): void {
    const s = this.series.get(key);
    if (!s) return;
    s.raw++;
    if (byteUnit) s.byteUnit = true;
    s.firstLine = Math.min(s.firstLine, line);
    s.lastLine = Math.max(s.lastLine, line);
    if (s.times.length < STEP_SAMPLE) s.times.push(ms);
    s.points.push({ ms, value, line });
    if (s.points.length > MAX_POINTS) s.points = halve(s.points);
  }

  /** The series read, each sorted by time, with unit, raw count and step. Series without points are dropped. */
  finish(): MetricSeries[] {
    const out: MetricSeries[] = [];
    for (const s of this.series.values()) {
      if (s.raw === 0) continue;
      const points = s.points.sort((a, b) => a.ms - b.ms || a.line - b.line);
      const source: SourceRef = { file: this.file, line: s.headerLine ?? s.firstLine };
      if (s.lastLine > (source.line ?? 0)) source.endLine = s.lastLine;
      out.push({ source, metric: s.metric, labels: s.labels, name: s.name, unit: unitOf(s, this.fileUnitHint), points, rawPoints: s.raw, stepMs: medianGap(s.times) });
    }
    return out;
  }
}

/** The unit: from the column hint, the name, byte units in the values, else the file name's hint. */
function unitOf(s: Building, fileHint: MetricSeries["unit"] | null): MetricSeries["unit"] {
  if (s.unitHint) return s.unitHint;
  const byName = unitOfName(`${s.metric ?? ""} ${s.name} ${Object.values(s.labels).join(" ")}`);
  if (byName !== "unknown") return byName;
  if (s.byteUnit) return "bytes";
  return fileHint ?? "unknown";
}

/** Groups of four consecutive points → their min and max, in time order. */
function halve(points: Point[]): Point[] {
  const out: Point[] = [];
  for (let i = 0; i < points.length; i += 4) {
    const group = points.slice(i, i + 4);
    let lo = group[0]!;
    let hi = group[0]!;
    for (const p of group) {
      if (p.value < lo.value) lo = p;
      if (p.value > hi.value) hi = p;
    }
    if (lo === hi) out.push(lo);
    else if (lo.ms <= hi.ms) out.push(lo, hi);
    else out.push(hi, lo);
  }
  return out;
}

/** Median positive gap between the sampled times (sorted first: rows may come newest first). */
function medianGap(times: number[]): number | null {
  const sorted = [...times].sort((a, b) => a - b);
  const gaps: number[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const g = sorted[i]! - sorted[i - 1]!;
    if (g > 0) gaps.push(g);
  }
  if (gaps.length === 0) return null;
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)]!;
}
