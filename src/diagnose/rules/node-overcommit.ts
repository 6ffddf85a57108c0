/**
 * node-overcommit: the node ran out of memory (global OOM, a kill at the node-allocatable
 * memcg, or a kubelet eviction). The victim is chosen by oom_score and may be innocent: the
 * biggest consumer in the kernel's task table is named.
 */
import { nodeMemoryAt } from "../../analyze/node-memory.js";
import { evidence } from "../../model/source.js";
import { formatBytes } from "../../util/format.js";
import { defineRule, rejected, supported, undetermined, type RuleContext } from "../types.js";

/** The kubelet's eviction message (`eviction_manager`): `Container report-builder was using 5421880Ki, request is 1Gi`. */
const EVICTION_USAGE = /Container (\S+) was using (\S+?), request is (\S+?)(?:,|\.|$)/g;

/** kubelet node events that mean memory pressure or a system OOM. */
const NODE_PRESSURE = /^(SystemOOM|EvictionThresholdMet|NodeHasInsufficientMemory|MemoryPressure)$/;

// Which containers the eviction message blames, and what the subject's exit code 137 means.
function evictionDetail(ctx: RuleContext): string {
  const texts = [ctx.facts.pod?.message ?? "", ...ctx.facts.podEvents.filter((e) => e.reason === "Evicted").map((e) => e.message)];
  const blamed = new Map<string, string>();
  for (const t of texts) for (const m of t.matchAll(EVICTION_USAGE)) blamed.set(m[1]!, `${m[1]} was using ${m[2]} against a request of ${m[3]}`);
  const name = ctx.facts.container?.name ?? null;
  const parts: string[] = [];
  if (blamed.size > 0) parts.push(`; the eviction message says ${[...blamed.values()].join(" and ")}`);
  if (name !== null && blamed.size > 0 && !blamed.has(name)) parts.push(`; ${name} itself was not the one over its request: it was stopped with its pod`);
  if (ctx.termination?.exitCode === 137) parts.push(`; exit code 137 here is the kubelet stopping the evicted pod's container, not an OOM kill`);
  return parts.join("");
}

export default defineRule({
  id: "node-overcommit",
  title: "The node ran out of memory; the victim may be innocent",
  evaluate(ctx) {
    const nodeEv = ctx.facts.nodeEvents.filter((e) => NODE_PRESSURE.test(e.reason)).map((e) => evidence(e.source, `${e.reason}: ${e.message}`));
    const killTime = ctx.kills.at(-1)?.time ?? null;
    const record = nodeMemoryAt(ctx.facts.series, ctx.facts.subject.node, killTime ? Date.parse(killTime) : null);
    const recordWords = record ? ` ${record.words[0]!.toUpperCase()}${record.words.slice(1)}.` : "";
    nodeEv.push(...(record?.evidence ?? []));
    if (ctx.event === "node-oom-kill") {
      const kill = ctx.kills.at(-1)!;
      const big = kill.largestTask;
      const innocent = big && kill.pid !== null && big.pid !== kill.pid
        ? ` The victim ${kill.process} (pid ${kill.pid}) was chosen by oom_score; the biggest consumer was ${big.process} (pid ${big.pid}, ${formatBytes(big.rssBytes)} RSS).`
        : "";
      const scope = kill.memcgLevel === "allocatable" ? `the node-allocatable memcg ${kill.memcg} hit its limit` : "a global OOM (no memcg constraint): the node itself ran out of memory";
      return supported("node-overcommit", "high", `${scope}.${innocent}${recordWords}`, [...kill.evidence.slice(0, 2), ...nodeEv], [], { decisive: true });
    }
    if (ctx.event === "eviction") {
      const ev = ctx.facts.podEvents.filter((e) => e.reason === "Evicted").map((e) => evidence(e.source, `Evicted: ${e.message}`));
      const pod = ctx.facts.pod;
      if (pod?.reason === "Evicted") ev.push(evidence(pod.source, `pod status: Evicted${pod.message ? `: ${pod.message}` : ""}`));
      return supported("node-overcommit", "high", `the kubelet evicted the pod because the node was low on memory${evictionDetail(ctx)}.${recordWords}`, [...ev, ...nodeEv], [], { decisive: true });
    }
    if (ctx.kills.some((k) => k.memcgLevel === "container" || k.memcgLevel === "pod")) {
      const k = ctx.kills.find((x) => x.memcgLevel === "container" || x.memcgLevel === "pod")!;
      return rejected("node-overcommit", `the kernel killed inside the ${k.memcgLevel}'s own memcg (${k.memcg}): its own limit was hit, not the node's`, k.evidence.slice(0, 2));
    }
    if (ctx.facts.kernelKills.length > 0) return rejected("node-overcommit", "the kernel report is memcg-constrained, not a global OOM", ctx.kills.flatMap((k) => k.evidence.slice(0, 1)));
    if (nodeEv.length > 0) return undetermined("node-overcommit", "the node reported memory pressure, but no kernel log ties it to this kill", ["the node's kernel log (dmesg -T) around the kill"], nodeEv);
    return undetermined("node-overcommit", "no kernel log says whether the OOM was the container's limit or the node's", ["the node's kernel log (dmesg -T) around the kill", "kubectl describe node"]);
  },
});
