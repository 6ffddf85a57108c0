/**
 * not-oom: the container got SIGKILL (exit code 137) from something other than the kernel's OOM
 * killer: a userspace OOM daemon (systemd-oomd, earlyoom), a failed liveness/startup probe, the
 * stop grace period running out, a deletion without grace period (see `senders.ts`), or an
 * unknown sender when the container's cgroup `memory.events` says `oom_kill 0` (cgroup v2 counts
 * are hierarchical, so the pod's cgroup counts its containers' kills too); or an eviction for a
 * resource other than memory (the kubelet's message names `ephemeral-storage`, `inodes`, `pids`).
 * Needs positive evidence: an absent kernel log alone never makes it likely.
 */
import { sameContainerId } from "../../correlate/attribute.js";
import { parseMemcgPath } from "../../correlate/memcg-path.js";
import { evidence, type Evidence } from "../../model/source.js";
import { memcgPartFile } from "../../model/facts.js";
import { killSenders } from "../senders.js";
import { evictionEvidence, evictionsOf, evictionWords, subjectEviction } from "../eviction.js";
import { notMemoryEviction } from "../../ingest/shared/eviction-message.js";
import { killLines } from "../signals.js";
import { defineRule, isOomEvent, rejected, supported, undetermined, type RuleContext } from "../types.js";
import { notOom } from "../advice/not-oom.js";

export default defineRule({
  id: "not-oom",
  title: "SIGKILL from something other than the OOM killer",
  role: "scope",
  excludes: "all",
  requires: ["container", "memcgSnapshots", "pod", "podEvents"],
  sizesLimit: false,
  advise: notOom,
  evaluate(ctx) {
    if (isOomEvent(ctx.event))
      return rejected(
        "not-oom",
        "the kernel or the kubelet recorded an OOM kill",
        killLines(ctx.kills.flatMap((k) => k.evidence.slice(0, 1))),
      );
    if (ctx.event === "eviction") return evictionNotMemory(ctx);
    if (ctx.event !== "sigkill") return rejected("not-oom", "no SIGKILL or exit code 137 was recorded");
    const kernelLog = ctx.kernelLogFiles.length > 0;
    const kernelNote = kernelLog
      ? `the kernel log (${ctx.kernelLogFiles.join(", ")}) has no OOM kill for this container`
      : "";
    const noOom = memoryEventsWithoutOom(ctx);
    const senders = killSenders(ctx, kernelLog || noOom !== null);
    const best = senders[0];
    if (best) {
      const also = [
        noOom?.what,
        best.confidence === "high" && kernelLog && best.kind !== "userspace-oom-daemon" ? kernelNote : null,
      ].filter(Boolean);
      const others = senders.slice(1).map((x) => x.what);
      const reason = [best.what, ...also].join(", and ") + (others.length > 0 ? `; also: ${others.join("; ")}` : "");
      return supported(
        "not-oom",
        best.confidence,
        reason,
        [...best.evidence, ...(noOom?.evidence ?? []), ...senders.slice(1).flatMap((x) => x.evidence)],
        best.missing,
        { decisive: best.kind === "userspace-oom-daemon" || best.kind === "forced-deletion" },
      );
    }
    if (noOom) {
      return supported(
        "not-oom",
        "medium",
        `exit code 137, but ${noOom.what}: something else sent the SIGKILL`,
        noOom.evidence,
        ["pod events (kubectl get events -o json)", "the container's previous logs"],
      );
    }
    if (kernelLog) {
      const searched = ctx.kernelLogFiles.map((file) => ({
        file,
        text: "kernel log searched: no OOM report for this container",
      }));
      return supported(
        "not-oom",
        "low",
        `exit code 137 and ${kernelNote}; nothing in the bundle says who sent the SIGKILL`,
        searched,
        [
          "pod events (kubectl get events -o json)",
          "the node's journal (systemd-oomd, earlyoom)",
          "the container's previous logs",
        ],
      );
    }
    return undetermined(
      "not-oom",
      "exit code 137 with no OOM record, but no kernel log and no probe events either: an OOM reported as Error by an old runtime, a userspace OOM daemon, or an external kill all look like this",
      [
        "the node's kernel log (dmesg -T) around the kill",
        "the node's journal (journalctl, for systemd-oomd or earlyoom)",
        "pod events (kubectl get events -o json)",
      ],
    );
  },
});

/**
 * An eviction is `not-oom` when the kubelet's message says the node ran short of something other
 * than memory (`ephemeral-storage`, `inodes`, `pids`): no memory limit or usage had anything to do with it.
 */
function evictionNotMemory(ctx: RuleContext) {
  const e = subjectEviction(ctx.facts);
  if (!notMemoryEviction(e))
    return rejected(
      "not-oom",
      "the kubelet evicted the pod, and nothing says for a resource other than memory",
      e ? [evictionEvidence(e)] : [],
    );
  const { head, detail } = evictionWords(e!, ", not memory");
  const exit =
    ctx.termination?.exitCode === 137 ? "; its exit code 137 is the kubelet stopping the evicted pod's container" : "";
  return supported(
    "not-oom",
    "high",
    `the kubelet evicted the pod because ${head}${detail ? `; the eviction message says ${detail}` : ""}${exit}`,
    evictionsOf(ctx.facts).map(evictionEvidence),
    [],
    { decisive: true },
  );
}

/**
 * A memory.events snapshot of the subject's cgroup with `oom_kill 0`: positive evidence that the
 * memcg never OOM-killed. A container-level cgroup only counts when it is the killed container's
 * (after a restart the new container has a new cgroup whose counters start at 0).
 */
function memoryEventsWithoutOom(ctx: RuleContext): { what: string; evidence: Evidence[] } | null {
  const killedId =
    ctx.termination?.containerId ?? (ctx.facts.container?.restartCount === 0 ? ctx.facts.container.containerId : null);
  for (const snap of ctx.facts.memcgSnapshots) {
    if (snap.events["oom_kill"] !== 0) continue;
    const info = snap.path ? parseMemcgPath(snap.path) : null;
    if (info?.containerId && !sameContainerId(info.containerId, killedId)) continue;
    const line = (key: string) => ({
      file: memcgPartFile(snap, "events"),
      line: snap.eventLines?.[key] ?? snap.source.line,
    });
    const ev = [evidence(line("oom_kill"), "memory.events oom_kill 0")];
    const oom = snap.events["oom"];
    if (oom !== undefined) ev.push(evidence(line("oom"), `memory.events oom ${oom}`));
    const where = snap.path
      ? ` of ${info?.level === "pod" ? "the pod's" : info?.level === "container" ? "the container's" : "the"} cgroup ${snap.path}`
      : "";
    return {
      what: `memory.events${where} says oom_kill 0${oom !== undefined ? `, oom ${oom}` : ""}: the memcg never OOM-killed`,
      evidence: ev,
    };
  }
  return null;
}
