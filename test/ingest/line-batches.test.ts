/**
 * The fast paths added for gigabyte inputs must not change what is read:
 * `splitLineBatches` gives exactly `splitLines`' lines at any chunking, and the kernel-log
 * ingester's pre-filter (lines skipped unread) gives the same facts as reading every line.
 */
import { describe, it, expect } from "vitest";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { MAX_LINE_CHARS, splitLineBatches, splitLines } from "../../src/ingest/source.js";
import type { Line } from "../../src/ingest/types.js";
import { expectPrefilterAgrees } from "./prefilter-check.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/kernel-log/", import.meta.url));

async function* chunked(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function viaLines(text: string, size: number): Promise<Line[]> {
  const out: Line[] = [];
  for await (const l of splitLines(chunked(text, size))) out.push(l);
  return out;
}

async function viaBatches(text: string, size: number): Promise<Line[]> {
  const out: Line[] = [];
  for await (const b of splitLineBatches(chunked(text, size))) out.push(...b);
  return out;
}

describe("splitLineBatches", () => {
  const text = [
    "plain",
    "crlf\r",
    "\x1b[31mred\x1b[0m",
    "",
    "x".repeat(MAX_LINE_CHARS * 2 + 10),
    "after long",
    "y".repeat(70_000),
    "tail without newline",
  ].join("\n");

  it("yields the same lines and numbers as splitLines at any chunk size", async () => {
    for (const size of [1, 7, 4096, 65_536, 1 << 21, text.length]) {
      const a = await viaLines(text, size);
      const b = await viaBatches(text, size);
      expect(b).toEqual(a);
      expect(a.map((l) => l.text.slice(0, 12))).toContain("after long");
    }
  });

  it("cuts a line longer than MAX_LINE_CHARS that spans chunks, like splitLines", async () => {
    const lines = await viaBatches(text, 65_536);
    const long = lines.find((l) => l.text.startsWith("xxx"))!;
    expect(long.text.length).toBe(MAX_LINE_CHARS);
    expect(lines.map((l) => l.text)).toContain("red");
    expect(lines.map((l) => l.text)).toContain("crlf");
  });
});

describe("kernel-log pre-filter", () => {
  it("gives the same facts (batches, lines skipped unread) as reading every line one by one, in noise", async () => {
    const files = readdirSync(FIXTURES).map((f) => join(FIXTURES, f));
    expect(files.length).toBeGreaterThan(10);
    expect(await expectPrefilterAgrees(files)).toBeGreaterThan(10);
  });
});
