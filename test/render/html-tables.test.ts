/**
 * A long table (the overview of thousands of incidents) is rendered by marked a few hundred rows
 * at a time and joined (src/render/html.ts): the HTML must be what marked prints for the whole
 * table, row for row, with the text around it unchanged.
 */
import { describe, expect, it } from "vitest";
import { markdownToHtml } from "../../src/render/html.js";

const HEADER = ["| # | Subject | Kills |", "| ---: | --- | ---: |"];
const row = (n: number): string => `| ${n} | \`shop/api-${n}\` & <x> | ${n % 7} |`;
const table = (from: number, to: number): string[] => [
  ...HEADER,
  ...Array.from({ length: to - from + 1 }, (_, i) => row(from + i)),
];
const body = (html: string): string => html.slice(html.indexOf("<tbody>") + 7, html.indexOf("</tbody>"));

describe("long tables in HTML", () => {
  it("print as marked prints the whole table: the rows of a table under the limit, then each further row", () => {
    const whole = markdownToHtml(table(1, 500).join("\n")); // one marked call
    const more = Array.from({ length: 734 }, (_, i) => body(markdownToHtml(table(501 + i, 501 + i).join("\n"))));
    const long = markdownToHtml(table(1, 1234).join("\n")); // three
    expect(long).toBe(whole.replace("</tbody>", `${more.join("")}</tbody>`));
    expect(long.match(/<tr>/g)).toHaveLength(1235);
  });

  it("leave the text around the table as it was", () => {
    const text = ["# Title", "", "- a point", "", ...table(1, 600), "", "After the table.", ""].join("\n");
    const html = markdownToHtml(text);
    expect(html.startsWith(markdownToHtml("# Title\n\n- a point\n"))).toBe(true);
    expect(html.endsWith(markdownToHtml("After the table.\n"))).toBe(true);
    expect(html).toContain(markdownToHtml(table(1, 600).join("\n")));
  });
});
