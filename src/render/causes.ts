/**
 * "Causes weighed": what else was considered, folded. The short report gives one line per
 * other supported cause (with its reason), one line for the undetermined ones (with what would
 * decide them) and one line naming the rejected ones; `--detail full` has the table with every
 * reason, what is missing and the evidence.
 *
 * Sample: `- Rejected: \`not-oom\`, \`node-overcommit\`, \`memory-leak\` (reasons with --detail full).`
 */
import type { Hypothesis, Incident } from "../model/incident.js";
import type { Citations } from "./cite.js";
import { UNKNOWN } from "../util/format.js";
import { escapeMarkdown, inlineCode } from "./markdown-escape.js";

/** One row of the full table. */
export interface HypothesisRow {
  cause: string;
  status: string;
  reason: string;
  missing: string;
  evidence: string;
}

/** The folded lines of the short report (the verdict's own cause is in the summary). */
export function causeLines(incident: Incident, full: boolean): string[] {
  const others = incident.hypotheses.filter((h) => h.cause !== incident.verdict.cause);
  const by = (status: Hypothesis["status"]) => others.filter((h) => h.status === status);
  const lines = by("supported").map(
    (h) => `Also supported: ${inlineCode(h.cause)} (${escapeMarkdown(h.confidence ?? "low")}): ${sentence(h.reason)}`,
  );
  const open = by("undetermined");
  if (open.length > 0) {
    const missing = [...new Set(open.flatMap((h) => h.missing))];
    lines.push(
      `Undetermined: ${open.map((h) => inlineCode(h.cause)).join(", ")}${missing.length > 0 ? `; would decide: ${missing.slice(0, 3).map(escapeMarkdown).join("; ")}${missing.length > 3 ? "; …" : ""}` : ""}.`,
    );
  }
  const rejected = by("rejected");
  if (rejected.length > 0)
    lines.push(
      `Rejected: ${rejected.map((h) => inlineCode(h.cause)).join(", ")}${full ? " (reasons in the table below)" : " (reasons with `--detail full`)"}.`,
    );
  return lines;
}

/** Every hypothesis with its reason, missing artifacts and evidence. */
export function hypothesisRows(incident: Incident, cite: Citations): HypothesisRow[] {
  return incident.hypotheses.map((h) => ({
    cause: inlineCode(h.cause, { table: true }),
    status: escapeMarkdown(h.status === "supported" ? `supported (${h.confidence ?? "low"})` : h.status),
    reason: escapeMarkdown(h.reason) || UNKNOWN,
    missing: h.missing.length > 0 ? h.missing.map(escapeMarkdown).join("; ") : UNKNOWN,
    evidence: cite.refs(h.evidence),
  }));
}

function sentence(text: string): string {
  const s = escapeMarkdown(text);
  return s === "" || /[.!?]$/.test(s) ? s : `${s}.`;
}
