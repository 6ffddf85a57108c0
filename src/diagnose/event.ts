/**
 * What happened to the subject (DESIGN.md §3 events), decided before any cause is weighed.
 */
import type { EventId, Kill } from "../model/incident.js";
import type { SubjectFacts } from "../correlate/index.js";
import { killedTask } from "../correlate/attribute.js";
import { isKillTermination, lastTermination } from "../correlate/kills.js";
import { minOf } from "../util/arrays.js";

/**
 * Decides the event:
 * - `node-oom-kill`: a global OOM (no memcg constraint) or a kill at the node-allocatable memcg;
 *   without a kernel log, a node event naming the container's process as the victim of a system
 *   OOM (`SystemOOM`, `OOMKilling`), or `OOMKilled` in a BestEffort pod (no limit of its own to hit);
 * - `child-oom-kill`: a memcg kill in the container while its main process survived (the
 *   kubelet shows no kill termination at or after it, or shows OOMKilled with an exit code other
 *   than 137), or a victim that is not the lowest pid of the container's tasks;
 * - `container-oom-kill`: the container's own memcg limit (kernel report or kubelet OOMKilled);
 * - `eviction`: the kubelet evicted the pod under node pressure;
 * - `sigkill`: exit code 137 or signal 9 with no OOM evidence;
 * - `none`: nothing in the bundle shows a kill.
 */
export function decideEvent(s: SubjectFacts, kills: Kill[]): EventId {
  const term = lastTermination(s);
  const evicted = s.pod?.reason === "Evicted" || s.podEvents.some((e) => e.reason === "Evicted");
  if (s.kernelKills.length > 0) {
    if (s.kernelKills.some((k) => k.oom.global === true) || kills.some((k) => k.memcgLevel === "allocatable")) return "node-oom-kill";
    return mainProcessSurvived(s) ? "child-oom-kill" : "container-oom-kill";
  }
  if (evicted) return "eviction";
  // A node event naming this container's process as a node-level OOM victim; or OOMKilled with
  // no limit to hit (BestEffort): only the node (or its allocatable memcg) running out kills it.
  if (s.nodeOomEvent) return "node-oom-kill";
  if (term?.reason === "OOMKilled" && s.pod?.qosClass === "BestEffort") return "node-oom-kill";
  if (term?.reason === "OOMKilled") return term.exitCode === null || term.exitCode === 137 ? "container-oom-kill" : "child-oom-kill";
  if (isKillTermination(term) || (s.userspaceKills?.length ?? 0) > 0) return "sigkill";
  return "none";
}

function mainProcessSurvived(s: SubjectFacts): boolean {
  const term = lastTermination(s);
  if (term?.reason === "OOMKilled" && term.exitCode !== null && term.exitCode !== 137) return true;
  if (s.container) {
    const lastKillMs = s.kernelKills.at(-1)?.time.ms ?? null;
    const killedAfter = isKillTermination(term) && (lastKillMs === null || term!.finishedAtMs === null || term!.finishedAtMs >= lastKillMs - 60_000);
    return !killedAfter && s.container.state?.kind === "running";
  }
  return s.kernelKills.every((k) => victimIsNotLowestPid(k.oom.tasks, killedTask(k)?.pid, k.taskInfo?.level));
}

// Without kubectl: in a container-level memcg the main process is normally the lowest pid.
function victimIsNotLowestPid(tasks: { pid: number }[], pid: number | undefined, level: string | undefined): boolean {
  if (pid === undefined || level !== "container" || tasks.length < 2) return false;
  return minOf(tasks.map((t) => t.pid), pid) !== pid;
}
