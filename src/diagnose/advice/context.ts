/**
 * What every advice step reads: the subject's facts and kills, the verdict's cause, the sizing,
 * who the advice is for (`AdviceTarget`) and the runtime of the killed process.
 */
import type { SubjectFacts } from "../../correlate/index.js";
import type { CauseId, EventId, Incident, Kill } from "../../model/incident.js";
import { detectRuntime, type RuntimeGuess } from "./runtime.js";
import { adviceTarget, type AdviceTarget } from "./target.js";

export interface AdviceContext {
  s: SubjectFacts;
  event: EventId;
  cause: CauseId;
  kills: Kill[];
  sizing: Incident["sizing"];
  target: AdviceTarget;
  runtime: RuntimeGuess;
  /** The memory limit in force at the kill (container limit, else the kernel's), bytes. */
  limitBytes: number | null;
  /** The latest kill's time (ISO) or null. */
  killTime: string | null;
  /**
   * Env values as the report's earlier steps set them (name → full value): a later step that
   * changes the same variable merges into this, so pasting every step keeps every flag
   * (`kubectl set env` replaces the whole value). Empty at the first step.
   */
  envPlan: Map<string, string>;
}

/** Builds the advice context of a diagnosed subject. */
export function adviceContext(
  s: SubjectFacts,
  event: EventId,
  cause: CauseId,
  kills: Kill[],
  sizing: Incident["sizing"],
): AdviceContext {
  return {
    s,
    event,
    cause,
    kills,
    sizing,
    target: adviceTarget(s, kills),
    runtime: detectRuntime(s, kills),
    limitBytes: sizing?.currentLimitBytes ?? s.limit?.bytes ?? null,
    killTime:
      kills
        .map((k) => k.time)
        .filter((t): t is string => t !== null)
        .at(-1) ?? null,
    envPlan: new Map(),
  };
}

/** `kubectl -n ns exec pod -c ctr -- ` for the subject, or null when the pod is unknown (or not Kubernetes). */
export function execPrefix(ctx: AdviceContext): string | null {
  const t = ctx.target;
  if (t.platform === "docker" && t.dockerContainer) return `docker exec ${t.dockerContainer} `;
  if (t.platform !== "kubernetes" || !t.pod) return null;
  return `kubectl ${t.ns}exec ${t.pod}${t.container ? ` -c ${t.container}` : ""} -- `;
}

/** `kubectl logs` of the killed container (`--previous` only when it restarted), or `docker logs`. */
export function logsCommand(ctx: AdviceContext): string | null {
  const t = ctx.target;
  if (t.platform === "docker" && t.dockerContainer) return `docker logs --timestamps ${t.dockerContainer}`;
  if (t.platform !== "kubernetes" || !t.pod) return null;
  return `kubectl ${t.ns}logs ${t.pod}${t.container ? ` -c ${t.container}` : ""}${t.restarted ? " --previous" : ""} --timestamps`;
}
