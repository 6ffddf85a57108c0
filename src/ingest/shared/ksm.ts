/**
 * Pods from metrics alone: kube-state-metrics and cAdvisor series name a container's limit,
 * request, restarts and last termination, so a bundle of metrics can say "this container was
 * OOM-killed" without any kubectl output. Read from any metric source (Prometheus JSON or text
 * exposition, CSV exports). Metric names (kube-state-metrics `docs/pod-metrics.md`, v1 and v2):
 * `kube_pod_container_status_last_terminated_reason{reason="OOMKilled"}` (1 while it is the last
 * reason), `kube_pod_container_status_last_terminated_exitcode`,
 * `kube_pod_container_status_last_terminated_timestamp` (seconds), `kube_pod_container_status_terminated_reason`,
 * `kube_pod_container_status_restarts_total`, `kube_pod_container_resource_limits{resource="memory"}`
 * (v1: `kube_pod_container_resource_limits_memory_bytes`), `…_requests`, `kube_pod_status_reason{reason="Evicted"}`,
 * `kube_pod_info{node,uid,created_by_kind,created_by_name}`; cAdvisor `container_spec_memory_limit_bytes`
 * (0 = no limit). Nothing is invented: a termination's time is only set from the timestamp metric.
 *
 * Sample input (kube-state-metrics 2.10 `/metrics`):
 * ```text
 * kube_pod_container_status_last_terminated_reason{namespace="shop",pod="cart-7f8e9d0c1b-ab12c",uid="…",container="cart",reason="OOMKilled"} 1
 * ```
 */
import { blankContainer, blankPod, type ContainerFact, type ContainerState, type PodFact } from "../../model/facts.js";
import type { SourceRef } from "../../model/source.js";

/** A metric with its labels and samples (a `MetricSeries`, or scraped samples with no time). */
export interface MetricSamples {
  metric: string | null;
  labels: Record<string, string>;
  source: SourceRef;
  /** Columns of equal length, as `MetricSeries.points` (`PointColumns`); `ms` null for a sample with no time. */
  points: { ms: ArrayLike<number | null>; value: ArrayLike<number>; line: ArrayLike<number> };
}

/** kube-state-metrics / cAdvisor names this module reads. */
const LAST_REASON = "kube_pod_container_status_last_terminated_reason";
const LAST_EXIT = "kube_pod_container_status_last_terminated_exitcode";
const LAST_TIME = "kube_pod_container_status_last_terminated_timestamp";
const TERMINATED_REASON = "kube_pod_container_status_terminated_reason";
const RESTARTS = "kube_pod_container_status_restarts_total";
const LIMITS = /^kube_pod_container_resource_limits(?:_memory_bytes)?$|^container_spec_memory_limit_bytes$/;
const REQUESTS = /^kube_pod_container_resource_requests(?:_memory_bytes)?$/;
const POD_REASON = "kube_pod_status_reason";
const POD_INFO = "kube_pod_info";

/** Below this, a limit/request series without a `resource` label is CPU cores, not memory bytes. */
const MIN_MEMORY_BYTES = 1 << 20;

/** True for the metric names this module reads (so callers can tell ksm from usage series). */
function isKsmMetric(metric: string | null): boolean {
  return metric !== null && (metric.startsWith("kube_pod_") || LIMITS.test(metric));
}

/**
 * The pods and containers the metrics describe: one `PodFact` per pod with a container for each
 * container named by a ksm/cAdvisor spec or status metric. Empty when the metrics have none.
 */
export function podsFromMetrics(all: Iterable<MetricSamples>, file: string): PodFact[] {
  const pods = new Map<string, { pod: PodFact; containers: Map<string, Building> }>();
  const podOf = (labels: Record<string, string>, source: SourceRef) => {
    const name = label(labels, "pod");
    if (name === null) return null;
    const namespace = label(labels, "namespace");
    const key = `${namespace ?? ""}/${name}`;
    let p = pods.get(key);
    if (!p) {
      p = { pod: blankPod(source, { name, namespace }), containers: new Map() };
      pods.set(key, p);
    }
    return p;
  };
  for (const s of all) {
    const metric = s.metric ?? "";
    if (!isKsmMetric(metric)) continue;
    const p = podOf(s.labels, s.source);
    if (!p) continue;
    if (metric === POD_INFO) {
      p.pod.node ??= label(s.labels, "node");
      p.pod.uid ??= s.labels["uid"]?.toLowerCase() ?? null;
      const kind = s.labels["created_by_kind"];
      const by = s.labels["created_by_name"];
      if (kind && by && kind !== "<none>") p.pod.owner ??= { kind, name: by };
      continue;
    }
    if (metric === POD_REASON) {
      const hit = lastOne(s);
      if (hit && s.labels["reason"]) {
        p.pod.reason = s.labels["reason"];
        if (p.pod.reason === "Evicted") p.pod.phase ??= "Failed";
        p.pod.source = { file, line: hit.line };
      }
      continue;
    }
    const cname = label(s.labels, "container");
    if (cname === null || cname === "POD" || cname === "") continue;
    let c = p.containers.get(cname);
    if (!c) {
      c = { fact: blankContainer(cname, s.source), reasonAt: -Infinity };
      p.containers.set(cname, c);
    }
    readInto(c, s, metric, file);
  }
  const out: PodFact[] = [];
  for (const { pod, containers } of pods.values()) {
    pod.containers = [...containers.values()].map((c) => c.fact);
    if (pod.containers.length > 0 || pod.reason !== null) out.push(pod);
  }
  return out;
}

interface Building {
  fact: ContainerFact;
  /** Time (or order) of the 1-sample that set `lastState.reason`: the latest wins. */
  reasonAt: number;
}

function readInto(c: Building, s: MetricSamples, metric: string, file: string): void {
  const f = c.fact;
  const n = s.points.value.length;
  if (n === 0) return;
  const last = { value: s.points.value[n - 1]!, line: s.points.line[n - 1]! };
  const resource = s.labels["resource"];
  if (LIMITS.test(metric) || REQUESTS.test(metric)) {
    if (
      resource !== undefined
        ? resource !== "memory"
        : last.value < MIN_MEMORY_BYTES && !(metric === "container_spec_memory_limit_bytes")
    )
      return;
    const bytes = last.value > 0 && Number.isFinite(last.value) ? last.value : null;
    if (REQUESTS.test(metric)) f.requestBytes = bytes;
    else if (bytes !== null || f.limitBytes === null) {
      f.limitBytes = bytes;
      f.limitSource = { file, line: last.line };
    }
    return;
  }
  if (metric === RESTARTS) {
    if (Number.isInteger(last.value) && last.value >= 0) f.restartCount = Math.max(f.restartCount ?? 0, last.value);
    return;
  }
  if (metric === LAST_REASON || metric === TERMINATED_REASON) {
    const hit = lastOne(s);
    const reason = s.labels["reason"];
    if (!hit || !reason) return;
    const state = terminated(reason, { file, line: hit.line });
    if (metric === TERMINATED_REASON) {
      f.state = state;
      return;
    }
    const at = hit.ms ?? hit.line;
    if (at < c.reasonAt) return;
    c.reasonAt = at;
    f.lastState = {
      ...state,
      exitCode: f.lastState?.exitCode ?? null,
      finishedAtMs: f.lastState?.finishedAtMs ?? null,
    };
    return;
  }
  if (metric === LAST_EXIT || metric === LAST_TIME) {
    const state = (f.lastState ??= terminated(null, { file, line: last.line }));
    if (metric === LAST_EXIT && Number.isInteger(last.value)) state.exitCode = last.value;
    if (metric === LAST_TIME && last.value > 0) state.finishedAtMs = Math.round(last.value * 1000);
  }
}

// The latest sample whose value is 1 (a reason series is 1 while that reason holds).
function lastOne(s: MetricSamples): { ms: number | null; line: number } | null {
  const p = s.points;
  for (let i = p.value.length - 1; i >= 0; i--) if (p.value[i] === 1) return { ms: p.ms[i] ?? null, line: p.line[i]! };
  return null;
}

// `pod`, or pre-1.16 cAdvisor `pod_name`, or `exported_pod` from a federating Prometheus.
function label(labels: Record<string, string>, name: string): string | null {
  const v = labels[name] ?? labels[`${name}_name`] ?? labels[`exported_${name}`];
  return v === undefined || v === "" ? null : v;
}

function terminated(reason: string | null, source: SourceRef): ContainerState {
  return {
    kind: "terminated",
    reason,
    exitCode: null,
    signal: null,
    message: null,
    startedAtMs: null,
    finishedAtMs: null,
    source,
  };
}
