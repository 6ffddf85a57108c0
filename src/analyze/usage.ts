/**
 * The usage series behind the verdict: the subject's memory series split into runs at restarts,
 * with per-run statistics. (Being filled in.)
 */
import type { SubjectFacts } from "../correlate/index.js";
import type { Kill, UsageSeries } from "../model/incident.js";

/** The subject's usage series with per-run stats, or null when the bundle has no memory series. */
export function usageSeries(_s: SubjectFacts, _kills: Kill[]): UsageSeries | null {
  return null;
}
