/**
 * What happened to the subject (DESIGN.md §3 events), decided before any cause is weighed.
 */
import type { EventId, Kill } from "../model/incident.js";
import type { SubjectFacts } from "../correlate/index.js";
import { killedTask } from "../correlate/attribute.js";
import { isKillTermination, lastTermination } from "../correlate/kills.js";
import { evictionsOf } from "./eviction.js";
import { pressureAtKill } from "../correlate/node-pressure.js";
import { killSenders } from "./senders.js";

/**
 * Decides the event:
 * - `node-oom-kill`: a global OOM (no memcg constraint) or a kill at the node-allocatable memcg;
 *   without a kernel log, a node event naming the container's process as the victim of a system
 *   OOM (`SystemOOM`, `OOMKilling`), `OOMKilled` of a container with no memory limit of its own
 *   (BestEffort, or a spec with a memory request and no limit: only the node, or its allocatable
 *   memcg, can run out), or a kill (137, not marked OOMKilled, as a global OOM is on cgroup v1)
 *   while the node reported memory pressure (`node-pressure.ts`) and no other sender explains it;
 * - `child-oom-kill`: a memcg kill in the container while its main process survived (the
 *   kubelet shows no kill termination at or after it, or shows OOMKilled with an exit code other
 *   than 137, or an exit of its own after the kill), or, without kubectl, a victim that is not the
 *   first task of the container's memcg (see `victimIsNotMain`);
 * - `container-oom-kill`: the container's own memcg limit (kernel report or kubelet OOMKilled);
 * - `eviction`: the kubelet evicted the pod under node pressure (`reason: Evicted`, an `Evicted`
 *   event, or the kubelet's eviction message alone), for memory or any other resource;
 * - `sigkill`: exit code 137 or signal 9 with no OOM evidence;
 * - `none`: nothing in the bundle shows a kill.
 */
export function decideEvent(s: SubjectFacts, kills: Kill[], kernelLogFiles: string[] = []): EventId {
  const term = lastTermination(s);
  const evicted =
    s.pod?.reason === "Evicted" || s.podEvents.some((e) => e.reason === "Evicted") || evictionsOf(s).length > 0;
  if (s.kernelKills.length > 0) {
    if (s.kernelKills.some((k) => k.oom.global === true) || kills.some((k) => k.memcgLevel === "allocatable"))
      return "node-oom-kill";
    return mainProcessSurvived(s) ? "child-oom-kill" : "container-oom-kill";
  }
  if (evicted) return "eviction";
  // A node event naming this container's process as a node-level OOM victim; or OOMKilled with
  // no limit to hit: only the node (or its allocatable memcg) running out kills it.
  if (s.nodeOomEvent) return "node-oom-kill";
  if (term?.reason === "OOMKilled" && noLimitOfItsOwn(s)) return "node-oom-kill";
  if (isKillTermination(term) && term!.reason !== "OOMKilled" && killedUnderNodePressure(s, kills, kernelLogFiles))
    return "node-oom-kill";
  if (term?.reason === "OOMKilled")
    return term.exitCode === null || term.exitCode === 137 ? "container-oom-kill" : "child-oom-kill";
  if (isKillTermination(term) || (s.userspaceKills?.length ?? 0) > 0) return "sigkill";
  return "none";
}

/**
 * True when the spec shows the container has no memory limit: a BestEffort pod, or a memory
 * request printed without a limit (and no limit read from its cgroup or metrics).
 */
export function noLimitOfItsOwn(s: SubjectFacts): boolean {
  if (s.pod?.qosClass === "BestEffort") return true;
  const c = s.container;
  return c !== null && s.limit === null && c.limitBytes === null && c.requestBytes !== null && c.requestBytes > 0;
}

/**
 * A kill the kubelet did not mark OOMKilled, with no kernel log in the bundle to say otherwise, at a
 * time the node reported memory pressure, and no other sender (probe, stop, userspace daemon) for it.
 */
function killedUnderNodePressure(s: SubjectFacts, kills: Kill[], kernelLogFiles: string[]): boolean {
  if (kernelLogFiles.length > 0 || (s.userspaceKills?.length ?? 0) > 0 || pressureAtKill(s.nodePressure).length === 0)
    return false;
  return (
    killSenders({ facts: s, event: "sigkill", kills, termination: lastTermination(s), kernelLogFiles }, false)
      .length === 0
  );
}

/**
 * True when the container's main process outlived the kill. The kubelet's record decides when it
 * has one at or after the kill: a kill termination (OOMKilled 137, 137, signal 9) ended the main
 * process; any other exit after the kill (0, 1, 143…) is the main process ending by itself, so the
 * kill took a child; OOMKilled with an exit code other than 137 is the runtime seeing a kill in
 * the memcg while the main process exited by itself. A running container with no termination at or
 * after the kill survived it. Otherwise the kernel's tasks table decides (`victimIsNotMain`).
 */
function mainProcessSurvived(s: SubjectFacts): boolean {
  const term = lastTermination(s);
  if (term?.reason === "OOMKilled" && term.exitCode !== null && term.exitCode !== 137) return true;
  if (s.container) {
    // A dmesg -T time whose zone is unknown cannot be compared with the kubelet's UTC record.
    const last = s.kernelKills.at(-1)?.time;
    const lastKillMs = last && last.source !== "kernel-local" ? last.ms : null;
    const finished = term?.finishedAtMs ?? null;
    if (isKillTermination(term) && (lastKillMs === null || finished === null || finished >= lastKillMs - 60_000))
      return false;
    if (term && !isKillTermination(term) && lastKillMs !== null && finished !== null && finished >= lastKillMs - 2_000)
      return true;
    if (s.container.state?.kind === "running") return true;
  }
  return s.kernelKills.every((k) =>
    victimIsNotMain(k.oom.tasks, killedTask(k)?.pid, k.limitInfo?.level ?? k.taskInfo?.level),
  );
}

/**
 * Names of processes that sit in a pod's or container's memcg without being its main process: the
 * sandbox (`pause`), CRI-O's monitor (`conmon`), runc while it starts or execs a process (`runc:[2:INIT]`, `runc init`).
 */
const NOT_MAIN = /^(?:pause|conmon|runc:\[\d:[A-Z]+\]|runc init|runc|crun)$/;

/**
 * Without kubectl: the container's main process (PID 1 in its namespace) is the first task of its
 * memcg's tasks table that is not infrastructure. The kernel lists a memcg's tasks in the order
 * they joined it (css_task_iter; 3.10's for_each_process in creation order), so the oldest comes
 * first even when pids wrapped around and a child has a lower pid. Only a container-level table
 * tells: a pod-level one mixes the pod's containers.
 */
function victimIsNotMain(
  tasks: { pid: number; name: string }[],
  pid: number | undefined,
  level: string | undefined,
): boolean {
  if (pid === undefined || level !== "container" || tasks.length < 2) return false;
  const main = tasks.find((t) => !NOT_MAIN.test(t.name));
  return main !== undefined && main.pid !== pid;
}
