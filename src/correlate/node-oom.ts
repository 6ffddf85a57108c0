/**
 * Both sides of a node-level OOM (a global OOM, or a kill at the node-allocatable memcg): the
 * victim the kernel chose and why, the biggest consumers of its tasks table attributed to their
 * pods, and the node's allocatable memory against the sum of its pods' limits.
 *
 * Why the victim: the kernel kills the highest oom_score, which is the task's RSS + swap + page
 * tables plus `oom_score_adj` thousandths of the node's memory (mm/oom_kill.c `oom_badness`). The
 * kubelet sets `oom_score_adj` by QoS class (pkg/kubelet/qos/policy.go): Guaranteed −997,
 * BestEffort 1000, Burstable `1000 − 1000 × memory request / node memory capacity` kept within
 * 2…999; −998 for pod sandboxes (pause) and runtime shims, −999 for the kubelet and the runtime.
 *
 * Which pod a task belongs to, best first: its memcg (the victim's `task_memcg`; the `cpuset=`
 * of the `oom-kill:` line names the cgroup of the task that invoked the OOM killer; another
 * kernel report of the bundle that places the same pid and name in a memcg), then its
 * `oom_score_adj` against the pods of `kubectl describe node` (a Burstable adj fits one memory
 * request; the only BestEffort or Guaranteed pod of the node), each with its basis in words.
 */
import type { FactSet, NodeFact, NodePodRow, OomEvent, OomTask, PodFact } from "../model/facts.js";
import type { AdjMeaning, NodeOomPicture, Subject, TaskPod } from "../model/incident.js";
import { evidence, type Evidence } from "../model/source.js";
import { PAGE_BYTES } from "../model/units.js";
import { formatBytes } from "../util/format.js";
import { killedTask, knownContainerIds, namesProcess, sameContainerId, type KernelKill } from "./attribute.js";
import { parseMemcgPath } from "./memcg-path.js";
import type { MergedPod } from "./pods.js";

/** Most consumers named. */
const TOP = 3;

/** `cpuset=` names: a runtime scope or a bare container ID. */
const CPUSET_CONTAINER = /^(?:(?:docker|cri-containerd|crio)-)?([0-9a-f]{12,64})(?:\.scope)?$/i;

/** What an oom_score_adj says about the task. */
function adjMeaning(adj: number | null): AdjMeaning | null {
  if (adj === null) return null;
  if (adj === -997) return "Guaranteed";
  if (adj === 1000) return "BestEffort";
  if (adj >= 2 && adj <= 999) return "Burstable";
  if (adj === -998) return "pod sandbox or runtime shim";
  if (adj === -999) return "kubelet or container runtime";
  return "not a pod";
}

/**
 * The picture of the subject's latest node-level kill, or null when none of its kernel kills was
 * node-level. `pods` are the bundle's pods; `facts.ooms` the bundle's other reports; `facts.nodes` the node descriptions.
 */
export function nodeOomPicture(
  kills: KernelKill[],
  subject: Subject,
  pod: PodFact | null,
  pods: MergedPod[],
  facts: FactSet,
): NodeOomPicture | null {
  const kill = [...kills].reverse().find((k) => k.oom.global === true || k.limitInfo?.level === "allocatable");
  const task = kill ? killedTask(kill) : null;
  if (!kill || !task) return null;
  const node = nodeOf(facts.nodes, subject.node ?? kill.oom.host);
  const capacity = node?.capacityMemoryBytes ?? null;
  const row = kill.oom.tasks.find((t) => t.pid === task.pid);
  const adj = kill.victim?.oomScoreAdj ?? row?.oomScoreAdj ?? null;
  const sorted = [...kill.oom.tasks].filter((t) => t.rssBytes !== null).sort((a, b) => b.rssBytes! - a.rssBytes!);
  const victimRss =
    row?.rssBytes ??
    (kill.victim
      ? (kill.victim.anonRssBytes ?? 0) + (kill.victim.fileRssBytes ?? 0) + (kill.victim.shmemRssBytes ?? 0)
      : null);
  const attributor = new Attributor(kill, subject, pod, pods, facts.ooms, node, capacity);
  return {
    victim: {
      pid: task.pid,
      process: task.process ?? row?.name ?? "?",
      rssBytes: victimRss,
      oomScoreAdj: adj,
      meaning: adjMeaning(adj),
      qosClass: pod?.qosClass ?? null,
      largest: sorted[0]?.pid === task.pid,
    },
    consumers: sorted.slice(0, TOP).map((t) => ({
      pid: t.pid,
      process: t.name,
      rssBytes: t.rssBytes,
      oomScoreAdj: t.oomScoreAdj,
      meaning: adjMeaning(t.oomScoreAdj),
      pod: attributor.podOf(t),
      evidence: evidence(
        t.source,
        `[${t.pid}] ${t.name} rss ${t.rssBytes! / PAGE_BYTES} pages, oom_score_adj ${t.oomScoreAdj ?? "?"}`,
      ),
    })),
    node: node ? nodeSide(node) : null,
    ram: ramOf(kill.oom),
  };
}

/** The node's RAM (`N pages RAM` × the page size) and the tasks table's RSS added up, or null. */
function ramOf(o: OomEvent): NodeOomPicture["ram"] {
  const r = o.ramPages;
  if (!r || r.pages <= 0) return null;
  const rows = o.tasks.filter((t) => t.rssBytes !== null);
  const tasksRssBytes = rows.length > 0 ? rows.reduce((sum, t) => sum + t.rssBytes!, 0) : null;
  return { bytes: r.pages * PAGE_BYTES, pages: r.pages, tasksRssBytes, evidence: evidence(r.source, r.text) };
}

/** The memory sums of the node `name` (or of the bundle's only node description), or null. */
export function nodeMemorySums(nodes: NodeFact[], name: string | null): NodeOomPicture["node"] {
  const n = nodeOf(nodes, name);
  return n ? nodeSide(n) : null;
}

// The node description of `name`, or the only one of the bundle.
function nodeOf(nodes: NodeFact[], name: string | null): NodeFact | null {
  const named = nodes.find((n) => name !== null && n.name === name);
  if (named) return named;
  return nodes.length === 1 && (name === null || nodes[0]!.name === null || nodes[0]!.name === name) ? nodes[0]! : null;
}

function nodeSide(n: NodeFact): NonNullable<NodeOomPicture["node"]> {
  const ev: Evidence[] = [];
  const at = (line: number | undefined, text: string) =>
    line !== undefined && ev.push(evidence({ file: n.source.file, line }, text));
  at(n.lines.allocatable, `Allocatable memory: ${n.allocatableMemoryBytes}`);
  const sums = n.allocatedMemory;
  if (sums) at(sums.line, sums.text);
  const fromRows = (f: (r: NodePodRow) => number | null) =>
    n.pods.length > 0 && n.pods.every((r) => f(r) !== null) ? n.pods.reduce((s, r) => s + f(r)!, 0) : null;
  return {
    name: n.name,
    capacityBytes: n.capacityMemoryBytes,
    allocatableBytes: n.allocatableMemoryBytes,
    limitsBytes: sums?.limitsBytes ?? fromRows((r) => r.memoryLimitBytes),
    requestsBytes: sums?.requestsBytes ?? fromRows((r) => r.memoryRequestBytes),
    evidence: ev,
    unlimitedPods: n.pods
      .filter((r) => r.memoryLimitBytes === 0)
      .map((r) => ({ namespace: r.namespace, name: r.name })),
  };
}

/** A candidate pod with its memory requests/limits (pod sums). */
interface Candidate {
  namespace: string | null;
  name: string | null;
  requestBytes: number | null;
  limitBytes: number | null;
  pod: PodFact | null;
  row: NodePodRow | null;
}

class Attributor {
  private readonly memcgByPid = new Map<number, { memcg: string; name: string; ev: Evidence }>();
  private readonly candidates: Candidate[];

  constructor(
    private readonly kill: KernelKill,
    private readonly subject: Subject,
    private readonly pod: PodFact | null,
    private readonly pods: MergedPod[],
    ooms: OomEvent[],
    private readonly node: NodeFact | null,
    private readonly capacity: number | null,
  ) {
    for (const o of ooms) this.learn(o);
    this.candidates = candidatesOf(pods, node);
  }

  podOf(t: OomTask): TaskPod | null {
    return this.byVictim(t) ?? this.byTrigger(t) ?? this.byOtherReport(t) ?? this.byAdj(t);
  }

  // The victim (and the group killed with it) sit in the subject's memcg.
  private byVictim(t: OomTask): TaskPod | null {
    const k = this.kill;
    const ids = new Set([killedTask(k)?.pid, ...k.groupMembers.map((m) => m.pid)]);
    if (!ids.has(t.pid) || !k.taskMemcg) return null;
    const ev = killedTask(k)!;
    return this.described(
      this.subject.namespace,
      this.subject.pod,
      this.subject.containerId,
      "its memcg (task_memcg of the oom-kill line)",
      [evidence(ev.source, ev.text)],
      this.pod,
    );
  }

  // `cpuset=` of the oom-kill line: the cgroup of the task that invoked the OOM killer.
  private byTrigger(t: OomTask): TaskPod | null {
    const o = this.kill.oom;
    const id = o.triggerCpuset ? (CPUSET_CONTAINER.exec(o.triggerCpuset)?.[1]?.toLowerCase() ?? null) : null;
    if (!id || !o.trigger || o.trigger.pid !== t.pid) return null;
    const owner = this.pods.find((p) =>
      p.pod.containers.some((c) => knownContainerIds(c).some((k) => sameContainerId(k, id))),
    );
    const ev = [evidence(o.trigger.source, o.trigger.text)];
    const basis = `its cgroup: it invoked the OOM killer, and the oom-kill line's cpuset= names container ${id.slice(0, 12)}`;
    if (owner) return this.described(owner.pod.namespace, owner.pod.name, id, basis, ev, owner.pod);
    // A container the bundle does not describe: its oom_score_adj may still name the pod.
    const adj = this.byAdj(t);
    return adj
      ? { ...adj, containerId: id, basis: `${basis}; ${adj.basis}` }
      : { namespace: null, name: null, containerId: id, requestBytes: null, limitBytes: null, basis, evidence: ev };
  }

  // Another report of the bundle that names this pid (and process) in a memcg.
  private byOtherReport(t: OomTask): TaskPod | null {
    const known = this.memcgByPid.get(t.pid);
    if (!known || known.name !== t.name) return null;
    const info = parseMemcgPath(known.memcg);
    const owner = info.podUid ? this.pods.find((p) => p.pod.uid === info.podUid) : undefined;
    if (!info.podUid && !info.containerId) return null;
    const basis = `its memcg ${known.memcg} in another kernel report`;
    if (owner)
      return this.described(owner.pod.namespace, owner.pod.name, info.containerId, basis, [known.ev], owner.pod);
    return {
      namespace: null,
      name: info.podUid ? `pod UID ${info.podUid}` : null,
      containerId: info.containerId,
      requestBytes: null,
      limitBytes: null,
      basis,
      evidence: [known.ev],
    };
  }

  // oom_score_adj against the pods of the node: a Burstable adj fits one request; the only BestEffort/Guaranteed pod.
  private byAdj(t: OomTask): TaskPod | null {
    const meaning = adjMeaning(t.oomScoreAdj);
    if (meaning !== "Burstable" && meaning !== "BestEffort" && meaning !== "Guaranteed") return null;
    const fits = this.candidates.filter((c) => qosFits(c, meaning, t.oomScoreAdj!, this.capacity));
    const named = fits.filter((c) => c.pod && c.pod.containers.some((k) => namesProcess(k, t.name)));
    const pick = named.length === 1 ? named[0]! : fits.length === 1 ? fits[0]! : null;
    if (!pick) return null;
    const why =
      meaning === "Burstable"
        ? `oom_score_adj ${t.oomScoreAdj} = 1000 − 1000 × its ${bytesWords(pick.requestBytes)} memory request / the node's ${bytesWords(this.capacity)} capacity${fits.length > 1 ? `, and its containers name ${t.name}` : ""}`
        : `oom_score_adj ${t.oomScoreAdj} (${meaning}) and ${fits.length === 1 ? `the only ${meaning} pod of the node` : `its containers name ${t.name}`}`;
    const ev =
      pick.row && this.node ? [evidence({ file: this.node.source.file, line: pick.row.line }, pick.row.text)] : [];
    return {
      namespace: pick.namespace,
      name: pick.name,
      containerId: null,
      requestBytes: pick.requestBytes,
      limitBytes: pick.limitBytes,
      basis: why,
      evidence: ev,
    };
  }

  private described(
    namespace: string | null,
    name: string | null,
    containerId: string | null,
    basis: string,
    ev: Evidence[],
    pod: PodFact | null,
  ): TaskPod {
    const c = this.candidates.find(
      (x) =>
        x.name !== null && x.name === name && (x.namespace === null || namespace === null || x.namespace === namespace),
    );
    const fromPod = pod ? podSums(pod) : null;
    if (c?.row && this.node) ev = [...ev, evidence({ file: this.node.source.file, line: c.row.line }, c.row.text)];
    return {
      namespace,
      name,
      containerId,
      requestBytes: fromPod?.requestBytes ?? c?.requestBytes ?? null,
      limitBytes: fromPod?.limitBytes ?? c?.limitBytes ?? null,
      basis,
      evidence: ev,
    };
  }

  private learn(o: OomEvent): void {
    if (o === this.kill.oom) return;
    const v = o.victims[0];
    if (v && o.taskMemcg)
      this.memcgByPid.set(v.pid, { memcg: o.taskMemcg, name: v.process, ev: evidence(v.source, v.text) });
    // A memcg-constrained report lists only the tasks of the memcg whose limit was hit.
    if (o.global !== true && o.oomMemcg) {
      for (const t of o.tasks)
        if (!this.memcgByPid.has(t.pid))
          this.memcgByPid.set(t.pid, {
            memcg: o.oomMemcg,
            name: t.name,
            ev: evidence(t.source, `[${t.pid}] ${t.name} in the tasks table of ${o.oomMemcg}`),
          });
    }
  }
}

// Pods of the node (describe node rows), completed by the bundle's pod facts; de-duplicated by name.
function candidatesOf(pods: MergedPod[], node: NodeFact | null): Candidate[] {
  const out: Candidate[] = [];
  for (const row of node?.pods ?? []) {
    const pod =
      pods.find((p) => p.pod.name === row.name && (p.pod.namespace === null || p.pod.namespace === row.namespace))
        ?.pod ?? null;
    out.push({
      namespace: row.namespace,
      name: row.name,
      requestBytes: row.memoryRequestBytes,
      limitBytes: row.memoryLimitBytes,
      pod,
      row,
    });
  }
  for (const { pod } of pods) {
    if (pod.name === null || out.some((c) => c.name === pod.name)) continue;
    if (node && node.pods.length > 0) continue; // the node's table lists every pod of the node: others ran elsewhere
    if (node?.name && pod.node && pod.node !== node.name) continue;
    out.push({ namespace: pod.namespace, name: pod.name, ...podSums(pod), pod, row: null });
  }
  return out;
}

function podSums(pod: PodFact): { requestBytes: number | null; limitBytes: number | null } {
  const app = pod.containers.filter((c) => !c.init);
  const sum = (f: (c: (typeof app)[number]) => number | null) =>
    app.length > 0 && app.every((c) => f(c) !== null) ? app.reduce((s, c) => s + f(c)!, 0) : null;
  const req = sum((c) => c.requestBytes ?? c.limitBytes ?? 0);
  // No container with a limit: none (0); some without: the pod has no limit as a whole, unknown sum.
  const lim = app.every((c) => c.limitBytes === null)
    ? 0
    : app.some((c) => c.limitBytes === null)
      ? null
      : sum((c) => c.limitBytes);
  return { requestBytes: req, limitBytes: lim };
}

// Whether a pod's requests/limits give the task's oom_score_adj.
function qosFits(c: Candidate, meaning: AdjMeaning, adj: number, capacity: number | null): boolean {
  const req = c.requestBytes;
  const lim = c.limitBytes;
  if (c.pod?.qosClass) {
    if (c.pod.qosClass !== meaning) return false;
    if (meaning !== "Burstable") return true;
  }
  if (meaning === "BestEffort") return req === 0 && (lim === 0 || lim === null);
  if (meaning === "Guaranteed") return req !== null && req > 0 && req === lim;
  if (req !== null && req > 0 && req === lim) return false; // Guaranteed: −997, not the formula
  if (req === null || capacity === null || capacity <= 0) return false;
  // policy.go: 1000 − 1000·request/capacity (integer division), kept within 2…999; per container
  // before 1.31, per pod after: a pod's sum may differ from a container's request by a step.
  const expected = Math.min(999, Math.max(2, 1000 - Math.floor((1000 * req) / capacity)));
  return Math.abs(expected - adj) <= 1;
}

function bytesWords(n: number | null): string {
  return n === null ? "?" : formatBytes(n);
}
