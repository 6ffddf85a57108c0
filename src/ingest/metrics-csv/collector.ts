/**
 * Bounded per-series point collection for metrics CSV exports. Rows stream in (in any time
 * order); each series keeps at most `MAX_POINTS` points: when full, consecutive groups of four
 * stored points are reduced to their min and max (in time order), halving the store while
 * keeping every spike. The scrape step is the median gap of the first `STEP_SAMPLE` raw times.
 * While rows stream, a series' points live in three growing `Float64Array`s (time, value, line),
 * halved in place, and `finish` hands each series its points as columns (`PointColumns`: views on
 * these arrays when the points are in time order already, else sorted copies): no object per point
 * (a 1.2 GB export of 200 series keeps 400,000 points, 40 MiB of heap as `{ ms, value, line }`
 * objects, built when the young generation had grown to its largest: the run's peak RSS).
 *
 * Sample use: `add("container_memory_working_set_bytes{pod=\"x\"}", 1718000000000, 5.1e8, 12)`.
 */
import type { MetricSeries, PointColumns } from "../../model/facts.js";
import type { SourceRef } from "../../model/source.js";
import { parseSeriesName, unitOfName } from "./values.js";

/**
 * Most points kept per series (downsampled beyond it).
 * @internal exported for its tests (not the public API)
 */
export const MAX_POINTS = 2000;
/** Raw times sampled for the scrape step. */
const STEP_SAMPLE = 1001;

/** Points a series' arrays start with (doubled as needed up to `MAX_POINTS + 1`). */
const FIRST_CAPACITY = 64;

/** The stored points of one series: `n` entries of three parallel arrays. */
interface PointStore {
  n: number;
  ms: Float64Array;
  value: Float64Array;
  line: Float64Array;
}

interface Building {
  name: string;
  firstLine: number;
  lastLine: number;
  headerLine: number | null;
  points: PointStore;
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

  constructor(
    private readonly file: string,
    private readonly fileUnitHint: MetricSeries["unit"] | null,
  ) {}

  /**
   * Declares a series (a wide column, or a long-format series key) before its points: its
   * printed name, the line that named it, and metric/labels when the export had them as columns.
   */
  declare(
    key: string,
    name: string,
    line: number | null,
    known?: { metric: string | null; labels: Record<string, string>; unit?: MetricSeries["unit"] },
  ): void {
    if (this.series.has(key)) return;
    const parsed = known ?? parseSeriesName(name);
    this.series.set(key, {
      name,
      firstLine: line ?? Infinity,
      lastLine: 0,
      headerLine: line,
      points: store(FIRST_CAPACITY),
      raw: 0,
      times: [],
      byteUnit: false,
      unitHint: known?.unit ?? null,
      metric: parsed.metric,
      labels: parsed.labels,
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
    let p = s.points;
    if (p.n === p.ms.length) p = s.points = grown(p);
    p.ms[p.n] = ms;
    p.value[p.n] = value;
    p.line[p.n] = line;
    if (++p.n > MAX_POINTS) halve(p);
  }

  /** The series read, each sorted by time, with unit, raw count and step. Series without points are dropped. */
  finish(): MetricSeries[] {
    const out: MetricSeries[] = [];
    for (const s of this.series.values()) {
      if (s.raw === 0) continue;
      const points = sortedColumns(s.points);
      const source: SourceRef = { file: this.file, line: s.headerLine ?? s.firstLine };
      if (s.lastLine > (source.line ?? 0)) source.endLine = s.lastLine;
      out.push({
        source,
        metric: s.metric,
        labels: s.labels,
        name: s.name,
        unit: unitOf(s, this.fileUnitHint),
        points,
        rawPoints: s.raw,
        stepMs: medianGap(s.times),
      });
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

function store(capacity: number): PointStore {
  return { n: 0, ms: new Float64Array(capacity), value: new Float64Array(capacity), line: new Float64Array(capacity) };
}

/** `p` with twice the room (at most `MAX_POINTS + 1`: one over the bound triggers a halving). */
function grown(p: PointStore): PointStore {
  const next = store(Math.min(p.ms.length * 2, MAX_POINTS + 1));
  next.ms.set(p.ms);
  next.value.set(p.value);
  next.line.set(p.line);
  next.n = p.n;
  return next;
}

/**
 * Groups of four consecutive points → their min and max (the first of equal ones), in time
 * order, one point when they are the same; written over the front of the arrays.
 */
function halve(p: PointStore): void {
  let out = 0;
  for (let i = 0; i < p.n; i += 4) {
    const end = Math.min(i + 4, p.n);
    let lo = i;
    let hi = i;
    for (let j = i + 1; j < end; j++) {
      if (p.value[j]! < p.value[lo]!) lo = j;
      if (p.value[j]! > p.value[hi]!) hi = j;
    }
    // Both are read before either is written: `out` may land on either (it never passes the
    // group's start). No arrays: this runs for every fourth point of a long export.
    const first = lo === hi || p.ms[lo]! <= p.ms[hi]! ? lo : hi;
    const second = lo === hi ? -1 : first === lo ? hi : lo;
    const ms2 = second < 0 ? 0 : p.ms[second]!;
    const value2 = second < 0 ? 0 : p.value[second]!;
    const line2 = second < 0 ? 0 : p.line[second]!;
    put(p, out++, p.ms[first]!, p.value[first]!, p.line[first]!);
    if (second >= 0) put(p, out++, ms2, value2, line2);
  }
  p.n = out;
}

function put(p: PointStore, i: number, ms: number, value: number, line: number): void {
  p.ms[i] = ms;
  p.value[i] = value;
  p.line[i] = line;
}

/**
 * The stored points as columns of length `p.n`, sorted by time, then line (ties keep their storage
 * order): views on the store when it is in that order already (exports list a series' rows in time
 * order, and halving keeps it), else sorted copies.
 */
function sortedColumns(p: PointStore): PointColumns {
  const before = (a: number, b: number): number => p.ms[a]! - p.ms[b]! || p.line[a]! - p.line[b]!;
  let inOrder = true;
  for (let i = 1; i < p.n && inOrder; i++) inOrder = before(i - 1, i) <= 0;
  if (inOrder) return { ms: p.ms.subarray(0, p.n), value: p.value.subarray(0, p.n), line: p.line.subarray(0, p.n) };
  const order = Array.from({ length: p.n }, (_, i) => i).sort(before);
  const out: PointColumns = { ms: new Float64Array(p.n), value: new Float64Array(p.n), line: new Float64Array(p.n) };
  order.forEach((from, to) => {
    out.ms[to] = p.ms[from]!;
    out.value[to] = p.value[from]!;
    out.line[to] = p.line[from]!;
  });
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
