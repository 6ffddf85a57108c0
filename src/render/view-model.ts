/**
 * Report → view model: every sentence, label value and number the templates print, as
 * ready-to-print Markdown strings. Templates only loop and print (`{{#each}}`, `{{#if}}`);
 * all wording, formatting (`util/format.ts`) and escaping (`markdown-escape.ts`) happens here, so
 * the Markdown and HTML reports say the same thing.
 *
 * Every value that comes from an artifact (names, paths, messages, evidence text, file
 * names) is escaped: code spans for identifiers and quoted lines, `escapeMarkdown` for prose
 * (`verdict.summary`, `hypothesis.reason` and warning messages quote artifact names).
 *
 * The "Where the memory went" and "Usage over time" sections (`Incident.anatomy`,
 * `Incident.usage`) are built in `memory-view.ts`, with the usage chart (`chart.ts`).
 *
 * Sample: a kill `{time: "2026-06-09T11:02:17Z", pid: 31744, process: "worker",
 * anonRssBytes: 2143141888, limitBytes: 2147483648, …}` becomes the row
 * `{time: "2026-06-09 11:02:17 UTC", pid: "31744", process: "`worker`",
 *   anonRss: "1.99 GiB (99.8% of limit)", limit: "2 GiB", …}`.
 */
import type { Action, Hypothesis, Incident, Kill, Report, Subject, TimelineEntry } from "../model/incident.js";
import { formatBytes, formatTime, formatUptime, percentOf, UNKNOWN } from "../util/format.js";
import { evidenceItem, evidenceRefs, refCode } from "./cite.js";
import { anatomyView, usageView, type AnatomyView, type UsageView } from "./memory-view.js";
import { escapeMarkdown, inlineCode, sanitizeCommand } from "./markdown-escape.js";
import { singleLine } from "../util/text.js";

/** The whole report, as printed by `templates/report.md.hbs`. All strings are Markdown. */
export interface ReportView {
  /** Heading text after `# `. */
  title: string;
  /** The same title as plain text, for the HTML `<title>` (HTML-escaped by Handlebars). */
  titleText: string;
  /** One paragraph: the verdict of each incident, or why there is none. */
  summary: string;
  incidents: IncidentView[];
  /** Memory readings of cgroups with no kill (`Report.readings`). */
  readings: { heading: string; anatomy: AnatomyView }[];
  artifacts: ArtifactRowView[];
  noArtifacts: string;
  /** One list item per warning: `` `file:line` — message ``. */
  warnings: string[];
  noWarnings: string;
  footer: string;
  /** Plain-text generator name for the HTML `<meta name="generator">`. */
  generatorText: string;
}

export type { AnatomyRowView, AnatomyView, RunRowView, UsageView } from "./memory-view.js";

/** Options for {@link buildReportView}. */
export interface ReportViewOptions {
  /**
   * When set, each incident with a chart gets `usage.chartSlot = "<chartMarker>-<n>"`: a line
   * of its own in the Markdown where the HTML renderer puts the chart. Use an unguessable
   * value (the renderer uses a random UUID) so no artifact text can forge a slot.
   */
  chartMarker?: string;
}

/** One incident section. */
export interface IncidentView {
  /** Heading text after `## `: `Incident 1: container-oom-kill — shop/api-7d9f/api`. */
  heading: string;
  subjectLine: string;
  verdictLine: string;
  verdictSummary: string;
  /** List items: `` `file:line` — `excerpt` ``. */
  verdictEvidence: string[];
  noVerdictEvidence: string;
  eventLine: string;
  kills: KillRowView[];
  noKills: string;
  timeline: TimelineRowView[];
  noTimeline: string;
  hypotheses: HypothesisRowView[];
  noHypotheses: string;
  actions: ActionView[];
  noActions: string;
  /** Sizing paragraph, or null when the incident has no sizing. */
  sizing: string | null;
  notes: string[];
  /** "Where the memory went", or null when the incident has no anatomy. */
  anatomy: AnatomyView | null;
  /** "Usage over time", or null when the incident has no usage series. */
  usage: UsageView | null;
}

/** One row of the kills table (each cell one line, pipes escaped). */
export interface KillRowView {
  time: string;
  pid: string;
  process: string;
  anonRss: string;
  limit: string;
  limitHit: string;
  memcg: string;
  evidence: string;
}

/** One row of the timeline table. */
export interface TimelineRowView {
  time: string;
  what: string;
  evidence: string;
}

/** One row of the hypotheses table. */
export interface HypothesisRowView {
  cause: string;
  status: string;
  confidence: string;
  reason: string;
  missing: string;
  evidence: string;
}

/** One next step. `command` is a single sanitised line for a fenced `sh` block, or null. */
export interface ActionView {
  number: string;
  title: string;
  detail: string;
  command: string | null;
}

/** One row of the artifacts table. */
export interface ArtifactRowView {
  path: string;
  kind: string;
  warningCount: string;
}

/** What each event id means, in one clause (DESIGN.md §3). */
const EVENT_WORDS: Record<string, string> = {
  "container-oom-kill": "the container reached its own memory limit and the kernel OOM-killed it",
  "child-oom-kill": "the kernel OOM-killed a process in the container that was not its main process",
  "node-oom-kill": "the node ran out of memory (global OOM, no memcg limit) and the kernel OOM-killed a process",
  eviction: "the kubelet evicted the pod under node memory pressure",
  sigkill: "the container got SIGKILL (exit code 137) with no OOM evidence",
  none: "no kill of this container was found in the bundle",
};

/** What each cause id means, in one clause (DESIGN.md §3). */
const CAUSE_WORDS: Record<string, string> = {
  "limit-too-low": "the memory limit is too low for the normal working set",
  "memory-leak": "memory grows steadily regardless of load until the limit is reached",
  "burst-allocation": "a short allocation burst on top of a comfortable steady state",
  "runtime-misconfigured": "the runtime heap is sized off the node or above the container limit",
  "native-memory": "memory outside the managed heap (native, direct buffers, thread stacks)",
  "shared-memory": "shared memory or tmpfs counted against the limit",
  "kernel-memory": "kernel memory (slab, page tables, socket buffers) made up the overage",
  "node-overcommit": "the node as a whole ran out of memory",
  "not-oom": "the kill came from something other than the OOM killer",
  undetermined: "the bundle cannot decide the cause",
};

/** How a kill's time was obtained (`Kill.timeSource`), as a short note after the time. */
const TIME_SOURCE_WORDS: Record<string, string> = {
  "kernel-wall": "",
  "kernel-local": "kernel local time, zone unknown",
  "uptime-anchored": "estimated from uptime",
  "kubelet-finishedAt": "kubelet finishedAt",
};

/** Prose that already ends a sentence. */
const SENTENCE_END = /[.!?]$/;

/**
 * Builds the view model for `report`. Pure; never throws on well-typed input. Missing
 * values print as `—`; an empty section prints a one-line "none" sentence.
 */
export function buildReportView(report: Report, options: ReportViewOptions = {}): ReportView {
  const first = report.incidents[0];
  const toolName = singleLine(report.tool.name);
  const toolVersion = singleLine(report.tool.version);
  return {
    title: first ? `OOM postmortem: ${subjectTitle(first.subject, escapeMarkdown)}` : "OOM postmortem: no kill found",
    titleText: first ? `OOM postmortem: ${subjectTitle(first.subject, singleLine)}` : "OOM postmortem: no kill found",
    summary: summaryParagraph(report),
    incidents: report.incidents.map((incident, i) => incidentView(incident, i + 1, options)),
    readings: (report.readings ?? []).map((r) => ({ heading: `Memory reading (no kill): ${subjectTitle(r.subject, escapeMarkdown)}`, anatomy: anatomyView(r.anatomy) })),
    artifacts: report.bundle.files.map((file) => ({
      path: inlineCode(file.path, { table: true }),
      kind: file.kind === "unknown" ? "not recognised" : escapeMarkdown(file.kind),
      warningCount: String(file.warnings.length),
    })),
    noArtifacts: "The bundle had no files.",
    warnings: warningItems(report),
    noWarnings: "None.",
    footer: `Generated by ${escapeMarkdown(toolName)} ${escapeMarkdown(toolVersion)}. Times are UTC.`,
    generatorText: `${toolName} ${toolVersion}`,
  };
}

function summaryParagraph(report: Report): string {
  const files = report.bundle.files;
  const recognised = files.filter((f) => f.kind !== "unknown").length;
  if (report.incidents.length === 0) {
    return (
      `No OOM kill, eviction or SIGKILL was found in the bundle ${inlineCode(report.bundle.path)} ` +
      `(${plural(files.length, "file")} read, ${recognised} recognised). ` +
      ((report.readings ?? []).length > 0
        ? "The memory readings below show where the memory is and how much of it could not be reclaimed. "
        : "") +
      "The Artifacts and Warnings sections below show what was read."
    );
  }
  const parts = report.incidents.map((incident, i) => {
    const v = incident.verdict;
    return (
      `Incident ${i + 1} (${subjectPath(incident.subject)}): ${eventWords(incident.event)}; ` +
      `verdict ${inlineCode(v.cause)} with ${escapeMarkdown(v.confidence)} confidence. ${sentence(v.summary)}`
    );
  });
  const lead = `${plural(report.incidents.length, "incident")} found in ${plural(files.length, "file")} (${recognised} recognised).`;
  return [lead, ...parts].join(" ");
}

function incidentView(incident: Incident, n: number, options: ReportViewOptions): IncidentView {
  const v = incident.verdict;
  const usage = incident.usage ?? null;
  return {
    heading: `Incident ${n}: ${escapeMarkdown(incident.event)} — ${subjectPath(incident.subject)}`,
    subjectLine: subjectLine(incident.subject),
    verdictLine:
      `**Verdict:** ${inlineCode(v.cause)} — ${escapeMarkdown(causeWords(v.cause))} ` +
      `(${escapeMarkdown(v.confidence)} confidence).`,
    verdictSummary: sentence(v.summary),
    verdictEvidence: v.evidence.map(evidenceItem),
    noVerdictEvidence: "No evidence line was cited for the verdict.",
    eventLine: `Event ${inlineCode(incident.event)}: ${eventWords(incident.event)}.`,
    kills: incident.kills.map(killRow),
    noKills: "No kill record (kernel report or termination record) was found for this subject.",
    timeline: (incident.timeline ?? []).map(timelineRow),
    noTimeline: "No timed event was found for this subject.",
    hypotheses: incident.hypotheses.map(hypothesisRow),
    noHypotheses: "No cause was weighed.",
    actions: incident.actions.map(actionView),
    noActions: "No next step was suggested.",
    sizing: incident.sizing ? sizingParagraph(incident.sizing) : null,
    notes: (incident.notes ?? []).map(escapeMarkdown),
    anatomy: incident.anatomy ? anatomyView(incident.anatomy) : null,
    usage: usage
      ? usageView(
          usage,
          `Incident ${n}: memory usage against the limit — ${subjectTitle(incident.subject, singleLine)}`,
          options.chartMarker === undefined ? null : `${options.chartMarker}-${n}`,
        )
      : null,
  };
}

function killRow(kill: Kill): KillRowView {
  const note = kill.timeSource ? (TIME_SOURCE_WORDS[kill.timeSource] ?? singleLine(kill.timeSource)) : "";
  const time = formatTime(kill.time);
  const anon = formatBytes(kill.anonRssBytes);
  const share = percentOf(kill.anonRssBytes, kill.limitBytes);
  const largest = kill.largestTask
    ? ` (largest task: ${inlineCode(kill.largestTask.process, { table: true })}, pid ${kill.largestTask.pid}, ` +
      `${formatBytes(kill.largestTask.rssBytes)} RSS)`
    : "";
  return {
    time: escapeMarkdown(note && kill.time ? `${time} (${note})` : time),
    pid: kill.pid === null ? UNKNOWN : String(kill.pid),
    process: (kill.process === null ? UNKNOWN : inlineCode(kill.process, { table: true })) + largest,
    anonRss: share === UNKNOWN ? anon : `${anon} (${share} of limit)`,
    limit: formatBytes(kill.limitBytes),
    limitHit: kill.limitHit === null ? UNKNOWN : escapeMarkdown(kill.limitHit),
    memcg:
      (kill.memcgLevel === null ? UNKNOWN : escapeMarkdown(kill.memcgLevel)) +
      (kill.memcg ? ` ${inlineCode(kill.memcg, { table: true })}` : ""),
    evidence: evidenceRefs(kill.evidence),
  };
}

function timelineRow(entry: TimelineEntry): TimelineRowView {
  const time = entry.time ? formatTime(entry.time) : formatUptime(entry.uptimeSec);
  return {
    time: escapeMarkdown(time),
    what: escapeMarkdown(entry.what),
    evidence: evidenceRefs([entry.evidence]),
  };
}

function hypothesisRow(h: Hypothesis): HypothesisRowView {
  return {
    cause: inlineCode(h.cause, { table: true }),
    status: escapeMarkdown(h.status),
    confidence: h.confidence ? escapeMarkdown(h.confidence) : UNKNOWN,
    reason: escapeMarkdown(h.reason) || UNKNOWN,
    missing: h.missing.length > 0 ? h.missing.map(escapeMarkdown).join("; ") : UNKNOWN,
    evidence: evidenceRefs(h.evidence),
  };
}

function actionView(action: Action, i: number): ActionView {
  // Advice joins the lines of a command with "\n" and folds artifact text to one line; any other line break is folded here.
  const command = action.command ? action.command.split("\n").map(sanitizeCommand).filter((l) => l !== "").join("\n") : "";
  return {
    number: String(i + 1),
    title: escapeMarkdown(action.title),
    detail: sentence(action.detail),
    command: command === "" ? null : command,
  };
}

function sizingParagraph(sizing: NonNullable<Incident["sizing"]>): string {
  const current = sizing.currentLimitBytes;
  const change =
    current !== null && current > 0
      ? ` (${sizing.recommendedLimitBytes >= current ? "+" : "−"}${percentOf(Math.abs(sizing.recommendedLimitBytes - current), current)})`
      : "";
  return (
    `Current limit: ${formatBytes(current)}. Recommended limit: ${formatBytes(sizing.recommendedLimitBytes)}${change}. ` +
    `Basis: ${sentence(sizing.basis)}`
  );
}

function warningItems(report: Report): string[] {
  const seen = new Set<string>();
  const items: string[] = [];
  const add = (file: string, line: number | undefined, message: string): void => {
    const key = `${file}\u0000${line ?? ""}\u0000${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    items.push(`${refCode(file, line)} — ${escapeMarkdown(message)}`);
  };
  for (const w of report.warnings) add(w.file, w.line, w.message);
  for (const file of report.bundle.files) for (const w of file.warnings) add(file.path, w.line, w.message);
  return items;
}

/** `ns/pod (container)`, or `node <name>` for a node-level subject. */
function subjectTitle(s: Subject, esc: (text: string) => string): string {
  if (s.pod === null && s.container === null && s.node !== null) return `node ${esc(s.node)}`;
  const base = `${esc(s.namespace ?? "unknown namespace")}/${esc(s.pod ?? "unknown pod")}`;
  return s.container === null ? base : `${base} (${esc(s.container)})`;
}

/** `ns/pod/container` (escaped), or `node <name>` for a node-level subject. */
function subjectPath(s: Subject): string {
  if (s.pod === null && s.container === null && s.node !== null) return `node ${escapeMarkdown(s.node)}`;
  return [s.namespace ?? "?", s.pod ?? "?", s.container ?? "?"].map(escapeMarkdown).join("/");
}

function subjectLine(s: Subject): string {
  const parts: string[] = [];
  if (s.namespace !== null) parts.push(`namespace ${inlineCode(s.namespace)}`);
  if (s.pod !== null) parts.push(`pod ${inlineCode(s.pod)}${s.podUid !== null ? ` (UID ${inlineCode(s.podUid)})` : ""}`);
  else if (s.podUid !== null) parts.push(`pod UID ${inlineCode(s.podUid)}`);
  if (s.container !== null) {
    parts.push(`container ${inlineCode(s.container)}${s.containerId !== null ? ` (ID ${inlineCode(s.containerId)})` : ""}`);
  } else if (s.containerId !== null) parts.push(`container ID ${inlineCode(s.containerId)}`);
  if (s.node !== null) parts.push(`node ${inlineCode(s.node)}`);
  return parts.length > 0 ? `Subject: ${parts.join(", ")}.` : "Subject: not identified by the bundle.";
}

function eventWords(event: string): string {
  return EVENT_WORDS[event] ?? `event ${inlineCode(event)}`;
}

function causeWords(cause: string): string {
  return CAUSE_WORDS[cause] ?? cause;
}

/** Escaped prose that ends with a full stop (model summaries may or may not have one). */
function sentence(text: string): string {
  const s = escapeMarkdown(text);
  if (s === "") return "";
  return SENTENCE_END.test(s) ? s : `${s}.`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
