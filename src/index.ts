/** Public API: run the analysis and render it from code. */
export { runPostmortem, type PostmortemOptions } from "./pipeline.js";
export { renderReport, redactReport } from "./render/index.js";
export type { Report, Incident, Kill, Verdict, Hypothesis, Action, EventId, CauseId } from "./model/incident.js";
export { ingesters } from "./ingest/index.js";
