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
import { findHints } from "../../src/ingest/kernel-log/hints.js";
import { KernelLogScan, type ScanOptions } from "../../src/ingest/kernel-log/scan.js";
import { LineStarts } from "../../src/ingest/shared/line-starts.js";
import { MAX_LINE_CHARS, sourceFromBuffer, sourceFromFile, sourceFromString } from "../../src/ingest/source.js";
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

  it("with a helper thread searching the second half of a file (jumps, its line limit, reports across the split)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "scan-split-"));
    try {
      const all = fixtures.map((f) => f.text).join("\n");
      const files: [string, Buffer][] = [
        ["noisy.log", bytesOf(interleave(all, 12, 0.8))],
        ["crlf.log", bytesOf(interleave(all, 13).replace(/\n/g, "\r\n"))],
        ["no-final-newline.log", bytesOf(interleave(all, 14).trimEnd())],
        ["dense.log", bytesOf(all)],
        // Reports far apart (noise without needles between them): the scan jumps past more than its look-back.
        ["sparse.log", bytesOf(fixtures.map((f) => f.text).join(`\n${quietNoise(400)}\n`))],
        // The middle falls between the giant lines (the split needs a newline near it).
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
        const path = join(dir, name);
        writeFileSync(path, bytes);
        const source = await sourceFromFile(path, name);
        const slow = JSON.stringify(await parseKernelLog(source, { scan: false }));
        for (const opts of [{}, { readBytes: 509 }, { readBytes: 4096 }, { readBytes: 4096, maxHintLines: 3 }]) {
          const split = { ...opts, splitFrom: 0 };
          const fast = await parseKernelLog(source, split);
          expect(JSON.stringify(fast), `${name} ${JSON.stringify(split)}`).toBe(slow);
          // The same lines reach the caller as from one thread, and the helper did run.
          const one = await scanLines(source, { ...opts, splitFrom: Infinity });
          const two = await scanLines(source, split);
          expect(two.helper, name).toBe("used");
          expect(two.lines, `${name} ${JSON.stringify(split)}`).toEqual(one.lines);
          expect(two.total).toBe(one.total);
          expectStartsOf(bytes, one, `${name} one thread ${JSON.stringify(opts)}`);
          expectStartsOf(bytes, two, `${name} two threads ${JSON.stringify(opts)}`);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("findHints does what its docstring's sample says", () => {
    const src = readFileSync(fileURLToPath(new URL("../../src/ingest/kernel-log/hints.ts", import.meta.url)), "utf8");
    const sample = /Sample input[^\n]*\n \* ```text\n([\s\S]*?)\n \* ```/.exec(src)![1]!.replace(/^ \* /gm, "");
    const gives = /gives `\{ lines: \[from \+ (\d+), (\d+)\]/.exec(src)!;
    const bytes = Buffer.from(`${"x".repeat(99)}\n${sample}\n`);
    const readAt = (target: Uint8Array, offset: number, length: number, position: number): number => {
      const n = Math.max(0, Math.min(length, bytes.length - position));
      target.set(bytes.subarray(position, position + n), offset);
      return n;
    };
    const hints = findHints(readAt, 100, 10);
    expect([...hints.lines]).toEqual([100 + Number(gives[1]), Number(gives[2])]);
    expect(hints).toMatchObject({ stop: bytes.length, linesBeforeStop: 2, complete: true });
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
