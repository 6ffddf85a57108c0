import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { FactSet, PmapSnapshot } from "../../src/model/facts.js";
import { pmap } from "../../src/ingest/pmap.js";
import { sourceFromString } from "../../src/ingest/source.js";

const FIXTURES = new URL("../fixtures/pmap/", import.meta.url);

const fixture = (name: string): string => readFileSync(new URL(name, FIXTURES), "utf8");
const parse = (path: string, text: string): Promise<FactSet> => pmap.parse(sourceFromString(path, text));
const sniff = (text: string): boolean => pmap.sniff(sourceFromString("x", text).head, "x");
const codes = (facts: FactSet): string[] => facts.diagnostics.map((d) => d.code);
/** 1-based line number of the first line containing `wanted`, computed from the input. */
const lineOf = (text: string, wanted: string): number => text.split("\n").findIndex((l) => l.includes(wanted)) + 1;
/** The `total kB` numbers of a pmap -x text, read independently of the ingester. */
const totalsKb = (text: string): number[] => /total kB\s+(\d+)\s+(\d+)\s+(\d+)/.exec(text)!.slice(1).map(Number);
const KB = 1024;

describe("pmap accepted shapes", () => {
  it("reads two dated snapshots of the same process (a `date` line and a `# taken at` comment)", async () => {
    const text = fixture("two-snapshots-dated.txt");
    expect(sniff(text)).toBe(true);
    const facts = await parse("pmaps.txt", text);
    expect(facts.diagnostics).toEqual([]);
    expect(facts.pmaps).toHaveLength(2);
    const [a, b] = facts.pmaps as [PmapSnapshot, PmapSnapshot];
    expect([a.pid, b.pid]).toEqual([31744, 31744]);
    expect(a.command).toBe("java -Xmx512m -jar /app/worker.jar");
    expect(a.takenAtText).toBe("Tue Jun  9 11:00:02 UTC 2026");
    expect(b.takenAtText).toBe("2026-06-09T11:05:02Z");
    expect(a.totalSizeBytes).toBe(totalsKb(text)[0]! * KB);
    expect(b.source.line).toBe(text.split("\n").lastIndexOf("31744:   java -Xmx512m -jar /app/worker.jar") + 1);
    const grown = (s: PmapSnapshot) => s.mappings.find((m) => m.address === "00007f2a4c000000")!;
    expect(grown(b).rssBytes - grown(a).rssBytes).toBe((198400 - 1200) * KB);
    expect(b.totalRssBytes! - a.totalRssBytes!).toBe((870316 - 607580) * KB);
  });

  it("reads BusyBox pmap -x (PSS, Dirty, Swap; tabs after Address): a real capture", async () => {
    // `docker exec 40080ad19a1b pmap -x 1` in the README of github.com/cirocosta/stress (commit
    // 38a3aea): its `mem -n 1024` has touched 1 GiB of heap in an Alpine image.
    const text = fixture("realworld-busybox-x-stress-mem.txt");
    expect(sniff(text)).toBe(true);
    const facts = await parse("pmap.txt", text);
    expect(facts.diagnostics).toEqual([]);
    const [snap] = facts.pmaps as [PmapSnapshot];
    expect(facts.pmaps).toHaveLength(1);
    expect(snap).toMatchObject({ pid: 1, command: "mem -n 1024", resident: "pss" });
    expect(snap.mappings.map((m) => m.mapping)).toEqual([
      "/usr/local/bin/mem",
      "/usr/local/bin/mem",
      "[heap]",
      "[stack]",
      "[vvar]",
      "[vdso]",
      "[vsyscall]",
    ]);
    const heap = snap.mappings[2]!;
    expect(heap).toMatchObject({ mode: "rw-p", sizeBytes: 1048576 * KB, rssBytes: 1048576 * KB, line: 5 });
    expect([snap.totalSizeBytes, snap.totalRssBytes, snap.totalDirtyBytes]).toEqual(
      [1048760, 1048616, 1048592].map((k) => k * KB),
    );
  });

  it("reads the BusyBox sample of the reader's docstring", async () => {
    const src = readFileSync(new URL("../../src/ingest/pmap/reader.ts", import.meta.url), "utf8");
    const sample = /BusyBox 1\.36[^\n]*\n \* ```text\n([\s\S]*?)\n \* ```/.exec(src)![1]!.replace(/^ \* /gm, "");
    const facts = await parse("pmap.txt", sample);
    // The sample shows two of the rows: its total is the whole snapshot's, so only that warning.
    expect(codes(facts)).toEqual(["pmap/total-mismatch"]);
    expect(facts.pmaps[0]).toMatchObject({ pid: 1, resident: "pss", totalRssBytes: 1048616 * KB });
    expect(facts.pmaps[0]!.mappings.map((m) => [m.mapping, m.rssBytes / KB])).toEqual([
      ["[heap]", 1048576],
      ["[ anon ]", 8],
    ]);
  });

  it("reads 32-bit BusyBox rows and `[ anon ]` names, and says when a diff compares PSS with RSS", async () => {
    const busybox32 = [
      "1: init",
      "Address   Kbytes     PSS   Dirty    Swap  Mode  Mapping",
      "00010000    1376     257       0       0  r-xp  /bin/busybox",
      "0017a000     144      32      32       0  rw-p  [heap]",
      "7e9d7000     132       8       8       3  rw-p    [ anon ]",
      "--------  ------  ------  ------  ------",
      "total       1652     297      40       3",
    ].join("\n");
    const facts = await parse("pmap-32.txt", busybox32);
    expect(facts.diagnostics).toEqual([]);
    expect(facts.pmaps[0]!.resident).toBe("pss");
    expect(facts.pmaps[0]!.mappings.map((m) => [m.address, m.rssBytes / KB, m.mapping])).toEqual([
      ["00010000", 257, "/bin/busybox"],
      ["0017a000", 32, "[heap]"],
      ["7e9d7000", 8, "[ anon ]"],
    ]);
    // procps snapshots stay RSS (no `resident`).
    const procps = await parse("pmaps.txt", fixture("two-snapshots-dated.txt"));
    expect(procps.pmaps.map((p) => p.resident)).toEqual([undefined, undefined]);
  });

  it("turns a full-context diff -u into a before and an after snapshot", async () => {
    const text = fixture("diff-u-full-context.txt");
    expect(sniff(text)).toBe(true);
    const facts = await parse("pmap.diff", text);
    expect(facts.diagnostics).toEqual([]);
    expect(facts.pmaps.map((s) => s.diffSide)).toEqual(["before", "after"]);
    const [before, after] = facts.pmaps as [PmapSnapshot, PmapSnapshot];
    expect(before.pid).toBe(31744);
    expect(after.command).toBe("java -Xmx512m -jar /app/worker.jar");
    expect(before.takenAtText).toBe("2026-06-09 11:00:02.000000000 +0000");
    expect(after.takenAtText).toBe("2026-06-09 11:05:02.000000000 +0000");
    expect(before.mappings).toHaveLength(12);
    expect(after.mappings).toHaveLength(12);
    expect(before.totalSizeBytes).toBe(741708 * KB);
    expect(after.totalSizeBytes).toBe(938316 * KB);
    const arena = (s: PmapSnapshot) => s.mappings.find((m) => m.address === "00007f2a4c000000")!;
    expect(arena(before)).toMatchObject({
      sizeBytes: 65536 * KB,
      rssBytes: 1200 * KB,
      line: lineOf(text, "-00007f2a4c000000"),
    });
    expect(arena(after)).toMatchObject({
      sizeBytes: 262144 * KB,
      rssBytes: 198400 * KB,
      line: lineOf(text, "+00007f2a4c000000"),
    });
    expect(before.mappings.reduce((a, m) => a + m.sizeBytes, 0)).toBe(before.totalSizeBytes);
  });

  it.each(["diff-u.txt", "diff-u1-two-hunks.txt"])(
    "keeps the rows a hunked diff shows on each side: %s",
    async (name) => {
      const text = fixture(name);
      expect(sniff(text)).toBe(true);
      const facts = await parse(name, text);
      expect(facts.diagnostics).toEqual([]);
      expect(facts.pmaps.map((s) => s.diffSide)).toEqual(["before", "after"]);
      const [before, after] = facts.pmaps as [PmapSnapshot, PmapSnapshot];
      expect(before.pid).toBeNull();
      expect(before.totalRssBytes).toBe(607580 * KB);
      expect(after.totalRssBytes).toBe(870316 * KB);
      expect(after.mappings.find((m) => m.address === "00007f2a38000000")?.rssBytes).toBe(131072 * KB);
      const shown = (mark: string) =>
        text.split("\n").filter((l) => new RegExp(`^[ ${mark}][0-9a-f]{16} `).test(l)).length;
      expect(before.mappings).toHaveLength(shown("-"));
      expect(after.mappings).toHaveLength(shown("+"));
    },
  );

  it("reads pmap -xp full paths, including a deleted shm file", async () => {
    const text = fixture("xp-full-paths.txt");
    expect(sniff(text)).toBe(true);
    const facts = await parse("xp.txt", text);
    expect(facts.diagnostics).toEqual([]);
    const snap = facts.pmaps[0]!;
    expect(snap.pid).toBe(812);
    expect(snap.mappings.map((m) => m.mapping)).toContain("/usr/lib/x86_64-linux-gnu/libc-2.31.so");
    expect(snap.mappings.find((m) => m.mode === "rw-s-")?.mapping).toBe("/dev/shm/arena.1 (deleted)");
    expect(snap.totalSizeBytes).toBe(totalsKb(text)[0]! * KB);
  });

  it("merges procps-ng duplicated zero-size rows into the row of the same address", async () => {
    const text = fixture("duplicated-zero-rows.txt");
    const facts = await parse("dup.txt", text);
    expect(facts.diagnostics).toEqual([]);
    const snap = facts.pmaps[0]!;
    const addresses = text
      .split("\n")
      .filter((l) => /^[0-9a-f]{16} /.test(l))
      .map((l) => l.slice(0, 16));
    expect(snap.mappings).toHaveLength(new Set(addresses).size);
    expect(snap.mappings.every((m) => m.sizeBytes > 0)).toBe(true);
    expect(snap.mappings.reduce((a, m) => a + m.rssBytes, 0)).toBe(snap.totalRssBytes);
    expect(snap.command).toBe("nginx: worker process");
    expect(snap.mappings[0]!.line).toBe(3);
  });

  it("reads old procps rows with `-` RSS as 0 and says so once", async () => {
    const text = [
      "1234:   /usr/sbin/httpd",
      "Address           Kbytes     RSS   Dirty Mode   Mapping",
      "0000000000400000     156       -       - r-x--  httpd",
      "00007fff8c5fe000       4       -       - r-x--    [ anon ]",
      "----------------  ------  ------  ------",
      "total kB             160       -       -",
    ].join("\n");
    expect(sniff(text)).toBe(true);
    const facts = await parse("old.txt", text);
    expect(codes(facts)).toEqual(["pmap/rss-not-reported"]);
    expect(facts.pmaps[0]).toMatchObject({ totalSizeBytes: 160 * KB, totalRssBytes: null });
  });
});

describe("pmap on hostile input", () => {
  it("empty input: not claimed, nothing read, one error", async () => {
    expect(sniff("")).toBe(false);
    const facts = await parse("p.txt", "");
    expect(facts.pmaps).toEqual([]);
    expect(facts.diagnostics.map((d) => [d.severity, d.code])).toEqual([["error", "pmap/no-data"]]);
  });

  it("binary garbage: not claimed, no throw, warnings capped and printable", async () => {
    let x = 88172645;
    let garbage = "";
    for (let i = 0; i < 30000; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      garbage += String.fromCharCode((x >>> 0) % 256);
    }
    expect(sniff(garbage)).toBe(false);
    const facts = await parse("p.bin", garbage);
    expect(facts.pmaps).toEqual([]);
    expect(facts.diagnostics.length).toBeLessThanOrEqual(52);
    expect(codes(facts)).toContain("pmap/too-many-warnings");
    expect(facts.diagnostics.every((d) => !/[\u0000-\u0008]/.test(d.message))).toBe(true);
  });

  it("does not claim memory.stat, kernel logs, describe, JSON, CSV or plain pmap without -x", () => {
    const plainPmap = "42:   example\n0000000000400000    328K r-x-- example\n total           592K\n";
    const json = JSON.stringify({ Address: "x", Kbytes: 1, RSS: 2 });
    const csv = "Address,Kbytes,RSS,Dirty,Mode,Mapping\n0000000000400000,4,4,0,r-x--,java\n";
    for (const text of [plainPmap, json, csv]) {
      expect(sniff(text)).toBe(false);
    }
    const memoryStatFixtures = new URL("../fixtures/memory-stat/", import.meta.url);
    for (const name of readdirSync(memoryStatFixtures)) {
      expect({ name, claimed: sniff(readFileSync(new URL(name, memoryStatFixtures), "utf8")) }).toEqual({
        name,
        claimed: false,
      });
    }
  });
});
