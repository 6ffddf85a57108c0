/**
 * Clocks: raw dmesg times are seconds since boot, `dmesg -T` is the node's local time with no
 * zone, kubelet times are UTC. This module places kernel events on the UTC timeline and says
 * how each time was obtained, so the report can mark estimates.
 */
import { iso } from "../util/format.js";
import type { ClockAnchor, KernelTime } from "../model/facts.js";

/** How a kernel log file's uptimes map to wall time: `wallMs = bootMs + uptimeSec * 1000`. */
export interface BootAnchor {
  bootMs: number;
  /** The clock the anchoring wall times were on: `local` for a zone-less syslog stamp. */
  clock: "utc" | "local";
  /** In words, for the report's notes. */
  how: string;
}

/** A placed time and how it was placed (see `Kill.timeSource`). */
export interface PlacedTime {
  ms: number | null;
  source: "kernel-wall" | "kernel-local" | "kernel-local-aligned" | "uptime-anchored" | "kubelet-finishedAt" | null;
}

/**
 * Boot time per kernel-log file from lines that carry both a wall clock and an uptime
 * (syslog `Dec 20 03:17:52 host kernel: [75669.58] …` with a known year, journal exports).
 * Uses the median so spliced foreign lines (another boot's `[ts]`) cannot move it.
 */
export function anchorsFromLines(anchors: ClockAnchor[]): Map<string, BootAnchor> {
  const byFile = new Map<string, number[]>();
  const local = new Set<string>();
  for (const a of anchors) {
    const list = byFile.get(a.source.file) ?? [];
    list.push(a.wallMs - a.uptimeSec * 1000);
    byFile.set(a.source.file, list);
    if (a.clock === "local") local.add(a.source.file);
  }
  const out = new Map<string, BootAnchor>();
  for (const [file, boots] of byFile) {
    boots.sort((x, y) => x - y);
    const bootMs = boots[Math.floor(boots.length / 2)]!;
    out.set(file, {
      bootMs,
      clock: local.has(file) ? "local" : "utc",
      how: `${file}: uptimes anchored to wall time by ${boots.length} line(s) carrying both (boot at ${iso(bootMs) ?? "out of range"})`,
    });
  }
  return out;
}

/**
 * Places one kernel time: its own wall clock first, else uptime through the file's boot anchor.
 * `localOffsetMs` (UTC = local + offset), when the join established the node's zone, turns a
 * local wall time into UTC (`kernel-local-aligned`).
 */
export function placeKernelTime(
  time: KernelTime,
  anchor: BootAnchor | undefined,
  localOffsetMs: number | null = null,
): PlacedTime {
  if (time.wallMs !== null) {
    if (time.clock === "utc") return { ms: time.wallMs, source: "kernel-wall" };
    return localOffsetMs === null
      ? { ms: time.wallMs, source: "kernel-local" }
      : { ms: time.wallMs + localOffsetMs, source: "kernel-local-aligned" };
  }
  if (time.uptimeSec !== null && anchor) {
    const offset = anchor.clock === "local" ? (localOffsetMs ?? 0) : 0;
    return { ms: Math.round(anchor.bootMs + time.uptimeSec * 1000) + offset, source: "uptime-anchored" };
  }
  return { ms: null, source: null };
}
