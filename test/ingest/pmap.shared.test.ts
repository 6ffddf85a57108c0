/** pmap on the real capture of ../shared/realworld (npm run test:shared). */
import { describe, expect, it } from "vitest";
import type { FactSet } from "../../src/model/facts.js";
import { pmap } from "../../src/ingest/pmap.js";
import { sourceFromString } from "../../src/ingest/source.js";
import { realworldCaptures, realworldText as realworld } from "../realworld.js";

const parse = (path: string, text: string): Promise<FactSet> => pmap.parse(sourceFromString(path, text));
const sniff = (text: string): boolean => pmap.sniff(sourceFromString("x", text).head, "x");
const codes = (facts: FactSet): string[] => facts.diagnostics.map((d) => d.code);
/** 1-based line number of the first line containing `wanted`, computed from the input. */
const lineOf = (text: string, wanted: string): number => text.split("\n").findIndex((l) => l.includes(wanted)) + 1;
const KB = 1024;

const OSTEP = "16-ostep-memory-user-1000MB-pmap-x.pmap.txt";

describe("pmap on the real capture", () => {
  it("reads the OSTEP memory-user snapshot: pid, command, totals and the 4 GB anon mapping", async () => {
    const text = realworld(OSTEP);
    expect(sniff(text)).toBe(true);
    const facts = await parse(OSTEP, text);
    expect(facts.diagnostics).toEqual([]);
    expect(facts.pmaps).toHaveLength(1);
    const snap = facts.pmaps[0]!;
    expect(snap.pid).toBe(4299);
    expect(snap.command).toBe("./memory-user 1000 100");
    expect(snap.totalSizeBytes).toBe(4098500 * KB);
    expect(snap.totalRssBytes).toBe(1008172 * KB);
    expect(snap.totalDirtyBytes).toBe(1006700 * KB);
    const rows = text.split("\n").filter((l) => /^[0-9a-f]{16} /.test(l));
    expect(snap.mappings).toHaveLength(rows.length);
    const big = snap.mappings.reduce((a, b) => (b.sizeBytes > a.sizeBytes ? b : a));
    expect(big).toMatchObject({
      sizeBytes: 4096004 * KB,
      rssBytes: 1006616 * KB,
      dirtyBytes: 1006616 * KB,
      mode: "rw---",
      mapping: "[ anon ]",
    });
    expect(big.line).toBe(lineOf(text, " 4096004 "));
    expect(snap.mappings.find((m) => m.mapping === "[ stack ]")?.sizeBytes).toBe(136 * KB);
    expect(snap.source).toEqual({ file: OSTEP, line: 1, endLine: lineOf(text, "total kB") });
    expect(snap.takenAtText).toBeUndefined();
    expect(snap.diffSide).toBeUndefined();
  });

  it("does not claim any other real capture", () => {
    const others = realworldCaptures().filter((f) => f !== OSTEP);
    expect(others.length).toBeGreaterThan(10);
    for (const name of others) expect({ name, claimed: sniff(realworld(name)) }).toEqual({ name, claimed: false });
  });
});

describe("pmap shapes and hostile input made from the real capture", () => {
  it("reads an indented paste and a header-only capture without a PID line", async () => {
    const text = realworld(OSTEP)
      .split("\n")
      .slice(1)
      .map((l) => (l ? `  ${l}` : l))
      .join("\n");
    expect(sniff(text)).toBe(true);
    const facts = await parse("indented.md", text);
    expect(facts.diagnostics).toEqual([]);
    expect(facts.pmaps[0]).toMatchObject({ pid: null, command: null, totalRssBytes: 1008172 * KB });
  });

  it("truncated at several points: rows before the cut kept, missing total reported", async () => {
    const text = realworld(OSTEP);
    const full = (await parse(OSTEP, text)).pmaps[0]!;
    for (const cut of [10, 60, 120, 400, 900, text.length - 10]) {
      const facts = await parse(OSTEP, text.slice(0, cut));
      const snap = facts.pmaps[0];
      if (!snap) continue;
      expect(snap.pid).toBe(4299);
      const complete = snap.mappings.filter(
        (m) => m.line < lineOf(text.slice(0, cut), text.slice(0, cut).split("\n").at(-1)!),
      );
      for (const m of complete) expect(m).toEqual(full.mappings.find((f) => f.line === m.line));
      if (cut < text.indexOf("total kB")) expect(codes(facts)).toContain("pmap/missing-total");
    }
  });

  it("CRLF line ends parse like LF", async () => {
    const text = realworld(OSTEP);
    const crlf = await parse(OSTEP, text.replace(/\n/g, "\r\n"));
    expect(crlf.diagnostics).toEqual([]);
    expect(crlf.pmaps).toEqual((await parse(OSTEP, text)).pmaps);
  });

  it("warns with line numbers on bad rows, edited totals and a huge line", async () => {
    const lines = realworld(OSTEP).trimEnd().split("\n");
    const bad = [
      ...lines.slice(0, 4),
      "00007fee7a11d000    15x4     972       0 r-x-- libc-2.31.so",
      "z".repeat(200_000),
      ...lines.slice(4),
    ];
    const facts = await parse("bad.txt", bad.join("\n"));
    expect(facts.diagnostics.map((d) => [d.at.line, d.code])).toEqual([
      [5, "pmap/bad-row"],
      [6, "pmap/bad-row"],
    ]);
    expect(facts.diagnostics.every((d) => d.message.length < 300 && d.at.file === "bad.txt")).toBe(true);
    const edited = lines.map((l) => (l.startsWith("total kB") ? l.replace("4098500", "4098600") : l)).join("\n");
    expect(codes(await parse("edited.txt", edited))).toEqual(["pmap/total-mismatch"]);
  });
});
