/**
 * The render budget, in a module of its own: the CLI shows it as the default of
 * `--full-incidents` without loading the view model, which a JSON report never needs.
 *
 * Sample: `FULL_INCIDENTS === 20`.
 */

/**
 * Incidents a report details in full (the render budget). The rest are rows of the overview
 * table only, with a line that says so; the JSON output always holds every incident in full.
 * 2,000 pods killed by one node OOM give 2,000 incidents: in full that is a report of about
 * 100,000 lines that nobody reads, and the overview already names each one.
 */
export const FULL_INCIDENTS = 20;
