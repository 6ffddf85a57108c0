/**
 * The rule contract: one rule per cause (DESIGN.md §3), one file each, file name = cause id.
 * A rule is a pure function over the correlated subject; it returns a hypothesis
 * (supported / rejected / undetermined) with its reasoning, evidence and what would decide it.
 */
import type { ContainerState } from "../model/facts.js";
import type { CauseId, Confidence, EventId, Hypothesis, Kill } from "../model/incident.js";
import type { Evidence } from "../model/source.js";
import type { SubjectFacts } from "../correlate/index.js";

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

export interface Rule {
  /** The cause id; equals the file name. */
  id: Exclude<CauseId, "undetermined">;
  /** One line: what the cause means. */
  title: string;
  evaluate(ctx: RuleContext): Hypothesis;
}

/** Identity helper that types a rule (one place for derived fields later). */
export const defineRule = (rule: Rule): Rule => rule;

/** Hypothesis builders, so rules read as their reasoning. */
export function supported(cause: CauseId, confidence: Confidence, reason: string, evidence: Evidence[], missing: string[] = [], opts: { decisive?: boolean } = {}): Hypothesis {
  return { cause, status: "supported", confidence, reason, evidence, missing, ...(opts.decisive ? { decisive: true } : {}) };
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
