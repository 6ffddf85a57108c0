/**
 * Render entry point: Report → `md` | `html` | `json` text (DESIGN.md §1 step 5).
 *
 * - `json` is the model itself, `JSON.stringify(report, null, 2)` plus a newline (the
 *   contract of DESIGN.md §4), built by `json.ts` in pieces (`renderStreamedPieces`).
 * - `md` is `templates/report.md.hbs` (with `templates/partials/*.hbs`) over the view model
 *   of `view-model.ts`, compiled with `noEscape` because the view model already escaped
 *   every artifact string for Markdown. `detail: "full"` adds the full tables.
 * - `html` is that same Markdown (with every table) through `html.ts` inside
 *   `templates/report.html.hbs` (HTML-escaping on). Trusted HTML that cannot travel through
 *   marked (which prints raw HTML as text) — the verdict callout, the usage charts, the
 *   `<details>` around the full tables, the appendix of cited lines — is handed out by the view
 *   model as marker lines `<random UUID>-<n>`; the Markdown is cut at those lines, each piece
 *   goes through marked on its own, and the fragments are put back between the pieces. The UUID
 *   is new for each render and escaped artifact text cannot form a line of its own, so no
 *   artifact can forge a slot.
 *
 * Handlebars and marked are loaded only when a format needs them (`--version` and JSON start
 * without them). This module reads template files and nothing else; writing the output is the
 * CLI's job (with `writeAtomic`); redaction is `redactReport`, or `renderStreamedPieces`' `redact`.
 *
 * Sample: `await renderReport(report, "md")` →
 * `"# OOM postmortem: shop/api-7d9f (api)\n\n- **What happened:** …"`.
 */
import { readdir, readFile } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import type { TemplateDelegate } from "handlebars";
import type { Report } from "../model/incident.js";
import { TEMPLATES_DIR } from "../package-files.js";
import { collectReport, type StreamedReport } from "../model/streamed-report.js";
import { streamedJsonPieces } from "./json.js";
import type { Detail, HtmlSlots, IncidentDigest } from "./view-model.js";

import { redactValue } from "../util/redact.js";

export { redactReport } from "../util/redact.js";
export { writeAtomic, writePieces } from "./write.js";

/** Output formats. */
type ReportFormat = "md" | "html" | "json";

/** Options for {@link renderReport}. */
interface RenderOptions {
  /** Folder holding `report.md.hbs`, `report.html.hbs` and `partials/`; default: the package's `templates/`. */
  templatesDir?: string;
  /** `short` (default) or `full` Markdown; HTML always has every table (full ones collapsed). */
  detail?: Detail;
  /** Incidents detailed in full (Markdown and HTML); default `FULL_INCIDENTS`. */
  fullIncidents?: number;
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
const TRAILING_SPACES = /(?<![ \t])[ \t]+$/gm;

interface CompiledTemplates {
  markdown: TemplateDelegate;
  html: TemplateDelegate;
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
  if (format !== "md" && format !== "html")
    throw new TypeError(`renderReport: unknown format ${JSON.stringify(format)} — expected md, html or json`);
  const { IncidentDigest } = await import("./view-model.js");
  const incidents = new IncidentDigest(options.fullIncidents);
  for (const incident of report.incidents) incidents.add(incident);
  return renderDigest(report, incidents, format, options);
}

/**
 * `renderReport` of a report whose incidents are diagnosed as they come (`StreamedReport`), as
 * pieces to write one after the other. JSON a member at a time (`json.ts`), each incident printed
 * and let go before the next is diagnosed, so neither the incidents nor the text of thousands of
 * them are ever held at once; Markdown and HTML as one piece, keeping of each incident only what
 * they show (`IncidentDigest`: the first `fullIncidents` whole, every one's overview row).
 * `redact`: secret-looking values redacted (`redactValue`, incident by incident: the report is
 * never held unredacted and redacted at once).
 */
export async function* renderStreamedPieces(
  streamed: StreamedReport,
  format: ReportFormat,
  options: RenderOptions & { redact?: boolean } = {},
): AsyncGenerator<string> {
  const prepare = options.redact ? redactValue : undefined;
  if (format === "json") {
    yield* streamedJsonPieces(streamed, prepare);
    return;
  }
  const { IncidentDigest } = await import("./view-model.js");
  const incidents = new IncidentDigest(options.fullIncidents);
  streamed.citeFirst(incidents.full);
  const report = await collectReport(streamed, prepare, (incident) => incidents.add(incident));
  yield await renderDigest(report, incidents, format, options);
}

// Markdown or HTML of `report`, whose incidents are `incidents`.
async function renderDigest(
  report: Report,
  incidents: IncidentDigest,
  format: "md" | "html",
  options: RenderOptions,
): Promise<string> {
  // The view model (and crypto, for the slots) load only for Markdown and HTML: JSON starts faster.
  const [templates, { buildReportView }] = await Promise.all([
    loadTemplates(options.templatesDir ?? TEMPLATES_DIR),
    import("./view-model.js"),
  ]);
  if (format === "md")
    return tidyMarkdown(templates.markdown(buildReportView(report, incidents, { detail: options.detail ?? "short" })));
  const [{ markdownToHtml }, { randomUUID }] = await Promise.all([import("./html.js"), import("node:crypto")]);
  const slots = new SlotTable(randomUUID());
  const view = buildReportView(report, incidents, { html: slots });
  const body = tidyMarkdown(templates.markdown(view))
    .split(slots.lineSplitter)
    .map((piece, i) => (i % 2 === 0 ? markdownToHtml(piece) : slots.take(piece)))
    .join("");
  return templates.html({ title: view.titleText, generator: view.generatorText, body });
}

/** Trusted HTML fragments by marker line (see the file header). */
class SlotTable implements HtmlSlots {
  private readonly prefix: string;
  private readonly fragments = new Map<string, string>();
  /** Splits Markdown at whole marker lines, keeping the markers (odd indexes). */
  readonly lineSplitter: RegExp;

  /** `uuid`: new for each render (see the file header). */
  constructor(uuid: string) {
    this.prefix = `slot-${uuid}-`;
    this.lineSplitter = new RegExp(`^(${this.prefix}\\d+)$`, "m");
  }

  put(html: string): string {
    const marker = `${this.prefix}${this.fragments.size}`;
    this.fragments.set(marker, html);
    return marker;
  }

  take(marker: string): string {
    return `${this.fragments.get(marker) ?? ""}\n`;
  }
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
  const { default: Handlebars } = await import("handlebars");
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
