/**
 * Node memory pressure, fixed on both sides: the victim (a global OOM kills by oom_score, which
 * the QoS class sets through oom_score_adj: BestEffort 1000, Burstable by request, Guaranteed
 * −997; an eviction ranks pods by usage above their request), the culprit (the biggest
 * consumer in the kernel's tasks table), and the node (allocatable against the sum of limits).
 * Sources: Kubernetes "Node-pressure Eviction" and "Pod Quality of Service Classes";
 * pkg/kubelet/qos/policy.go (oom_score_adj by QoS); the kubelet's eviction message
 * (`Container x was using 5421880Ki, request is 1Gi`).
 */
import type { Action, NodeOomPicture } from "../../model/incident.js";
import { maxOf } from "../../util/arrays.js";
import { roundLimit, toQuantity } from "../sizing.js";
import { formatBytes } from "../../util/format.js";
import { limitChange } from "./change.js";
import { shellQuote } from "./shell.js";
import type { AdviceContext } from "./context.js";
import { nodeWords, podName, ramWords, resourcesWords } from "../node-oom-words.js";
import { evictionsOf } from "../eviction.js";

/** Both sides of a node-level OOM or eviction. */
export function nodePressure(ctx: AdviceContext): Action[] {
  return ctx.event === "eviction" ? evictionSteps(ctx) : [...victimSteps(ctx), ...culpritSteps(ctx), nodeCheck(ctx)];
}

/** Eviction: requests that match real usage, so the pod is not first in line, and the node's headroom. */
function evictionSteps(ctx: AdviceContext): Action[] {
  const t = ctx.target;
  const over = evictionsOf(ctx.s)
    .flatMap((e) => e.containers)
    .find((c) => t.container === null || c.name === t.container);
  const using = over?.usage.value ?? null;
  const request = over ? over.request.value : (ctx.s.container?.requestBytes ?? null);
  const out: Action[] = [];
  if (using !== null && using > 0) {
    const req = roundLimit(using * 1.15);
    // A limit below the new request is raised to it; no limit stays no limit.
    const change = limitChange(t, ctx.limitBytes !== null && ctx.limitBytes < req ? req : null, req);
    out.push({
      title: `Request what ${t.container ?? "the container"} uses: memory requests ${toQuantity(req)}`,
      detail: `The kubelet evicts first the pods using most above their request: ${t.container ?? "it"} was using ${formatBytes(using)} against a ${request !== null ? formatBytes(request) : "missing"} request. Requests of ${formatBytes(using)} + 15% = ${toQuantity(req)} make the scheduler place it where that memory exists. ${change.note}`,
      command: change.command,
    });
  }
  out.push(nodeCheck(ctx));
  return out;
}

/** The victim of a global OOM: its oom_score_adj and how requests protect it. */
function victimSteps(ctx: AdviceContext): Action[] {
  const t = ctx.target;
  if (!t.container) return [];
  const adj =
    ctx.s.kernelKills.map((k) => k.victim?.oomScoreAdj).find((a): a is number => a !== null && a !== undefined) ?? null;
  const rss = victimRss(ctx);
  const qos = ctx.s.pod?.qosClass;
  if (rss === null) {
    // No size of the victim in the bundle: a number here could be below what it uses (a new OOM kill at its own limit).
    return [
      {
        title: `Protect the victim: give ${t.container} memory requests (and limits) that match what it uses`,
        detail: `${t.container} was chosen by oom_score${qos ? ` (${qos} QoS${qos === "BestEffort" ? ": oom_score_adj 1000, the first in line" : ""})` : ""}; the bundle does not say how much memory it held. Requests equal to its use make the scheduler count that memory; requests = limits (for CPU too) make the pod Guaranteed, oom_score_adj −997. The command below shows its use now, per container`,
        command: t.pod ? `kubectl ${t.ns}top pod ${t.pod} --containers` : undefined,
      },
    ];
  }
  const request = roundLimit(Math.max(rss, ctx.s.container?.requestBytes ?? 0) * 2);
  const limit = Math.max(request, ctx.limitBytes ?? 0);
  const change = limitChange(t, limit, request);
  return [
    {
      title: `Protect the victim: give ${t.container} memory requests and limits of ${toQuantity(request)}`,
      detail: `${t.container} was chosen by oom_score${ctx.s.nodeOom?.victim.largest ? " (it was also the largest process)" : ", not by size"}${adj !== null ? `: oom_score_adj ${adj}` : ""}${qos ? ` (${qos} QoS)` : ""} while it held ${formatBytes(rss)}. With requests = limits (for CPU too) the pod is Guaranteed and gets oom_score_adj −997; with a request alone the scheduler at least counts its memory. ${change.note}`,
      command: change.command,
    },
  ];
}

/**
 * The culprit: the biggest consumer in the kernel's tasks table, with its pod when the bundle
 * tells. When that was the victim itself, the next process is no culprit (parseoom's clamd of
 * 1.6 GiB, then rspamd of 64.5 MiB): the step is about the victim, unless it is a container's
 * (the victim's own step covers it).
 */
function culpritSteps(ctx: AdviceContext): Action[] {
  const picture = ctx.s.nodeOom ?? null;
  if (picture?.victim.largest) return ctx.target.container ? [] : hostHogSteps(picture.victim);
  const victimPids = new Set(ctx.kills.map((k) => k.pid));
  const victimPod = picture?.consumers.find((t) => victimPids.has(t.pid))?.pod?.name ?? ctx.target.pod;
  const top =
    picture?.consumers.find(
      (t) => !victimPids.has(t.pid) && (t.pod === null || t.pod.name === null || t.pod.name !== victimPod),
    ) ?? null;
  const big = top
    ? { pid: top.pid, process: top.process, rssBytes: top.rssBytes ?? 0 }
    : (ctx.kills.map((k) => k.largestTask).find((x) => x) ?? null);
  if (!big || victimPids.has(big.pid)) return [];
  const node = ctx.target.node;
  const pod = top?.pod?.name ? top.pod : null;
  // What the node can give: its allocatable (describe node), else its RAM (the kernel's Mem-Info).
  const allocatable = picture?.node?.allocatableBytes ?? null;
  const ceiling =
    allocatable !== null
      ? { bytes: allocatable, what: "allocatable" }
      : picture?.ram
        ? { bytes: picture.ram.bytes, what: "RAM (the kernel's Mem-Info)" }
        : null;
  if (pod) {
    const over =
      pod.limitBytes !== null && ceiling !== null && (pod.limitBytes === 0 || pod.limitBytes > ceiling.bytes)
        ? ` Its memory limit (${pod.limitBytes === 0 ? "none" : formatBytes(pod.limitBytes)}) lets it take more than the node's ${formatBytes(ceiling.bytes)} ${ceiling.what}: a limit below that, and a request equal to what it uses, keep it from starving the node's other pods.`
        : " Give it a memory limit it cannot exceed on this node, and a request equal to what it uses, so the scheduler places it where that memory exists.";
    return [
      {
        title: `Cap or move the biggest consumer: ${big.process} of ${podName(pod)} (pid ${big.pid}, ${formatBytes(big.rssBytes)})`,
        detail: `${big.process} held ${formatBytes(big.rssBytes)} when the node ran out (${resourcesWords(pod)}attributed by ${pod.basis}).${over} The command below names its workload, whose template to change`,
        command:
          pod.namespace && pod.name
            ? `kubectl -n ${shellQuote(pod.namespace)} get pod ${shellQuote(pod.name)} -o jsonpath='{range .metadata.ownerReferences[*]}{.kind}/{.name}{"\\n"}{end}'`
            : undefined,
      },
    ];
  }
  return [
    {
      title: `Cap or move the biggest consumer: ${big.process} (pid ${big.pid}, ${formatBytes(big.rssBytes)})`,
      detail: `${big.process} held ${formatBytes(big.rssBytes)} when the node ran out: give its pod a memory limit it cannot exceed on this node, and a request equal to what it uses so the scheduler places it where that memory exists (or a node of its own).${node ? " The pods of the node with their memory requests and limits:" : ""}`,
      command: node
        ? `kubectl get pods -A --field-selector ${shellQuote(`spec.nodeName=${node}`)} -o custom-columns='NAMESPACE:.metadata.namespace,POD:.metadata.name,QOS:.status.qosClass,MEM_REQ:.spec.containers[*].resources.requests.memory,MEM_LIM:.spec.containers[*].resources.limits.memory'`
        : undefined,
    },
  ];
}

/** A process the bundle places in no pod that was both the largest and the one killed: it comes back as big. */
function hostHogSteps(v: NodeOomPicture["victim"]): Action[] {
  const adj =
    v.meaning === null
      ? ""
      : v.meaning === "not a pod"
        ? ` (oom_score_adj ${v.oomScoreAdj}: not a value the kubelet gives a pod's processes)`
        : ` (oom_score_adj ${v.oomScoreAdj}: ${v.meaning}, so it may run in a pod the bundle does not name)`;
  return [
    {
      title: `Cap the biggest consumer, the process killed: ${v.process} (pid ${v.pid}${v.rssBytes !== null ? `, ${formatBytes(v.rssBytes)}` : ""})`,
      detail: `${v.process} held${v.rssBytes !== null ? ` ${formatBytes(v.rssBytes)},` : ""} the most of any process in the kernel's tasks table, and the kernel killed it for that; restarted, it can grow as large again. The bundle places it in no pod${adj}: cap it where it runs (its pod's memory limit, or a host service's, such as systemd's MemoryMax=, or its own settings), or leave the node the memory it needs. The command below shows, on the node, its processes now with their resident memory (kB) and systemd unit`,
      command: `ps -C ${shellQuote(v.process)} -o pid,rss,unit,args`,
    },
  ];
}

/** The node: allocatable against the sum of memory limits (with the numbers when `describe node` is in the bundle). */
function nodeCheck(ctx: AdviceContext): Action {
  const node = ctx.target.node;
  const sums = nodeWords(ctx.s.nodeOom?.node ?? ctx.s.nodeMemory ?? null) ?? ramWords(ctx.s.nodeOom?.ram ?? null);
  return {
    title: "Compare the node's allocatable memory with the sum of limits",
    detail: `${sums ? `${sums}. ` : ""}Limits above 100% of allocatable let the pods together ask for more than the node has; keep the sum of requests of the big consumers close to what they use, and keep room for system-reserved memory and the kubelet's eviction threshold.`,
    command: node
      ? `kubectl describe node ${node} | sed -n '/^Allocatable:/,/^System Info:/p;/^Allocated resources:/,/^Events:/p'`
      : undefined,
  };
}

/** RSS of the victim processes killed in one OOM (a memory.oom.group kill takes the whole container). */
function victimRss(ctx: AdviceContext): number | null {
  const byTime = new Map<string, number>();
  for (const k of ctx.kills) {
    const members = (k.group?.members ?? []).reduce((sum, m) => sum + (m.anonRssBytes ?? 0), 0);
    const rss = (k.anonRssBytes ?? 0) + (k.fileRssBytes ?? 0) + (k.shmemRssBytes ?? 0) + members;
    if (rss > 0) byTime.set(k.time ?? "?", (byTime.get(k.time ?? "?") ?? 0) + rss);
  }
  return byTime.size === 0 ? null : maxOf(byTime.values(), 0);
}
