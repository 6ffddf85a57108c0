/**
 * The kernel-log pre-filter check shared by line-batches.test.ts (fixtures) and
 * line-batches.shared.test.ts (real captures): each file, with node-journal noise interleaved,
 * must give the same facts through the fast path as read line by line with no pre-filter.
 */
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { kernelLog, parseKernelLog } from "../../src/ingest/kernel-log.js";
import { sourceFromString } from "../../src/ingest/source.js";
import type { ArtifactSource } from "../../src/ingest/types.js";

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

/** Checks every file (absolute paths) and returns the number of OOM events read in all. */
export async function expectPrefilterAgrees(files: string[]): Promise<number> {
  let events = 0;
  for (const [i, f] of files.entries()) {
    const text = interleave(readFileSync(f, "utf8"), i + 1);
    const fast = await kernelLog.parse(sourceFromString("k.txt", text));
    const slow = await parseKernelLog(linesOnly(sourceFromString("k.txt", text)), { scan: false });
    expect(JSON.stringify(fast), f).toBe(JSON.stringify(slow));
    events += fast.ooms.length;
  }
  return events;
}
