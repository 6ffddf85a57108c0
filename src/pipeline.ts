/**
 * The whole run on one screen: discover → ingest → correlate → analyze → diagnose → the report model.
 * Rendering and writing are the CLI's; this returns data.
 */
import { analyze } from "./analyze/index.js";
import { correlate } from "./correlate/index.js";
import { diagnose } from "./diagnose/index.js";
import { discover, type DiscoveredFile } from "./discover.js";
import { stopEarlyHelpers } from "./ingest/kernel-log/early-helpers.js";
import { mergeSavedCgroupFiles } from "./ingest/memory-stat/merge.js";
import { withoutEchoedKills } from "./ingest/shared/event-oom.js";
import { NOTHING_RECOGNISED, NothingRecognisedError } from "./errors.js";
import { applyPasteHint, expandPastes, type PastedFile } from "./ingest/paste/parts.js";
import { emptyFacts, mergeFacts, type FactSet } from "./model/facts.js";
import type { BundleFile, Incident, Report } from "./model/incident.js";
import { collectReport, type StreamedReport } from "./model/streamed-report.js";
import type { Diagnostic } from "./model/source.js";
import type { SpooledStdin } from "./stdin.js";
import { CitedLines } from "./quotes.js";
import { VERSION } from "./package-files.js";

export interface PostmortemOptions {
  /** A folder, a single file, or `-` for stdin. */
  bundlePath: string;
  /** Where stdin was spooled when `bundlePath` is `-` (see `src/stdin.ts`). */
  stdin?: SpooledStdin;
  /** Called before each file is read (the CLI shows it on a TTY). */
  onProgress?: (done: number, total: number, path: string) => void;
}

/**
 * Runs the analysis and returns the report model. Throws `UsageError` for an unreadable path
 * and `NothingRecognisedError` (carrying the report) when no file was recognised; everything
 * else about bad input is a warning inside the report.
 */
export async function runPostmortem(opts: PostmortemOptions): Promise<Report> {
  const run = await startPostmortem(opts);
  const report = await collectReport(run);
  if (run.nothingRecognised) throw new NothingRecognisedError(NOTHING_RECOGNISED, { cause: report });
  return report;
}

/** {@link startPostmortem}'s answer: the report with its incidents still to diagnose, one at a time. */
export interface PostmortemRun extends StreamedReport {
  /** No file of the bundle was recognised as an artifact (`runPostmortem` throws NothingRecognisedError). */
  nothingRecognised: boolean;
  /**
   * What reading the quotes found, after the report's warnings were written (a kernel log that
   * changed while it was analysed): the CLI prints them on stderr. Complete once `quotes()` resolved.
   */
  quoteWarnings(): readonly { file: string; message: string }[];
}

/**
 * {@link runPostmortem} up to the incidents: discovers, ingests, correlates and analyses, and hands
 * back the report with each incident diagnosed when `incidents` reaches it (the CLI prints it and
 * lets it go) and the quotes of what they cite read after them. Throws `UsageError` for an
 * unreadable path.
 */
export async function startPostmortem(opts: PostmortemOptions): Promise<PostmortemRun> {
  const files = await expandPastes(await discover(opts.bundlePath, opts.stdin?.file));
  // Helpers the command started early for files that turned out not to be kernel logs have nothing to do.
  await stopEarlyHelpers(files.flatMap((f) => (isKernelLog(f) && f.source.bytes?.().path) || []));
  const factSets: FactSet[] = [];
  for (const [i, f] of files.entries()) {
    opts.onProgress?.(i, files.length, f.source.path);
    factSets.push(await ingestOne(f));
  }
  await stopEarlyHelpers(); // any no scan took
  const facts = mergeFacts(factSets);
  facts.memcgSnapshots = mergeSavedCgroupFiles(facts.memcgSnapshots);
  facts.ooms = withoutEchoedKills(facts.ooms);
  const kernelLogFiles = files.filter(isKernelLog).map((f) => f.source.path);
  const correlation = correlate(facts, kernelLogFiles);
  const analysis = analyze(facts, correlation);
  const { readings } = analysis;
  const report: Report = {
    tool: { name: "oom-postmortem", version: VERSION },
    bundle: {
      path: opts.bundlePath,
      files: files.map((f, i) =>
        bundleFile(f, [...factSets[i]!.diagnostics, ...analysis.warnings.filter((w) => w.at.file === f.source.path)]),
      ),
    },
    incidents: [],
    ...(readings.length > 0 ? { readings } : {}),
    warnings: [
      ...stdinCut(opts.stdin),
      ...files
        .filter((f) => f.skipReason && !f.quiet)
        .map((f) => ({ file: f.source.path, message: `not analysed: ${f.skipReason}` })),
      ...[...facts.diagnostics, ...analysis.warnings].map((d) =>
        d.at.line === undefined
          ? { file: d.at.file, message: d.message }
          : { file: d.at.file, line: d.at.line, message: d.message },
      ),
    ],
  };
  return streamed(report, diagnose(correlation, analysis), files);
}

// The run of `report` and its `incidents`. A function of its own: the closures it makes hold
// only these values, where closures made in startPostmortem would hold all of its variables
// (every fact of the bundle) until the report is written.
function streamed(report: Report, incidents: Iterable<Incident>, files: PastedFile[]): PostmortemRun {
  const cited = new CitedLines();
  let citedIncidents = Infinity;
  return {
    report,
    incidents: citing(incidents, cited, () => citedIncidents),
    citeFirst: (n) => void (citedIncidents = n),
    quotes: () => {
      cited.add(report.readings ?? []);
      return cited.quotes(files);
    },
    nothingRecognised: files.every((f) => f.ingester === null),
    quoteWarnings: () => cited.warnings,
  };
}

// `incidents` as they come, the cited lines of the first `limit()` recorded in `cited` first.
function* citing(incidents: Iterable<Incident>, cited: CitedLines, limit: () => number): Generator<Incident> {
  let n = 0;
  for (const incident of incidents) {
    if (n++ < limit()) cited.add(incident);
    yield incident;
  }
}

// stdin beyond the spool's budget was read and dropped: say how much was analysed.
function stdinCut(stdin: SpooledStdin | undefined): { file: string; message: string }[] {
  if (!stdin || stdin.totalBytes <= stdin.keptBytes) return [];
  return [
    {
      file: "stdin",
      message: `only the first ${stdin.keptBytes} of ${stdin.totalBytes} bytes of stdin analysed (budget for stdin) — save it to a file and split it to analyse the rest`,
    },
  ];
}

/**
 * The one place an ingester's exception is caught (ingesters never catch their own): a failed
 * read (an error with a Node `code`: EIO, a corrupt compressed stream) is `<kind>/read-failed`;
 * anything else is our bug, `<kind>/internal-error`. Either is an error diagnostic and the run
 * goes on with the other files.
 * @internal exported for its tests (not the public API)
 */
export async function ingestOne(f: PastedFile): Promise<FactSet> {
  if (!f.ingester) return f.paste ? applyPasteHint(emptyFacts(), f.paste) : emptyFacts();
  try {
    const facts = await f.ingester.parse(f.source);
    return f.paste ? applyPasteHint(facts, f.paste) : facts;
  } catch (err) {
    const facts = emptyFacts();
    const message = err instanceof Error ? err.message : String(err);
    const code = (err as { code?: unknown } | null)?.code;
    facts.diagnostics.push(
      typeof code === "string"
        ? {
            severity: "error",
            code: `${f.ingester.kind}/read-failed`,
            message: `the file could not be read to the end (${message}); nothing from it is used`,
            at: { file: f.source.path },
          }
        : {
            severity: "error",
            code: `${f.ingester.kind}/internal-error`,
            message: `${f.ingester.kind} reader failed on this file (a bug in oom-postmortem, please report it): ${message}`,
            at: { file: f.source.path },
          },
    );
    return facts;
  }
}

function isKernelLog(f: DiscoveredFile): boolean {
  return f.ingester?.kind === "kernel-log";
}

function bundleFile(f: DiscoveredFile, diagnostics: Diagnostic[]): BundleFile {
  const warnings = diagnostics.map((d) =>
    d.at.line === undefined ? { message: d.message } : { line: d.at.line, message: d.message },
  );
  if (f.skipReason && !f.quiet) warnings.unshift({ message: `not analysed: ${f.skipReason}` });
  const file: BundleFile = { path: f.source.path, kind: f.ingester?.kind ?? "unknown", warnings };
  if (f.skipReason && f.quiet) file.skipped = f.skipReason;
  return file;
}
