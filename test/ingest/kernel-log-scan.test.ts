/**
 * The kernel-log byte scan (`kernel-log/scan.ts`) must give exactly the facts of reading every
 * line (`parseKernelLog(…, { scan: false })`): on every log shape, in noise of every shape, with
 * reports and fragments cut at read boundaries, CRLF, a BOM, ANSI colour, invalid UTF-8, giant
 * lines and no final newline. UTF-16 files are read line by line and give the same facts.
 */
import { describe, it, expect } from "vitest";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { parseKernelLog } from "../../src/ingest/kernel-log.js";
import { classify } from "../../src/ingest/kernel-log/messages.js";
import { needleAt } from "../../src/ingest/kernel-log/needles.js";
import { stripPrefix } from "../../src/ingest/kernel-log/prefix.js";
import {
  claimChunk,
  HELPER,
  HintSearch,
  SCAN,
  searchFromEnd,
  type ReadAt,
  type TailHints,
} from "../../src/ingest/kernel-log/hints.js";
import { searchInWorker, type TailJob, type TailSearch } from "../../src/ingest/kernel-log/helper-thread.js";
import { KernelLogScan, type ScanOptions } from "../../src/ingest/kernel-log/scan.js";
import { LineStarts } from "../../src/ingest/shared/line-starts.js";
import { MAX_LINE_CHARS, sourceFromBuffer, sourceFromString } from "../../src/ingest/source.js";
import type { ArtifactSource } from "../../src/ingest/types.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/kernel-log/", import.meta.url));
const fixtures = readdirSync(FIXTURES).map((f) => ({ name: f, text: readFileSync(join(FIXTURES, f), "utf8") }));

// Noise of every shape a node log carries, near-misses of the needles included.
const NOISE = [
  "[ 1234.567890] eth0: link up",
  "[ 1234.567891] [  273]     0   273     1000      100    40960        0             0 looks-like-a-row",
  "Dec 20 03:17:52 node-1 kernel: [  99.000001] audit: type=1334 audit(1794623467.228:9421): prog-id=311 op=LOAD pid=77",
  "Jun  9 11:00:00 node-1 kernel: [1000.03] Killing process group of kworker",
  "2026-06-09T11:02:17+00:00 node-1 systemd[1]: Started cri-containerd-5c1f.scope (room for Memory and Tasks).",
  "2026-06-09T11:02:18.5+00:00 node-1 kernel: [ 3811.1] usb 1-1: new high-speed USB device: usage page 3",
  "    an indented continuation with oom in it",
  "[Wed Sep 16 17:51:34 2026] docker0: port 1(veth1) entered blocking state",
  "Jun  9 11:02:17 node-1 kubelet[1402]: I0609 11:02:17.1 1402 prober.go:107] probe ok command=commit",
  "anon 12345",
  "",
  "6,1204417,912833411207,-;cgroup: fork rejected by pids controller in /kubepods",
  "\x1b[32m[ 1235.000001]\x1b[0m colourful line",
  "Zoom zoom: Mem free 12 kB, Task list pid=5",
];

function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

function interleave(text: string, seed: number, density = 0.5): string {
  const next = rng(seed);
  const out: string[] = [];
  for (const line of text.split("\n")) {
    while (next() < density) out.push(NOISE[Math.floor(next() * NOISE.length)]!);
    out.push(line);
  }
  return out.join("\n");
}

async function expectSame(source: ArtifactSource, readBytes?: number): Promise<number> {
  const slow = await parseKernelLog(source, { scan: false });
  const fast = await parseKernelLog(source, readBytes === undefined ? {} : { readBytes });
  expect(JSON.stringify(fast), `${source.path} read ${readBytes ?? "default"} bytes at a time`).toBe(
    JSON.stringify(slow),
  );
  await expectNotedAtLineStarts(source);
  return fast.ooms.length;
}

/** Every line start the scan noted in `source.lineStarts` is where that line starts in `source.bytes()` (line 1 may be noted after a BOM). */
async function expectNotedAtLineStarts(source: ArtifactSource): Promise<void> {
  const reader = source.bytes!();
  const bytes = Buffer.alloc(reader.size);
  await reader.read(bytes, 0, bytes.length, 0);
  await reader.close();
  const lineStart = [0];
  for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) lineStart.push(i + 1);
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  for (const [i, offset] of lineStart.entries()) {
    const noted = source.lineStarts!.atOrBefore(i + 1);
    if (noted?.line !== i + 1) continue;
    expect(noted.offset, `${source.path}: offset of line ${i + 1}`).toBe(i === 0 && bom ? 3 : offset);
  }
  expect(source.lineStarts!.size > 0 || lineStart.length < 2 || source.path === "noise.txt").toBe(true);
}

const bytesOf = (text: string): Buffer => Buffer.from(text, "utf8");

/** `n` lines of NOISE without the ones holding a needle (near-misses the scan must read). */
function quietNoise(n: number): string {
  const quiet = NOISE.filter((l) => {
    const bytes = Buffer.from(l, "utf8");
    return !bytes.some((_, i) => needleAt(bytes, i, 0, bytes.length));
  });
  return Array.from({ length: n }, (_, i) => quiet[i % quiet.length]).join("\n");
}

/** A `ReadAt` over bytes in memory. */
function readAtOf(bytes: Buffer): ReadAt {
  return (target, offset, length, position) => {
    const n = Math.max(0, Math.min(length, bytes.length - position));
    target.set(bytes.subarray(position, position + n), offset);
    return n;
  };
}

/**
 * A helper that searches `bytes` in this thread, at once: it takes the chunks from `meetAt` on
 * before the scan starts, so the scan meets it there (or takes every chunk when `meetAt` is past them).
 */
function inThread(bytes: Buffer, meetAt: number): (job: TailJob) => TailSearch {
  return (job) => {
    let hints: Promise<TailHints>;
    try {
      const found = searchFromEnd(readAtOf(bytes), job.size, job.chunkBytes, job.maxLines, (c) =>
        c >= meetAt ? claimChunk(job.owners, c, HELPER) : false,
      );
      hints = Promise.resolve(found);
    } catch (err) {
      hints = Promise.reject(err as Error);
      hints.catch(() => {});
    }
    return { hints, stop: async () => {} };
  };
}

/** The lines a scan hands to a caller that reads only what holds a needle (plus the look-back asked of each). */
async function scanLines(
  source: ArtifactSource,
  opts: ScanOptions,
): Promise<{ lines: string[]; total: number; helper: string; starts: LineStarts }> {
  const scan = new KernelLogScan(opts);
  const lines: string[] = [];
  const starts = new LineStarts();
  const total = await scan.run(
    source.bytes!(),
    {
      everyLine: () => false,
      line: (l, skippedBefore) => {
        const before = [...skippedBefore()];
        lines.push(`${l.line}:${l.text}|${before.map((b) => `${b.line}:${b.text}`).join("|")}`);
      },
    },
    starts,
  );
  return { lines, total, helper: scan.helper, starts };
}

/**
 * Checks that each line the scan noted in `starts` starts at the byte offset noted (line 1 may be
 * noted after a BOM), and that the first line of each run of lines handed over was noted.
 */
function expectStartsOf(bytes: Buffer, scanned: { lines: string[]; starts: LineStarts }, what: string): void {
  const lineStart = [0];
  for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) lineStart.push(i + 1);
  const handed = scanned.lines.map((l) => Number(l.slice(0, l.indexOf(":"))));
  const runStarts = handed.filter((n, i) => i === 0 || handed[i - 1] !== n - 1);
  for (const n of runStarts) {
    const noted = scanned.starts.atOrBefore(n);
    expect(noted?.line, `${what}: line ${n} noted`).toBe(n);
    const bom = n === 1 && noted!.offset === 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    if (!bom) expect(noted!.offset, `${what}: offset of line ${n}`).toBe(lineStart[n - 1]);
  }
  expect(scanned.starts.size, what).toBe(runStarts.length);
}

describe("kernel-log scan = reading every line", () => {
  it("on every fixture shape, in noise, at any read size", async () => {
    let events = 0;
    for (const [i, f] of fixtures.entries()) {
      const text = interleave(f.text, i + 1);
      for (const readBytes of [undefined, 5, 61, 4096])
        events += await expectSame(sourceFromString(f.name, text), readBytes);
      events += await expectSame(sourceFromString(f.name, f.text));
    }
    expect(events).toBeGreaterThan(40);
  });

  it("with CRLF, a BOM, invalid UTF-8, no final newline and reports back to back", async () => {
    const all = fixtures.map((f) => f.text).join("\n");
    const variants: [string, Buffer][] = [
      ["crlf", bytesOf(interleave(all, 7).replace(/\n/g, "\r\n"))],
      ["bom", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytesOf(interleave(all, 8))])],
      [
        "invalid-utf8",
        Buffer.concat(
          interleave(all, 9)
            .split("\n")
            .map((l, i) =>
              Buffer.concat([
                bytesOf(l),
                i % 5 === 0 ? Buffer.from([0xc3, 0x28, 0xff]) : Buffer.alloc(0),
                Buffer.from("\n"),
              ]),
            ),
        ),
      ],
      ["no-final-newline", bytesOf(interleave(all, 10).trimEnd())],
      ["dense", bytesOf(all)],
    ];
    for (const [name, bytes] of variants) {
      for (const readBytes of [undefined, 3, 200])
        expect(await expectSame(sourceFromBuffer(name, bytes), readBytes)).toBeGreaterThan(10);
    }
  });

  it("while a read is in flight, never looks at the bytes it is filling", async () => {
    // Like a read in the thread pool: the target is scribbled on at once (with lines full of
    // needles), and holds the file's bytes only when the read resolves, a macrotask later.
    const scribble = bytesOf("Killed process 1 (x) total-vm:1kB\noom-kill:constraint=CONSTRAINT_NONE\n");
    const slowly = (source: ArtifactSource): ArtifactSource => ({
      ...source,
      bytes: () => {
        const inner = source.bytes!();
        return {
          size: inner.size,
          read: async (target, offset, length, position) => {
            for (let i = 0; i < length; i++) target[offset + i] = scribble[i % scribble.length]!;
            const into = new Uint8Array(length);
            const n = await inner.read(into, 0, length, position);
            await new Promise((resolve) => setImmediate(resolve));
            target.set(into.subarray(0, n), offset);
            return n;
          },
          close: () => inner.close(),
        };
      },
    });
    const all = interleave(fixtures.map((f) => f.text).join("\n"), 11);
    for (const readBytes of [undefined, 61, 4096])
      expect(await expectSame(slowly(sourceFromString("in-flight.txt", all)), readBytes)).toBeGreaterThan(10);
  });

  it("across a giant line, in a file of bare messages, and in a file of noise only", async () => {
    const report = fixtures.find((f) => f.name.startsWith("dmesg-x"))!.text;
    const giant = `[    1.000000] ${"x".repeat(MAX_LINE_CHARS + 100)} Killed process 1 (a)`;
    const giantNeedle = `[    1.000000] Killed process 9 (big) total-vm:1kB, anon-rss:1kB, file-rss:0kB ${"y".repeat(MAX_LINE_CHARS)}`;
    expect(await expectSame(sourceFromString("giant.txt", [giant, report, giantNeedle, report].join("\n")))).toBe(3);
    expect(
      await expectSame(sourceFromString("giant.txt", [giant, report, giantNeedle, report].join("\n")), 65536),
    ).toBe(3);
    const bare = report
      .split("\n")
      .map((l) => stripPrefix(l).message)
      .join("\n");
    expect(await expectSame(sourceFromString("bare.txt", interleave(bare, 3)), 64)).toBeGreaterThan(0);
    expect(await expectSame(sourceFromString("noise.txt", interleave("", 4, 0.99)))).toBe(0);
    expect(await expectSame(sourceFromString("garbage.txt", "no kernel here\nnor here\n"))).toBe(0);
    expect(await expectSame(sourceFromString("empty.txt", ""))).toBe(0);
  });

  it("with a helper searching from the end, wherever the two threads meet (jumps, its line limit, reports across the split)", async () => {
    const all = fixtures.map((f) => f.text).join("\n");
    const files: [string, Buffer][] = [
      ["noisy.log", bytesOf(interleave(all, 12, 0.8))],
      ["crlf.log", bytesOf(interleave(all, 13).replace(/\n/g, "\r\n"))],
      ["no-final-newline.log", bytesOf(interleave(all, 14).trimEnd())],
      ["dense.log", bytesOf(all)],
      // Reports far apart (noise without needles between them): the scan jumps past more than its look-back.
      ["sparse.log", bytesOf(fixtures.map((f) => f.text).join(`\n${quietNoise(400)}\n`))],
      // Chunks that start inside a giant line (their first line start is far on, or in a later chunk).
      [
        "giant.log",
        bytesOf(
          [
            all,
            `[    1.000000] ${"x".repeat(MAX_LINE_CHARS + 100)} Killed process 1 (a)`,
            all,
            `[    1.000000] Killed process 9 (big) total-vm:1kB, anon-rss:1kB, file-rss:0kB ${"y".repeat(MAX_LINE_CHARS)}`,
            all,
          ].join("\n"),
        ),
      ],
    ];
    for (const [name, bytes] of files) {
      const source = sourceFromBuffer(name, bytes);
      const slow = JSON.stringify(await parseKernelLog(source, { scan: false }));
      const one = await scanLines(source, { splitFrom: Infinity });
      expectStartsOf(bytes, one, `${name} one thread`);
      for (const opts of [
        { chunkBytes: 4096 },
        { readBytes: 509, chunkBytes: 1000 },
        { readBytes: 4096, chunkBytes: 7 },
        { readBytes: 4096, chunkBytes: 65536, maxHintLines: 3 },
        { readBytes: 4096, chunkBytes: 1 },
      ]) {
        if (opts.chunkBytes < 1000 && bytes.length > 1 << 20) continue; // a giant line in 7-byte chunks: slow, not new
        const chunks = Math.ceil(bytes.length / opts.chunkBytes);
        // One-byte chunks meet around the start of the last line with a kill: at it, or a byte off.
        const lastKill = bytes.lastIndexOf(10, bytes.lastIndexOf("Killed process")) + 1;
        const meetings =
          opts.chunkBytes === 1 ? [lastKill - 1, lastKill, lastKill + 1] : [1, chunks >> 2, chunks - 1, chunks];
        // The helper takes the chunks from `meetAt` on (none at `chunks`).
        for (const meetAt of new Set(meetings)) {
          if (meetAt < 1) continue;
          const what = `${name} ${JSON.stringify(opts)} meeting at chunk ${meetAt} of ${chunks}`;
          const split = { ...opts, splitFrom: 0, searchTail: inThread(bytes, meetAt) };
          expect(JSON.stringify(await parseKernelLog(source, split)), what).toBe(slow);
          const two = await scanLines(source, split);
          expect(two.lines, what).toEqual(one.lines);
          expect(two.total, what).toBe(one.total);
          expectStartsOf(bytes, two, what);
          // The scan waits for the helper only when it reaches the helper's first line start (the end of the file counts).
          const reached = meetAt < chunks && bytes.indexOf(10, meetAt * opts.chunkBytes - 1) >= 0;
          const expected = !reached
            ? ["none"]
            : opts.maxHintLines
              ? ["used", "failed: more than 3 lines hold a needle"]
              : ["used"];
          expect(expected, what).toContain(two.helper);
        }
      }
    }
  });

  it("meets the helper where a read starts on an empty buffer (the line before it read, reads ending on a newline)", async () => {
    // 64-byte lines read 4 KiB at a time in 4 KiB chunks: every read ends on a newline and starts a
    // chunk; the last line of each read holds a needle (it is read), so once the buffer is full it is
    // emptied before a read. 1.5 MiB: the buffer (a little over 1 MiB) fills once.
    const line = (i: number): string =>
      i % 64 === 63
        ? `[    1.000000] oom-kill:constraint=CONSTRAINT_NONE,pid=${String(i).padStart(8, "0")}`
        : `[    1.000000] eth0: link is up, queue ${String(i).padStart(8, "0")} ...............`;
    expect([line(62).length, line(63).length]).toEqual([63, 63]);
    const bytes = bytesOf(`${Array.from({ length: 3 << 13 }, (_, i) => line(i)).join("\n")}\n`);
    const source = sourceFromBuffer("needles.log", bytes);
    const one = await scanLines(source, { splitFrom: Infinity, readBytes: 4096 });
    const chunks = bytes.length / 4096;
    for (let meetAt = chunks / 2; meetAt < chunks; meetAt++) {
      const opts = { readBytes: 4096, chunkBytes: 4096, splitFrom: 0, searchTail: inThread(bytes, meetAt) };
      const two = await scanLines(source, opts);
      expect(two.lines, `meeting at chunk ${meetAt}`).toEqual(one.lines);
    }
  });

  it("the helper thread searches the chunks the scan left it and posts their needle lines", async () => {
    const dir = mkdtempSync(join(tmpdir(), "scan-worker-"));
    try {
      const bytes = bytesOf(interleave(fixtures.map((f) => f.text).join("\n"), 21, 0.8));
      const path = join(dir, "kern.log");
      writeFileSync(path, bytes);
      const chunkBytes = 8192;
      const chunks = Math.ceil(bytes.length / chunkBytes);
      for (const scanHas of [1, chunks >> 1, chunks - 1]) {
        const job = (): TailJob => {
          const owners = new Int32Array(new SharedArrayBuffer(4 * chunks));
          for (let c = 0; c < scanHas; c++) claimChunk(owners, c, SCAN);
          return { path, size: bytes.length, chunkBytes, maxLines: 1000, owners };
        };
        const inWorker = await searchInWorker(job())!.hints;
        const here = await inThread(bytes, 1)(job())!.hints;
        expect(inWorker, `the scan holding ${scanHas} of ${chunks} chunks`).toEqual(here);
        expect(inWorker.lines.length).toBeGreaterThan(0);
        expect(inWorker.split).toBe(bytes.indexOf(10, scanHas * chunkBytes - 1) + 1);
      }
      // A file it cannot open: the hints reject (the scan then searches on).
      const owners = new Int32Array(new SharedArrayBuffer(4 * chunks));
      const missing = { path: join(dir, "missing.log"), size: bytes.length, chunkBytes, maxLines: 1000, owners };
      await expect(searchInWorker(missing)!.hints).rejects.toThrow(/ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("HintSearch does what the docstring's sample of hints.ts says", () => {
    const src = readFileSync(fileURLToPath(new URL("../../src/ingest/kernel-log/hints.ts", import.meta.url)), "utf8");
    const sample = /Sample input[^\n]*\n \* ```text\n([\s\S]*?)\n \* ```/.exec(src)![1]!.replace(/^ \* /gm, "");
    const gives = /gives `\{ lines: \[from \+ (\d+), (\d+)\], lineCount: (\d+), complete: true \}/.exec(src)!;
    const bytes = Buffer.from(`${"x".repeat(99)}\n${sample}\n`);
    const hints = new HintSearch().find(readAtOf(bytes), 100, bytes.length, 10);
    expect([...hints.lines]).toEqual([100 + Number(gives[1]), Number(gives[2])]);
    expect(hints).toMatchObject({ lineCount: Number(gives[3]), complete: true });
  });

  it("UTF-16 files (read line by line) give the facts of their UTF-8 twin", async () => {
    for (const f of fixtures) {
      const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(f.text, "utf16le")]);
      const source = sourceFromBuffer(f.name, utf16);
      expect(source.bytes).toBeUndefined();
      const a = await parseKernelLog(source);
      const b = await parseKernelLog(sourceFromString(f.name, f.text));
      expect(JSON.stringify(a), f.name).toBe(JSON.stringify(b));
    }
  });

  it("every message a report is made of holds a needle (what makes skipping safe)", () => {
    let messages = 0;
    for (const f of fixtures) {
      for (const line of f.text.split("\n")) {
        const m = stripPrefix(line).message;
        if (classify(m) === null || classify(m) === "task-row") continue;
        const bytes = Buffer.from(m, "utf8");
        let found = false;
        for (let i = 0; i < bytes.length && !found; i++) found = needleAt(bytes, i, 0, bytes.length);
        expect(found, `${f.name}: ${m}`).toBe(true);
        messages++;
      }
    }
    expect(messages).toBeGreaterThan(80);
  });
});
