/**
 * Node signals of memory pressure or of a node-level OOM, placed against a kill: evidence of a
 * node OOM or an eviction on their own, without the kernel log. Read from `kubectl describe node`
 * (its `Conditions:` and `Events:` tables) and node events of `kubectl get events`:
 * - the `MemoryPressure  True` condition (kubelet `pkg/kubelet/nodestatus/setters.go`): pressure
 *   from its LastTransitionTime until at least its LastHeartbeatTime;
 * - `NodeHasInsufficientMemory` (the kubelet's event for the condition turning True): pressure from
 *   then until a later `NodeHasSufficientMemory`;
 * - `EvictionThresholdMet` (eviction manager, `Attempting to reclaim memory`), `SystemOOM` (the
 *   kubelet's OOM watcher) and node-problem-detector's `OOMKilling` with the kernel's global victim
 *   line (`Out of memory: Killed process 90211 (thumbor) …`; a `Memory cgroup out of memory:` line
 *   is a memcg kill, not the node's): pressure over the event's first…last time.
 * Sample condition row: `MemoryPressure   True    Tue, 10 Mar 2026 14:25:01 +0000   Tue, 10 Mar 2026 14:20:40 +0000   KubeletHasInsufficientMemory   kubelet has insufficient memory available`.
 */
import type { KubeEvent } from "../model/facts.js";
import { evidence, type Evidence } from "../model/source.js";
import { minOf } from "../util/arrays.js";
import { formatTime, formatTimeRange } from "../util/format.js";
import { nodeOomVictim } from "./node-events.js";

/**
 * Where a signal sits against the kill: `at-kill` (its span covers the kill, ±2 min), `later` (it
 * began after the kill), `earlier` (it ended before the kill), `undated` (the bundle gives it no
 * time, as describe's ages, or the kill has none).
 */
type PressureTiming = "at-kill" | "later" | "earlier" | "undated";

/** One node signal of memory pressure, with its evidence line and its timing against the kill. */
export interface NodePressureSignal {
  /** The event's reason (`MemoryPressure` for the condition). */
  reason: string;
  /** In words: `MemoryPressure True since 2026-03-10T14:20:40Z, last heartbeat 2026-03-10T14:25:01Z`. */
  what: string;
  timing: PressureTiming;
  evidence: Evidence;
}

/** How far a kill may sit outside a signal's span and still be at it (kubelet and node clocks, event aggregation). */
const SLACK_MS = 120_000;

/** Reasons that say the node was short of memory. */
const PRESSURE = new Set([
  "MemoryPressure",
  "NodeHasInsufficientMemory",
  "EvictionThresholdMet",
  "SystemOOM",
  "OOMKilling",
]);

/**
 * The node's memory-pressure signals among `nodeEvents`, each placed against `killMs` (UTC ms, or
 * null when the kill has no time). An `OOMKilling` event counts only with the kernel's global victim
 * line; `EvictionThresholdMet` only when its message does not name another resource.
 */
export function nodePressureSignals(nodeEvents: KubeEvent[], killMs: number | null): NodePressureSignal[] {
  const out: NodePressureSignal[] = [];
  // When the kubelet said the node had memory again, once for all signals.
  const reliefs = nodeEvents
    .filter((x) => x.reason === "NodeHasSufficientMemory")
    .map((x) => x.firstMs ?? x.lastMs)
    .filter((ms): ms is number => ms !== null);
  for (const e of nodeEvents) {
    if (!PRESSURE.has(e.reason)) continue;
    if (e.reason === "OOMKilling" && nodeOomVictim(e) === null) continue;
    if (
      e.reason === "EvictionThresholdMet" &&
      /\b(?:ephemeral-storage|disk|inodes|pid)/i.test(e.message) &&
      !/memory/i.test(e.message)
    )
      continue;
    const [from, to] = span(e, reliefs);
    out.push({
      reason: e.reason,
      what: words(e, from, to),
      timing: timing(killMs, from, to),
      evidence: evidence(e.source, `${e.reason}: ${e.message}`),
    });
  }
  return out;
}

/** True when a signal says the node was short of memory at the kill. */
export function pressureAtKill(signals: NodePressureSignal[] | undefined): NodePressureSignal[] {
  return (signals ?? []).filter((s) => s.timing === "at-kill");
}

// The span a signal covers: [start, end] in UTC ms, null where the bundle gives no time (end null:
// open). `reliefs`: the times of the node's NodeHasSufficientMemory events.
function span(e: KubeEvent, reliefs: number[]): [number | null, number | null] {
  const first = e.firstMs ?? e.lastMs;
  const last = e.lastMs ?? e.firstMs;
  if (e.reason === "MemoryPressure") return [first, null]; // True since its transition, still True when last heard
  if (e.reason === "NodeHasInsufficientMemory") {
    const after = first === null ? [] : reliefs.filter((ms) => ms > first);
    return [first, after.length > 0 ? minOf(after, 0) : null];
  }
  return [first, last];
}

function timing(killMs: number | null, from: number | null, to: number | null): PressureTiming {
  if (killMs === null || from === null) return "undated";
  if (killMs < from - SLACK_MS) return "later";
  if (to !== null && killMs > to + SLACK_MS) return "earlier";
  return "at-kill";
}

function words(e: KubeEvent, from: number | null, to: number | null): string {
  if (e.reason === "MemoryPressure")
    return `MemoryPressure True${from !== null ? ` since ${formatTime(from)}` : ""}${e.lastMs !== null && e.lastMs !== from ? `, last heartbeat ${formatTime(e.lastMs)}` : ""}`;
  const count = e.count > 1 ? ` ×${e.count}` : "";
  const when =
    from === null
      ? e.ageText
        ? ` (${e.ageText} before the describe was taken)`
        : ""
      : to !== null && to !== from
        ? ` ${formatTimeRange(from, to)}`
        : ` at ${formatTime(from)}`;
  return `${e.reason}${count}${when}`;
}
