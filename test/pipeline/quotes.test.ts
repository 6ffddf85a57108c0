/**
 * Quotes (src/quotes.ts) read a UTF-8 file's cited lines from its bytes, decoding only those
 * lines; a source without bytes (UTF-16, terminal captures) is read line by line. Both must
 * give the same quotes, with the numbering and finishing of `lines()`: CRLF, a BOM, ANSI
 * escapes, no newline at the end, and lines far apart across the reader's reads (reads without a
 * cited line are only counted).
 */
import { describe, expect, it } from "vitest";
import type { DiscoveredFile } from "../../src/discover.js";
import { kernelLog } from "../../src/ingest/kernel-log.js";
import { MAX_LINE_CHARS, sourceFromString } from "../../src/ingest/source.js";
import type { Quote } from "../../src/model/incident.js";
import { CitedLines } from "../../src/quotes.js";

/** The quotes of an incident whose only content is evidence citing `lines` of `file`. */
function collectQuotes(file: string, lines: number[], files: DiscoveredFile[]): Promise<Record<string, Quote>> {
  const cited = new CitedLines();
  cited.add({ evidence: lines.map((line) => ({ file, line, text: `evidence ${line}` })) });
  return cited.quotes(files);
}

function files(path: string, text: string): { bytes: DiscoveredFile[]; lines: DiscoveredFile[] } {
  const source = sourceFromString(path, text);
  const { bytes: _bytes, ...withoutBytes } = source;
  return {
    bytes: [{ source, ingester: kernelLog, skipReason: null }],
    lines: [{ source: withoutBytes, ingester: kernelLog, skipReason: null }],
  };
}

describe("quotes", () => {
  it("read from bytes equal the quotes read line by line", async () => {
    const filler = Array.from({ length: 30_000 }, (_, i) => `[${i}.000000] filler line ${i} ${"x".repeat(i % 90)}`);
    const text = [
      "\uFEFF[0.1] first line\r",
      "[0.2] \x1b[31mred\x1b[0m line",
      ...filler,
      "[9.9] Killed process 42 (java)",
      "[9.9] last line, no newline",
    ].join("\n");
    const cited = [1, 2, 3, 15_000, 30_003, 30_004];
    const { bytes, lines } = files("dmesg.txt", text);
    const fromBytes = await collectQuotes("dmesg.txt", cited, bytes);
    expect(fromBytes).toEqual(await collectQuotes("dmesg.txt", cited, lines));
    expect(Object.keys(fromBytes)).toHaveLength(cited.length);
    expect(fromBytes["dmesg.txt:1"]!.text).toBe("[0.1] first line");
    expect(fromBytes["dmesg.txt:2"]!.text).toBe("[0.2] red line");
    expect(fromBytes["dmesg.txt:30003"]).toMatchObject({
      text: "[9.9] Killed process 42 (java)",
      before: [filler[29_998], filler[29_999]],
      after: ["[9.9] last line, no newline"],
    });
  });

  it("a line longer than the buffer is quoted by its first MAX_LINE_CHARS characters, and the lines after it keep their numbers", async () => {
    const text = ["[0.1] before", `[0.2] ${"y".repeat(3 * 2 ** 20)}`, "[0.3] after"].join("\n");
    const { bytes } = files("dmesg.txt", text);
    const fromBytes = await collectQuotes("dmesg.txt", [1, 2, 3], bytes);
    const cut = `[0.2] ${"y".repeat(MAX_LINE_CHARS - 6)}`; // what a file's lines() gives (cut at the limit)
    expect(fromBytes["dmesg.txt:1"]).toEqual({
      text: "[0.1] before",
      first: 1,
      before: [],
      after: [cut, "[0.3] after"],
    });
    expect(fromBytes["dmesg.txt:2"]!.text).toBe(cut);
    // A line a little over the limit (it fits the buffer, with the next read) is cut the same way.
    const overText = ["[0.1] before", `[0.2] ${"z".repeat(MAX_LINE_CHARS + 1000)}`, "[0.3] after"].join("\n");
    const overQuotes = await collectQuotes("over.txt", [2], files("over.txt", overText).bytes);
    expect(overQuotes["over.txt:2"]!.text).toBe(`[0.2] ${"z".repeat(MAX_LINE_CHARS - 6)}`);
    expect(fromBytes["dmesg.txt:3"]).toEqual({
      text: "[0.3] after",
      first: 1,
      before: ["[0.1] before", cut],
      after: [],
    });
  });

  it("recorded part by part (incident by incident), quote the first lines of each evidence list, up to 2,000 lines across parts", async () => {
    const text = Array.from({ length: 3_000 }, (_, i) => `[${i}.0] line ${i + 1}`).join("\n");
    const { bytes } = files("dmesg.txt", text);
    const cited = new CitedLines();
    // 500 incidents citing 7 lines each in one list (the first 6 count): 3,000 lines, of which the first 2,000 are quoted.
    for (let n = 0; n < 500; n++)
      cited.add({
        kills: [
          { evidence: Array.from({ length: 7 }, (_, k) => ({ file: "dmesg.txt", line: n * 6 + k + 1, text: "x" })) },
        ],
      });
    const quotes = await cited.quotes(bytes);
    expect(Object.keys(quotes)).toHaveLength(2_000);
    expect(quotes["dmesg.txt:2000"]?.text).toBe("[1999.0] line 2000");
    expect(quotes["dmesg.txt:2001"]).toBeUndefined();
  });
});
