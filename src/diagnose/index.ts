/**
 * diagnose: for every correlated subject, decides the event, weighs every cause with its rule,
 * picks the verdict, sizes the limit where the data allows, and writes the next steps.
 * Incidents come out most severe first.
 */
import type { Analysis, SubjectAnalysis } from "../analyze/index.js";
import type { Correlation, SubjectFacts } from "../correlate/index.js";
import { lastTermination } from "../correlate/kills.js";
import { buildTimeline } from "../correlate/timeline.js";
import type { EventId, Hypothesis, Incident } from "../model/incident.js";
import { advise } from "./actions.js";
import { calibrate } from "./calibrate.js";
import { decideEvent } from "./event.js";
import { incidentEviction } from "./eviction.js";
import { ruleFor, rules } from "./rules/index.js";
import { killSenders } from "./senders.js";
import { killLines } from "./signals.js";
import { recommendLimit, sizingObservations } from "./sizing.js";
import type { RuleContext } from "./types.js";
import { chooseVerdict } from "./verdict.js";
import { maxOf } from "../util/arrays.js";

/** Events from most to least severe, for ordering incidents. */
const SEVERITY: EventId[] = ["node-oom-kill", "container-oom-kill", "child-oom-kill", "eviction", "sigkill", "none"];

/**
 * Turns the correlation and its analysis (`analysis.subjects[i]` measured
 * `correlation.subjects[i]`) into incidents (the JSON contract's `incidents`), most severe first,
 * one at a time: the order needs only each subject's event and kills, so each incident is built
 * when the iteration reaches it, and a caller that prints each one and lets it go (the CLI) never
 * holds them all (≈12 KB each: a journal of 10,000 kills made 120 MB of incidents).
 */
export function diagnose(correlation: Correlation, analysis: Analysis): Generator<Incident> {
  const order = correlation.subjects
    .map((s, i) => {
      const { kills } = analysis.subjects[i]!;
      return { i, event: decideEvent(s, kills, correlation.kernelLogFiles), kills };
    })
    .sort(
      (a, b) =>
        severity(a) - severity(b) || evidenceWeight(b) - evidenceWeight(a) || latest(b) - latest(a) || b.i - a.i,
    );
  const { kernelLogFiles, notes } = correlation;
  return diagnoseEach(
    order.map(({ i, event }) => ({ s: correlation.subjects[i]!, analysed: analysis.subjects[i]!, event })),
    { kernelLogFiles, notes },
  );
}

/** A subject waiting for its diagnosis: its facts, its analysis and its event. */
interface Queued {
  s: SubjectFacts;
  analysed: SubjectAnalysis;
  event: EventId;
}

// The incidents of `queue` in its order; a subject's facts and analysis are let go (the queue holds
// the only reference left) once its incident is built.
function* diagnoseEach(queue: (Queued | null)[], correlation: BundleWide): Generator<Incident> {
  for (let k = 0; k < queue.length; k++) {
    const { s, analysed, event } = queue[k]!;
    queue[k] = null;
    yield diagnoseSubject(s, analysed, event, correlation);
  }
}

/** What diagnosing one subject reads of the whole correlation. */
type BundleWide = Pick<Correlation, "kernelLogFiles" | "notes">;

function diagnoseSubject(
  s: SubjectFacts,
  { kills, anatomy, usage }: SubjectAnalysis,
  event: EventId,
  correlation: BundleWide,
): Incident {
  const ctx: RuleContext = {
    facts: s,
    event,
    kills,
    termination: lastTermination(s),
    kernelLogFiles: correlation.kernelLogFiles,
  };
  const hypotheses = rules.map((r) => calibrate(runRule(r.id, () => r.evaluate(ctx))));
  const verdict = chooseVerdict(event, hypotheses, killLines(kills.flatMap((k) => k.evidence.slice(0, 1))));
  // A cause whose memory is needed sizes a larger limit; so does an undetermined kill at the container's own limit.
  const resizable = ruleFor(verdict.cause)?.sizesLimit ?? event === "container-oom-kill";
  const sizing = resizable
    ? recommendLimit({
        kills,
        containerLimit: s.limit?.bytes ?? null,
        usage,
        killedAtLimit: event === "container-oom-kill",
        ...sizingObservations(s),
      })
    : null;
  const missing =
    verdict.cause === "undetermined"
      ? [...new Set(hypotheses.flatMap((h) => h.missing))]
      : (hypotheses.find((h) => h.cause === verdict.cause)?.missing ?? []);
  const { actions, capture } = advise({ s, event, cause: verdict.cause, kills, sizing, anatomy, missing });
  const eviction = event === "eviction" ? incidentEviction(s) : null;
  return {
    subject: s.subject,
    event,
    kills,
    verdict,
    hypotheses,
    actions,
    timeline: buildTimeline(s, kills),
    sizing,
    notes: [
      ...(s.notes ?? []),
      ...correlation.notes
        .filter((n) => n.file === null || kills.some((k) => k.evidence.some((e) => e.file === n.file)))
        .map((n) => n.text),
    ],
    anatomy,
    usage,
    capture,
    ...(event === "node-oom-kill" && s.nodeOom ? { nodeOom: s.nodeOom } : {}),
    ...(event === "eviction" && eviction ? { eviction } : {}),
    ...(event === "sigkill"
      ? {
          killSenders: killSenders(ctx, correlation.kernelLogFiles.length > 0).map(
            ({ kind, what, confidence, evidence }) => ({ kind, what, confidence, evidence }),
          ),
        }
      : {}),
  };
}

// A rule that throws is our bug: it becomes an undetermined hypothesis saying so, never a crash.
function runRule(cause: Hypothesis["cause"], evaluate: () => Hypothesis): Hypothesis {
  try {
    return evaluate();
  } catch (err) {
    return {
      cause,
      status: "undetermined",
      reason: `rule crashed: ${(err as Error).message}`,
      evidence: [],
      missing: [],
    };
  }
}

/** What the incident order reads of an incident. */
type Ranked = Pick<Incident, "event" | "kills">;

function severity(i: Ranked): number {
  return SEVERITY.indexOf(i.event);
}

// Incidents with a known victim and more kills come first among equals.
function evidenceWeight(i: Ranked): number {
  return i.kills.filter((k) => k.pid !== null).length * 2 + i.kills.length;
}

function latest(i: Ranked): number {
  return maxOf(
    i.kills.map((k) => (k.time ? Date.parse(k.time) : 0)),
    0,
  );
}
