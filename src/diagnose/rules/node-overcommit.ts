/**
 * node-overcommit: the node ran out of memory (global OOM, a kill at the node-allocatable
 * memcg, or a kubelet eviction). The victim is chosen by oom_score and may be innocent: the
 * biggest consumer in the kernel's task table is named.
 */
import { nodeMemoryAt } from "../../analyze/node-memory.js";
import { evidence, mergeSameLine } from "../../model/source.js";
import { formatBytes } from "../../util/format.js";
import { nodeWords, pictureWords } from "../node-oom-words.js";
import { pressureAtKill, type NodePressureSignal } from "../../correlate/node-pressure.js";
import { noLimitOfItsOwn } from "../event.js";
import type { Hypothesis } from "../../model/incident.js";
import type { Evidence } from "../../model/source.js";
import { defineRule, rejected, supported, undetermined, type RuleContext } from "../types.js";
import { nodePressure } from "../advice/node.js";
import { killLines } from "../signals.js";
import { evictionEvidence, evictionsOf, evictionWords, subjectEviction } from "../eviction.js";
import { notMemoryEviction } from "../../ingest/shared/eviction-message.js";
import type { EvictionFact } from "../../model/facts.js";

// The eviction message's figures, whether the subject was the one over its request, and what its exit code 137 means.
function evictionDetail(ctx: RuleContext, e: EvictionFact | null): string {
  const name = ctx.facts.container?.name ?? null;
  const parts: string[] = [];
  const words = e ? evictionWords(e) : null;
  if (words?.head) parts.push(` because ${words.head}`);
  else
    parts.push(
      words
        ? "; the eviction message does not say which resource ran short (memory assumed)"
        : "; the bundle does not hold the eviction message, so which resource ran short is not known (memory assumed)",
    );
  if (words?.detail) parts.push(`; the eviction message says ${words.detail}`);
  if (name !== null && e && e.containers.length > 0 && !e.containers.some((c) => c.name === name))
    parts.push(`; ${name} itself was not the one over its request: it was stopped with its pod`);
  if (ctx.termination?.exitCode === 137)
    parts.push(`; exit code 137 here is the kubelet stopping the evicted pod's container, not an OOM kill`);
  return parts.join("");
}

export default defineRule({
  id: "node-overcommit",
  title: "The node ran out of memory; the victim may be innocent",
  role: "scope",
  requires: [
    "container",
    "kernelKills",
    "limit",
    "nodeMemory",
    "nodeOom",
    "nodeOomEvent",
    "nodePressure",
    "pod",
    "podEvents",
    "series",
    "subject",
  ],
  sizesLimit: false,
  advise: nodePressure,
  evaluate(ctx) {
    // Node signals at the kill, or undated; one dated away from the kill says nothing of it.
    const signals = ctx.facts.nodePressure ?? [];
    const near = signals.filter((x) => x.timing === "at-kill" || x.timing === "undated");
    const nodeEv = near.map((x) => x.evidence);
    const killTime = ctx.kills.at(-1)?.time ?? null;
    const record = nodeMemoryAt(ctx.facts.series, ctx.facts.subject.node, killTime ? Date.parse(killTime) : null);
    const recordWords = record ? ` ${record.words[0]!.toUpperCase()}${record.words.slice(1)}.` : "";
    nodeEv.push(...(record?.evidence ?? []));
    if (ctx.event === "node-oom-kill" && ctx.facts.kernelKills.length === 0)
      return withoutKernelLog(ctx, near, nodeEv, recordWords);
    if (ctx.event === "node-oom-kill") {
      const kill =
        [...ctx.kills]
          .reverse()
          .find((k) => k.pid !== null && k.killer === "kernel-oom-killer" && k.limitHit === null) ?? ctx.kills.at(-1)!;
      const picture = ctx.facts.nodeOom ?? null;
      const big = kill.largestTask;
      const side = picture
        ? ` ${pictureWords(picture)}.`
        : big && kill.pid !== null && big.pid !== kill.pid
          ? ` The victim ${kill.process} (pid ${kill.pid}) was chosen by oom_score; the biggest consumer was ${big.process} (pid ${big.pid}, ${formatBytes(big.rssBytes)} RSS).`
          : "";
      const scope =
        kill.memcgLevel === "allocatable"
          ? `the node-allocatable memcg ${kill.memcg} hit its limit`
          : "a global OOM (no memcg constraint): the node itself ran out of memory";
      const pictureEv = picture
        ? [
            ...picture.consumers.flatMap((t) => [t.evidence, ...(t.pod?.evidence ?? [])]),
            ...(picture.ram ? [picture.ram.evidence] : []),
            ...(picture.node?.evidence ?? []),
          ]
        : [];
      return supported(
        "node-overcommit",
        "high",
        `${scope}.${side}${recordWords}`,
        mergeSameLine([...kill.evidence.slice(0, 2), ...nodeEv, ...pictureEv]),
        [],
        { decisive: true },
      );
    }
    if (ctx.event === "eviction") {
      const e = subjectEviction(ctx.facts);
      const ev = ctx.facts.podEvents
        .filter((x) => x.reason === "Evicted" && !x.eviction)
        .map((x) => evidence(x.source, `Evicted: ${x.message}`));
      const pod = ctx.facts.pod;
      if (pod?.reason === "Evicted" && !pod.eviction)
        ev.push(evidence(pod.source, `pod status: Evicted${pod.message ? `: ${pod.message}` : ""}`));
      ev.unshift(...evictionsOf(ctx.facts).map(evictionEvidence));
      if (notMemoryEviction(e))
        return rejected(
          "node-overcommit",
          `the kubelet evicted the pod for ${e!.resourceText ?? e!.resource}, not memory`,
          [evictionEvidence(e!)],
        );
      // Known to be memory: the message says so, or the node reported memory pressure at the kill
      // (an undated signal may be from another day).
      const known = e?.resource === "memory" || pressureAtKill(near).length > 0;
      return supported(
        "node-overcommit",
        known ? "high" : "medium",
        `the kubelet evicted the pod${evictionDetail(ctx, e)}.${recordWords}`,
        mergeSameLine([...ev, ...nodeEv]),
        known
          ? []
          : ["the eviction message (the pod's status.message in kubectl get pod -o yaml, or its Evicted event)"],
        { decisive: known },
      );
    }
    if (ctx.kills.some((k) => k.memcgLevel === "container" || k.memcgLevel === "pod")) {
      const k = ctx.kills.find((x) => x.memcgLevel === "container" || x.memcgLevel === "pod")!;
      return rejected(
        "node-overcommit",
        `the kernel killed inside the ${k.memcgLevel}'s own memcg (${k.memcg}): its own limit was hit, not the node's`,
        k.evidence.slice(0, 2),
      );
    }
    const kernelLines = () => killLines(ctx.kills.flatMap((k) => k.evidence.slice(0, 1)));
    if (ctx.facts.kernelKills.some((k) => k.oom.global === false))
      return rejected("node-overcommit", "the kernel report is memcg-constrained, not a global OOM", kernelLines());
    // A bare `Killed process` line (RHEL 6/7, kernels before 4.x, a trimmed paste) names no scope.
    if (ctx.facts.kernelKills.length > 0)
      return undetermined(
        "node-overcommit",
        "the kernel lines in the bundle do not say whether the OOM was the node's or a memcg's (no `Out of memory:` or `Memory cgroup out of memory:` prefix, no `oom-kill:` summary, no memcg usage)",
        ["the kernel's whole OOM report (dmesg), from `invoked oom-killer` to `Killed process`"],
        kernelLines(),
      );
    if (near.length > 0)
      return undetermined(
        "node-overcommit",
        pressureWithLimit(ctx, near),
        ["the node's kernel log (dmesg -T) around the kill"],
        nodeEv,
      );
    const away = signals.filter((x) => x.timing === "later" || x.timing === "earlier");
    if (away.length > 0)
      return undetermined(
        "node-overcommit",
        `the node's memory pressure is dated away from the kill (${away.map((x) => `${x.what}: ${x.timing === "later" ? "after" : "before"} it`).join("; ")}), and no kernel log says whether the OOM was the container's limit or the node's`,
        ["the node's kernel log (dmesg -T) around the kill"],
        away.map((x) => x.evidence),
      );
    return undetermined(
      "node-overcommit",
      "no kernel log says whether the OOM was the container's limit or the node's",
      ["the node's kernel log (dmesg -T) around the kill", "kubectl describe node"],
    );
  },
});

/**
 * The node's pressure in words beside a kill the container's own limit may explain: at the kill, a
 * memcg kill and a node-level one both read OOMKilled (cgroup v2 counts a global kill in the
 * victim's memcg too), so only the kernel log tells them apart.
 */
function pressureWithLimit(ctx: RuleContext, near: NodePressureSignal[]): string {
  const at = pressureAtKill(near);
  const list = (xs: NodePressureSignal[]) => xs.map((x) => x.what).join("; ");
  if (at.length === 0)
    return `the node reported memory pressure (${list(near)}), not dated against the kill, and no kernel log ties it to this kill`;
  const limit = ctx.facts.limit
    ? ` and the container has a ${formatBytes(ctx.facts.limit.bytes)} limit of its own`
    : "";
  if (ctx.termination?.reason === "OOMKilled")
    return `the node was short of memory at the kill (${list(at)})${limit}: a kill at the node's level and one at the container's limit both show as OOMKilled, so only the kernel log tells which ran out`;
  const logs =
    ctx.kernelLogFiles.length > 0
      ? `, but the kernel log (${ctx.kernelLogFiles.join(", ")}) has no OOM kill of this container: a node-level OOM kill of it would be there`
      : "";
  return `the node was short of memory at the kill (${list(at)})${logs}`;
}

/**
 * A node-level OOM known without the kernel log: a node event (`SystemOOM`, `OOMKilling`) naming
 * the container's process; OOMKilled in a container with no limit of its own (BestEffort, or a
 * memory request without a limit); a kill (137) while the node reported memory pressure.
 * `near`: the node's pressure signals at the kill or undated; `signalEv` their lines and the node's memory record.
 */
function withoutKernelLog(
  ctx: RuleContext,
  near: NodePressureSignal[],
  signalEv: Evidence[],
  record: string,
): Hypothesis {
  const { nodeOomEvent: found, pod, nodeMemory } = ctx.facts;
  const sums = nodeWords(nodeMemory ?? null);
  const recordWords = `${sums ? ` ${sums}.` : ""}${record}`;
  const nodeEv = [...signalEv, ...(nodeMemory?.evidence ?? [])];
  const term = ctx.kills.at(-1)?.evidence ?? [];
  const missing = ["the node's kernel log (dmesg -T) around the kill, for the tasks table: who held the memory"];
  const at = pressureAtKill(near);
  const pressure =
    at.length > 0 ? ` The node was short of memory at the kill: ${at.map((x) => x.what).join("; ")}.` : "";
  const bestEffort =
    pod?.qosClass === "BestEffort"
      ? ` The pod is BestEffort: no memory limit of its own, so the kernel chose its process by oom_score_adj 1000, the first in line when the node runs out.`
      : "";
  if (found) {
    const e = found.event;
    const what = `the node's ${e.reason} event (${e.involved?.name ? `node ${e.involved.name}` : "a node event"}) names ${found.process}${found.pid !== null ? ` (pid ${found.pid})` : ""}, this container's process, as the victim of a node-level OOM`;
    return supported(
      "node-overcommit",
      "high",
      `${what}: the node ran out of memory, not the container's own limit.${bestEffort}${recordWords}`,
      mergeSameLine([...term, ...nodeEv]),
      missing,
    );
  }
  if (ctx.termination?.reason === "OOMKilled" && noLimitOfItsOwn(ctx.facts)) {
    const c = ctx.facts.container;
    const qos =
      pod?.qosClass === "BestEffort"
        ? evidence(pod.source, "QoS Class: BestEffort")
        : evidence(c!.source, `${c!.name}: memory request ${formatBytes(c!.requestBytes!)}, no memory limit`);
    const why =
      pod?.qosClass === "BestEffort"
        ? "the pod is BestEffort (no memory limit of its own), so the OOM was the node's (or its allocatable memcg's), and its process was chosen by oom_score_adj 1000, the first in line"
        : `${c!.name} has a memory request (${formatBytes(c!.requestBytes!)}) and no memory limit, so the OOM was the node's (or its allocatable memcg's), not the container's`;
    return supported(
      "node-overcommit",
      at.length > 0 ? "high" : "medium",
      `OOMKilled without a limit to hit: ${why}.${pressure}${recordWords}`,
      mergeSameLine([...term, qos, ...nodeEv]),
      missing,
    );
  }
  const reason = `exit code 137 while the node was short of memory (${at.map((x) => x.what).join("; ")}), and nothing else in the bundle (probe failures, a stop, a userspace OOM daemon) sent the SIGKILL: the kernel's node-level OOM killer, whose kills the runtime does not mark OOMKilled on cgroup v1`;
  return supported(
    "node-overcommit",
    "medium",
    `${reason}.${bestEffort}${recordWords}`,
    mergeSameLine([...term, ...nodeEv]),
    missing,
  );
}
