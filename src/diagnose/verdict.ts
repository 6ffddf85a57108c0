/**
 * The verdict: one primary cause, the best-supported hypothesis (highest confidence, then
 * registry order), or `undetermined` naming the artifacts that would decide it. Other supported
 * causes are split by whether they can be true together with the primary, which each rule's
 * `role` and `excludes` say (`types.ts`):
 * - consistent ones are shown as contributing: a cause saying *where* the memory went with one
 *   saying *how* it got there over time, or with a node-level OOM; a leak outside the heap is
 *   `memory-leak` with `native-memory` contributing;
 * - inconsistent ones (two time shapes: a plateau, a ramp and a spike exclude each other; the pairs
 *   a rule excludes; anything with `not-oom`) are alternatives: when one is as well supported as
 *   the primary, the verdict drops a level.
 */
import type { CauseId, Confidence, EventId, Hypothesis, Verdict } from "../model/incident.js";
import type { Evidence } from "../model/source.js";
import { ruleFor } from "./rules/index.js";
import type { Rule } from "./types.js";

const RANK: Record<Confidence, number> = { high: 3, medium: 2, low: 1 };
const LOWER: Record<Confidence, Confidence> = { high: "medium", medium: "low", low: "low" };

/** The cause's role; `undetermined` has none and is consistent with nothing. */
function roleOf(cause: CauseId): Rule["role"] | "none" {
  return ruleFor(cause)?.role ?? "none";
}

/** True when cause `a`'s rule says it cannot be true together with `b`. */
function excludes(a: CauseId, b: CauseId): boolean {
  const excluded = ruleFor(a)?.excludes ?? [];
  return excluded === "all" || excluded.includes(b);
}

/**
 * True when two causes can both be true of one kill.
 * @internal exported for its tests (not the public API)
 */
export function consistent(a: CauseId, b: CauseId): boolean {
  if (a === b) return true;
  if (roleOf(a) === "none" || roleOf(b) === "none" || excludes(a, b) || excludes(b, a)) return false;
  if (roleOf(a) === "time" && roleOf(b) === "time") return false;
  return !(roleOf(a) === "scope" && roleOf(b) === "scope");
}

/**
 * Picks the primary among hypotheses given in registry order. A "where" cause that ties with a
 * consistent "time" cause yields to it (the time shape is the story, the where is how to look).
 * `eventEvidence` backs what an `undetermined` verdict still states, the event (the kill lines).
 */
export function chooseVerdict(event: EventId, hypotheses: Hypothesis[], eventEvidence: Evidence[] = []): Verdict {
  const supportedHs = hypotheses.filter((h) => h.status === "supported");
  const best = supportedHs.reduce<Hypothesis | null>(
    (b, h) =>
      b === null ||
      rank(h) > rank(b) ||
      (rank(h) === rank(b) && roleOf(b.cause) === "where" && roleOf(h.cause) === "time" && consistent(b.cause, h.cause))
        ? h
        : b,
    null,
  );
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
  const rival =
    tied.length > 0
      ? ` ${tied.map((t) => t.cause).join(" and ")} fit${tied.length === 1 ? "s" : ""} the evidence as well, so the verdict ${best.confidence === "low" ? "stays low" : `is not ${best.confidence}`}.`
      : "";
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
    case "container-oom-kill":
      return "OOM-killed at its own memory limit";
    case "child-oom-kill":
      return "A process inside the container was OOM-killed; its main process survived the kill";
    case "node-oom-kill":
      return "Killed by a node-level OOM";
    case "eviction":
      return "Evicted by the kubelet";
    case "sigkill":
      return "Killed by SIGKILL (exit code 137) with no OOM record";
    case "none":
      return "No kill found";
  }
}
