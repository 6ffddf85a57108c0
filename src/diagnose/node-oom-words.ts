/**
 * The node side of a node-level OOM in words (see `correlate/node-oom.ts` for how it is read):
 * the victim and why the kernel chose it, the biggest consumers with their pods, the node's sums.
 * Sample: "The kernel chose nginx (pid 2381046, 13.8 MiB RSS) by oom_score, not by size:
 * oom_score_adj 1000, what the kubelet gives BestEffort pods (this pod is BestEffort)".
 */
import type { NodeOomPicture, NodeTask } from "../model/incident.js";
import { PAGE_BYTES } from "../model/units.js";
import { formatBytes, formatPercent } from "../util/format.js";

/** Why the kernel chose the victim. */
function victimWords(p: NodeOomPicture): string {
  const v = p.victim;
  const size = v.rssBytes !== null ? `, ${formatBytes(v.rssBytes)} RSS` : "";
  const how = v.largest ? "the largest process of the tasks table" : "by oom_score, not by size";
  const qos = v.qosClass ? ` (this pod is ${v.qosClass})` : "";
  const adj =
    v.oomScoreAdj === null ? "" : `: oom_score_adj ${v.oomScoreAdj}, ${adjWords(v.oomScoreAdj, v.meaning)}${qos}`;
  return `The kernel chose ${v.process} (pid ${v.pid}${size}), ${how}${adj}`;
}

// What the kubelet's oom_score_adj says.
function adjWords(adj: number, meaning: NodeOomPicture["victim"]["meaning"]): string {
  switch (meaning) {
    case "BestEffort":
      return "what the kubelet gives BestEffort pods (no requests): the first in line";
    case "Guaranteed":
      return "what the kubelet gives Guaranteed pods: the last in line, so it was chosen for its size";
    case "Burstable":
      return `what the kubelet gives a Burstable pod (1000 − 1000 × memory request / node capacity: ${adj >= 500 ? "a small request puts it early in line" : "a large request puts it late in line"})`;
    case "pod sandbox or runtime shim":
      return "a pod sandbox or runtime shim";
    case "kubelet or container runtime":
      return "the kubelet or the container runtime";
    default:
      return "not set by the kubelet for a pod";
  }
}

/**
 * One consumer: `python3 (pid 3902218, 5.9 GiB RSS = 37% of RAM, oom_score_adj 208) of analytics/etl-runner-… (requests 6 GiB, limits 12 GiB; by …)`;
 * the share of RAM when the kernel's Mem-Info gave it (`ramBytes`).
 */
function consumerWords(t: NodeTask, victimPid: number, ramBytes: number | null): string {
  const share = ramBytes && t.rssBytes !== null ? ` = ${formatPercent(t.rssBytes / ramBytes)} of RAM` : "";
  const head = `${t.process} (pid ${t.pid}, ${formatBytes(t.rssBytes)} RSS${share}${t.oomScoreAdj !== null ? `, oom_score_adj ${t.oomScoreAdj}` : ""})`;
  const victim = t.pid === victimPid ? ", the victim" : "";
  const pod = t.pod;
  if (!pod) {
    const what =
      t.meaning === null
        ? ""
        : t.meaning === "Burstable" || t.meaning === "BestEffort" || t.meaning === "Guaranteed"
          ? `, in a ${t.meaning} pod the bundle does not name`
          : `, ${t.meaning}`;
    return `${head}${what}${victim}`;
  }
  return `${head} of ${podName(pod)} (${resourcesWords(pod)}by ${pod.basis})${victim}`;
}

/** `analytics/etl-runner-…`, or the container when the pod is unknown. */
export function podName(pod: NonNullable<NodeTask["pod"]>): string {
  return pod.name
    ? `${pod.namespace ? `${pod.namespace}/` : ""}${pod.name}`
    : `container ${pod.containerId?.slice(0, 12) ?? "?"}`;
}

/** `requests 6 GiB, limits 12 GiB; ` or "" when the bundle shows neither. */
export function resourcesWords(pod: NonNullable<NodeTask["pod"]>): string {
  return pod.requestBytes !== null || pod.limitBytes !== null
    ? `requests ${resWords(pod.requestBytes)}, limits ${resWords(pod.limitBytes)}; `
    : "";
}

function resWords(n: number | null): string {
  return n === null ? "?" : n === 0 ? "none" : formatBytes(n);
}

/** The node's sums: `node ip-10-0-3-17: allocatable 7.5 GiB; its pods' memory limits add up to 13.8 GiB (185%) …`. */
export function nodeWords(n: NodeOomPicture["node"]): string | null {
  if (!n || n.allocatableBytes === null) return null;
  const pct = (x: number) => `${Math.round((100 * x) / n.allocatableBytes!)}% of it`;
  // Pods with no memory limit are bounded only by the node: a sum of limits understates what they may take.
  const open = n.unlimitedPods ?? [];
  const names =
    open
      .slice(0, 3)
      .map((p) => `${p.namespace}/${p.name}`)
      .join(", ") + (open.length > 3 ? `, ${open.length - 3} more` : "");
  const lim =
    n.limitsBytes === 0 && open.length > 0
      ? `; none of its pods has a memory limit (${names})`
      : n.limitsBytes !== null
        ? `; its pods' memory limits add up to ${formatBytes(n.limitsBytes)} (${pct(n.limitsBytes)})${open.length > 0 ? `, and ${open.length === 1 ? "1 pod has" : `${open.length} pods have`} none (${names}), bounded only by the node` : ""}`
        : "";
  const req =
    n.requestsBytes !== null
      ? `; their requests add up to ${formatBytes(n.requestsBytes)} (${pct(n.requestsBytes)})`
      : "";
  return `Node ${n.name ?? ""} has ${formatBytes(n.allocatableBytes)} allocatable${lim}${req}`.replace(
    "Node  has",
    "The node has",
  );
}

/**
 * The node's RAM from the kernel's Mem-Info and what the tasks table held of it:
 * `The kernel's Mem-Info gives the node 16 GiB of RAM (4194174 pages of 4 KiB); the tasks table's processes held 13.1 GiB of it in RSS (82%)`.
 */
export function ramWords(ram: NodeOomPicture["ram"]): string | null {
  if (!ram) return null;
  const held =
    ram.tasksRssBytes !== null
      ? `; the tasks table's processes held ${formatBytes(ram.tasksRssBytes)} of it in RSS (${formatPercent(ram.tasksRssBytes / ram.bytes)})`
      : "";
  return `The kernel's Mem-Info gives the node ${formatBytes(ram.bytes)} of RAM (${ram.pages} pages of ${formatBytes(PAGE_BYTES)})${held}`;
}

/** The whole picture in sentences, for the node-overcommit reason. */
export function pictureWords(p: NodeOomPicture): string {
  const parts = [victimWords(p)];
  const others = p.consumers.filter((t) => t.pid !== p.victim.pid);
  const ram = p.ram?.bytes ?? null;
  if (p.consumers.length > 0)
    parts.push(
      `Largest consumers in the kernel's tasks table: ${p.consumers.map((t) => consumerWords(t, p.victim.pid, ram)).join("; ")}`,
    );
  else if (others.length === 0 && p.victim.largest) parts.push("The tasks table shows no bigger consumer");
  const mem = ramWords(p.ram ?? null);
  if (mem) parts.push(mem);
  const node = nodeWords(p.node);
  if (node) parts.push(node);
  return parts.join(". ");
}
