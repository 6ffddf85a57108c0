/**
 * The verdict: the best-supported hypothesis (highest confidence, then registry order), or
 * `undetermined` naming the artifacts that would decide it.
 */
import type { Confidence, EventId, Hypothesis, Verdict } from "../model/incident.js";

const RANK: Record<Confidence, number> = { high: 3, medium: 2, low: 1 };

/** Picks the verdict from hypotheses given in registry order. */
export function chooseVerdict(event: EventId, hypotheses: Hypothesis[]): Verdict {
  const best = hypotheses
    .filter((h) => h.status === "supported")
    .reduce<Hypothesis | null>((b, h) => (b === null || RANK[h.confidence ?? "low"] > RANK[b.confidence ?? "low"] ? h : b), null);
  if (best) return { cause: best.cause, confidence: best.confidence ?? "low", summary: `${eventPhrase(event)}: ${best.reason.replace(/\.$/, "")}.`, evidence: best.evidence };
  const missing = [...new Set(hypotheses.flatMap((h) => h.missing))];
  return {
    cause: "undetermined",
    confidence: "low",
    summary: `${eventPhrase(event)}; the bundle cannot decide why.${missing.length > 0 ? ` To decide, capture: ${missing.slice(0, 4).join("; ")}.` : ""}`,
    evidence: [],
  };
}

/** The event in words, to open the verdict summary. */
export function eventPhrase(event: EventId): string {
  switch (event) {
    case "container-oom-kill": return "OOM-killed at its own memory limit";
    case "child-oom-kill": return "A process inside the container was OOM-killed while the container kept running";
    case "node-oom-kill": return "Killed by a node-level OOM";
    case "eviction": return "Evicted by the kubelet under node memory pressure";
    case "sigkill": return "Killed by SIGKILL (exit code 137) with no OOM record";
    case "none": return "No kill found";
  }
}
