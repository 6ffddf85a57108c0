/**
 * Reading `MetricSeries.points` (columns, see `PointColumns` in `model/facts.ts`) as point objects,
 * for the code that walks one series with array methods (the subject's usage runs, the node's
 * memory record): objects for the few series analysed in depth, never for every series read.
 *
 * Sample: `pointList({ ms: Float64Array.of(1718000000000), value: Float64Array.of(5.1e8), line: Float64Array.of(12) })`
 * → `[{ ms: 1718000000000, value: 510000000, line: 12 }]`.
 */
import type { PointColumns, SeriesPoint } from "./facts.js";

/** Point `i` of `p` as an object (`i` in range: 0 ≤ i < `p.ms.length`). */
export function pointAt(p: PointColumns, i: number): SeriesPoint {
  return { ms: p.ms[i]!, value: p.value[i]!, line: p.line[i]! };
}

/** Every point of `p` as an object, in order. */
export function pointList(p: PointColumns): SeriesPoint[] {
  const out: SeriesPoint[] = new Array(p.ms.length);
  for (let i = 0; i < out.length; i++) out[i] = pointAt(p, i);
  return out;
}

/**
 * Columns holding `points`, in order: a series built by hand.
 * @internal exported for its tests (not the public API)
 */
export function pointColumns(points: readonly SeriesPoint[]): PointColumns {
  return {
    ms: Float64Array.from(points, (p) => p.ms),
    value: Float64Array.from(points, (p) => p.value),
    line: Float64Array.from(points, (p) => p.line),
  };
}
