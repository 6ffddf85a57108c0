/**
 * Right-sizing: limit = p99 working set × 1.5, × 2.0 with an OOM history (the seeds' rule).
 * With a usage series (metrics CSV) the p99 is the highest per-run p99 of that series.
 * Without metrics the only working-set figure is the usage at the kill, which is at least the
 * old limit, so the recommendation starts from there and says so.
 */
import type { Incident, Kill, UsageSeries } from "../model/incident.js";
import { formatBytes } from "./words.js";
import { maxOf } from "../util/arrays.js";

const MI = 1024 ** 2;

/**
 * A recommended limit, rounded up to 64 MiB, with its basis in words; null when nothing to size
 * from. `usage` (optional): the subject's usage series; when it has runs, it is the basis.
 */
export function recommendLimit(kills: Kill[], containerLimit: number | null, usage?: UsageSeries | null): Incident["sizing"] {
  const fromSeries = usage ? fromUsage(kills, containerLimit, usage) : null;
  if (fromSeries) return fromSeries;
  const observed = Math.max(maxOf(kills.map((k) => Math.max(k.limitBytes ?? 0, k.anonRssBytes ?? 0)), 0), containerLimit ?? 0);
  if (observed === 0) return null;
  const factor = kills.length > 0 ? 2.0 : 1.5;
  const recommended = Math.ceil((observed * factor) / (64 * MI)) * 64 * MI;
  return {
    currentLimitBytes: containerLimit ?? kills.find((k) => k.limitBytes !== null)?.limitBytes ?? null,
    recommendedLimitBytes: recommended,
    basis: `no working-set metrics in the bundle: the usage at the kill reached ${formatBytes(observed)}; × ${factor.toFixed(1)} for an OOM history (p99 working set × 1.5, × 2.0 after OOM kills), rounded up to 64 MiB. With metrics, size from the p99 of container_memory_working_set_bytes instead`,
  };
}

/** A Kubernetes quantity for a byte count: whole Mi (`1024Mi`) or Gi (`2Gi`). */
export function toQuantity(bytes: number): string {
  return bytes % 1024 ** 3 === 0 ? `${bytes / 1024 ** 3}Gi` : `${Math.ceil(bytes / MI)}Mi`;
}

/** Sizing from the usage series: the highest per-run p99 × 1.5, × 2.0 with kills or restarts. */
function fromUsage(kills: Kill[], containerLimit: number | null, usage: UsageSeries): Incident["sizing"] {
  if (usage.runs.length === 0) return null;
  const worst = usage.runs.reduce((a, b) => (b.p99Bytes > a.p99Bytes ? b : a));
  if (!(worst.p99Bytes > 0)) return null;
  const history = kills.length > 0 || usage.kills.length > 0;
  const factor = history ? 2.0 : 1.5;
  const recommended = Math.ceil((worst.p99Bytes * factor) / (64 * MI)) * 64 * MI;
  const where = `${usage.evidence.file}${usage.evidence.line !== undefined ? `:${usage.evidence.line}` : ""}`;
  return {
    currentLimitBytes: containerLimit ?? usage.limitBytes ?? kills.find((k) => k.limitBytes !== null)?.limitBytes ?? null,
    recommendedLimitBytes: recommended,
    basis: `p99 of ${usage.metric} (${where}) is ${formatBytes(worst.p99Bytes)} in the run from ${worst.start ?? "?"} (${usage.runs.length} run${usage.runs.length === 1 ? "" : "s"}); × ${factor.toFixed(1)}${history ? " for an OOM history" : ""} (p99 working set × 1.5, × 2.0 after OOM kills), rounded up to 64 MiB`,
  };
}
