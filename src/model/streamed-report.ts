/**
 * A report whose incidents are diagnosed as they are printed: the CLI writes each incident and
 * lets it go, so a bundle of 10,000 kills never holds 10,000 incidents' models (≈12 KB each) at
 * once. `runPostmortem` (the library API) and the Markdown/HTML renderers collect one into a
 * whole {@link Report} with {@link collectReport}.
 *
 * Sample: `{ report: { tool, bundle, incidents: [], warnings }, incidents: <generator>, quotes }`
 * → `collectReport(streamed)` → `{ tool, bundle, incidents: [incident 1, …], warnings, quotes }`.
 */
import type { Incident, Quote, Report } from "./incident.js";

export interface StreamedReport {
  /** Everything but the incidents (`incidents` is empty) and the quotes, in the report's member order. */
  report: Report;
  /** The incidents, most severe first, each diagnosed when the iteration reaches it; iterate once. */
  incidents: IterableIterator<Incident>;
  /**
   * Quote the lines cited by only the first `n` incidents (default: all): a renderer that shows
   * the others without their lines (Markdown and HTML detail the first `fullIncidents`) saves
   * reading and redacting the rest. Call before iterating `incidents`.
   */
  citeFirst(n: number): void;
  /** The lines the incidents and readings cite (`Report.quotes`); call once `incidents` has been iterated to its end. */
  quotes(): Promise<Record<string, Quote>>;
}

/**
 * The whole report of `streamed`, each part passed through `prepare` as it arrives (redaction:
 * `redactValue`, so no unredacted incident is kept); `quotes` only when a line was quoted.
 * `take`: where each incident goes instead of the report's `incidents` (the Markdown and HTML
 * renderers keep a digest of them), which then stays empty.
 */
export async function collectReport(
  streamed: StreamedReport,
  prepare: <T>(value: T) => T = (value) => value,
  take?: (incident: Incident) => void,
): Promise<Report> {
  const incidents: Incident[] = [];
  const keep = take ?? ((incident: Incident) => void incidents.push(incident));
  for (const incident of streamed.incidents) keep(prepare(incident));
  const quotes = await streamed.quotes();
  const report = prepare(streamed.report);
  const whole: Report = { ...report, incidents };
  if (Object.keys(quotes).length > 0) whole.quotes = prepare(quotes);
  return whole;
}
