import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { memoryAnatomy, statParts } from "../../src/analyze/anatomy.js";
import { buildKills } from "../../src/correlate/kills.js";
import { kernelLog } from "../../src/ingest/kernel-log.js";
import { memoryStat } from "../../src/ingest/memory-stat.js";
import { sourceFromString } from "../../src/ingest/source.js";
import type { MemcgSnapshot } from "../../src/model/facts.js";
import { subject } from "../diagnose/builders.js";

const REALWORLD = new URL("../../../shared/realworld/", import.meta.url);
const MS_FIXTURES = new URL("../fixtures/memory-stat/", import.meta.url);
const read = (base: URL, name: string): string => readFileSync(new URL(name, base), "utf8");
/** A `key value` of a memory.stat text, read independently of the ingester. */
const statOf = (text: string, key: string): number => Number(new RegExp(`^${key} (\\d+)$`, "m").exec(text)![1]);
const lineOf = (text: string, wanted: string): number => text.split("\n").findIndex((l) => l.startsWith(wanted)) + 1;
const MI = 2 ** 20;

async function snapshots(path: string, text: string): Promise<MemcgSnapshot[]> {
  return (await memoryStat.parse(sourceFromString(path, text))).memcgSnapshots;
}

async function fromKernelLog(name: string) {
  const facts = await kernelLog.parse(sourceFromString(name, read(REALWORLD, name)));
  const s = subject({ container: null, pod: null, ooms: facts.ooms });
  return { s, kills: buildKills(s) };
}

describe("memoryAnatomy from a memory.stat snapshot", () => {
  it("reads the v2 head-concat dump: rows with bytes, share of limit and file:line, working set and OOM risk", async () => {
    const text = read(MS_FIXTURES, "head-concat-v2.txt");
    const s = subject({});
    s.memcgSnapshots = await snapshots("cg.txt", text);
    const a = memoryAnatomy(s, [])!;
    const limit = Number(text.split("memory.max <==\n")[1]!.split("\n")[0]);
    const usage = Number(text.split("memory.current <==\n")[1]!.split("\n")[0]);
    expect([a.usageBytes, a.limitBytes]).toEqual([usage, limit]);
    const anon = a.rows.find((r) => r.part === "anon")!;
    expect(anon).toEqual({ part: "anon", bytes: statOf(text, "anon"), shareOfLimit: statOf(text, "anon") / limit, evidence: { file: "cg.txt", line: lineOf(text, "anon "), text: `anon ${statOf(text, "anon")}` } });
    expect(a.rows.map((r) => r.part)).toEqual(["anon", "page cache (active file)", "page cache (inactive file)", "shmem / tmpfs", "kernel (slab, stacks, page tables)", "socket buffers"]);
    expect(a.workingSetBytes).toBe(usage - statOf(text, "inactive_file"));
    expect(a.oomRiskBytes).toBe(usage - (statOf(text, "file") - statOf(text, "shmem")));
    expect(a.notes.join(" ")).toMatch(/memory\.events counts 3 OOM kills/);
    expect(a.notes.join(" ")).not.toMatch(/reclaimable page cache/);
  });

  it("calls out the page-cache false alarm on the file-heavy real v2 memory.stat", async () => {
    const name = "12-lkml-udp-skmem-k8s-v2-file-heavy.memory.stat";
    const text = read(REALWORLD, name);
    const s = subject({ container: null, pod: null });
    s.memcgSnapshots = await snapshots(name, text);
    s.memcgSnapshots[0]!.currentBytes = statOf(text, "anon") + statOf(text, "file") + statOf(text, "kernel");
    s.memcgSnapshots[0]!.limitBytes = 10 * 2 ** 30;
    const a = memoryAnatomy(s, [])!;
    const reclaimable = statOf(text, "file") - statOf(text, "shmem");
    expect(a.oomRiskBytes).toBe(a.usageBytes! - reclaimable);
    expect(a.notes[0]).toMatch(/^\S+ GiB of the \S+ GiB "usage" is reclaimable page cache; the non-reclaimable part is \S+ MiB = \d+% of the 10 GiB limit/);
  });

  it("says the cgroup did not OOM-kill when memory.events has oom_kill 0", async () => {
    const s = subject({});
    s.memcgSnapshots = await snapshots("memory.events", "low 0\nhigh 0\nmax 12\noom 0\noom_kill 0\n");
    s.memcgSnapshots.push(...(await snapshots("memory.stat", "anon 1048576\nfile 0\nshmem 0\n")));
    // Two separate files: the anatomy is the stat file; the events note is from the snapshot that has stat keys.
    const a = memoryAnatomy(s, []);
    expect(a?.rows[0]?.bytes).toBe(1048576);
    const withEvents = subject({});
    withEvents.memcgSnapshots = await snapshots("cg.txt", "==> /sys/fs/cgroup/x/memory.events <==\noom 0\noom_kill 0\n\n==> /sys/fs/cgroup/x/memory.stat <==\nanon 1048576\nfile 0\n");
    expect(memoryAnatomy(withEvents, [])!.notes).toContain("memory.events says oom_kill 0, oom 0: this cgroup did not OOM-kill.");
  });

  it("picks the snapshot nearest before the last kill", async () => {
    const s = subject({});
    const dump = (date: string, anon: number) => `${date}\n==> /sys/fs/cgroup/x/memory.stat <==\nanon ${anon}\nfile 0\n`;
    s.memcgSnapshots = await snapshots("cg.txt", [dump("Tue Jun  9 10:00:00 UTC 2026", MI), dump("Tue Jun  9 11:00:00 UTC 2026", 2 * MI), dump("Tue Jun  9 12:00:00 UTC 2026", 3 * MI)].join("\n"));
    expect(s.memcgSnapshots).toHaveLength(3);
    const kills = [{ time: "2026-06-09T11:30:00.000Z" }] as Parameters<typeof memoryAnatomy>[1];
    const a = memoryAnatomy(s, kills)!;
    expect(a.rows[0]!.bytes).toBe(2 * MI);
    expect(a.time).toBe("2026-06-09T11:00:00.000Z");
  });
});

describe("memoryAnatomy from the kernel OOM report", () => {
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

  it("returns null when the bundle has no breakdown", () => {
    expect(memoryAnatomy(subject({}), [])).toBeNull();
  });
});

describe("statParts", () => {
  it("prefers v1 hierarchical total_* keys and sums kernel parts when `kernel` is absent", () => {
    const p = statParts({ rss: 1, total_rss: 10, cache: 2, total_cache: 20, total_shmem: 5, slab: 3, kernel_stack: 4, pagetables: 5 });
    expect([p.anonBytes, p.fileBytes, p.shmemBytes, p.kernelBytes]).toEqual([10, 20, 5, 12]);
    expect(p.keys.kernelBytes).toEqual(["slab", "kernel_stack", "pagetables"]);
  });
});
