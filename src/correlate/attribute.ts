/**
 * Attribution by identity: which container did each kernel OOM kill belong to, going by the IDs
 * its memcg path carries? By container ID first (the current container's, or the killed one's
 * from `lastState.terminated.containerID`), then by pod UID and, inside the pod, the container
 * the evidence picks (see `join.ts`). Kills that carry no ID the bundle knows are left to the
 * evidence join.
 */
import type { ContainerFact, OomEvent, OomVictim } from "../model/facts.js";
import type { SourceRef } from "../model/source.js";
import type { MergedPod } from "./pods.js";
import { parseMemcgPath, type MemcgPathInfo } from "./memcg-path.js";

const WHITESPACE = /\s+/;

/** One kernel kill: one OOM report, its victim and (for a `memory.oom.group` kill) the other members. */
export interface KernelKill {
  oom: OomEvent;
  /** The victim the kernel chose; null for a report cut before its `Killed process` line. */
  victim: OomVictim | null;
  /** The other processes killed with it because the memcg had `memory.oom.group` set (empty otherwise). */
  groupMembers: OomVictim[];
  /** The victim's memcg (task_memcg, legacy `Task in`, or the stats/oom memcg) and what it encodes. */
  taskMemcg: string | null;
  taskInfo: MemcgPathInfo | null;
  /** The memcg whose limit was hit (`oom_memcg`, legacy `limit of`, else the stats memcg) and what it encodes; null for a global OOM. */
  limitMemcg: string | null;
  limitInfo: MemcgPathInfo | null;
  /** Stable order in the bundle (file, then line). */
  order: number;
}

/** A container of a merged pod. */
export interface PodContainer {
  pod: MergedPod;
  container: ContainerFact;
}

/**
 * One `KernelKill` per OOM report. A group kill (`Tasks in <memcg> are going to be killed due to
 * memory.oom.group set`) is one kill: the first `Killed process` line is the victim the kernel
 * chose (mm/oom_kill.c `oom_kill_process` kills it before walking the group), the rest are members.
 * A report that says `Out of memory and no killable processes...` (and killed nobody) is not a kill.
 */
export function kernelKills(ooms: OomEvent[]): KernelKill[] {
  const kills: KernelKill[] = [];
  ooms.forEach((oom, i) => {
    if (oom.noKillable && oom.victims.length === 0) return;
    const taskMemcg = oom.taskMemcg ?? oom.memcgStats?.path ?? oom.oomMemcg ?? oom.groupKillMemcg;
    const taskInfo = taskMemcg ? parseMemcgPath(taskMemcg) : null;
    const limitMemcg = oom.global ? null : (oom.oomMemcg ?? oom.memcgStats?.path ?? null);
    const limitInfo = limitMemcg === null ? null : limitMemcg === taskMemcg ? taskInfo : parseMemcgPath(limitMemcg);
    const [victim = null, ...rest] = oom.victims;
    kills.push({
      oom,
      victim,
      groupMembers: oom.groupKillMemcg !== null ? rest : [],
      taskMemcg,
      taskInfo,
      limitMemcg,
      limitInfo,
      order: i,
    });
  });
  return kills;
}

/** The task a kill killed, and the line that says so. */
interface KilledTask {
  pid: number;
  process: string | null;
  /** Which line named it: the `Killed process` line, the `oom-kill:` summary, `oom_reaper`, or the legacy selection. */
  via: "victim" | "oom-kill" | "reaper" | "selected";
  source: SourceRef;
  text: string;
}

/**
 * The task the kernel killed: the `Killed process` victim; for a report whose victim line is
 * missing or cut, the `oom-kill:` summary's `task=…,pid=…` (the task the kernel chose), else the
 * single pid `oom_reaper` reaped; else the legacy `Kill process … or sacrifice child` selection.
 * Null when the report names none (a header cut off by the end of the capture).
 */
export function killedTask(k: KernelKill): KilledTask | null {
  const { victim, oom } = k;
  if (victim)
    return { pid: victim.pid, process: victim.process, via: "victim", source: victim.source, text: victim.text };
  if (oom.summaryTask) return { ...oom.summaryTask, via: "oom-kill" };
  const reaped = oom.reaped.length === 1 ? oom.reaped[0]! : null;
  if (reaped)
    return {
      pid: reaped.pid,
      process: reaped.process ?? null,
      via: "reaper",
      source: reaped.source,
      text: reaped.text ?? `oom_reaper: reaped process ${reaped.pid}`,
    };
  if (oom.selected)
    return {
      pid: oom.selected.pid,
      process: oom.selected.process,
      via: "selected",
      source: oom.selected.source,
      text: oom.selected.text,
    };
  return null;
}

/** The process name of a kill (see `killedTask`), or null. */
export function killProcess(k: KernelKill): string | null {
  return killedTask(k)?.process ?? null;
}

/** The container whose (current or killed) container ID the kill's memcg names, or null. */
export function byContainerId(kill: KernelKill, containers: PodContainer[]): PodContainer | null {
  const id = kill.taskInfo?.containerId;
  if (!id) return null;
  return containers.find((c) => knownContainerIds(c.container).some((known) => sameContainerId(known, id))) ?? null;
}

/** The container IDs the bundle shows for a container: the current one and the terminated ones. */
export function knownContainerIds(c: ContainerFact): string[] {
  return [c.containerId, c.state?.containerId ?? null, c.lastState?.containerId ?? null].filter(
    (x): x is string => x !== null && x !== "",
  );
}

/** Container IDs match when one is a prefix of the other (kubectl may shorten them), ≥ 12 hex. */
export function sameContainerId(a: string | null, b: string | null): boolean {
  if (!a || !b) return false;
  const [x, y] = a.length <= b.length ? [a.toLowerCase(), b.toLowerCase()] : [b.toLowerCase(), a.toLowerCase()];
  return x.length >= 12 && y.startsWith(x);
}

/**
 * True when the container's name, a word of its command or args (not a flag: `tini -- node
 * server.js` names `node`), or its image's base name names the process (the kernel cuts `comm`
 * to 15 characters: `TASK_COMM_LEN`).
 */
export function namesProcess(c: ContainerFact, process: string | null): boolean {
  if (!process) return false;
  const words = [...c.command, ...c.args]
    .flatMap((w) => w.split(WHITESPACE))
    .filter((w) => w !== "" && !w.startsWith("-"));
  const names = [c.name, ...words, c.image ?? ""]
    .map((n) => n.split("/").pop()?.split(":")[0]?.split("@")[0] ?? "")
    .filter((n) => n.length > 0);
  return names.some((n) => n.slice(0, 15) === process || n.startsWith(process));
}
