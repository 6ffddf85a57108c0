/**
 * Attribution: which container did each kernel OOM victim belong to? By container ID from the
 * memcg path first, then by pod UID (and the process name within the pod), then by process
 * name alone when exactly one known container matches. What cannot be joined stays on its own.
 */
import type { ContainerFact, OomEvent, OomVictim } from "../model/facts.js";
import type { SourceRef } from "../model/source.js";
import type { MergedPod } from "./pods.js";
import { parseMemcgPath, type MemcgPathInfo } from "./memcg-path.js";

/** One kernel kill (or a report without a victim line), with what its memcg path says. */
export interface KernelKill {
  oom: OomEvent;
  /** The victim; null for a report cut before its `Killed process` line. */
  victim: OomVictim | null;
  /** The victim's memcg (task_memcg, legacy `Task in`, or the stats/oom memcg) and what it encodes. */
  taskMemcg: string | null;
  taskInfo: MemcgPathInfo | null;
  /** Stable order in the bundle (file, then line). */
  order: number;
}

/** A container of a merged pod. */
export interface PodContainer {
  pod: MergedPod;
  container: ContainerFact;
}

/**
 * Splits every OOM event into one `KernelKill` per victim (a group kill has several). A report
 * that says `Out of memory and no killable processes...` (and killed nobody) is not a kill.
 */
export function kernelKills(ooms: OomEvent[]): KernelKill[] {
  const kills: KernelKill[] = [];
  ooms.forEach((oom, i) => {
    if (oom.noKillable && oom.victims.length === 0) return;
    const taskMemcg = oom.taskMemcg ?? oom.memcgStats?.path ?? oom.oomMemcg ?? oom.groupKillMemcg;
    const taskInfo = taskMemcg ? parseMemcgPath(taskMemcg) : null;
    const victims: (OomVictim | null)[] = oom.victims.length > 0 ? oom.victims : [null];
    victims.forEach((victim, j) => kills.push({ oom, victim, taskMemcg, taskInfo, order: i * 1000 + j }));
  });
  return kills;
}

/** The task a kill killed, and the line that says so. */
export interface KilledTask {
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
  if (victim) return { pid: victim.pid, process: victim.process, via: "victim", source: victim.source, text: victim.text };
  if (oom.summaryTask) return { ...oom.summaryTask, via: "oom-kill" };
  const reaped = oom.reaped.length === 1 ? oom.reaped[0]! : null;
  if (reaped) return { pid: reaped.pid, process: reaped.process ?? null, via: "reaper", source: reaped.source, text: reaped.text ?? `oom_reaper: reaped process ${reaped.pid}` };
  if (oom.selected) return { pid: oom.selected.pid, process: oom.selected.process, via: "selected", source: oom.selected.source, text: oom.selected.text };
  return null;
}

/** The process name of a kill (see `killedTask`), or null. */
export function killProcess(k: KernelKill): string | null {
  return killedTask(k)?.process ?? null;
}

/** Finds the known container a kernel kill belongs to, or null. */
export function attribute(kill: KernelKill, containers: PodContainer[]): PodContainer | null {
  const info = kill.taskInfo;
  if (info?.containerId) {
    const byId = containers.find((c) => sameContainerId(c.container.containerId, info.containerId));
    if (byId) return byId;
  }
  const process = killProcess(kill);
  if (info?.podUid) {
    const inPod = containers.filter((c) => c.pod.pod.uid === info.podUid && !c.container.init);
    return pickByProcess(inPod, process) ?? (inPod.length === 1 ? inPod[0]! : null);
  }
  if (!info && process) return pickByProcess(containers.filter((c) => !c.container.init), process);
  return null;
}

/** Container IDs match when one is a prefix of the other (kubectl may shorten them), ≥ 12 hex. */
export function sameContainerId(a: string | null, b: string | null): boolean {
  if (!a || !b) return false;
  const [x, y] = a.length <= b.length ? [a.toLowerCase(), b.toLowerCase()] : [b.toLowerCase(), a.toLowerCase()];
  return x.length >= 12 && y.startsWith(x);
}

// The one container whose name, command or image names the process (the kernel cuts comm to 15 chars).
function pickByProcess(candidates: PodContainer[], process: string | null): PodContainer | null {
  if (!process) return null;
  const matches = candidates.filter(({ container: c }) => {
    const names = [c.name, ...c.command.slice(0, 1), ...c.args.slice(0, 1), c.image ?? ""]
      .map((n) => n.split("/").pop()?.split(":")[0] ?? "")
      .filter((n) => n.length > 0);
    return names.some((n) => n.slice(0, 15) === process || n.startsWith(process));
  });
  return matches.length === 1 ? matches[0]! : null;
}
