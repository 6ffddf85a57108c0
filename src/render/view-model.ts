/**
 * The report as ready-to-print Markdown strings for `templates/report.md.hbs`: every artifact
 * string escaped here (`markdown-escape.ts`), every number formatted (`util/format.ts`), every
 * citation showing the cited line's own text (`cite.ts`). Templates only loop and print.
 *
 * Two depths: the short report (default) is what an SRE pastes into a ticket — per incident a
 * summary block of at most 12 lines, the verdict's evidence, what happened, the memory sections,
 * the causes weighed folded into a few lines, the next steps and the capture script; `--detail
 * full` adds the full tables (kills with their memcg, every timeline entry, every hypothesis
 * with its reason, every artifact). The HTML report always has everything, with the full tables
 * in collapsed `<details>`: trusted HTML (callout, chart, `<details>`, the appendix of cited
 * lines) cannot travel through Markdown, so it goes into {@link HtmlSlots}, which hands out
 * marker lines the HTML renderer replaces (see `renderReport`).
 *
 * Sample: a one-incident report starts `# OOM postmortem: pay/payments-84c6d9f5b7-tx9vl (payments)`
 * then `- **What happened:** container \`payments\` of pod \`pay/payments-…\` was OOM-killed at its own memory limit 3 times, …`.
 */
import type { Action, Incident, Report, Subject } from "../model/incident.js";
import { mergeSameLine } from "../model/source.js";
import { appendixHtml } from "./appendix.js";
import { FULL_INCIDENTS } from "./budget.js";
import { causeLines, hypothesisRows, type HypothesisRow } from "./causes.js";
import { Citations } from "./cite.js";
import { formatBytes, UNKNOWN } from "../util/format.js";
import { escapeHtml } from "./html-escape.js";
import { singleLine } from "../util/text.js";
import { escapeMarkdown, inlineCode, sanitizeCommand } from "./markdown-escape.js";
import { anatomyView, usageView, type AnatomyView, type UsageView } from "./memory-view.js";
import { consumerRows, nodeSumsLine, type ConsumerRowView } from "./node-oom-view.js";
import { prose, proseSentence } from "./prose.js";
import { story, type Story } from "./story.js";
import { isNodeSubject, killTime, overviewRow, shortId, summaryLines, type OverviewRow } from "./summary.js";

/** How much the report shows: `short` (default) or `full` (every table). */
export type Detail = "short" | "full";

/**
 * Trusted HTML between Markdown pieces: `put` stores `html` and returns the marker line that
 * stands for it in the Markdown (an unguessable prefix, so no artifact text can forge one).
 */
export interface HtmlSlots {
  put(html: string): string;
}

/** Options for {@link buildReportView}. */
interface ReportViewOptions {
  detail?: Detail;
  /** Set by the HTML renderer: citations link to the appendix, full tables go into `<details>`. */
  html?: HtmlSlots;
}

/** The whole report, as printed by `templates/report.md.hbs`. All strings are Markdown. */
interface ReportView {
  /** Heading text after `# `. */
  title: string;
  /** The same title as plain text, for the HTML `<title>` (HTML-escaped by Handlebars). */
  titleText: string;
  /** When there is no incident: what was read and found. */
  noIncident: string | null;
  /** Table of all incidents (several incidents only). */
  overview: OverviewRow[] | null;
  /** Under the overview when incidents were left out of the detail (render budget), else null. */
  overviewNote: string | null;
  /** The incidents detailed in full: the first `fullIncidents` of the report. */
  incidents: IncidentView[];
  /** Memory readings of cgroups with no kill (`Report.readings`). */
  readings: { heading: string; anatomy: AnatomyView }[];
  /** One line: the files read and their kinds, and those not recognised. */
  filesLine: string;
  /** The artifacts table (full detail). */
  artifacts: FullSection<ArtifactRowView> | null;
  /** One list item per warning other than "not recognised": `` `file:line` — message ``. */
  warnings: string[];
  /** Marker line of the appendix of cited lines (HTML only). */
  appendix: string | null;
  footer: string;
  /** Plain-text generator name for the HTML `<meta name="generator">`. */
  generatorText: string;
}

/** A full-detail section: a heading in Markdown, a collapsed `<details>` in HTML. */
interface FullSection<Row> {
  heading: string | null;
  open: string | null;
  close: string | null;
  rows: Row[];
  /** A line after the table when rows were left out, or null. */
  more: string | null;
}

/** One incident section. */
interface IncidentView {
  /** `## ` heading (several incidents only), or null. */
  heading: string | null;
  /** HTML callout around the summary and evidence. */
  calloutOpen: string | null;
  calloutClose: string | null;
  summary: string[];
  /** List items: verdict evidence with the cited lines' own text. */
  evidence: string[];
  /** The usage chart's marker line, right after the summary (HTML only). */
  chart: string | null;
  story: Story;
  anatomy: AnatomyView | null;
  usage: UsageView | null;
  causes: string[];
  actions: ActionView[];
  /** "What to capture next time". */
  capture: { lead: string; script: string } | null;
  captureHint: string | null;
  notes: string[];
  kills: FullSection<KillRowView> | null;
  /** For a node-level OOM: the biggest consumers of the tasks table with their pods, then the node's sums. */
  consumers: FullSection<ConsumerRowView> | null;
  hypotheses: FullSection<HypothesisRow> | null;
}

/** One row of the full kills table. */
interface KillRowView {
  time: string;
  pid: string;
  process: string;
  anonRss: string;
  limit: string;
  limitHit: string;
  memcg: string;
  evidence: string;
}

/** One next step; `command` holds the sanitised lines of a fenced `sh` block, or null. */
interface ActionView {
  number: string;
  title: string;
  detail: string;
  command: string | null;
}

/** One row of the artifacts table. */
interface ArtifactRowView {
  path: string;
  kind: string;
  warningCount: string;
}

/**
 * What the view reads of a report's incidents, taken one at a time in report order: the first
 * `full` whole, and every one's overview row (a report of 10,000 incidents is rendered holding
 * 20 of them and 10,000 rows, not 10,000 incidents).
 */
export class IncidentDigest {
  /** The incidents detailed in full: the first `full` of the report. */
  readonly detailed: Incident[] = [];
  /** Every incident's row of the overview table. */
  readonly overview: OverviewRow[] = [];
  /** The first incident's subject (a one-incident report is titled by it), or null. */
  first: Subject | null = null;

  /** `full`: incidents detailed in full (`fullIncidents`); the others get their overview row only. */
  constructor(readonly full: number = FULL_INCIDENTS) {}

  /** Takes the report's next incident. */
  add(incident: Incident): void {
    this.first ??= incident.subject;
    if (this.detailed.length < this.full) this.detailed.push(incident);
    this.overview.push(overviewRow(incident, this.overview.length + 1));
  }
}

/**
 * Builds the view model of `report`, whose incidents are read from `incidents` (the digest of
 * `report.incidents`, or of incidents streamed past it; `report.incidents` itself is not read).
 * Pure; never throws on well-typed input.
 */
export function buildReportView(
  report: Report,
  incidents: IncidentDigest,
  options: ReportViewOptions = {},
): ReportView {
  const html = options.html ?? null;
  const full = html !== null || options.detail === "full";
  const cite = new Citations(report.quotes ?? {}, html !== null);
  const count = incidents.overview.length;
  const several = count > 1;
  const section = <Row>(title: string, rows: Row[], more: string | null = null): FullSection<Row> | null =>
    !full || rows.length === 0
      ? null
      : html
        ? {
            heading: null,
            open: html.put(`<details><summary>${escapeHtml(title)}</summary>`),
            close: html.put("</details>"),
            rows,
            more,
          }
        : { heading: title, open: null, close: null, rows, more };
  const detailed = incidents.detailed;
  const views = detailed.map((incident, i) => incidentView(incident, i + 1, several, { full, html, cite, section }));
  const toolName = singleLine(report.tool.name);
  const toolVersion = singleLine(report.tool.version);
  const view: ReportView = {
    title: titleOf(incidents, escapeMarkdown),
    titleText: titleOf(incidents, singleLine),
    noIncident: count > 0 ? null : noIncidentLine(report),
    overview: several ? incidents.overview : null,
    overviewNote: overviewNote(detailed.length, count),
    incidents: views,
    readings: (report.readings ?? []).map((r) => ({
      heading: `Memory reading (no kill): ${subjectTitle(r.subject, escapeMarkdown)}`,
      anatomy: anatomyView(r.anatomy, cite, full),
    })),
    filesLine: filesLine(report),
    artifacts: section(
      "Artifacts",
      report.bundle.files.map((f) => ({
        path: inlineCode(f.path, { table: true }),
        kind:
          f.kind !== "unknown"
            ? escapeMarkdown(f.kind)
            : f.skipped
              ? escapeMarkdown(`not analysed: ${f.skipped}`)
              : "not recognised",
        warningCount: String(f.warnings.length),
      })),
    ),
    warnings: warningItems(report, cite),
    appendix: null,
    footer: `Generated by ${escapeMarkdown(toolName)} ${escapeMarkdown(toolVersion)}.`,
    generatorText: `${toolName} ${toolVersion}`,
  };
  // Last: the appendix quotes every line cited above, in citation order.
  if (html && cite.anchors.size > 0) view.appendix = html.put(appendixHtml(cite, report.quotes ?? {}));
  return view;
}

// Says which incidents the table alone shows, when the render budget left some out.
function overviewNote(detailed: number, total: number): string | null {
  if (detailed >= total) return null;
  const first = detailed === 0 ? "No incident is" : detailed === 1 ? "Incident 1 is" : `Incidents 1–${detailed} are`;
  return `${first} detailed below; incidents ${detailed + 1}–${total} are in this table only (a report details at most ${detailed}). The JSON output (\`--format json\`) holds every incident in full.`;
}

interface Ctx {
  full: boolean;
  html: HtmlSlots | null;
  cite: Citations;
  section: <Row>(title: string, rows: Row[], more?: string | null) => FullSection<Row> | null;
}

function incidentView(incident: Incident, n: number, several: boolean, ctx: Ctx): IncidentView {
  const { full, html, cite, section } = ctx;
  const usage = incident.usage
    ? usageView(
        incident.usage,
        `${several ? `Incident ${n}: memory` : "Memory"} usage against the limit — ${subjectTitle(incident.subject, singleLine)}`,
        cite,
        full,
      )
    : null;
  const chart = html && usage?.chart ? html.put(`<figure class="chart">\n${usage.chart}\n</figure>`) : null;
  const capture = incident.capture ?? null;
  // The script is long: the short report shows it when no cause was found, else names what was missing.
  const showCapture = capture !== null && (full || incident.verdict.cause === "undetermined");
  return {
    heading: several
      ? `${n}. ${subjectTitle(incident.subject, escapeMarkdown)}: ${escapeMarkdown(incident.event)}, ${inlineCode(incident.verdict.cause)}`
      : null,
    calloutOpen: html ? html.put(`<div class="verdict ${incident.verdict.confidence}">`) : null,
    calloutClose: html ? html.put("</div>") : null,
    summary: summaryLines(incident),
    evidence: mergeSameLine(incident.verdict.evidence)
      .slice(0, full ? undefined : 4)
      .map((e) => cite.item(e)),
    chart,
    story: story(incident, cite, full),
    anatomy: incident.anatomy ? anatomyView(incident.anatomy, cite, full) : null,
    usage,
    causes: causeLines(incident, full),
    actions: incident.actions.map(actionView),
    capture: showCapture
      ? {
          lead:
            capture!.missing.length > 0
              ? `The bundle lacked: ${capture!.missing.map(escapeMarkdown).join("; ")}. Keep this script and run it right after the next kill:`
              : "Keep this script and run it right after the next kill:",
          script: commandBlock(capture!.script),
        }
      : null,
    captureHint: capture !== null && !showCapture ? captureHint(capture.missing) : null,
    notes: (incident.notes ?? []).map(escapeMarkdown).filter((x) => x !== ""),
    kills: section(
      "Kills",
      incident.kills.slice(0, KILLS_LISTED).map((k) => killRow(k, cite)),
      moreKills(incident.kills.length),
    ),
    consumers: incident.nodeOom
      ? section(
          "Largest consumers on the node",
          consumerRows(incident.nodeOom, cite),
          nodeSumsLine(incident.nodeOom, cite),
        )
      : null,
    hypotheses: section("All causes weighed", hypothesisRows(incident, cite)),
  };
}

function captureHint(missing: string[]): string {
  const lacked = missing.length > 0 ? `This bundle lacked ${missing.map(escapeMarkdown).join("; ")}. ` : "";
  return `${lacked}\`--detail full\` adds a capture script with this pod's names for the next kill.`;
}

/** Rows of the kill table; a bundle of thousands of kills lists the first ones and says how many more. */
const KILLS_LISTED = 50;

function moreKills(count: number): string | null {
  return count > KILLS_LISTED
    ? `${count - KILLS_LISTED} more kills are not listed here; \`--format json\` lists every kill with its evidence.`
    : null;
}

function killRow(kill: Incident["kills"][number], cite: Citations): KillRowView {
  const largest =
    kill.largestTask && kill.largestTask.pid !== kill.pid
      ? ` (largest task: ${inlineCode(kill.largestTask.process, { table: true })}, pid ${kill.largestTask.pid}, ${formatBytes(kill.largestTask.rssBytes)} RSS)`
      : "";
  return {
    time: escapeMarkdown(killTime(kill)),
    pid: kill.pid === null ? UNKNOWN : String(kill.pid),
    process: (kill.process === null ? UNKNOWN : inlineCode(kill.process, { table: true })) + largest,
    anonRss: formatBytes(kill.anonRssBytes),
    limit: formatBytes(kill.limitBytes),
    limitHit: kill.limitHit === null ? UNKNOWN : escapeMarkdown(kill.limitHit),
    memcg:
      (kill.memcgLevel === null ? UNKNOWN : escapeMarkdown(kill.memcgLevel)) +
      (kill.memcg ? ` ${inlineCode(kill.memcg, { table: true })}` : ""),
    evidence: cite.refs(kill.evidence, 6),
  };
}

function actionView(action: Action, i: number): ActionView {
  const command = action.command ? commandBlock(action.command) : "";
  return {
    number: String(i + 1),
    title: prose(action.title),
    detail: proseSentence(action.detail),
    command: command === "" ? null : command,
  };
}

/**
 * The lines of a command for a fenced block: advice joins lines with "\n" and folds artifact
 * text to one line (diagnose/advice/shell.ts); each line loses backticks and other breaks here.
 */
function commandBlock(command: string): string {
  return command
    .split("\n")
    .map(sanitizeCommand)
    .filter((l) => l !== "")
    .join("\n");
}

function titleOf(incidents: IncidentDigest, esc: (text: string) => string): string {
  const n = incidents.overview.length;
  if (n === 0) return "OOM postmortem: no kill found";
  if (n === 1) return `OOM postmortem: ${subjectTitle(incidents.first!, esc)}`;
  return `OOM postmortem: ${n} incidents`;
}

function noIncidentLine(report: Report): string {
  const files = report.bundle.files;
  const recognised = files.filter((f) => f.kind !== "unknown").length;
  return (
    `No OOM kill, eviction or SIGKILL was found in ${inlineCode(report.bundle.path)} (${plural(files.length, "file")} read, ${recognised} recognised).` +
    ((report.readings ?? []).length > 0
      ? " The memory readings below show where the memory is and how much of it cannot be reclaimed."
      : "")
  );
}

/** `Read 3 files: \`dmesg.txt\` (kernel-log), …. Not recognised: \`x.bin\`. Not analysed: \`README.md\` (notes …).` */
function filesLine(report: Report): string {
  const files = report.bundle.files;
  const known = files.filter((f) => f.kind !== "unknown");
  const unknown = files.filter((f) => f.kind === "unknown" && !f.skipped);
  const notes = files.filter((f) => f.kind === "unknown" && f.skipped);
  const LIST = 8;
  const list = known
    .slice(0, LIST)
    .map((f) => `${inlineCode(f.path)} (${escapeMarkdown(f.kind)})`)
    .join(", ");
  const more = known.length > LIST ? ` and ${known.length - LIST} more` : "";
  const skipped =
    unknown.length > 0
      ? ` Not recognised: ${unknown
          .slice(0, LIST)
          .map((f) => inlineCode(f.path))
          .join(", ")}${unknown.length > LIST ? ` and ${unknown.length - LIST} more` : ""}.`
      : "";
  const notAnalysed =
    notes.length > 0
      ? ` Not analysed: ${notes
          .slice(0, LIST)
          .map((f) => `${inlineCode(f.path)} (${escapeMarkdown(f.skipped!)})`)
          .join(", ")}${notes.length > LIST ? ` and ${notes.length - LIST} more` : ""}.`
      : "";
  return `Read ${plural(files.length, "file")}${known.length > 0 ? `: ${list}${more}` : ""}.${skipped}${notAnalysed}`;
}

/** Warnings other than "not recognised" (the files line names those): one item per message, with every place it was given. */
function warningItems(report: Report, cite: Citations): string[] {
  const byMessage = new Map<string, Map<string, string>>();
  const add = (file: string, line: number | undefined, message: string): void => {
    if (/^not analysed: content not recognised/.test(message)) return;
    const places = byMessage.get(message) ?? new Map<string, string>();
    places.set(`${file}:${line ?? ""}`, cite.ref(file, line));
    byMessage.set(message, places);
  };
  for (const w of report.warnings) add(w.file, w.line, w.message);
  for (const file of report.bundle.files) for (const w of file.warnings) add(file.path, w.line, w.message);
  const PLACES = 5;
  return [...byMessage].map(([message, places]) => {
    const refs = [...places.values()];
    const more = refs.length > PLACES ? ` and ${refs.length - PLACES} more` : "";
    return `${refs.slice(0, PLACES).join(", ")}${more} — ${escapeMarkdown(message)}`;
  });
}

/** `ns/pod (container)`, or `node <name>` for a node-level subject. */
function subjectTitle(s: Subject, esc: (text: string) => string): string {
  if (isNodeSubject(s)) return `node ${esc(s.node!)}`;
  const pod =
    s.pod ??
    (s.podUid !== null
      ? `pod ${s.podUid}`
      : s.containerId !== null
        ? `container ${shortId(s.containerId)}`
        : "unknown pod");
  const base = `${esc(s.namespace ?? "unknown namespace")}/${esc(pod)}`;
  return s.container === null ? base : `${base} (${esc(s.container)})`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
