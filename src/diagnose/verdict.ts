/**
 * The verdict: one primary cause, the best-supported hypothesis (highest confidence, then
 * registry order), or `undetermined` naming the artifacts that would decide it. Other supported
 * causes are split by whether they can be true together with the primary:
 * - consistent ones are shown as contributing: a cause saying *where* the memory went
 *   (native-memory, shared-memory, kernel-memory, runtime-misconfigured) with one saying *how*
 *   it got there over time (memory-leak, limit-too-low, burst-allocation), or with a node-level
 *   OOM; a leak outside the heap is `memory-leak` with `native-memory` contributing;
 * - inconsistent ones (two time shapes: a plateau, a ramp and a spike exclude each other; a
 *   heap sized past the limit against a heap within bounds or a limit below the real need;
 *   anything with `not-oom`) are
 *   alternatives: when one is as well supported as the primary, the verdict drops a level.
 */
import type { CauseId, Confidence, EventId, Hypothesis, Verdict } from "../model/incident.js";
import type { Evidence } from "../model/source.js";

const RANK: Record<Confidence, number> = { high: 3, medium: 2, low: 1 };
const LOWER: Record<Confidence, Confidence> = { high: "medium", medium: "low", low: "low" };

/** How a cause explains an OOM: its shape over time, where the memory went, or the scope. */
const ROLE: Record<CauseId, "time" | "where" | "scope" | "none"> = {
  "limit-too-low": "time", "memory-leak": "time", "burst-allocation": "time",
  "native-memory": "where", "shared-memory": "where", "kernel-memory": "where", "runtime-misconfigured": "where",
  "node-overcommit": "scope", "not-oom": "scope", undetermined: "none",
};

/**
 * Pairs that exclude each other although their roles would fit: a heap sized past the limit
 * and a heap within bounds; a runtime that grows to any limit and a limit below the real need.
 */
const EXCLUSIVE: [CauseId, CauseId][] = [["runtime-misconfigured", "native-memory"], ["runtime-misconfigured", "limit-too-low"]];

/** True when two causes can both be true of one kill. */
export function consistent(a: CauseId, b: CauseId): boolean {
  if (a === b) return true;
  if (a === "not-oom" || b === "not-oom" || ROLE[a] === "none" || ROLE[b] === "none") return false;
  if (ROLE[a] === "time" && ROLE[b] === "time") return false;
  if (ROLE[a] === "scope" && ROLE[b] === "scope") return false;
  return !EXCLUSIVE.some(([x, y]) => (x === a && y === b) || (x === b && y === a));
}

/**
 * Picks the primary among hypotheses given in registry order. A "where" cause that ties with a
 * consistent "time" cause yields to it (the time shape is the story, the where is how to look).
 * `eventEvidence` backs what an `undetermined` verdict still states, the event (the kill lines).
 */
export function chooseVerdict(event: EventId, hypotheses: Hypothesis[], eventEvidence: Evidence[] = []): Verdict {
  const supportedHs = hypotheses.filter((h) => h.status === "supported");
  const best = supportedHs.reduce<Hypothesis | null>((b, h) => (b === null || rank(h) > rank(b) || (rank(h) === rank(b) && ROLE[b.cause] === "where" && ROLE[h.cause] === "time" && consistent(b.cause, h.cause)) ? h : b), null);
  if (!best) {
    const missing = [...new Set(hypotheses.flatMap((h) => h.missing))];
    return {
      cause: "undetermined",
      confidence: "low",
      summary: `${eventPhrase(event)}; the bundle cannot decide why.${missing.length > 0 ? ` To decide, capture: ${missing.slice(0, 4).join("; ")}.` : ""}`,
      evidence: eventEvidence,
    };
  }
  const others = supportedHs.filter((h) => h !== best);
  const brief = (h: Hypothesis) => ({ cause: h.cause, confidence: h.confidence ?? "low", reason: h.reason });
  const contributing = others.filter((h) => consistent(best.cause, h.cause)).map(brief);
  const alternatives = others.filter((h) => !consistent(best.cause, h.cause)).map(brief);
  const tied = alternatives.filter((a) => RANK[a.confidence] === rank(best));
  const confidence = tied.length > 0 ? LOWER[best.confidence ?? "low"] : (best.confidence ?? "low");
  const also = contributing.length > 0 ? ` Contributing: ${contributing.map((c) => c.cause).join(", ")}.` : "";
  const rival = tied.length > 0 ? ` ${tied.map((t) => t.cause).join(" and ")} fit${tied.length === 1 ? "s" : ""} the evidence as well, so the verdict ${best.confidence === "low" ? "stays low" : `is not ${best.confidence}`}.` : "";
  return {
    cause: best.cause,
    confidence,
    summary: `${eventPhrase(event)}: ${best.reason.replace(/\.$/, "")}.${also}${rival}`,
    evidence: best.evidence,
    ...(contributing.length > 0 ? { contributing } : {}),
    ...(alternatives.length > 0 ? { alternatives } : {}),
  };
}

function rank(h: Hypothesis): number {
  return RANK[h.confidence ?? "low"];
}

/** The event in words, to open the verdict summary. */
function eventPhrase(event: EventId): string {
  switch (event) {
    case "container-oom-kill": return "OOM-killed at its own memory limit";
    case "child-oom-kill": return "A process inside the container was OOM-killed; its main process survived the kill";
    case "node-oom-kill": return "Killed by a node-level OOM";
    case "eviction": return "Evicted by the kubelet";
    case "sigkill": return "Killed by SIGKILL (exit code 137) with no OOM record";
    case "none": return "No kill found";
  }
}
