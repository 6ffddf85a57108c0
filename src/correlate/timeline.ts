/**
 * The subject's timeline: container starts and ends from the kubelet, kernel kills (with
 * their uptime when the wall time is unknown), and the pod's and node's events, in UTC order.
 * Entries with no known time keep their file order at the end.
 */
import type { KubeEvent } from "../model/facts.js";
import type { Kill, TimelineEntry } from "../model/incident.js";
import { evidence } from "../model/source.js";
import { formatTime, iso } from "../util/format.js";
import type { SubjectFacts } from "./index.js";

// The first evidence line of a kernel kill (see `killedTask`), as opposed to a kubelet termination.
const KERNEL_KILL_TEXT = /Killed process|Kill process|kernel OOM report|oom-kill:|oom_reaper: reaped/;

/** Builds the timeline of one subject. */
export function buildTimeline(s: SubjectFacts, kills: Kill[]): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  const c = s.container;
  for (const st of [c?.lastState, c?.state]) {
    if (!st) continue;
    if (st.startedAtMs !== null) out.push({ time: iso(st.startedAtMs), what: `${c!.name} started (${st.kind === "running" ? "current run" : "run that ended"})`, evidence: evidence(st.source, `${st.kind} ${st.reason ?? ""}`) });
    if (st.kind === "terminated") out.push({ time: iso(st.finishedAtMs), what: `${c!.name} terminated: ${st.reason ?? "?"}, exit code ${st.exitCode ?? "?"}`, evidence: evidence(st.source, `terminated ${st.reason ?? ""} ${st.exitCode ?? ""}`) });
  }
  for (const k of kills) {
    const ev = k.evidence[0];
    if (!ev || !KERNEL_KILL_TEXT.test(ev.text)) continue;
    out.push({ time: k.time, uptimeSec: k.uptimeSec ?? null, what: `kernel OOM kill: ${k.process ?? "?"} (pid ${k.pid ?? "?"})${k.time === null && k.uptimeSec != null ? ` at uptime ${k.uptimeSec}s` : ""}`, evidence: ev });
  }
  for (const e of [...s.podEvents, ...s.nodeEvents]) out.push(eventEntry(e));
  return out.sort((a, b) => (a.time === null ? 1 : b.time === null ? -1 : a.time.localeCompare(b.time)));
}

function eventEntry(e: KubeEvent): TimelineEntry {
  const count = e.count > 1 ? ` (x${e.count})` : "";
  const age = e.lastMs === null && e.firstMs === null && e.ageText ? ` [${e.ageText} before the capture]` : "";
  // Placed where it began (a repeated event's first time, a node condition's transition), with
  // the last time it was seen after it when that differs.
  const until = e.firstMs !== null && e.lastMs !== null && e.lastMs !== e.firstMs ? ` [last seen ${formatTime(iso(e.lastMs))}]` : "";
  return { time: iso(e.firstMs ?? e.lastMs), what: `${e.type ?? "Event"} ${e.reason}${count}: ${e.message}${until}${age}`, evidence: evidence(e.source, `${e.reason} ${e.message}`) };
}
