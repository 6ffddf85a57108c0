/**
 * A SIGKILL that was not the kernel's OOM killer: a failing liveness probe (the kubelet kills
 * and restarts the container), or something else (systemd-oomd, a stop timeout, an operator).
 * The probe fix is a strategic-merge patch of the probe's thresholds, which keeps its handler.
 */
import type { Action } from "../../model/incident.js";
import { formatTime } from "../../util/format.js";
import { containerPatch } from "./change.js";
import { logsCommand, type AdviceContext } from "./context.js";

/** `timeout=1s` / `#failure=3` in kubectl's probe summary (describe.go `DescribeProbe`). */
const PROBE_TIMEOUT = /\btimeout=(\d+)s/;
const PROBE_FAILURES = /#failure=(\d+)/;
/** Kubelet events of a failing liveness probe. */
const LIVENESS_EVENT = /liveness probe/i;

/** Steps for `not-oom`. */
export function notOom(ctx: AdviceContext): Action[] {
  const probeEvents = ctx.s.podEvents.filter((e) => (e.reason === "Unhealthy" || e.reason === "Killing") && LIVENESS_EVENT.test(e.message));
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
  const since = Number.isFinite(when) ? formatTime(new Date(when - 10 * 60_000).toISOString()) : null;
  return [{
    title: "Find who sent the SIGKILL",
    detail: "No OOM kill and no failing liveness probe: look in the node's journal for systemd-oomd, the kubelet (stop timeouts, evictions) or the container runtime around the kill.",
    command: node ? `kubectl debug node/${node} -it --profile=sysadmin --image=busybox -- chroot /host journalctl -u kubelet -u containerd -u crio -u systemd-oomd${since ? ` --since '${since}' --utc` : ""} --no-pager` : (logs ?? undefined),
  }];
}
