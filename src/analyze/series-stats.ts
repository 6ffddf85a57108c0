/**
 * Small statistics over metric points: quantiles, least-squares slope with R², Pearson
 * correlation, and min/max downsampling for charts.
 *
 * Sample: `linearFit([{ms: 0, value: 100}, {ms: 60_000, value: 160}])` → `{slopePerSec: 1, r2: 1}`.
 */
import type { PointColumns } from "../model/facts.js";

/** A point of a series: epoch ms and value. */
interface XY {
  ms: number;
  value: number;
}

/** The q-quantile (0..1) of values sorted ascending, nearest-rank; NaN when empty. */
export function quantile(sortedValues: number[], q: number): number {
  if (sortedValues.length === 0) return NaN;
  const i = Math.min(sortedValues.length - 1, Math.max(0, Math.ceil(q * sortedValues.length) - 1));
  return sortedValues[i]!;
}

/** Least-squares line through the points: slope in value units per second, and R² (0 when flat or under 3 points). */
export function linearFit(points: XY[]): { slopePerSec: number; r2: number } {
  const n = points.length;
  if (n < 2) return { slopePerSec: 0, r2: 0 };
  const x0 = points[0]!.ms;
  let sx = 0,
    sy = 0,
    sxx = 0,
    sxy = 0,
    syy = 0;
  for (const p of points) {
    const x = (p.ms - x0) / 1000;
    sx += x;
    sy += p.value;
    sxx += x * x;
    sxy += x * p.value;
    syy += p.value * p.value;
  }
  const vx = sxx - (sx * sx) / n;
  const vy = syy - (sy * sy) / n;
  const cov = sxy - (sx * sy) / n;
  if (vx <= 0) return { slopePerSec: 0, r2: 0 };
  const slopePerSec = cov / vx;
  const r2 = n < 3 || vy <= 0 ? 0 : Math.min(1, (cov * cov) / (vx * vy));
  return { slopePerSec, r2 };
}

/** Pearson correlation of two equally long value lists; 0 when either is constant. */
export function correlation(a: number[], b: number[]): number {
  const n = Math.min(a.length, b.length);
  if (n < 3) return 0;
  const ma = a.slice(0, n).reduce((s, v) => s + v, 0) / n;
  const mb = b.slice(0, n).reduce((s, v) => s + v, 0) / n;
  let cov = 0,
    va = 0,
    vb = 0;
  for (let i = 0; i < n; i++) {
    cov += (a[i]! - ma) * (b[i]! - mb);
    va += (a[i]! - ma) ** 2;
    vb += (b[i]! - mb) ** 2;
  }
  return va <= 0 || vb <= 0 ? 0 : cov / Math.sqrt(va * vb);
}

/** The value of a series' time-sorted points at `ms` (the latest point at or before it, else the first); null when empty. */
export function valueAt(points: PointColumns, ms: number): number | null {
  const { ms: times, value } = points;
  if (times.length === 0) return null;
  let lo = 0,
    hi = times.length - 1;
  if (times[0]! > ms) return value[0]!;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (times[mid]! <= ms) lo = mid;
    else hi = mid - 1;
  }
  return value[lo]!;
}

/** At most `max` points: buckets of consecutive points reduced to their min and max, in time order. */
export function downsample<P extends XY>(points: P[], max: number): P[] {
  if (points.length <= max) return points;
  const size = Math.ceil(points.length / Math.floor(max / 2));
  const out: P[] = [];
  for (let i = 0; i < points.length; i += size) {
    const bucket = points.slice(i, i + size);
    let lo = bucket[0]!,
      hi = bucket[0]!;
    for (const p of bucket) {
      if (p.value < lo.value) lo = p;
      if (p.value > hi.value) hi = p;
    }
    if (lo === hi) out.push(lo);
    else out.push(...(lo.ms <= hi.ms ? [lo, hi] : [hi, lo]));
  }
  return out;
}
