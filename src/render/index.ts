/**
 * Render entry point: Report → `md` | `html` | `json` text (DESIGN.md §1 step 5).
 *
 * - `json` is the model itself, `JSON.stringify(report, null, 2)` plus a newline (the
 *   contract of DESIGN.md §4).
 * - `md` is `templates/report.md.hbs` (with `templates/partials/*.hbs`) over the view model
 *   of `view-model.ts`, compiled with `noEscape` because the view model already escaped
 *   every artifact string for Markdown.
 * - `html` is that same Markdown through `html.ts` inside `templates/report.html.hbs`
 *   (HTML-escaping on). The usage charts (`chart.ts`, inline SVG built from numbers and
 *   escaped text) cannot travel through marked, which prints raw HTML as text: the view
 *   model puts a placeholder line `<random UUID>-<n>` after each incident's usage section,
 *   the Markdown is cut at those lines, each piece goes through marked on its own, and the
 *   template prints the pieces with each chart in a fixed `<figure class="chart">` slot
 *   after its piece (`{{#each segments}}{{{html}}}…{{{chart}}}…{{/each}}`). The UUID is new
 *   for each render and escaped artifact text cannot form a line of its own, so no artifact
 *   can forge a slot. Without charts the page is one piece, as before.
 *
 * This module reads template files and nothing else; writing the output is the CLI's job
 * (with `writeAtomic`), as is redaction (`redactReport`, unless `--no-redact`).
 *
 * Sample: `await renderReport(report, "md")` →
 * `"# OOM postmortem: shop/api-7d9f (api)\n\n1 incident found in 3 files …"`.
 */
import { randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Handlebars from "handlebars";
import type { Report } from "../model/incident.js";
import { markdownToHtml } from "./html.js";
import { buildReportView, type ReportView } from "./view-model.js";

export { redactReport, redactText, REDACTED } from "./redact.js";
export { writeAtomic } from "./write.js";
export { buildReportView } from "./view-model.js";
export type { ReportView } from "./view-model.js";
export { markdownToHtml } from "./html.js";

/** Output formats. */
export type ReportFormat = "md" | "html" | "json";

/** Options for {@link renderReport}. */
export interface RenderOptions {
  /** Folder holding `report.md.hbs`, `report.html.hbs` and `partials/`; default: the package's `templates/`. */
  templatesDir?: string;
}

/** File extension → format, for `--output report.html` without `--format`. */
const FORMAT_BY_EXTENSION: Record<string, ReportFormat> = {
  ".md": "md",
  ".markdown": "md",
  ".html": "html",
  ".htm": "html",
  ".json": "json",
};

/** Three or more newlines (blank-line runs left by optional template sections). */
const BLANK_LINE_RUN = /\n{3,}/g;

/** Trailing spaces at line ends (a Markdown hard break we never want). */
const TRAILING_SPACES = /[ \t]+$/gm;

/** The package's templates folder: two levels above both `src/render/` and `dist/render/`. */
const DEFAULT_TEMPLATES_DIR = fileURLToPath(new URL("../../templates/", import.meta.url));

interface CompiledTemplates {
  markdown: Handlebars.TemplateDelegate;
  html: Handlebars.TemplateDelegate;
}

const templateCache = new Map<string, Promise<CompiledTemplates>>();

/**
 * Renders `report` in `format`.
 *
 * Errors: rejects when a template file cannot be read or compiled (a packaging bug), or
 * with a TypeError for an unknown format. Never throws on report content: every artifact
 * string is escaped.
 */
export async function renderReport(report: Report, format: ReportFormat, options: RenderOptions = {}): Promise<string> {
  if (format === "json") return `${JSON.stringify(report, null, 2)}\n`;
  if (format !== "md" && format !== "html") throw new TypeError(`renderReport: unknown format ${JSON.stringify(format)} — expected md, html or json`);
  const templates = await loadTemplates(options.templatesDir ?? DEFAULT_TEMPLATES_DIR);
  if (format === "md") return tidyMarkdown(templates.markdown(buildReportView(report)));
  const chartMarker = `chart-${randomUUID()}`;
  const view = buildReportView(report, { chartMarker });
  const segments = htmlSegments(tidyMarkdown(templates.markdown(view)), view);
  return templates.html({
    title: view.titleText,
    generator: view.generatorText,
    segments,
    body: segments.map((s) => (s.chart === null ? s.html : `${s.html}<figure class="chart">\n${s.chart}\n</figure>\n`)).join(""),
  });
}

/** One piece of the HTML body: rendered Markdown, then the chart that follows it (trusted SVG) or null. */
interface HtmlSegment {
  html: string;
  chart: string | null;
}

/**
 * Cuts `markdown` at the incidents' chart slot lines (exact whole-line matches only) and
 * renders each piece; the piece before slot `n` carries incident `n`'s chart.
 */
function htmlSegments(markdown: string, view: ReportView): HtmlSegment[] {
  const charts = new Map<string, string>();
  for (const incident of view.incidents) {
    if (incident.usage?.chartSlot && incident.usage.chart) charts.set(incident.usage.chartSlot, incident.usage.chart);
  }
  const segments: HtmlSegment[] = [];
  let piece: string[] = [];
  for (const line of markdown.split("\n")) {
    const chart = charts.get(line);
    if (chart === undefined) {
      piece.push(line);
      continue;
    }
    charts.delete(line);
    segments.push({ html: markdownToHtml(piece.join("\n")), chart });
    piece = [];
  }
  segments.push({ html: markdownToHtml(piece.join("\n")), chart: null });
  return segments;
}

/**
 * The format implied by an output path's extension (case-insensitive): `.md`/`.markdown`
 * → `md`, `.html`/`.htm` → `html`, `.json` → `json`, anything else → null.
 * `formatFromPath("out/Report.HTML")` → `"html"`.
 */
export function formatFromPath(path: string): ReportFormat | null {
  return FORMAT_BY_EXTENSION[extname(path).toLowerCase()] ?? null;
}

function tidyMarkdown(markdown: string): string {
  return `${markdown.replace(TRAILING_SPACES, "").replace(BLANK_LINE_RUN, "\n\n").trim()}\n`;
}

function loadTemplates(dir: string): Promise<CompiledTemplates> {
  let cached = templateCache.get(dir);
  if (!cached) {
    cached = compileTemplates(dir);
    templateCache.set(dir, cached);
    cached.catch(() => templateCache.delete(dir));
  }
  return cached;
}

async function compileTemplates(dir: string): Promise<CompiledTemplates> {
  const hbs = Handlebars.create();
  const partialsDir = join(dir, "partials");
  const partialFiles = await readdir(partialsDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [] as string[];
    throw error;
  });
  for (const file of partialFiles.filter((f) => f.endsWith(".hbs")).sort()) {
    // Partials are Markdown too: compile them with the same noEscape as the page template.
    const source = await readFile(join(partialsDir, file), "utf8");
    hbs.registerPartial(basename(file, ".hbs"), hbs.compile(source, { noEscape: true }));
  }
  const [markdownSource, htmlSource] = await Promise.all([
    readFile(join(dir, "report.md.hbs"), "utf8"),
    readFile(join(dir, "report.html.hbs"), "utf8"),
  ]);
  return {
    markdown: hbs.compile(markdownSource, { noEscape: true }),
    html: hbs.compile(htmlSource),
  };
}
