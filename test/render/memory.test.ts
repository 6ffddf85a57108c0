import { describe, it, expect } from "vitest";
import { Marked } from "marked";
import { renderReport } from "../../src/render/index.js";
import { buildReportView, IncidentDigest } from "../../src/render/view-model.js";
import { usageChartSvg } from "../../src/render/chart.js";
import { formatBytes, formatDuration, formatPercent, formatR2, formatRate, formatTime } from "../../src/util/format.js";
import type { Report, UsageSeries } from "../../src/model/incident.js";
import { makeAnatomy, makeMemoryReport, makeReport, makeUsage, USAGE_KILLS, USAGE_RESTARTS } from "./fixture-report.js";
import { chartSvgs, expectTrustedSvg, withoutCharts } from "./svg-check.js";

const vanilla = new Marked({ gfm: true });
const MIB = 1024 ** 2;

/** `makeReport()` with anatomy and usage on the first incident, and nothing else changed. */
function withMemory(): Report {
  const report = makeReport();
  report.incidents[0]!.anatomy = makeAnatomy();
  report.incidents[0]!.usage = makeUsage();
  return report;
}

/** The Markdown between `### start` and the next `### ` heading (exclusive). */
function section(md: string, heading: string): string {
  const start = md.indexOf(`### ${heading}\n`);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const end = md.indexOf("\n### ", start + 4);
  return md.slice(start, end);
}

/** Table rows (lines starting with `|`) of a Markdown section, header and rule excluded. */
function rows(md: string): string[][] {
  return md
    .split("\n")
    .filter((l) => l.startsWith("| "))
    .slice(2)
    .map((l) => l.slice(2, -2).split(" | "));
}

/** Numbers of `attr="…"` in every `<tag …>` of `svg`. */
function attrs(svg: string, tag: string, attr: string): number[] {
  return [...svg.matchAll(new RegExp(`<${tag}\\b[^>]*\\s${attr}="([^"]*)"`, "g"))].map((m) => Number(m[1]));
}

/** The `<g class="…">…</g>` groups of `svg`. */
function groups(svg: string, className: string): string[] {
  return [...svg.matchAll(new RegExp(`<g class="${className}"[^>]*>[\\s\\S]*?</g>`, "g"))].map((m) => m[0]);
}

/** The page without appendix links and anchors (their numbers follow the order of citation). */
function stripAnchors(html: string): string {
  return html.replace(/<a href="#q\d+"[^>]*>(.*?)<\/a>/g, "$1");
}

function polylinePoints(svg: string): [number, number][] {
  const m = svg.match(/<polyline class="usage" points="([^"]*)"/);
  expect(m).not.toBeNull();
  return m![1]!.split(" ").map((pair) => pair.split(",").map(Number) as [number, number]);
}

describe("Where the memory went (Markdown)", () => {
  it("comes after the timeline and before the hypotheses, then the usage section", async () => {
    const md = await renderReport(withMemory(), "md");
    const order = [
      "### What happened",
      "### Where the memory went",
      "### Usage over time",
      "### Causes weighed",
      "## 2.",
    ];
    const positions = order.map((s) => md.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(md.split("### Where the memory went")).toHaveLength(2);
  });

  it("has one table row per part with bytes, share of limit and file:line (the short table leaves out parts under 1%)", async () => {
    const anatomy = makeAnatomy();
    const short = rows(section(await renderReport(withMemory(), "md"), "Where the memory went"));
    const big = anatomy.rows.filter((r) => r.shareOfLimit === null || r.shareOfLimit >= 0.01);
    expect(big.length).toBeLessThan(anatomy.rows.length);
    expect(short.map((r) => r[0])).toEqual(big.map((r) => r.part));
    const table = rows(section(await renderReport(withMemory(), "md", { detail: "full" }), "Where the memory went"));
    expect(table).toHaveLength(anatomy.rows.length);
    anatomy.rows.forEach((row, i) => {
      expect(table[i]).toEqual([
        row.part,
        formatBytes(row.bytes),
        formatPercent(row.shareOfLimit),
        `\`memory.stat:${row.evidence!.line}\``,
      ]);
    });
    expect(table[0]).toEqual(["anon", "1.8 GiB", "87.9%", "`memory.stat:1`"]);
  });

  it("states usage, limit, working set and OOM risk against the limit, then the notes", async () => {
    const anatomy = makeAnatomy();
    const md = section(await renderReport(withMemory(), "md"), "Where the memory went");
    expect(md).toContain(
      `Snapshot taken ${formatTime(anatomy.time)}, read from \`memory.stat:1\` \`anon 1887436800\`.`,
    );
    expect(md).toContain(`Usage ${formatBytes(anatomy.usageBytes)} (97.6% of limit); limit 2 GiB; `);
    expect(md).toContain(
      `working set (usage − inactive file, as the kubelet counts it) ${formatBytes(anatomy.workingSetBytes)} (95.1% of limit); `,
    );
    expect(md).toContain(`memory that cannot be reclaimed) ${formatBytes(anatomy.oomRiskBytes)} (90.2% of limit).`);
    expect(md).toContain(`\n\n- ${anatomy.notes[0]}`);
  });

  it("says so when the limit is unknown, the time is missing or there are no rows", async () => {
    const report = withMemory();
    const anatomy = report.incidents[0]!.anatomy!;
    anatomy.limitBytes = null;
    anatomy.time = null;
    anatomy.rows = [];
    anatomy.notes = [];
    const md = section(await renderReport(report, "md"), "Where the memory went");
    expect(md).toContain("Snapshot time not known, read from `memory.stat:1`");
    expect(md).toContain("The snapshot has no breakdown by part.");
    expect(md).toContain(`Usage ${formatBytes(anatomy.usageBytes)}; limit unknown or unlimited; `);
    expect(md).not.toMatch(/^- /m);
    expect(md).not.toContain("| Part |");
  });
});

describe("Usage over time (Markdown)", () => {
  it("names the metric, its file:line, the scrape step, the point count and the limit", async () => {
    const usage = makeUsage();
    const md = section(await renderReport(withMemory(), "md"), "Usage over time");
    expect(md).toContain(
      `Metric \`${usage.metric}\` from \`metrics.csv:1\`, scraped every 1 min (spikes shorter than that do not show)`,
    );
    expect(md).toContain(`; ${usage.points.length} points; limit 2 GiB.`);
  });

  it("has one row per run with start, end, min, median, p99, max, slope, R², time to limit and how it ended", async () => {
    const usage = makeUsage();
    const table = rows(section(await renderReport(withMemory(), "md"), "Usage over time"));
    expect(table).toHaveLength(usage.runs.length);
    usage.runs.forEach((run, i) => {
      expect(table[i]).toEqual([
        String(i + 1),
        formatTime(run.start),
        formatTime(run.end),
        formatBytes(run.minBytes),
        formatBytes(run.medianBytes),
        formatBytes(run.p99Bytes),
        formatBytes(run.maxBytes),
        formatRate(run.slopeBytesPerSec),
        formatR2(run.r2),
        run.timeToLimitSec === null ? "not reached" : formatDuration(run.timeToLimitSec),
        run.endedBy === "kill" ? "OOM kill" : run.endedBy === "restart" ? "restart (no kill record)" : "—",
      ]);
    });
    expect(table[0]!.slice(7)).toEqual(["+5.66 MiB/min", "0.99", "3 h", "OOM kill"]);
    expect(table[1]![10]).toBe("—");
    expect(table[1]![9]).toBe("not reached");
  });

  it("lists the kills and restarts with their times", async () => {
    const md = section(await renderReport(withMemory(), "md"), "Usage over time");
    expect(md).toContain(
      `Kills: 2 (${USAGE_KILLS.map(formatTime).join(", ")}). Restarts: 1 (${USAGE_RESTARTS.map(formatTime).join(", ")}).`,
    );
  });

  it("handles an unknown step and limit, no runs, no events, and many kills", async () => {
    const report = withMemory();
    const usage = report.incidents[0]!.usage!;
    usage.stepSec = null;
    usage.limitBytes = null;
    usage.runs = [];
    usage.restarts = [];
    usage.kills = Array.from({ length: 13 }, (_, i) => new Date(Date.UTC(2026, 5, 9, 5, i)).toISOString());
    const md = section(await renderReport(report, "md"), "Usage over time");
    expect(md).toContain("scrape step unknown; 363 points; limit unknown.");
    expect(md).toContain("The series has no run to summarise.");
    expect(md).toContain("Restarts: none.");
    expect(md).toMatch(/Kills: 13 \((?:[^,]+, ){9}[^,]+ and 3 more\)\./);
    expect(md).not.toContain("| Run |");
  });

  it("has no chart and no chart slot in the Markdown", async () => {
    const md = await renderReport(withMemory(), "md");
    expect(md).not.toMatch(/<svg|<figure/);
    expect(md).not.toMatch(/chart-[0-9a-f]{8}-/);
  });
});

describe("reports without anatomy or usage", () => {
  it("render as before: null, undefined and absent print the same, with no new section", async () => {
    const plain = makeReport();
    const nulls = makeReport();
    for (const incident of nulls.incidents) {
      incident.anatomy = null;
      incident.usage = null;
    }
    for (const format of ["md", "html"] as const) {
      const out = await renderReport(plain, format);
      expect(await renderReport(nulls, format)).toBe(out);
      expect(out).not.toContain("Where the memory went");
      expect(out).not.toContain("Usage over time");
      expect(out).not.toMatch(/<svg|<figure/);
    }
  });

  it("add only the two sections: cutting them out gives the plain report, in Markdown and HTML", async () => {
    const md = await renderReport(withMemory(), "md");
    const cutMd = md.slice(0, md.indexOf("### Where the memory went")) + md.slice(md.indexOf("### Causes weighed"));
    expect(cutMd).toBe(await renderReport(makeReport(), "md"));
    const html = await renderReport(withMemory(), "html");
    // The chart comes right after the summary; the two sections sit between "What happened" and "Causes weighed".
    const figure = html.slice(
      html.indexOf('<figure class="chart">'),
      html.indexOf("</figure>\n") + "</figure>\n".length,
    );
    const noChart = html.replace(figure, "");
    const cutHtml =
      noChart.slice(0, noChart.indexOf("<h3>Where the memory went</h3>")) +
      noChart.slice(noChart.indexOf("<h3>Causes weighed</h3>"));
    expect(stripAnchors(cutHtml)).toBe(stripAnchors(await renderReport(makeReport(), "html")));
  });

  it("keep the view model's new fields null", () => {
    const report = makeReport();
    const incidents = new IncidentDigest();
    for (const incident of report.incidents) incidents.add(incident);
    const view = buildReportView(report, incidents);
    expect(view.incidents.map((i) => [i.anatomy, i.usage])).toEqual([
      [null, null],
      [null, null],
    ]);
  });
});

describe("usage chart (HTML)", () => {
  it("places one chart right after the incident's summary and evidence, inside the page", async () => {
    const html = await renderReport(makeMemoryReport(), "html");
    const svgs = chartSvgs(html);
    expect(svgs).toHaveLength(1);
    const figure = html.indexOf('<figure class="chart">');
    expect(figure).toBeGreaterThan(html.indexOf('<div class="verdict'));
    expect(html.slice(html.indexOf('<div class="verdict'), figure).trimEnd().endsWith("</div>")).toBe(true);
    expect(figure).toBeLessThan(html.indexOf("<h3>What happened</h3>"));
    expect(html.indexOf("</main>")).toBeGreaterThan(figure);
    expect(html).not.toMatch(/chart-[0-9a-f]{8}-[0-9a-f]{4}/);
    expectTrustedSvg(svgs[0]!);
  });

  it("draws one polyline vertex per point, left to right, inside the plot", async () => {
    const usage = makeUsage();
    const svg = chartSvgs(await renderReport(makeMemoryReport(), "html"))[0]!;
    const pts = polylinePoints(svg);
    expect(pts).toHaveLength(usage.points.length);
    for (let i = 1; i < pts.length; i++) expect(pts[i]![0]).toBeGreaterThan(pts[i - 1]![0]);
    const [, , width, height] = svg
      .match(/viewBox="([^"]*)"/)![1]!
      .split(" ")
      .map(Number);
    for (const [x, y] of pts) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(width!);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThanOrEqual(height!);
    }
    // the series' highest point sits just under the limit line
    const limitY = attrs(groups(svg, "limit")[0]!, "line", "y1")[0]!;
    expect(Math.min(...pts.map(([, y]) => y))).toBeGreaterThanOrEqual(limitY);
    expect(Math.min(...pts.map(([, y]) => y)) - limitY).toBeLessThan(2);
  });

  it("draws the limit as a horizontal dashed line with its size", async () => {
    const svg = chartSvgs(await renderReport(makeMemoryReport(), "html"))[0]!;
    const limit = groups(svg, "limit");
    expect(limit).toHaveLength(1);
    expect(attrs(limit[0]!, "line", "y1")).toEqual(attrs(limit[0]!, "line", "y2"));
    expect(limit[0]).toContain('stroke-dasharray="6 4"');
    expect(limit[0]).toContain(">limit 2 GiB</text>");
  });

  it("marks each kill and restart at its time, in order", async () => {
    const svg = chartSvgs(await renderReport(makeMemoryReport(), "html"))[0]!;
    const kills = groups(svg, "kill");
    const restarts = groups(svg, "restart");
    expect(kills).toHaveLength(USAGE_KILLS.length);
    expect(restarts).toHaveLength(USAGE_RESTARTS.length);
    kills.forEach((g, i) => {
      expect(g).toContain(`<title>OOM kill at ${formatTime(USAGE_KILLS[i])}</title>`);
      expect(g).toMatch(/<path d="M/);
    });
    const x = (g: string): number => attrs(g, "line", "x1")[0]!;
    expect(x(kills[0]!)).toBeLessThan(x(restarts[0]!));
    expect(x(restarts[0]!)).toBeLessThan(x(kills[1]!));
    // the last kill is 17 s after the last point: the axis widens to show it
    expect(x(kills[1]!)).toBeGreaterThan(Math.max(...polylinePoints(svg).map(([px]) => px)));
  });

  it("labels the axes (time UTC, GiB or MiB), the title and the legend", async () => {
    const svg = chartSvgs(await renderReport(makeMemoryReport(), "html"))[0]!;
    expect(svg).toContain(">Time (UTC), 2026-06-09</text>");
    expect(svg).toContain(">Memory (GiB)</text>");
    expect(svg).toContain(">05:00</text>");
    expect(svg).toContain(">11:00</text>");
    expect(svg).toContain("<title>Incident 1: memory usage against the limit — shop/api-7d9f8c6b5-x2x4q (api)</title>");
    expect(svg).toContain(">container_memory_working_set_bytes</text>");
    expect(svg).toContain(">OOM kill</text>");
    expect(svg).toContain(">restart</text>");
    expect(svg).toMatch(/<desc>[^<]*363 points from 2026-06-09 05:00:00 UTC/);
  });

  it("shortens a long visible title and keeps the whole text in <title>", () => {
    const long = `Incident 1: memory usage against the limit — ${"very-long-namespace/".repeat(6)}pod (app)`;
    const svg = usageChartSvg(makeUsage(), long)!;
    const visible = svg.match(/<text class="chart-title"[^>]*>([^<]*)<\/text>/)![1]!;
    expect(visible.endsWith("…")).toBe(true);
    expect(visible.length).toBeLessThan(long.length);
    expect(long.startsWith(visible.slice(0, -1))).toBe(true);
    expect(svg).toContain(`<title>${long}</title>`);
  });

  it("uses MiB for a small limit and dates on a multi-day axis", () => {
    const usage: UsageSeries = {
      ...makeUsage(),
      limitBytes: 512 * MIB,
      points: Array.from({ length: 49 }, (_, i): [number, number] => [
        Date.UTC(2026, 5, 7) + i * 3600_000,
        (300 + i) * MIB,
      ]),
      kills: ["2026-06-09T00:00:10Z"],
      restarts: [],
      stepSec: 3600,
    };
    const svg = usageChartSvg(usage, "t")!;
    expectTrustedSvg(svg);
    expect(svg).toContain(">Memory (MiB)</text>");
    expect(svg).toContain(">Time (UTC)</text>");
    expect(svg).toMatch(/>06-08 \d\d:\d\d<\/text>/);
    expect(groups(svg, "restart")).toHaveLength(0);
    expect(svg).not.toContain(">restart</text>");
    expect(polylinePoints(svg)).toHaveLength(49);
  });

  it("leaves out events it cannot place: not strict ISO, or far outside the series", () => {
    const usage = makeUsage();
    usage.kills = [
      "2026-06-09T08:00:30Z",
      "yesterday",
      "Jun 9 2026 08:00",
      "2026-06-09 08:00:30",
      "2025-01-01T00:00:00Z",
    ];
    usage.restarts = ["not a time"];
    const svg = usageChartSvg(usage, "t")!;
    expect(groups(svg, "kill")).toHaveLength(1);
    expect(groups(svg, "restart")).toHaveLength(0);
  });

  it("draws no limit line when the limit is unknown, and skips non-finite points", () => {
    const usage = makeUsage();
    usage.limitBytes = null;
    usage.points = [
      ...usage.points.slice(0, 10),
      [Number.NaN, 1],
      [usage.points[10]![0], Number.POSITIVE_INFINITY],
      [1e300, 5],
    ];
    const svg = usageChartSvg(usage, "t")!;
    expectTrustedSvg(svg);
    expect(groups(svg, "limit")).toHaveLength(0);
    expect(svg).not.toContain(">limit</text>");
    expect(polylinePoints(svg)).toHaveLength(10);
  });

  it("draws nothing for a series with no point, and one point still makes a chart", async () => {
    const report = withMemory();
    report.incidents[0]!.usage!.points = [];
    const html = await renderReport(report, "html");
    expect(html).toContain("<h3>Usage over time</h3>");
    expect(chartSvgs(html)).toHaveLength(0);
    expect(html).not.toMatch(/<svg|<figure/);
    const one = makeUsage();
    one.points = [one.points[0]!];
    one.kills = [];
    one.restarts = [];
    expect(polylinePoints(usageChartSvg(one, "t")!)).toHaveLength(1);
  });

  it("puts each incident's chart after its own section", async () => {
    const report = withMemory();
    const second = makeUsage();
    second.metric = "container_memory_rss";
    second.kills = [];
    report.incidents[1]!.usage = second;
    const html = await renderReport(report, "html");
    const svgs = chartSvgs(html);
    expect(svgs).toHaveLength(2);
    expect(svgs[0]).toContain("<title>Incident 1:");
    expect(svgs[1]).toContain("<title>Incident 2:");
    expect(groups(svgs[1]!, "kill")).toHaveLength(0);
    const incident2 = html.indexOf("<h2>2. ");
    expect(incident2).toBeGreaterThan(0);
    expect(html.indexOf(svgs[0]!)).toBeLessThan(incident2);
    expect(html.indexOf(svgs[1]!)).toBeGreaterThan(incident2);
    expect(html.indexOf(svgs[1]!)).toBeLessThan(html.indexOf("<h2>Files</h2>"));
  });

  it("keeps the page self-contained: CSP unchanged, no script, link, URL or external font", async () => {
    const html = await renderReport(makeMemoryReport(), "html");
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(html).not.toMatch(
      /<script|<link\b|<image\b|<use\b|<foreignObject|@import|url\(|@font-face|xlink:|https?:\/\//i,
    );
  });
});

describe("hostile text in anatomy and usage", () => {
  const PAYLOAD = '<script>alert(1)</script> | x | <img src=x onerror=alert(1)> "q" & ]]> `t`';

  function hostile(): Report {
    const report = withMemory();
    const incident = report.incidents[0]!;
    incident.subject.pod = PAYLOAD;
    incident.anatomy!.rows[0]!.part = PAYLOAD;
    incident.anatomy!.notes = [PAYLOAD];
    incident.anatomy!.source = { file: PAYLOAD, line: 3, text: PAYLOAD };
    incident.usage!.metric = `${PAYLOAD}{pod="x"}`;
    incident.usage!.evidence = { file: PAYLOAD, text: PAYLOAD };
    incident.usage!.kills.push(PAYLOAD);
    incident.usage!.runs[0]!.start = PAYLOAD;
    return report;
  }

  it("is inert in the Markdown: no tag, and the tables keep their columns", async () => {
    const md = await renderReport(hostile(), "md");
    const rendered = vanilla.parse(md, { async: false });
    expect(rendered).not.toMatch(/<script|<img/i);
    expect(rows(section(md, "Where the memory went")).every((r) => r.length === 4)).toBe(true);
    const runRows = section(md, "Usage over time")
      .split("\n")
      .filter((l) => l.startsWith("| "));
    for (const row of runRows) expect(row.split(/(?<!\\) \| /)).toHaveLength(11);
  });

  it("is inert in the HTML and escaped text in the SVG", async () => {
    const html = await renderReport(hostile(), "html");
    const svg = chartSvgs(html)[0]!;
    expectTrustedSvg(svg);
    expect(svg).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(svg).toContain("&quot;q&quot; &amp; ]]&gt;");
    expect(groups(svg, "kill")).toHaveLength(USAGE_KILLS.length);
    const rest = withoutCharts(html);
    expect(rest).not.toMatch(/<script|<img|<svg/i);
    expect(rest).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });

  it("the SVG check itself rejects markup the chart never makes", () => {
    const good = usageChartSvg(makeUsage(), "t")!;
    expect(() => expectTrustedSvg(good.replace("</svg>", "<script>alert(1)</script></svg>"))).toThrow();
    expect(() => expectTrustedSvg(good.replace('<g class="legend"', '<g class="legend" onload="alert(1)"'))).toThrow();
    expect(() =>
      expectTrustedSvg(good.replace("</svg>", '<image href="https://evil.example/x.png"/></svg>')),
    ).toThrow();
    expect(() => expectTrustedSvg(good.replace(">t</title>", "><b>t</b></title>"))).toThrow();
  });
});
