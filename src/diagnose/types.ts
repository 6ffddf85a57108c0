/**
 * The rule contract: one rule per cause (DESIGN.md §3), one file each, file name = cause id.
 * A rule is a pure function over the correlated subject; it returns a hypothesis
 * (supported / rejected / undetermined) with its reasoning, evidence and what would decide it.
 */
import type { ContainerState } from "../model/facts.js";
import type { Action, CauseId, Confidence, EventId, Hypothesis, Kill, MemoryAnatomy } from "../model/incident.js";
import type { Evidence } from "../model/source.js";
import type { SubjectFacts } from "../correlate/index.js";
import type { AdviceContext } from "./advice/context.js";

/** What a rule sees: the subject's facts, the decided event and the kills. */
export interface RuleContext {
  facts: SubjectFacts;
  event: EventId;
  kills: Kill[];
  /** The kubelet's latest termination record of the container, if any. */
  termination: ContainerState | null;
  /** Files of the bundle read as kernel logs. */
  kernelLogFiles: string[];
}

/**
 * A rule: its metadata first (what the cause is, how it combines with others, what it reads, what
 * to do about it), then its logic. The metadata is the one place these are said: the verdict reads
 * `role` and `excludes`, diagnose `sizesLimit`, the next steps `advise`, and test/conventions.test.ts
 * checks every cause has one complete rule and that `requires` names every fact `evaluate` reads.
 */
export interface Rule {
  /** The cause id; equals the file name. */
  id: Exclude<CauseId, "undetermined">;
  /** One line: what the cause means. */
  title: string;
  /**
   * How the cause explains a kill, which decides what it can be reported with (`verdict.ts`):
   * `time` its shape over time (a plateau, a ramp and a spike exclude each other), `where` where
   * the memory went, `scope` what ran short or what killed (the node, not the OOM killer; two
   * scopes exclude each other). A `where` cause with a `time` cause, or with a scope, is consistent.
   */
  role: "time" | "where" | "scope";
  /** Causes that cannot be true together with this one although the roles would fit; "all": none can. */
  excludes?: readonly CauseId[] | "all";
  /**
   * The subject's facts `evaluate` reads (every rule also gets the event, kills, termination and
   * kernel log files of `RuleContext`).
   */
  requires: readonly (keyof SubjectFacts)[];
  /** True when the memory is needed, so a verdict of this cause sizes a larger limit (`sizing.ts`). */
  sizesLimit: boolean;
  /** The next steps when this cause is the verdict; null for a step the bundle cannot fill in (dropped). */
  advise(ctx: AdviceContext, anatomy: MemoryAnatomy | null): (Action | null)[];
  evaluate(ctx: RuleContext): Hypothesis;
}

/** Identity helper that types a rule (one place for derived fields later). */
export const defineRule = (rule: Rule): Rule => rule;

/** Hypothesis builders, so rules read as their reasoning. */
export function supported(
  cause: CauseId,
  confidence: Confidence,
  reason: string,
  evidence: Evidence[],
  missing: string[] = [],
  opts: { decisive?: boolean } = {},
): Hypothesis {
  return {
    cause,
    status: "supported",
    confidence,
    reason,
    evidence,
    missing,
    ...(opts.decisive ? { decisive: true } : {}),
  };
}

export function rejected(cause: CauseId, reason: string, evidence: Evidence[] = []): Hypothesis {
  return { cause, status: "rejected", reason, evidence, missing: [] };
}

export function undetermined(cause: CauseId, reason: string, missing: string[], evidence: Evidence[] = []): Hypothesis {
  return { cause, status: "undetermined", reason, evidence, missing };
}

/** True for the events where the kernel (or kubelet) reported an OOM kill of or in the subject. */
export function isOomEvent(event: EventId): boolean {
  return event === "container-oom-kill" || event === "child-oom-kill" || event === "node-oom-kill";
}
