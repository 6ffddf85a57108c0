/**
 * not-oom: the container got SIGKILL (exit code 137) from something other than the OOM killer:
 * a failed liveness probe, stop-timeout escalation, an external kill. Needs positive evidence:
 * probe-failure or Killing events; an absent kernel log alone never makes it likely.
 */
import { evidence } from "../../model/source.js";
import { defineRule, isOomEvent, rejected, supported, undetermined } from "../types.js";

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
    if (probes.length > 0 && kernelLog) {
      return supported("not-oom", "high", `exit code 137 follows failed liveness probes (kubelet kills the container after failureThreshold), and ${kernelNote}`, ev);
    }
    if (probes.length > 0) {
      return supported("not-oom", "medium", "exit code 137 follows failed liveness probes; without the node's kernel log an OOM at the same moment cannot be ruled out", ev, ["the node's kernel log (dmesg -T) around the kill"]);
    }
    if (kernelLog) {
      return supported("not-oom", "low", `exit code 137 and ${kernelNote}; nothing in the bundle says who sent the SIGKILL`, [], ["pod events (kubectl get events -o json)", "the container's previous logs"]);
    }
    return undetermined("not-oom", "exit code 137 with no OOM record, but no kernel log and no probe events either: an OOM reported as Error by an old runtime, a userspace OOM daemon, or an external kill all look like this", ["the node's kernel log (dmesg -T) around the kill", "pod events (kubectl get events -o json)"]);
  },
});
