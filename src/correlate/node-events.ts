/**
 * Node events that report a node-level OOM kill on their own, without the kernel log: the
 * kubelet's `SystemOOM` (pkg/kubelet/oom/oom_watcher_linux.go, recorded for OOMs of the root
 * cgroup: `System OOM encountered, victim process: thumbor, pid: 90211`) and node-problem-detector's
 * `OOMKilling` (its kernel monitor copies the kernel line: `Out of memory: Killed process 90211
 * (thumbor) total-vm:…`; a `Memory cgroup out of memory:` line is a memcg kill, not a node one).
 */
import type { ContainerFact, KubeEvent } from "../model/facts.js";
import { namesProcess } from "./attribute.js";

/** A node event naming the victim of a node-level OOM. */
export interface NodeOomEvent {
  event: KubeEvent;
  pid: number | null;
  process: string;
}

/**
 * `System OOM encountered, victim process: thumbor, pid: 90211`. Line by line from the first
 * `victim process: ` of each (`^(?:(?!X).)*X`), so a message repeating it costs linear time.
 */
const SYSTEM_OOM = /^(?:(?!victim process: ).)*victim process: (.+?), pid: (\d+)/m;
/** node-problem-detector's copy of the kernel's global victim line (3.10 `Kill process N (x) score S or sacrifice child` too). */
const GLOBAL_KILL = /^(?:\[[^\]]*\]\s*)?Out of memory: Kill(?:ed)? process (\d+) \((.+?)\)/;

/** How close the event and the kubelet's finishedAt must be when both times are known. */
const WINDOW_MS = 120_000;

/** The victim a node event names, when it reports a node-level OOM kill. */
export function nodeOomVictim(e: KubeEvent): NodeOomEvent | null {
  if (e.reason === "SystemOOM") {
    const m = SYSTEM_OOM.exec(e.message);
    return { event: e, pid: m ? Number(m[2]) : null, process: m ? m[1]! : "" };
  }
  if (e.reason === "OOMKilling") {
    const m = GLOBAL_KILL.exec(e.message.trim());
    return m ? { event: e, pid: Number(m[1]), process: m[2]! } : null;
  }
  return null;
}

/**
 * The node event that reports the kill of this container: a node-level OOM whose victim's name
 * is the container's process (its name, command, args or image: `namesProcess`), at its
 * finishedAt (±2 min) when both times are known. Null when none fits.
 */
export function nodeOomEventFor(
  c: ContainerFact,
  finishedAtMs: number | null,
  nodeEvents: KubeEvent[],
): NodeOomEvent | null {
  for (const e of nodeEvents) {
    const v = nodeOomVictim(e);
    if (!v || !namesProcess(c, v.process)) continue;
    const first = e.firstMs ?? e.lastMs;
    const last = e.lastMs ?? e.firstMs;
    if (
      finishedAtMs !== null &&
      first !== null &&
      last !== null &&
      (finishedAtMs < first - WINDOW_MS || finishedAtMs > last + WINDOW_MS)
    )
      continue;
    return v;
  }
  return null;
}
