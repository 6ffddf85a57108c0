import { describe, it, expect } from "vitest";
import { Marked } from "marked";
import { micromark } from "micromark";
import { gfm, gfmHtml } from "micromark-extension-gfm";
import { AUTOLINK_BREAK, escapeMarkdown, inlineCode, sanitizeCommand } from "../../src/render/markdown-escape.js";
import { singleLine } from "../../src/util/text.js";

/** Plain GFM marked, no hardening: shows what the Markdown itself does. */
const vanilla = new Marked({ gfm: true });
const html = (md: string): string => vanilla.parse(md, { async: false });

/**
 * Decodes the few entities marked emits, to compare rendered text with the input; the
 * invisible joiners that break autolinks are not part of the text a reader sees.
 */
function textOf(rendered: string): string {
  return rendered
    .replaceAll(AUTOLINK_BREAK, "")
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .trim();
}

const HOSTILE = [
  "<script>alert(1)</script>",
  "javascript:alert(1)",
  "[x](javascript:alert(1))",
  "| pipe |",
  "``` fenced ``` and `tick`",
  "# heading",
  "<img src=x onerror=alert(1)>",
  "![i](https://evil.example/i.png)",
  "<https://evil.example/>",
  "see https://evil.example/x and www.evil.example and ops@evil.example",
  "*emph* __strong__ ~~del~~",
  "&lt;script&gt; &#x3C;b&#x3E;",
  "- item",
  "1. item",
  "---",
  "> quote",
  "a\\|b \\",
];

describe("escapeMarkdown", () => {
  it.each(HOSTILE)("renders %j as its literal text with no element", (input) => {
    const out = html(`Before ${escapeMarkdown(input)}`);
    expect(out).toBe(`<p>${out.slice(3, -5)}</p>\n`); // one paragraph, nothing else
    expect(out.slice(3, -5)).not.toMatch(/<[a-z]/i);
    expect(textOf(out)).toBe(`Before ${input}`);
  });

  it.each(HOSTILE)("is inert at the start of a line and inside a list item: %j", (input) => {
    expect(html(escapeMarkdown(input))).toMatch(/^<p>[^<]*<\/p>\n$/);
    const item = html(`- ${escapeMarkdown(input)}`);
    expect(item).toMatch(/^<ul>\n<li>[^<]*<\/li>\n<\/ul>\n$/);
  });

  it.each(HOSTILE)("keeps a table row at its column count: %j", (input) => {
    const out = html(`| a | b |\n| --- | --- |\n| ${escapeMarkdown(input)} | x |\n`);
    expect(out.match(/<td>/g)).toHaveLength(2);
    expect(out).not.toMatch(/<td>[^<]*<(?!\/td>)/);
    const cell = out.match(/<td>([^<]*)<\/td>/)![1]!;
    expect(textOf(cell)).toBe(input.trim());
  });

  it("joins lines, so a newline cannot start a heading or a new table row", () => {
    const out = html(`| a |\n| --- |\n| ${escapeMarkdown("x\n# h\r\n| y |\rz")} |\n`);
    expect(out).not.toContain("<h1");
    expect(out.match(/<tr>/g)).toHaveLength(2);
    expect(singleLine("x\n# h\r\n| y |\rz")).toBe("x # h | y | z");
  });

  it("replaces control and bidi-override characters with U+FFFD", () => {
    expect(singleLine("a\u0000b\u001bc\u202ed\u2066e")).toBe("a\uFFFDb\uFFFDc\uFFFDd\uFFFDe");
  });

  it("leaves ordinary values readable", () => {
    expect(escapeMarkdown("1.9 GiB")).toBe("1.9 GiB");
    expect(escapeMarkdown("-5 and --flag")).toBe("-5 and --flag");
    expect(escapeMarkdown("oom_score_adj")).toBe("oom_score_adj");
  });

  it("escapes only the underscores that could open or close emphasis", () => {
    expect(escapeMarkdown("JAVA_TOOL_OPTIONS _x_ a_ __b__")).toBe("JAVA_TOOL_OPTIONS \\_x\\_ a\\_ \\_\\_b\\_\\_");
    for (const input of ["_a_b_c_", "x _y_z_ w", "snake_case_word_", "__init__ and foo__bar__baz"]) {
      const out = html(escapeMarkdown(input));
      expect(out).not.toMatch(/<em>|<strong>/);
      expect(textOf(out)).toBe(input);
    }
  });
});

describe("inlineCode", () => {
  it.each(HOSTILE)("renders %j literally inside one <code>", (input) => {
    const out = html(`x ${inlineCode(input)}`);
    const codes = out.match(/<code>/g) ?? [];
    expect(codes).toHaveLength(1);
    expect(textOf(out)).toBe(`x ${singleLine(input)}`);
  });

  it.each(HOSTILE)("keeps table cells intact with { table: true }: %j", (input) => {
    const out = html(`| a | b |\n| --- | --- |\n| ${inlineCode(input, { table: true })} | x |\n`);
    expect(out.match(/<td>/g)).toHaveLength(2);
    const cell = out.match(/<td>(.*?)<\/td>/)![1]!;
    expect(textOf(cell)).toBe(singleLine(input));
  });

  it("sizes the fence past the longest backtick run and pads edge backticks", () => {
    expect(inlineCode("a``b")).toBe("```a``b```");
    expect(inlineCode("`x`")).toBe("`` `x` ``");
    expect(inlineCode("")).toBe("` `");
  });
});

describe("sanitizeCommand", () => {
  it("removes backticks and line breaks so a name cannot close the fence or add a command", () => {
    const cmd = sanitizeCommand("kubectl logs a`id`\n```\nrm -rf /");
    expect(cmd).not.toContain("`");
    expect(cmd).not.toContain("\n");
    expect(cmd).toBe("kubectl logs a\uFFFDid\uFFFD \uFFFD\uFFFD\uFFFD rm -rf /");
  });
});

/** GitHub Flavored Markdown as micromark renders it (the GFM autolink-literal extension included). */
const gfmHtmlOf = (md: string): string => micromark(md, { extensions: [gfm()], htmlExtensions: [gfmHtml()] });

/** Artifact text that GFM would turn into links: e-mail, mailto:, xmpp:, www., http(s)://, ftp://. */
const AUTOLINK_BAIT = [
  "admin@evil.example",
  "contact: admin\\@evil.example",
  "mailto:admin@evil.example",
  "xmpp:bot@chat.evil.example/resource",
  "www.evil.example/path",
  "see http://evil.example/x?y=1",
  "https://evil.example",
  "HTTPS://EVIL.EXAMPLE and WWW.EVIL.EXAMPLE",
  "pod web-0_ns(1234) says user.name+tag@sub.evil-example.co.uk",
];

describe("escapeMarkdown against GFM autolinks", () => {
  it.each(AUTOLINK_BAIT)("micromark + GFM renders %j with no link and as its text", (input) => {
    const out = gfmHtmlOf(`Before ${escapeMarkdown(input)}`);
    expect(out).not.toMatch(/<a\b/i);
    expect(textOf(out)).toBe(`Before ${input}`);
  });

  it.each(AUTOLINK_BAIT)(
    "has no link even when backslash escapes are resolved before autolinking (as cmark-gfm on GitHub does): %j",
    (input) => {
      const resolved = gfmHtmlOf(escapeMarkdown(input))
        .replace(/<[^>]+>/g, "")
        .replaceAll("&amp;", "&");
      expect(gfmHtmlOf(resolved)).not.toMatch(/<a\b/i);
    },
  );

  it("the same text without the escaping is linked (the check is not vacuous)", () => {
    for (const input of AUTOLINK_BAIT) expect(gfmHtmlOf(input.replaceAll("\\", "")), input).toMatch(/<a\b/i);
  });

  it("table cells and list items stay link-free too", () => {
    for (const input of AUTOLINK_BAIT) {
      expect(gfmHtmlOf(`| a | b |\n| --- | --- |\n| ${escapeMarkdown(input)} | x |\n`)).not.toMatch(/<a\b/i);
      expect(gfmHtmlOf(`- ${escapeMarkdown(input)}`)).not.toMatch(/<a\b/i);
    }
  });
});
