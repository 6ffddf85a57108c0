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
import { LineStarts } from "../../src/ingest/shared/line-starts.js";
import { MAX_LINE_CHARS, sourceFromString } from "../../src/ingest/source.js";
import type { ArtifactSource, ByteReader } from "../../src/ingest/types.js";
import type { Quote } from "../../src/model/incident.js";
import { CitedLines } from "../../src/quotes.js";

/** The quotes of an incident whose only content is evidence citing `lines` of `file`. */
function collectQuotes(file: string, lines: number[], files: DiscoveredFile[]): Promise<Record<string, Quote>> {
  const cited = new CitedLines();
  cited.add({ evidence: lines.map((line) => ({ file, line, text: `evidence ${line}` })) });
  return cited.quotes(files);
}

/** The quotes of incidents that each cite one of `lines` of `file` (no list's first-six cut). */
function quoteEach(file: string, lines: number[], files: DiscoveredFile[]): Promise<Record<string, Quote>> {
  const cited = new CitedLines();
  for (const line of lines) cited.add({ evidence: [{ file, line, text: `evidence ${line}` }] });
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

/** A read-only file of `segments` repeated as given, held as the segments only (a 200 MiB log costs a few KiB). */
function virtualLog(path: string, segments: Buffer[]): { source: ArtifactSource; bytesRead: () => number } {
  const ends: number[] = [];
  let size = 0;
  for (const s of segments) ends.push((size += s.length));
  let bytesRead = 0;
  const bytes = (): ByteReader => {
    let at = 0;
    return {
      size,
      read: async (target, offset, length, position = at) => {
        let n = 0;
        let seg = ends.findIndex((end) => end > position);
        while (seg >= 0 && seg < segments.length && n < length) {
          const segStart = ends[seg]! - segments[seg]!.length;
          const from = position + n - segStart;
          const take = Math.min(length - n, segments[seg]!.length - from);
          segments[seg]!.copy(target, offset + n, from, from + take);
          n += take;
          seg++;
        }
        at = position + n;
        bytesRead += n;
        return n;
      },
      close: async () => {},
    };
  };
  const notRead = (): never => {
    throw new Error(`${path}: read as bytes only`);
  };
  const source: ArtifactSource = {
    path,
    head: segments[0]!.subarray(0, 4096).toString("utf8"),
    lines: notRead,
    text: notRead,
    bytes,
    lineStarts: new LineStarts(),
  };
  return { source, bytesRead: () => bytesRead };
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

  it("jump to the cited lines of a big kernel log, wherever they are, at the line starts its scan noted", async () => {
    // 200 MiB: 64-byte filler lines (16,384 a MiB) with a three-line OOM report after 1, 100 and 199 MiB of them.
    const filler = Buffer.from(
      Array.from({ length: 16_384 }, (_, i) => `[    1.000000] filler line ${String(i).padStart(36, "0")}\n`).join(""),
    );
    const report = (pid: number): Buffer =>
      Buffer.from(
        [
          `[  100.000000] java invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=984`,
          `[  100.000100] memory: usage 524288kB, limit 524288kB, failcnt 1000`,
          `[  100.000200] Memory cgroup out of memory: Killed process ${pid} (java) total-vm:1874608kB, anon-rss:520924kB, file-rss:1468kB, shmem-rss:0kB, UID:65532 pgtables:1112kB oom_score_adj:984`,
          "",
        ].join("\n"),
      );
    const segments: Buffer[] = [];
    const killLines: number[] = [];
    let lines = 0;
    for (const [mib, pid] of [
      [1, 101],
      [99, 102],
      [99, 103],
    ] as const) {
      for (let i = 0; i < mib; i++) segments.push(filler);
      lines += mib * 16_384;
      segments.push(report(pid));
      killLines.push(lines + 3);
      lines += 3;
    }
    segments.push(filler);
    const log = virtualLog("kern.log", segments);
    const facts = await kernelLog.parse(log.source);
    expect(facts.ooms.flatMap((o) => o.victims.map((v) => v.pid))).toEqual([101, 102, 103]);
    const { source } = log;
    const files = (s: ArtifactSource): DiscoveredFile[] => [{ source: s, ingester: kernelLog, skipReason: null }];

    const before = log.bytesRead();
    const quotes = await collectQuotes("kern.log", killLines, files(source));
    expect(log.bytesRead() - before).toBeLessThan(1 << 20); // a few KiB per cited line, not 64 MiB
    for (const [i, n] of killLines.entries()) {
      expect(quotes[`kern.log:${n}`], `report ${i + 1}`).toEqual({
        text: expect.stringContaining(`Killed process ${101 + i} (java)`),
        first: n - 2,
        before: [expect.stringContaining("invoked oom-killer"), expect.stringContaining("memory: usage")],
        after: [`[    1.000000] filler line ${"0".repeat(36)}`, `[    1.000000] filler line ${"0".repeat(35)}1`],
      });
    }
    // Without the noted starts the file is read in order, up to the 64 MiB budget: only the first report is quoted.
    const { lineStarts: _starts, ...inOrder } = source;
    const unjumped = await collectQuotes("kern.log", killLines, files(inOrder));
    expect(Object.keys(unjumped)).toEqual([`kern.log:${killLines[0]}`]);
    expect(unjumped[`kern.log:${killLines[0]}`]).toEqual(quotes[`kern.log:${killLines[0]}`]);
  });

  it("with the line starts a scan noted, the quotes of any cited lines equal the ones read line by line", async () => {
    const noise = (i: number): string => `[${i}.000000] eth0: link is up ${"z".repeat((i * 7919) % 3000)}`;
    const report = (i: number): string[] => [
      `[${i}.1] app invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0`,
      `[${i}.2] Memory cgroup out of memory: Killed process ${i} (app) total-vm:1000kB, anon-rss:900kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0`,
    ];
    const all: string[] = [];
    for (let i = 1; i <= 4_000; i++) all.push(...(i % 500 === 0 ? report(i) : [noise(i)]));
    const text = all.join("\r\n"); // ~6 MB, CRLF, no final newline
    const source = sourceFromString("dmesg.txt", text);
    await kernelLog.parse(source);
    expect(source.lineStarts!.size).toBeGreaterThan(4);
    const reports = all.flatMap((l, i) => (l.includes("Killed process") ? [i + 1] : []));
    // Each report's kill and the lines around, some noise far from any report, the first and the last line.
    for (const cited of [
      reports,
      [1, ...reports.map((n) => n - 1), all.length],
      [2_345, reports[3]!, reports[3]! + 2],
    ]) {
      const { lines } = files("dmesg.txt", text);
      const jumped = await quoteEach("dmesg.txt", cited, [{ source, ingester: kernelLog, skipReason: null }]);
      expect(jumped, JSON.stringify(cited)).toEqual(await quoteEach("dmesg.txt", cited, lines));
      expect(Object.keys(jumped)).toHaveLength(new Set(cited).size);
    }
  });

  it("read the lines after a cited line before jumping to the next one, whichever read they fall in", async () => {
    // ~600 KB of noise (lines of 200-1,200 bytes), then a report: a cited line among the first ~300
    // KB ends some read of the file, and its two later lines are in the next one.
    const noise = Array.from(
      { length: 1_000 },
      (_, i) => `[${i}.000000] eth0: up ${"q".repeat(((i * 7919) % 1000) + 200)}`,
    );
    const reportLines = [
      "[9.1] app invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
      "[9.2] Memory cgroup out of memory: Killed process 9 (app) total-vm:1000kB, anon-rss:900kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0",
    ];
    const all = [...noise, ...reportLines, "[9.3] after"];
    const source = sourceFromString("dmesg.txt", all.join("\n"));
    await kernelLog.parse(source);
    const kill = noise.length + 2;
    let offset = 0;
    for (let n = 3; offset < 300_000; offset += all[n - 1]!.length + 1, n++) {
      const quotes = await quoteEach("dmesg.txt", [n, kill], [{ source, ingester: kernelLog, skipReason: null }]);
      expect(quotes[`dmesg.txt:${n}`], `line ${n}`).toEqual({
        text: all[n - 1],
        first: n - 2,
        before: [all[n - 3], all[n - 2]],
        after: [all[n], all[n + 1]],
      });
      expect(quotes[`dmesg.txt:${kill}`]?.after).toEqual(["[9.3] after"]);
    }
  });

  it("of a kernel log that changed after its scan: none, with a warning; a noted start gone wrong in a file of its scanned size is our bug", async () => {
    // 2 MiB of 64-byte lines, then a report: its quote jumps to the start the scan noted.
    const filler = Buffer.from(
      Array.from({ length: 16_384 }, (_, i) => `[    1.000000] filler line ${String(i).padStart(36, "0")}\n`).join(""),
    );
    const report = Buffer.from(
      "[  100.000000] java invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=984\n" +
        "[  100.000200] Memory cgroup out of memory: Killed process 101 (java) total-vm:1874608kB, anon-rss:520924kB, file-rss:1468kB, shmem-rss:0kB, UID:65532 pgtables:1112kB oom_score_adj:984\n",
    );
    const scanned = virtualLog("kern.log", [filler, filler, report]);
    await kernelLog.parse(scanned.source);
    const kill = 2 * 16_384 + 2;
    const { lineStarts } = scanned.source;
    expect(lineStarts?.bytes).toBe(2 * filler.length + report.length);
    // The same path and noted starts over other bytes.
    const quotesOf = async (segments: Buffer[]): Promise<{ quotes: Record<string, Quote>; warnings: unknown[] }> => {
      const now = virtualLog("kern.log", segments).source;
      const cited = new CitedLines();
      cited.add({ evidence: [{ file: "kern.log", line: kill, text: "evidence" }] });
      const quotes = await cited.quotes([{ source: { ...now, lineStarts }, ingester: kernelLog, skipReason: null }]);
      return { quotes, warnings: cited.warnings };
    };
    expect((await quotesOf([filler, filler, report])).quotes[`kern.log:${kill}`]?.text).toContain("Killed process 101");

    const changed = /^the file changed while it was analysed \(.+\): its cited lines are not quoted$/;
    const truncated = await quotesOf([filler]);
    expect(truncated.quotes).toEqual({});
    expect(truncated.warnings).toEqual([{ file: "kern.log", message: expect.stringMatching(changed) }]);
    // Rotated: a longer file whose lines start elsewhere.
    const rotated = await quotesOf([Buffer.from("x"), filler, filler, report, report]);
    expect(rotated.quotes).toEqual({});
    expect(rotated.warnings).toEqual([{ file: "kern.log", message: expect.stringMatching(/no line starts now/) }]);
    // Same size, lines moved by a byte: the scan's notes are wrong, which is a bug of ours.
    const shifted = Buffer.concat([filler.subarray(1), filler]);
    await expect(quotesOf([shifted, report, Buffer.from("x")])).rejects.toThrow(/^quotes: line \d+ was noted at byte/);
  });
});
