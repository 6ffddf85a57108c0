/**
 * The node's own memory record around a kill: node-level series from sysstat (`sadf -x`, `sar
 * -r`) or node_exporter exports — `node_memory_MemAvailable_bytes` (else `MemFree`), sysstat's
 * `%memused` and `%commit` — read at the last sample at or before the kill (or, when the kill
 * cannot be placed, at the lowest available memory), with the sample cited.
 *
 * Sample reading: "node memory at 2025-11-24T15:59:01Z: 212 MiB available, 97.6% used, commit 145% of RAM+swap".
 */
import type { MetricSeries } from "../model/facts.js";
import { pointList } from "../model/series-points.js";
import type { Evidence } from "../model/source.js";
import { formatBytes, formatTime } from "../util/format.js";

/** What the node record says at the kill. */
interface NodeMemoryReading {
  words: string;
  evidence: Evidence[];
  availableBytes: number | null;
}

const AVAILABLE = ["node_memory_MemAvailable_bytes", "node_memory_MemFree_bytes"];
const USED_PERCENT = "node_memory_sysstat_memused_percent";
const COMMIT_PERCENT = "node_memory_sysstat_commit_percent";

/** The reading of `node` (any node when null or unlabelled) at `atMs` (null: the tightest sample). */
export function nodeMemoryAt(
  series: MetricSeries[],
  node: string | null,
  atMs: number | null,
): NodeMemoryReading | null {
  const own = series.filter(
    (s) =>
      s.metric !== null &&
      s.metric.startsWith("node_memory_") &&
      s.points.ms.length > 0 &&
      (node === null || s.labels["node"] === undefined || s.labels["node"] === node),
  );
  const avail = AVAILABLE.map((m) => own.find((s) => s.metric === m)).find((s) => s !== undefined);
  const used = own.find((s) => s.metric === USED_PERCENT);
  const base = avail ?? used;
  if (!base) return null;
  const points = pointList(base.points);
  const inRange = atMs !== null && atMs >= points[0]!.ms && atMs <= points.at(-1)!.ms + (base.stepMs ?? 0) * 2;
  const point = inRange
    ? [...points].reverse().find((p) => p.ms <= atMs!)!
    : base === avail
      ? points.reduce((a, b) => (b.value < a.value ? b : a))
      : points.reduce((a, b) => (b.value > a.value ? b : a));
  // The other series' sample at the same time, if it has one.
  const at = (s: MetricSeries | undefined) => {
    const i = s ? s.points.ms.indexOf(point.ms) : -1;
    return i < 0 ? null : s!.points.value[i]!;
  };
  const parts: string[] = [];
  const availBytes = avail ? at(avail) : null;
  if (availBytes !== null)
    parts.push(`${formatBytes(availBytes)} ${avail!.metric!.includes("Free") ? "free" : "available"}`);
  const usedPct = at(used);
  if (usedPct !== null) parts.push(`${usedPct}% used`);
  const commit = at(own.find((s) => s.metric === COMMIT_PERCENT));
  if (commit !== null) parts.push(`commit ${commit}% of RAM+swap`);
  const when = formatTime(point.ms);
  const how = inRange ? "the last sample before the kill" : "its tightest sample";
  const words = `the node's memory record (${how}, ${when}): ${parts.join(", ")}`;
  return {
    words,
    evidence: [{ file: base.source.file, line: point.line, text: `${when} ${parts.join(", ")}` }],
    availableBytes: availBytes,
  };
}
