/**
 * The fast paths added for gigabyte inputs must not change what is read:
 * `splitLineBatches` gives exactly `splitLines`' lines at any chunking, and the kernel-log
 * ingester's pre-filter (lines skipped unread) gives the same facts as reading every line.
 */
import { describe, it, expect } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { kernelLog, parseKernelLog } from "../../src/ingest/kernel-log.js";
import { MAX_LINE_CHARS, sourceFromString, splitLineBatches, splitLines } from "../../src/ingest/source.js";
import type { ArtifactSource, Line } from "../../src/ingest/types.js";

const REALWORLD = fileURLToPath(new URL("../../../shared/realworld/", import.meta.url));
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

// Noise of the shapes a node journal carries, the first lines of a file's own prefix style included.
const NOISE = [
  "[ 1234.567890] eth0: link up",
  "Dec 20 03:17:52 node-1 kernel: [  99.000001] audit: type=1334 audit(1794623467.228:9421): prog-id=311 op=LOAD",
  "2026-06-09T11:02:17+00:00 node-1 systemd[1]: Started cri-containerd-5c1f.scope.",
  "    an indented continuation",
  "[Wed Sep 16 17:51:34 2026] docker0: port 1(veth1) entered blocking state",
  "Jun  9 11:02:17 node-1 kubelet[1402]: I0609 11:02:17.1 1402 prober.go:107] probe ok",
  "anon 12345",
  "",
];

function interleave(text: string, seed: number): string {
  let s = seed;
  const next = (): number => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const out: string[] = [];
  for (const line of text.split("\n")) {
    while (next() < 0.5) out.push(NOISE[Math.floor(next() * NOISE.length)]!);
    out.push(line);
  }
  return out.join("\n");
}

// A source without `lineBatches`: the ingester reads it line by line.
function linesOnly(src: ArtifactSource): ArtifactSource {
  return { path: src.path, head: src.head, lines: () => src.lines(), text: () => src.text() };
}

describe("splitLineBatches", () => {
  const text = [
    "plain", "crlf\r", "\x1b[31mred\x1b[0m", "", "x".repeat(MAX_LINE_CHARS * 2 + 10), "after long", "y".repeat(70_000), "tail without newline",
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
  const files = [
    ...readdirSync(REALWORLD).filter((f) => /dmesg|kmsg/.test(f)).map((f) => join(REALWORLD, f)),
    ...readdirSync(FIXTURES).map((f) => join(FIXTURES, f)),
  ];

  it("gives the same facts (batches, lines skipped unread) as reading every line one by one, in noise", async () => {
    expect(files.length).toBeGreaterThan(10);
    let events = 0;
    for (const [i, f] of files.entries()) {
      const text = interleave(readFileSync(f, "utf8"), i + 1);
      const fast = await kernelLog.parse(sourceFromString("k.txt", text));
      const slow = await parseKernelLog(linesOnly(sourceFromString("k.txt", text)), { scan: false });
      expect(JSON.stringify(fast), f).toBe(JSON.stringify(slow));
      events += fast.ooms.length;
    }
    expect(events).toBeGreaterThan(10);
  });
});
