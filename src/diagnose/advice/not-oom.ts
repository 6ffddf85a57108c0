/**
 * A SIGKILL that was not the kernel's OOM killer: a failing liveness probe (the kubelet kills
 * and restarts the container), or something else (systemd-oomd, a stop timeout, an operator).
 * The probe fix is a strategic-merge patch of the probe's thresholds, which keeps its handler.
 */
import type { Action } from "../../model/incident.js";
import { formatTime } from "../../util/format.js";
import { containerPatch } from "./change.js";
import { logsCommand, type AdviceContext } from "./context.js";
import type { EvictionFact } from "../../model/facts.js";
import { notMemoryEviction } from "../../ingest/shared/eviction-message.js";
import { evictionWords, subjectEviction } from "../eviction.js";
import { evictionResourceName } from "../../util/eviction-figures.js";

/** `timeout=1s` / `#failure=3` in kubectl's probe summary (describe.go `DescribeProbe`). */
const PROBE_TIMEOUT = /\btimeout=(\d+)s/;
const PROBE_FAILURES = /#failure=(\d+)/;
/** Kubelet events of a failing liveness probe. */
const LIVENESS_EVENT = /liveness probe/i;

/** Steps for `not-oom`. */
export function notOom(ctx: AdviceContext): Action[] {
  const eviction = ctx.event === "eviction" ? subjectEviction(ctx.s) : null;
  if (eviction && notMemoryEviction(eviction)) return evictedForOther(ctx, eviction);
  const probeEvents = ctx.s.podEvents.filter(
    (e) => (e.reason === "Unhealthy" || e.reason === "Killing") && LIVENESS_EVENT.test(e.message),
  );
  const logs = logsCommand(ctx);
  if (probeEvents.length > 0) {
    const probe = ctx.s.container?.livenessProbe ?? "";
    const timeout = Number(PROBE_TIMEOUT.exec(probe)?.[1] ?? 1);
    const failures = Number(PROBE_FAILURES.exec(probe)?.[1] ?? 3);
    const next = { timeoutSeconds: Math.max(5, timeout * 3), failureThreshold: Math.max(6, failures * 2) };
    const change = containerPatch(ctx.target, { livenessProbe: next });
    return [
      {
        title: "Find why the liveness endpoint stopped answering",
        detail: `The kubelet killed ${ctx.target.container ?? "the container"} after its liveness probe failed${probe ? ` (probe: ${probe})` : ""}; the log of the killed run shows what it was doing (GC pauses, a blocked event loop, a slow dependency behind the health check).`,
        command: logs ?? undefined,
      },
      {
        title: `Give the probe room: timeoutSeconds ${next.timeoutSeconds}, failureThreshold ${next.failureThreshold}`,
        detail: `A liveness probe should only fail when the process is stuck, not when it is slow; keep dependencies out of the liveness endpoint. ${change.note}`,
        command: change.command,
      },
    ];
  }
  const node = ctx.target.node;
  const when = ctx.killTime ? Date.parse(ctx.killTime) : NaN;
  const since = Number.isFinite(when) ? formatTime(when - 10 * 60_000) : null;
  return [
    {
      title: "Find who sent the SIGKILL",
      detail:
        "No OOM kill and no failing liveness probe: look in the node's journal for systemd-oomd, the kubelet (stop timeouts, evictions) or the container runtime around the kill.",
      command: node
        ? `kubectl debug node/${node} -it --profile=sysadmin --image=busybox -- chroot /host journalctl -u kubelet -u containerd -u crio -u systemd-oomd${since ? ` --since '${since}' --utc` : ""} --no-pager`
        : (logs ?? undefined),
    },
  ];
}

/** What to look for when the node ran short of something other than memory. */
const SHORT_OF: Record<string, string> = {
  "ephemeral-storage":
    "Look for container logs (the kubelet rotates them at containerLogMaxSize), files written into the container's own filesystem, and emptyDir volumes without a sizeLimit; give the pods that write to local disk ephemeral-storage requests (and limits) that match what they write, so the scheduler counts it and the kubelet evicts the pod over its request first.",
  inodes:
    "Something created many small files (a cache, a temp directory, container logs) on the node's disk; find it with du --inodes on the node and give the writer an emptyDir with a sizeLimit or a volume of its own.",
  pids: "Some pod forked many processes or threads; the kubelet's podPidsLimit caps one pod's PIDs so that it cannot starve the node.",
};

/** An eviction for disk, inodes or pids: no memory change helps; find what filled the node. */
function evictedForOther(ctx: AdviceContext, e: EvictionFact): Action[] {
  const node = ctx.target.node;
  const { head, detail } = evictionWords(e);
  return [
    {
      title: `Find what used up the node's ${evictionResourceName(e)}: no memory setting would have prevented this eviction`,
      detail:
        `The kubelet evicted ${ctx.target.pod ?? "the pod"} because ${head}${detail ? `; ${detail}` : ""}. ${SHORT_OF[e.resource ?? ""] ?? ""}${node ? " The command below shows the node's conditions and its recent pressure events." : " The bundle does not name the node; kubectl describe node on the node the pod ran on shows its conditions."}`.trim(),
      command: node ? `kubectl describe node ${node}` : undefined,
    },
  ];
}
