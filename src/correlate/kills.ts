/**
 * Kills as the report states them (DESIGN.md §4 `kills[]`): one per kernel victim, joined
 * with the kubelet's termination record when they describe the same kill; a termination
 * record alone (OOMKilled or exit 137) when the bundle has no kernel log for it.
 */
import type { ContainerFact, ContainerState, MemcgCounter, OomVictim } from "../model/facts.js";
import type { GroupMember, Kill } from "../model/incident.js";
import { evidence, type Evidence } from "../model/source.js";
import { isUnlimited } from "../model/units.js";
import { iso } from "../util/format.js";
import type { SubjectFacts, TimedKernelKill } from "./index.js";
import { killedTask } from "./attribute.js";
import { parseMemcgPath } from "./memcg-path.js";
import type { JoinedUserspaceKill } from "./userspace-kills.js";

/** The kubelet's latest termination record of the subject's container (state, else lastState). */
export function lastTermination(s: SubjectFacts): ContainerState | null {
  return s.container ? latestTermination(s.container) : null;
}

/** The kubelet's latest termination record of a container (`state`, else `lastState`). */
export function latestTermination(c: ContainerFact): ContainerState | null {
  return [c.state, c.lastState].find((st): st is ContainerState => st?.kind === "terminated") ?? null;
}

/** True when the termination looks like a kill: OOMKilled, exit 137, or signal 9. */
export function isKillTermination(t: ContainerState | null): boolean {
  return t !== null && (t.reason === "OOMKilled" || t.exitCode === 137 || t.signal === 9);
}

/** Builds the subject's kills, oldest first. */
export function buildKills(s: SubjectFacts): Kill[] {
  const term = lastTermination(s);
  const userspace = (s.userspaceKills ?? [])
    .map(userspaceKill)
    .sort((a, b) => (a.time ?? "").localeCompare(b.time ?? ""));
  const kills = [...s.kernelKills.map((k) => kernelKill(k, s)), ...userspace];
  if (kills.length === 0) {
    return isKillTermination(term) ? [terminationKill(term!, s)] : [];
  }
  // The kubelet's record of the last run's end joins the latest kernel kill.
  if (term && isKillTermination(term)) {
    const last = kills.at(-1)!;
    last.evidence.push(...terminationEvidence(term));
    last.exitCode = term.exitCode;
    if (last.time === null && term.finishedAtMs !== null) {
      last.time = iso(term.finishedAtMs);
      last.timeSource = "kubelet-finishedAt";
    }
  }
  return kills;
}

function kernelKill(k: TimedKernelKill, s: SubjectFacts): Kill {
  const { oom, victim } = k;
  const memcg = k.limitMemcg;
  const hit = oom.global ? null : limitHit(oom.counters);
  const memoryCounter = oom.counters.find((c) => c.name === "memory");
  const counterLimit = memoryCounter && !isUnlimited(memoryCounter.limitBytes) ? memoryCounter.limitBytes : null;
  const largest = [...oom.tasks].sort((a, b) => (b.rssBytes ?? 0) - (a.rssBytes ?? 0))[0];
  const task = killedTask(k);
  const ev: Evidence[] = [];
  if (task) ev.push(evidence(task.source, task.text));
  if (oom.trigger) ev.push(evidence(oom.trigger.source, oom.trigger.text));
  for (const c of oom.counters) ev.push(evidence(c.source, c.text));
  if (ev.length === 0) ev.push(evidence(oom.source, "kernel OOM report"));
  return {
    time: iso(k.time.ms),
    timeSource: k.time.source,
    uptimeSec: oom.time.uptimeSec,
    killer: "kernel-oom-killer",
    pid: task?.pid ?? null,
    process: task?.process ?? null,
    anonRssBytes: victim?.anonRssBytes ?? null,
    fileRssBytes: victim?.fileRssBytes ?? null,
    shmemRssBytes: victim?.shmemRssBytes ?? null,
    totalVmBytes: victim?.totalVmBytes ?? null,
    limitBytes: oom.global ? null : (counterLimit ?? s.limit?.bytes ?? null),
    limitHit: hit,
    memcg,
    memcgLevel: k.limitInfo?.level ?? null,
    largestTask:
      largest && largest.rssBytes !== null
        ? { pid: largest.pid, process: largest.name, rssBytes: largest.rssBytes }
        : null,
    ...(k.taskInfo?.level === "container" && k.taskInfo.containerId ? { containerId: k.taskInfo.containerId } : {}),
    ...(k.join ? { join: k.join } : {}),
    ...(oom.groupKillMemcg !== null
      ? { group: { memcg: oom.groupKillMemcg, members: k.groupMembers.map(member) } }
      : {}),
    evidence: ev,
  };
}

function member(v: OomVictim): GroupMember {
  return { pid: v.pid, process: v.process, anonRssBytes: v.anonRssBytes, evidence: evidence(v.source, v.text) };
}

/**
 * Which counter reached its limit: the one with the highest usage/limit among those with a
 * finite, non-zero limit (v1 with swap accounting: `memory+swap` at its limit while `memory`
 * sits below it means memory+swap was hit). When two are equally full (a memory+swap limit equal
 * to the memory limit, swap unused) the one with the higher failcnt: page_counter_try_charge()
 * counts a failure on the counter that refused the charge, and try_charge() (mm/memcontrol.c)
 * tries memsw before memory. Null when the report has no counters.
 */
function limitHit(counters: MemcgCounter[]): Kill["limitHit"] {
  const candidates = counters.filter((c) => c.limitBytes > 0 && !isUnlimited(c.limitBytes));
  if (candidates.length === 0) return null;
  const ratio = (c: MemcgCounter) => c.usageBytes / c.limitBytes;
  const fuller = (c: MemcgCounter, best: MemcgCounter) =>
    ratio(c) > ratio(best) || (ratio(c) === ratio(best) && c.failcnt > best.failcnt);
  return candidates.reduce((best, c) => (fuller(c, best) ? c : best)).name;
}

// A userspace OOM daemon's kill: its journal line is the evidence; systemd-oomd kills a cgroup.
function userspaceKill({ kill, ms, join }: JoinedUserspaceKill): Kill {
  const memcg = kill.cgroup?.startsWith("/") ? kill.cgroup : null;
  return {
    time: iso(ms),
    timeSource:
      ms === null
        ? null
        : kill.time.wallMs !== null
          ? kill.time.clock === "utc"
            ? "journal-wall"
            : "journal-local"
          : "journal-local-year-inferred",
    pid: kill.pid,
    process: kill.process,
    anonRssBytes: null,
    limitBytes: null,
    limitHit: null,
    memcg,
    memcgLevel: memcg ? parseMemcgPath(memcg).level : null,
    killer: kill.killer,
    daemon: { reason: kill.reason, rssBytes: kill.rssBytes },
    join,
    evidence: [evidence(kill.source, kill.text), ...kill.more.map((m) => evidence(m.source, m.text))],
  };
}

// The kubelet's record alone; a node event naming the victim of a node-level OOM adds its pid and process.
function terminationKill(t: ContainerState, s: SubjectFacts): Kill {
  const node = s.nodeOomEvent ?? null;
  return {
    time: iso(t.finishedAtMs),
    timeSource: t.finishedAtMs !== null ? "kubelet-finishedAt" : null,
    exitCode: t.exitCode,
    pid: node?.pid ?? null,
    process: node?.process || null,
    anonRssBytes: null,
    limitBytes: s.limit?.bytes ?? null,
    limitHit: null,
    memcg: null,
    memcgLevel: null,
    ...(node ? { killer: "kernel-oom-killer" as const } : {}),
    evidence: [
      ...terminationEvidence(t),
      ...(node ? [evidence(node.event.source, `${node.event.reason}: ${node.event.message}`)] : []),
    ],
  };
}

function terminationEvidence(t: ContainerState): Evidence[] {
  const parts = [
    t.reason && `reason ${t.reason}`,
    t.exitCode !== null && `exit code ${t.exitCode}`,
    t.signal !== null && `signal ${t.signal}`,
    t.finishedAtMs !== null && `finished ${iso(t.finishedAtMs)}`,
  ];
  return [evidence(t.source, `terminated: ${parts.filter(Boolean).join(", ")}`)];
}
