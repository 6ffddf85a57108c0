/**
 * Next steps with this subject's own names and numbers, chosen by the verdict's rule (its
 * `advise`) and what the bundle shows (the owner to change, the runtime, the volumes, the QoS), and the
 * capture script for the next kill. Every cause gets at least one concrete step; commands
 * target the workload a user edits and keep what it already has (see `advice/`).
 */
import type { SubjectFacts } from "../correlate/index.js";
import type { Action, CauseId, EventId, Incident, Kill, MemoryAnatomy } from "../model/incident.js";
import { captureScript, type Capture } from "./advice/capture.js";
import { adviceContext, type AdviceContext } from "./advice/context.js";
import { raiseLimit } from "./advice/resize.js";
import { ruleFor } from "./rules/index.js";

/** What advice reads about a diagnosed subject. */
interface AdviceInput {
  s: SubjectFacts;
  event: EventId;
  cause: CauseId;
  kills: Kill[];
  sizing: Incident["sizing"];
  anatomy?: MemoryAnatomy | null;
  /** Artifacts that would decide an open question, in words. */
  missing: string[];
}

/** The next steps (at least one) and the capture script of an incident. */
export function advise(input: AdviceInput): { actions: Action[]; capture: Capture } {
  const ctx = adviceContext(input.s, input.event, input.cause, input.kills, input.sizing);
  const actions = stepsFor(ctx, input.anatomy ?? null).filter((a): a is Action => a !== null);
  if (actions.length === 0) {
    actions.push({
      title: "Capture what would decide the cause at the next kill",
      detail:
        input.missing.length > 0
          ? `The bundle lacks: ${input.missing.join("; ")}. The capture script below saves them.`
          : "The capture script below saves the artifacts that decide it.",
    });
  }
  return { actions: actions.map(withoutEmptyCommand), capture: captureScript(ctx, input.missing) };
}

// The verdict's rule says what to do; `undetermined` has no rule: a larger limit only if the capture shows the need.
function stepsFor(ctx: AdviceContext, anatomy: MemoryAnatomy | null): (Action | null)[] {
  const rule = ruleFor(ctx.cause);
  return rule ? rule.advise(ctx, anatomy) : [raiseLimit(ctx, "If the capture confirms the working set needs it: ")];
}

function withoutEmptyCommand(a: Action): Action {
  return a.command ? a : { title: a.title, detail: a.detail };
}
