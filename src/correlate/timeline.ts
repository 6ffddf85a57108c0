/**
 * The subject's timeline: container starts and ends from the kubelet, kernel kills (with
 * their uptime when the wall time is unknown), and the pod's and node's events, in UTC order.
 * Entries with no known time keep their file order at the end.
 */
import type { KubeEvent } from "../model/facts.js";
import type { Kill, TimelineEntry } from "../model/incident.js";
import { evidence } from "../model/source.js";
import { formatTime, formatUptime, iso } from "../util/format.js";
import type { SubjectFacts } from "./index.js";

// The first evidence line of a kernel kill (see `killedTask`), as opposed to a kubelet termination.
const KERNEL_KILL_TEXT = /Killed process|Kill process|kernel OOM report|oom-kill:|oom_reaper: reaped/;

/** Builds the timeline of one subject. */
export function buildTimeline(s: SubjectFacts, kills: Kill[]): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  const c = s.container;
  for (const st of [c?.lastState, c?.state]) {
    if (!st) continue;
    if (st.startedAtMs !== null)
      out.push({
        time: iso(st.startedAtMs),
        what: `${c!.name} started (${st.kind === "running" ? "current run" : "run that ended"})`,
        evidence: evidence(st.source, `${st.kind} ${st.reason ?? ""}`),
      });
    if (st.kind === "terminated")
      out.push({
        time: iso(st.finishedAtMs),
        what: `${c!.name} terminated: ${st.reason ?? "?"}, exit code ${st.exitCode ?? "?"}`,
        evidence: evidence(st.source, `terminated ${st.reason ?? ""} ${st.exitCode ?? ""}`),
      });
  }
  for (const k of kills) {
    const ev = k.evidence[0];
    if (!ev || !KERNEL_KILL_TEXT.test(ev.text)) continue;
    out.push({
      time: k.time,
      uptimeSec: k.uptimeSec ?? null,
      what: `kernel OOM kill: ${k.process ?? "?"} (pid ${k.pid ?? "?"})${k.time === null && k.uptimeSec != null ? ` at ${formatUptime(k.uptimeSec)}` : ""}`,
      evidence: ev,
    });
  }
  out.push(...eventEntries([...s.podEvents, ...s.nodeEvents]));
  return out.sort(byTime);
}

/**
 * Events one timeline lists (the timeline budget). A pod's describe prints a few dozen; past
 * this, repeats of one event (same type, reason and message) become one entry with their counts
 * added, and if there are still more, the warnings and then the Normal events in file order are
 * listed up to the budget, and one entry says how many were left out, citing the first of them.
 * @internal exported for its tests (not the public API)
 */
export const TIMELINE_EVENTS = 1_000;

function eventEntries(events: KubeEvent[]): TimelineEntry[] {
  if (events.length <= TIMELINE_EVENTS) return events.map(eventEntry);
  const merged = new Map<string, KubeEvent>();
  for (const e of events) {
    const key = `${e.type ?? ""}\u0000${e.reason}\u0000${e.message}`;
    const seen = merged.get(key);
    if (!seen) merged.set(key, { ...e });
    else {
      seen.count += e.count;
      seen.firstMs = minTime(seen.firstMs, e.firstMs);
      seen.lastMs = maxTime(seen.lastMs, e.lastMs);
    }
  }
  const distinct = [...merged.values()];
  if (distinct.length <= TIMELINE_EVENTS) return distinct.map(eventEntry);
  // Warnings (and events of no printed type) first, then Normal ones, in file order.
  const ranked = [...distinct.filter((e) => e.type !== "Normal"), ...distinct.filter((e) => e.type === "Normal")];
  const left = ranked.slice(TIMELINE_EVENTS);
  const note = eventEntry(left[0]!);
  return [
    ...ranked.slice(0, TIMELINE_EVENTS).map(eventEntry),
    {
      time: note.time,
      what: `${left.length} more distinct events not listed (the timeline lists ${TIMELINE_EVENTS}, warnings first); the first of them is cited`,
      evidence: note.evidence,
    },
  ];
}

function byTime(a: TimelineEntry, b: TimelineEntry): number {
  return a.time === null ? (b.time === null ? 0 : 1) : b.time === null ? -1 : a.time.localeCompare(b.time);
}

function minTime(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.min(a, b);
}

function maxTime(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.max(a, b);
}

function eventEntry(e: KubeEvent): TimelineEntry {
  const count = e.count > 1 ? ` (x${e.count})` : "";
  const age = e.lastMs === null && e.firstMs === null && e.ageText ? ` [${e.ageText} before the capture]` : "";
  // Placed where it began (a repeated event's first time, a node condition's transition), with
  // the last time it was seen after it when that differs.
  const until =
    e.firstMs !== null && e.lastMs !== null && e.lastMs !== e.firstMs
      ? ` [last seen ${formatTime(iso(e.lastMs))}]`
      : "";
  return {
    time: iso(e.firstMs ?? e.lastMs),
    what: `${e.type ?? "Event"} ${e.reason}${count}: ${e.message}${until}${age}`,
    evidence: evidence(e.source, `${e.reason} ${e.message}`),
  };
}
