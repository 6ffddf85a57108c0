import { describe, it, expect } from "vitest";
import { Marked } from "marked";
import { renderReport } from "../../src/render/index.js";
import { markdownToHtml } from "../../src/render/html.js";
import { makeHostileReport } from "./fixture-report.js";
import { chartSvgs, withoutCharts } from "./svg-check.js";

/**
 * Artifact text placed in every artifact-derived field (pod, container, process names,
 * memcg, evidence text and file names, summaries, reasons, commands, notes, warnings).
 */
const PAYLOADS = [
  "<script>alert(1)</script>",
  "javascript:alert(1)",
  "[x](javascript:alert(1))",
  "| pipe |",
  "```fence``` and `tick`",
  "# heading",
  "<img src=x onerror=alert(1)>",
  '<a href="javascript:alert(1)">click</a>',
  "![pixel](https://evil.example/p.png)",
  "<https://evil.example/> https://evil.example/x www.evil.example ops@evil.example",
  "line one\n# injected heading\n| a | b |\n<script>alert(2)</script>",
  "<style>body{background:url(https://evil.example/t)}</style>",
  "&lt;script&gt;alert(1)&lt;/script&gt; &#106;avascript:alert(1)",
  "- item\n1. item\n---\n> quote",
  "<pre><script>alert(1)</script>x<y</pre>",
  "{{constructor.constructor 'alert(1)'}} {{{body}}}",
];

const BENIGN = "benign value";

/** Plain GFM marked, no hardening: shows what the Markdown itself would do in any viewer. */
const vanilla = new Marked({ gfm: true });

/** The sequence of element names, without <code> (a table cell may fall back from code to text). */
function structure(html: string): string[] {
  return [...html.matchAll(/<\/?([a-z][a-z0-9]*)\b[^>]*>/gi)]
    .map((m) => (m[0]!.startsWith("</") ? `/${m[1]}` : m[1]!))
    .filter((t) => t !== "code" && t !== "/code" && t !== "wbr");
}

/** Every start tag in the output. */
function tags(html: string): string[] {
  return [...html.matchAll(/<[a-z][^>]*>/gi)].map((m) => m[0]!);
}

/**
 * No active markup. The usage charts are the one place the page has SVG: each is checked
 * against the trusted-SVG whitelist (`svg-check.ts`) and then left out of the other checks.
 */
function expectInert(page: string): void {
  const html = withoutCharts(page);
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<style[^>]*>[^<]*evil/i);
  for (const tag of tags(html)) {
    expect(tag).not.toMatch(/\son[a-z]+\s*=/i);
    expect(tag).not.toMatch(/^<(a|img|iframe|object|embed|link|form|input|svg|math)\b/i);
  }
  expect(html).not.toMatch(/href\s*=\s*(?:["']\s*)?javascript:/i);
  expect(html).not.toMatch(/(?:src|href)\s*=\s*(?:["']\s*)?(?:https?:)?\/\//i);
}

describe("hostile artifact text", () => {
  it.each(PAYLOADS)("makes %j inert in the Markdown (any GFM renderer)", async (payload) => {
    const md = await renderReport(makeHostileReport(payload), "md");
    const rendered = vanilla.parse(md, { async: false });
    expectInert(rendered);
    const benign = vanilla.parse(await renderReport(makeHostileReport(BENIGN), "md"), { async: false });
    expect(structure(rendered)).toEqual(structure(benign));
  });

  it.each(PAYLOADS)("makes %j inert in the HTML report", async (payload) => {
    const html = await renderReport(makeHostileReport(payload), "html");
    expect(chartSvgs(html)).toHaveLength(1);
    expectInert(html);
    const benign = await renderReport(makeHostileReport(BENIGN), "html");
    expect(structure(html)).toEqual(structure(benign));
  });

  it.each(PAYLOADS)("keeps every table row at its header's column count for %j", async (payload) => {
    const html = await renderReport(makeHostileReport(payload), "html");
    for (const table of html.match(/<table>[\s\S]*?<\/table>/g) ?? []) {
      const header = (table.match(/<th\b/g) ?? []).length;
      for (const row of table.match(/<tr>[\s\S]*?<\/tr>/g)!.slice(1)) {
        expect((row.match(/<td\b/g) ?? []).length).toBe(header);
      }
    }
  });

  it("adds no heading, link or image to the Markdown, even with every payload in one string", async () => {
    const payload = PAYLOADS.join(" ");
    const md = await renderReport(makeHostileReport(payload), "md");
    // Lines inside fenced code (shell comments of a command) are not headings.
    const headingsOf = (text: string) =>
      text
        .replace(/^```sh\n[\s\S]*?\n```$/gm, "")
        .split("\n")
        .filter((l) => /^#{1,6}\s/.test(l));
    const headings = headingsOf(md);
    const benignHeadings = headingsOf(await renderReport(makeHostileReport(BENIGN), "md"));
    expect(headings).toHaveLength(benignHeadings.length);
    expectInert(vanilla.parse(md, { async: false }));
  });

  it("keeps the artifact text readable: the HTML shows the characters, escaped", async () => {
    const html = await renderReport(makeHostileReport("<img src=x onerror=alert(1)>"), "html");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });

  it("keeps suggested commands without backticks, each line of the command a line of the block", async () => {
    const md = await renderReport(makeHostileReport("x`id` \u2028 y"), "md");
    const block = md.match(/```sh\n([\s\S]*?)\n```/)![1]!;
    expect(block.split("\n")).toHaveLength(1);
    expect(block).not.toContain("`");
    // Commands come from diagnose/advice, which folds every artifact value to one line
    // (test/diagnose/advice.test.ts); the lines it joins are kept.
    const twoLines = makeHostileReport("pod-1");
    twoLines.incidents[0]!.actions[0]!.command = "kubectl get pod pod-1\nkubectl describe pod pod-1";
    expect((await renderReport(twoLines, "md")).match(/```sh\n([\s\S]*?)\n```/)![1]!.split("\n")).toHaveLength(2);
  });
});

describe("markdownToHtml hardening (second fence for Markdown we write)", () => {
  it("prints raw HTML blocks and inline tags as text", () => {
    const html = markdownToHtml(
      '<div onclick="x()">a</div>\n\ntext <b onmouseover=alert(1)>b</b> <script>alert(1)</script>\n',
    );
    expectInert(html);
    expect(html).toContain("&lt;div onclick=&quot;x()&quot;&gt;");
    expect(html).toContain("&lt;b onmouseover=alert(1)&gt;");
  });

  it("escapes text that marked would pass through after a raw <script>/<pre> tag", () => {
    const html = markdownToHtml("a <pre>x<y z</pre> b\n");
    expect(html).not.toMatch(/<y/);
    expect(html).not.toMatch(/<pre>/);
  });

  it("keeps http(s), mailto and anchor links, and turns other schemes into text", () => {
    expect(markdownToHtml("[ok](https://example.org/a)")).toContain(
      '<a href="https://example.org/a" rel="noopener noreferrer">ok</a>',
    );
    expect(markdownToHtml("[m](mailto:ops@example.org)")).toContain('href="mailto:ops@example.org"');
    expect(markdownToHtml("[s](#incident-1)")).toContain('href="#incident-1"');
    for (const href of [
      "javascript:alert(1)",
      "JaVaScRiPt:alert(1)",
      "java\tscript:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "vbscript:x",
      "/etc/passwd",
      "&#106;avascript:alert(1)",
    ]) {
      const html = markdownToHtml(`[bad](<${href}>)`);
      expect(html, href).not.toContain("<a ");
      expect(html, href).toContain("bad");
    }
  });

  it("renders only inline raster data images, and other images as their alt text", () => {
    expect(markdownToHtml("![chart](https://evil.example/c.png)")).toBe("<p>chart</p>\n");
    expect(markdownToHtml("![x](data:image/svg+xml;base64,PHN2Zz4=)")).not.toContain("<img");
    expect(markdownToHtml("![dot](data:image/png;base64,iVBORw0KGgo=)")).toContain(
      '<img src="data:image/png;base64,iVBORw0KGgo=" alt="dot">',
    );
  });
});
