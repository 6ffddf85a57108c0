/**
 * not-oom: the container got SIGKILL (exit code 137) from something other than the OOM killer:
 * a failed liveness probe, stop-timeout escalation, an external kill. Needs positive evidence:
 * probe-failure or Killing events, or the container's cgroup `memory.events` saying `oom_kill 0`
 * (cgroup v2 counts are hierarchical, so the pod's cgroup counts its containers' kills too);
 * an absent kernel log alone never makes it likely.
 */
import { sameContainerId } from "../../correlate/attribute.js";
import { parseMemcgPath } from "../../correlate/memcg-path.js";
import { evidence, type Evidence } from "../../model/source.js";
import { defineRule, isOomEvent, rejected, supported, undetermined, type RuleContext } from "../types.js";

/** kubelet prober events: `Liveness probe failed: …`, `Container x failed liveness probe, will be restarted`. */
const PROBE_FAILURE = /liveness probe failed|failed liveness probe|startup probe failed|failed startup probe/i;

export default defineRule({
  id: "not-oom",
  title: "SIGKILL from something other than the OOM killer",
  evaluate(ctx) {
    if (isOomEvent(ctx.event)) return rejected("not-oom", "the kernel or the kubelet recorded an OOM kill", ctx.kills.flatMap((k) => k.evidence.slice(0, 1)));
    if (ctx.event === "eviction") return rejected("not-oom", "the kubelet evicted the pod under node memory pressure");
    if (ctx.event !== "sigkill") return rejected("not-oom", "no SIGKILL or exit code 137 was recorded");
    const name = ctx.facts.container?.name;
    const probes = ctx.facts.podEvents.filter((e) => PROBE_FAILURE.test(e.message) && (!name || e.message.includes(name) || e.reason === "Unhealthy"));
    const ev = probes.map((e) => evidence(e.source, `${e.reason}: ${e.message}${e.count > 1 ? ` (x${e.count})` : ""}`));
    const kernelLog = ctx.kernelLogFiles.length > 0;
    const kernelNote = kernelLog ? `the kernel log (${ctx.kernelLogFiles.join(", ")}) has no OOM kill for this container` : "";
    const noOom = memoryEventsWithoutOom(ctx);
    if (noOom && probes.length > 0) {
      return supported("not-oom", "high", `exit code 137 follows failed liveness probes, and ${noOom.what}`, [...ev, ...noOom.evidence]);
    }
    if (noOom) {
      return supported("not-oom", "medium", `exit code 137, but ${noOom.what}: something else sent the SIGKILL`, noOom.evidence, ["pod events (kubectl get events -o json)", "the container's previous logs"]);
    }
    if (probes.length > 0 && kernelLog) {
      return supported("not-oom", "high", `exit code 137 follows failed liveness probes (kubelet kills the container after failureThreshold), and ${kernelNote}`, ev);
    }
    if (probes.length > 0) {
      return supported("not-oom", "medium", "exit code 137 follows failed liveness probes; without the node's kernel log an OOM at the same moment cannot be ruled out", ev, ["the node's kernel log (dmesg -T) around the kill"]);
    }
    if (kernelLog) {
      const searched = ctx.kernelLogFiles.map((file) => ({ file, text: "kernel log searched: no OOM report for this container" }));
      return supported("not-oom", "low", `exit code 137 and ${kernelNote}; nothing in the bundle says who sent the SIGKILL`, searched, ["pod events (kubectl get events -o json)", "the container's previous logs"]);
    }
    return undetermined("not-oom", "exit code 137 with no OOM record, but no kernel log and no probe events either: an OOM reported as Error by an old runtime, a userspace OOM daemon, or an external kill all look like this", ["the node's kernel log (dmesg -T) around the kill", "pod events (kubectl get events -o json)"]);
  },
});

/**
 * A memory.events snapshot of the subject's cgroup with `oom_kill 0`: positive evidence that the
 * memcg never OOM-killed. A container-level cgroup only counts when it is the killed container's
 * (after a restart the new container has a new cgroup whose counters start at 0).
 */
function memoryEventsWithoutOom(ctx: RuleContext): { what: string; evidence: Evidence[] } | null {
  const killedId = ctx.termination?.containerId ?? (ctx.facts.container?.restartCount === 0 ? ctx.facts.container.containerId : null);
  for (const snap of ctx.facts.memcgSnapshots) {
    if (snap.events["oom_kill"] !== 0) continue;
    const info = snap.path ? parseMemcgPath(snap.path) : null;
    if (info?.containerId && !sameContainerId(info.containerId, killedId)) continue;
    const line = (key: string) => ({ file: snap.source.file, line: snap.eventLines?.[key] ?? snap.source.line });
    const ev = [evidence(line("oom_kill"), "memory.events oom_kill 0")];
    const oom = snap.events["oom"];
    if (oom !== undefined) ev.push(evidence(line("oom"), `memory.events oom ${oom}`));
    const where = snap.path ? ` of ${info?.level === "pod" ? "the pod's" : info?.level === "container" ? "the container's" : "the"} cgroup ${snap.path}` : "";
    return { what: `memory.events${where} says oom_kill 0${oom !== undefined ? `, oom ${oom}` : ""}: the memcg never OOM-killed`, evidence: ev };
  }
  return null;
}
