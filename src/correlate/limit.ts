/**
 * The subject's memory limit, resolved once. Every rule, the kills table, sizing and actions
 * read this one value instead of choosing among the kernel's counter, the spec, a snapshot and
 * a metric each in their own order.
 *
 * Order: the kernel's counter at the latest kill when its memcg is the container's (what was in
 * force when it died: the `memory:` line, or `memory+swap:` when only that one is finite); the
 * container's `limits.memory` (describe `Limits:`, pod spec; a LimitRange default shows there
 * too); a snapshot's `memory.max` / `memory.limit_in_bytes` of the subject's own cgroup; a limit
 * metric (`kube_pod_container_resource_limits{resource="memory"}`,
 * `container_spec_memory_limit_bytes`). When the spec agrees with the kernel to the page, the
 * spec's exact bytes are kept (the kernel rounds `memory.max` down to whole pages: `250M` is
 * printed as 244140kB); when they disagree, the kernel's is kept and the note says so.
 */
import { memcgPartFile, type MemcgSnapshot, type MetricSeries, type PodFact } from "../model/facts.js";
import { evidence, type Evidence } from "../model/source.js";
import { isUnlimited, PAGE_BYTES } from "../model/units.js";
import { pointAt } from "../model/series-points.js";
import { formatBytes } from "../util/format.js";
import type { SubjectFacts, TimedKernelKill } from "./index.js";

/** A memory limit in bytes, where it was read, and the lines that say so. */
export interface ResolvedLimit {
  bytes: number;
  /** `kernel`: the memcg counter at the kill; `spec`: limits.memory; `memcg-snapshot`: memory.max; `metrics`: a limit series. */
  source: "kernel" | "spec" | "memcg-snapshot" | "metrics";
  evidence: Evidence[];
  /** A reading that disagrees with `bytes`, in words; null when none does. */
  note: string | null;
}

/**
 * The `kubernetes.io/limit-ranger` annotation's word that the LimitRanger admission plugin set
 * this container's memory limit (the namespace's LimitRange default, not the workload's spec):
 * `LimitRanger plugin set: cpu, memory request for container etl; memory limit for container etl`
 * (plugin/pkg/admission/limitranger `annotationLimitRangerKey`, one `<resources> <request|limit>
 * for [init ]container <name>` clause per container). The evidence line, or null when it did not.
 */
export function limitFromLimitRange(pod: PodFact | null, container: string | null): Evidence | null {
  const lr = pod?.limitRanger;
  if (!lr || container === null) return null;
  const clauses = lr.text.replace(/^LimitRanger plugin set:\s*/i, "").split(";");
  const set = clauses.some((c) => {
    const at = c.indexOf(" limit for ");
    if (at < 0) return false;
    const who = /^(?:init )?container (\S+)$/.exec(c.slice(at + " limit for ".length).trim());
    return who !== null && /\bmemory\b/.test(c.slice(0, at)) && who[1] === container;
  });
  return set ? evidence(lr.source, `kubernetes.io/limit-ranger: ${lr.text}`) : null;
}

/** Metric names that carry a memory limit (kube-state-metrics, cAdvisor spec). */
const LIMIT_SERIES = /resource_limits|spec_memory_limit|memory_limit|limit_bytes/i;

/** Resolves the limit of a subject (see the module comment); null when nothing in the bundle says. */
export function resolveLimit(
  s: Pick<SubjectFacts, "container" | "kernelKills" | "memcgSnapshots" | "series">,
): ResolvedLimit | null {
  const kernel = kernelLimit(s.kernelKills);
  const c = s.container;
  const spec =
    c && c.limitBytes !== null && c.limitBytes > 0
      ? {
          bytes: c.limitBytes,
          evidence: c.limitSource ? [evidence(c.limitSource, `limits.memory ${c.limitBytes} B (${c.name})`)] : [],
        }
      : null;
  if (kernel && spec) {
    if (Math.abs(kernel.bytes - spec.bytes) < PAGE_BYTES)
      return { bytes: spec.bytes, source: "spec", evidence: [...spec.evidence, ...kernel.evidence], note: null };
    return {
      ...kernel,
      note: `the container's limits.memory is ${formatBytes(spec.bytes)} now, but the kernel enforced ${formatBytes(kernel.bytes)} at the kill`,
    };
  }
  if (kernel) return kernel;
  if (spec) return { ...spec, source: "spec", note: null };
  return snapshotLimit(s.memcgSnapshots) ?? metricLimit(s.series);
}

function kernelLimit(kills: TimedKernelKill[]): ResolvedLimit | null {
  for (const k of [...kills].reverse()) {
    if (k.oom.global || k.limitInfo?.level !== "container") continue;
    const counter = ["memory", "memory+swap"]
      .map((n) => k.oom.counters.find((c) => c.name === n && c.limitBytes > 0 && !isUnlimited(c.limitBytes)))
      .find((c) => c !== undefined);
    if (counter)
      return {
        bytes: counter.limitBytes,
        source: "kernel",
        evidence: [evidence(counter.source, counter.text)],
        note: null,
      };
  }
  return null;
}

function snapshotLimit(snaps: MemcgSnapshot[]): ResolvedLimit | null {
  const snap = snaps.find((x) => x.limitBytes !== null && x.limitBytes > 0 && !isUnlimited(x.limitBytes));
  if (!snap) return null;
  const at = snap.valueSources?.limitBytes;
  return {
    bytes: snap.limitBytes!,
    source: "memcg-snapshot",
    evidence: [
      evidence(
        at ? { file: memcgPartFile(snap, "limitBytes"), line: at.line } : snap.source,
        `${at?.key ?? "memory.max"} ${snap.limitBytes}`,
      ),
    ],
    note: null,
  };
}

function metricLimit(series: MetricSeries[]): ResolvedLimit | null {
  const s = series.find(
    (x) =>
      LIMIT_SERIES.test(`${x.metric ?? ""} ${x.name}`) &&
      (x.labels["resource"] ?? "memory") === "memory" &&
      x.points.ms.length > 0,
  );
  if (!s) return null;
  const last = pointAt(s.points, s.points.ms.length - 1);
  return {
    bytes: last.value,
    source: "metrics",
    evidence: [evidence({ file: s.source.file, line: last.line }, `${s.name} = ${last.value}`)],
    note: null,
  };
}
