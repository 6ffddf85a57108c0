/**
 * One described object (pod, node, or another kind) while it is read, its top-level fields
 * (kubectl `pkg/describe/describe.go` `describePod` `LEVEL_0` lines such as
 * `Node:  node-p77iyi/10.92.42.63`, `Status:  Terminating (lasts 2m)`,
 * `Controlled By:  ReplicaSet/analytics-exporter-fast-d8511059e`), its `Volumes:` entries, and
 * how it becomes facts.
 */
import type { FactSet, KubeEvent, PodFact, VolumeFact } from "../../model/facts.js";
import type { SourceRef } from "../../model/source.js";
import { parseQuantity } from "../../model/units.js";
import { parseEvictionMessage } from "../shared/eviction-message.js";
import { withEvictedContainers } from "../shared/event-eviction.js";
import type { ContainerReader } from "./container.js";
import { hasNodeMemory, newNodeDraft, type NodeDraft } from "./node.js";
import { podUidFromMessage } from "./events.js";
import { isNone, type KeyValue } from "./text.js";

/** Top-level keys that only a node description has (`describeNode`). */
const NODE_KEYS = new Set([
  "Roles",
  "Capacity",
  "Allocatable",
  "System Info",
  "Addresses",
  "Non-terminated Pods",
  "Allocated resources",
  "Taints",
  "Unschedulable",
  "Lease",
  "PodCIDR",
  "PodCIDRs",
  "ProviderID",
]);

/** Keys that only appear at the top level of a pod or node description (`LEVEL_0`): a pod's, and `NODE_KEYS`. */
export const TOP_KEYS = new Set([
  "Name",
  "Namespace",
  "Priority",
  "Priority Class Name",
  "Runtime Class Name",
  "Service Account",
  "Node",
  "Start Time",
  "Labels",
  "Annotations",
  "Status",
  "IP",
  "IPs",
  "Controlled By",
  "Controllers",
  "Created By",
  "Containers",
  "Init Containers",
  "Ephemeral Containers",
  "Conditions",
  "Volumes",
  "QoS Class",
  "QoS Tier",
  "Node-Selectors",
  "Tolerations",
  "Events",
  "CreationTimestamp",
  "Termination Grace Period",
  "Image(s)",
  "Nominated Node Name",
  "Readiness Gates",
  "Topology Spread Constraints",
  ...NODE_KEYS,
]);

/** Top-level keys of other describable kinds (Deployment, ReplicaSet, Job …): not a pod. */
const OTHER_KIND_KEYS = new Set([
  "Pod Template",
  "Replicas",
  "Pods Status",
  "Pods Statuses",
  "StrategyType",
  "Selector",
  "Parallelism",
  "Schedule",
]);

/** `Controlled By:  ReplicaSet/analytics-exporter-fast-d8511059e` (`printController`); pre-1.8 `Controllers:`. */
const OWNER = /^([A-Z][\w.]*)\/(\S+)$/i;

/**
 * `Status:  Terminating (lasts 2m)`; pre-1.9 `(expires <time>)`. Group 1 is the text before it:
 * `^(?:(?!X)[\s\S])*` stops at the first `(lasts`, so a value repeating `(lasts` is read once.
 */
const STATUS_SUFFIX = /^((?:(?!\((?:lasts|expires)\b)[\s\S])*)\((?:lasts|expires)\b.*\)$/;

/** `Termination Grace Period:  30s`. */
const GRACE_SECONDS = /^(\d+)s$/;

/** A `Volumes:` entry being read; `type` is the `Type:` line (`EmptyDir (a temporary directory …)`). */
type VolumeDraft = VolumeFact & { type: string | null; indent: number };

/** One described object while it is read. */
export interface ObjectDraft {
  startLine: number;
  endLine: number;
  kind: "pod" | "node" | "other" | null;
  name: string | null;
  namespace: string | null;
  node: string | null;
  nodeIp: string | null;
  qosClass: string | null;
  phase: string | null;
  reason: string | null;
  message: string | null;
  /** Line of `Message:` (the text may go on over the next lines). */
  messageLine: number | null;
  startTimeMs: number | null;
  owner: { kind: string; name: string } | null;
  grace: number | null;
  /** Line of `Status:  Terminating (lasts …)`: the pod was being deleted. */
  terminatingLine: number | null;
  /** The `kubernetes.io/limit-ranger` annotation's text and line. */
  limitRanger: { text: string; line: number } | null;
  containers: ContainerReader[];
  volumes: VolumeDraft[];
  events: KubeEvent[];
  /** Memory figures of a node description (`node.ts`). */
  nodeMemory: NodeDraft;
}

/** A fresh draft starting at `line`. */
export function newDraft(line: number): ObjectDraft {
  return {
    startLine: line,
    endLine: line,
    kind: null,
    name: null,
    namespace: null,
    node: null,
    nodeIp: null,
    qosClass: null,
    phase: null,
    reason: null,
    message: null,
    messageLine: null,
    startTimeMs: null,
    owner: null,
    grace: null,
    terminatingLine: null,
    limitRanger: null,
    containers: [],
    volumes: [],
    events: [],
    nodeMemory: newNodeDraft(),
  };
}

/**
 * Applies a top-level `Key: value` line to the draft. `Start Time` is left to the caller (it
 * warns on a bad time). Also decides the object's kind from node-only / other-kind keys.
 */
export function applyTopKey(d: ObjectDraft, { key, value }: KeyValue, line?: number): void {
  const v = isNone(value) ? null : value;
  if (NODE_KEYS.has(key) && d.kind !== "pod") d.kind = "node";
  if (OTHER_KIND_KEYS.has(key)) d.kind = "other";
  switch (key) {
    case "Name":
      d.name = v;
      break;
    case "Namespace":
      d.namespace = v;
      if (d.kind === null) d.kind = "pod";
      break;
    case "Node":
      d.node = v ? v.split("/")[0]! || null : null;
      d.nodeIp = v?.split("/")[1] || null;
      break;
    case "Status":
      d.phase = v ? v.replace(STATUS_SUFFIX, "$1").trim() : null;
      if (v !== null && STATUS_SUFFIX.test(v) && line !== undefined) d.terminatingLine = line;
      break;
    case "Reason":
      d.reason = v;
      break;
    case "Message":
      d.message = v;
      d.messageLine = line ?? null;
      break;
    case "Controlled By":
    case "Controllers":
    case "Created By": {
      const m = v ? OWNER.exec(v) : null;
      if (m) d.owner = { kind: m[1]!, name: m[2]! };
      break;
    }
    case "QoS Class":
    case "QoS Tier":
      d.qosClass = v;
      break;
    case "Annotations":
      if (v !== null && line !== undefined) annotationLine(d, v, line);
      break;
    case "Termination Grace Period": {
      const m = v ? GRACE_SECONDS.exec(v) : null;
      d.grace = m ? Number(m[1]) : null;
      break;
    }
  }
}

/** `kubernetes.io/limit-ranger: LimitRanger plugin set: memory limit for container etl` (admission plugin LimitRanger). */
const LIMIT_RANGER = /^kubernetes\.io\/limit-ranger[:=]\s*(\S.*)$/;

/**
 * An annotation line (the `Annotations:` value or one of the lines under it, `printAnnotationsMultiline`):
 * keeps the LimitRanger admission plugin's note of which requests and limits it set.
 */
export function annotationLine(d: ObjectDraft, text: string, line: number): void {
  const m = LIMIT_RANGER.exec(text.trim());
  if (m) d.limitRanger = { text: m[1]!.slice(0, 500), line };
}

/**
 * Reads a line of the `Volumes:` section (`describeVolumes`, `printEmptyDirVolumeSource`):
 * `  cache:` opens a volume; `Type:`, `Medium:` and `SizeLimit:` under it fill it.
 * Returns false for a line it cannot place, "bad-size" for an unreadable SizeLimit.
 */
export function volumeLine(d: ObjectDraft, indent: number, kv: KeyValue | null, at: SourceRef): boolean | "bad-size" {
  const vol = d.volumes[d.volumes.length - 1] ?? null;
  if (kv && kv.value === "" && (vol === null || indent <= vol.indent)) {
    d.volumes.push({ name: kv.key, memoryBacked: false, sizeLimitBytes: null, source: at, type: null, indent });
    return true;
  }
  if (!vol) return false;
  if (!kv) return true; // continuation of a value we do not read
  if (kv.key === "Type") vol.type = kv.value;
  else if (kv.key === "Medium")
    vol.memoryBacked = kv.value === "Memory" && (vol.type === null || vol.type.startsWith("EmptyDir"));
  else if (kv.key === "SizeLimit" && !isNone(kv.value)) {
    vol.sizeLimitBytes = parseQuantity(kv.value);
    if (vol.sizeLimitBytes === null) return "bad-size";
  }
  return true;
}

/**
 * Turns a draft into facts: a `PodFact` unless it is a node or another kind, and its events
 * with `involved` set (`Node`, `Pod` with the uid from a kubelet message, or the bare name).
 */
export function emitDraft(d: ObjectDraft, file: string, facts: FactSet): void {
  let uid: string | null = null;
  for (const e of d.events) uid ??= podUidFromMessage(e.message, d.name);
  const podLike = d.kind === "pod" || (d.kind === null && (d.name !== null || d.containers.length > 0));
  const involved =
    d.kind === "node"
      ? { kind: "Node", name: d.name, namespace: null }
      : podLike
        ? { kind: "Pod", name: d.name, namespace: d.namespace, uid }
        : d.name !== null
          ? { kind: null, name: d.name, namespace: d.namespace }
          : null;
  for (const e of d.events) facts.events.push({ ...e, involved, eviction: parseEvictionMessage(e.message, e.source) });
  if (d.kind === "node" && hasNodeMemory(d.nodeMemory))
    facts.nodes.push({ source: { file, line: d.startLine, endLine: d.endLine }, name: d.name, ...d.nodeMemory });
  if (!podLike) return;
  const pod: PodFact = {
    source: { file, line: d.startLine, endLine: d.endLine },
    name: d.name,
    namespace: d.namespace,
    uid,
    node: d.node,
    nodeIp: d.nodeIp,
    qosClass: d.qosClass,
    phase: d.phase,
    reason: d.reason,
    message: d.message,
    startTimeMs: d.startTimeMs,
    owner: d.owner,
    terminationGracePeriodSeconds: d.grace,
    eviction: parseEvictionMessage(d.message, { file, line: d.messageLine ?? d.startLine }),
    limitRanger: d.limitRanger ? { text: d.limitRanger.text, source: { file, line: d.limitRanger.line } } : null,
    // describe prints `Termination Grace Period` (the deletion's) only under `Status: Terminating`.
    deletion:
      d.terminatingLine !== null
        ? { timestampMs: null, gracePeriodSeconds: d.grace, source: { file, line: d.terminatingLine } }
        : null,
    containers: d.containers.map((c) => c.fact),
    volumes: d.volumes.map((v) => ({
      name: v.name,
      memoryBacked: v.memoryBacked,
      sizeLimitBytes: v.sizeLimitBytes,
      source: v.source,
    })),
  };
  facts.pods.push(withEvictedContainers(pod));
}
