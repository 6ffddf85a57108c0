/** memoryAnatomy on the real captures of ../shared/realworld (npm run test:shared). */
import { describe, expect, it } from "vitest";
import { memoryAnatomy } from "../../src/analyze/anatomy.js";
import { buildKills } from "../../src/correlate/kills.js";
import { kernelLog } from "../../src/ingest/kernel-log.js";
import { memoryStat } from "../../src/ingest/memory-stat.js";
import { sourceFromString } from "../../src/ingest/source.js";
import type { MemcgSnapshot } from "../../src/model/facts.js";
import { subject } from "../diagnose/builders.js";
import { realworldText } from "../realworld.js";

/** A `key value` of a memory.stat text, read independently of the ingester. */
const statOf = (text: string, key: string): number => Number(new RegExp(`^${key} (\\d+)$`, "m").exec(text)![1]);

async function snapshots(path: string, text: string): Promise<MemcgSnapshot[]> {
  return (await memoryStat.parse(sourceFromString(path, text))).memcgSnapshots;
}

async function fromKernelLog(name: string) {
  const facts = await kernelLog.parse(sourceFromString(name, realworldText(name)));
  const s = subject({ container: null, pod: null, ooms: facts.ooms });
  return { s, kills: buildKills(s) };
}

describe("memoryAnatomy from a real memory.stat snapshot", () => {
  it("calls out the page-cache false alarm on the file-heavy real v2 memory.stat", async () => {
    const name = "12-lkml-udp-skmem-k8s-v2-file-heavy.memory.stat";
    const text = realworldText(name);
    const s = subject({ container: null, pod: null });
    s.memcgSnapshots = await snapshots(name, text);
    s.memcgSnapshots[0]!.currentBytes = statOf(text, "anon") + statOf(text, "file") + statOf(text, "kernel");
    s.memcgSnapshots[0]!.limitBytes = 10 * 2 ** 30;
    const a = memoryAnatomy(s, [])!;
    const reclaimable = statOf(text, "file") - statOf(text, "shmem");
    expect(a.oomRiskBytes).toBe(a.usageBytes! - reclaimable);
    expect(a.notes[0]).toMatch(
      /^\S+ GiB of the \S+ GiB "usage" is reclaimable page cache; the non-reclaimable part is \S+ MiB = \d+(?:\.\d)?% of the 10 GiB limit/,
    );
  });
});

describe("memoryAnatomy from the kernel OOM report of real captures", () => {
  it("v1 single-line stats (case 09): shmem dominates, cache includes it, kmem from the counter", async () => {
    const { s, kills } = await fromKernelLog("09-meituan-4.18-docker-systemd-memsw-shmem-write.dmesg.txt");
    const a = memoryAnatomy(s, kills)!;
    const KB = 1024;
    expect([a.usageBytes, a.limitBytes]).toEqual([32461112 * KB, 33554432 * KB]);
    const row = (part: string) => a.rows.find((r) => r.part === part);
    expect(row("shmem / tmpfs")!.bytes).toBe(27731164 * KB);
    expect(row("anon")!.bytes).toBe(4233580 * KB);
    expect(row("kernel (kmem)")!.bytes).toBe(478036 * KB);
    expect(row("page cache (inactive file)")!.bytes).toBe(10400 * KB);
    expect(a.oomRiskBytes).toBe(32461112 * KB - (27747820 - 27731164) * KB);
    expect(row("anon")!.evidence!.line).toBe(37);
    expect(a.source.line).toBe(34);
  });

  it("v2 stats (case 11): socket buffers are most of the 200 MiB limit", async () => {
    const { s, kills } = await fromKernelLog("11-blog-zh-rhel9-k8s-v2-dmesg-Tx-sock-heavy.dmesg.txt");
    const a = memoryAnatomy(s, kills)!;
    const sock = a.rows.find((r) => r.part === "socket buffers")!;
    expect(sock.bytes).toBe(183623680);
    expect(sock.shareOfLimit).toBeCloseTo(183623680 / (204800 * 1024), 6);
    expect(a.workingSetBytes).toBe(208204 * 1024 - 4096);
  });
});
