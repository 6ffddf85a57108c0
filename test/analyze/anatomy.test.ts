import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { memoryAnatomy, statParts } from "../../src/analyze/anatomy.js";
import { memoryStat } from "../../src/ingest/memory-stat.js";
import { sourceFromString } from "../../src/ingest/source.js";
import type { MemcgSnapshot } from "../../src/model/facts.js";
import { subject } from "../diagnose/builders.js";

const MS_FIXTURES = new URL("../fixtures/memory-stat/", import.meta.url);
const read = (base: URL, name: string): string => readFileSync(new URL(name, base), "utf8");
/** A `key value` of a memory.stat text, read independently of the ingester. */
const statOf = (text: string, key: string): number => Number(new RegExp(`^${key} (\\d+)$`, "m").exec(text)![1]);
const lineOf = (text: string, wanted: string): number => text.split("\n").findIndex((l) => l.startsWith(wanted)) + 1;
const MI = 2 ** 20;

async function snapshots(path: string, text: string): Promise<MemcgSnapshot[]> {
  return (await memoryStat.parse(sourceFromString(path, text))).memcgSnapshots;
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
    expect(anon).toEqual({
      part: "anon",
      bytes: statOf(text, "anon"),
      shareOfLimit: statOf(text, "anon") / limit,
      evidence: { file: "cg.txt", line: lineOf(text, "anon "), text: `anon ${statOf(text, "anon")}` },
    });
    expect(a.rows.map((r) => r.part)).toEqual([
      "anon",
      "page cache (active file)",
      "page cache (inactive file)",
      "shmem / tmpfs",
      "kernel (slab, stacks, page tables)",
      "socket buffers",
    ]);
    expect(a.workingSetBytes).toBe(usage - statOf(text, "inactive_file"));
    expect(a.oomRiskBytes).toBe(usage - (statOf(text, "file") - statOf(text, "shmem")));
    expect(a.notes.join(" ")).toMatch(/memory\.events counts 3 OOM kills/);
    expect(a.notes.join(" ")).not.toMatch(/reclaimable page cache/);
  });

  it("says the cgroup did not OOM-kill when memory.events has oom_kill 0", async () => {
    const s = subject({});
    s.memcgSnapshots = await snapshots("memory.events", "low 0\nhigh 0\nmax 12\noom 0\noom_kill 0\n");
    s.memcgSnapshots.push(...(await snapshots("memory.stat", "anon 1048576\nfile 0\nshmem 0\n")));
    // Two separate files: the anatomy is the stat file; the events note is from the snapshot that has stat keys.
    const a = memoryAnatomy(s, []);
    expect(a?.rows[0]?.bytes).toBe(1048576);
    const withEvents = subject({});
    withEvents.memcgSnapshots = await snapshots(
      "cg.txt",
      "==> /sys/fs/cgroup/x/memory.events <==\noom 0\noom_kill 0\n\n==> /sys/fs/cgroup/x/memory.stat <==\nanon 1048576\nfile 0\n",
    );
    expect(memoryAnatomy(withEvents, [])!.notes).toContain(
      "memory.events says oom_kill 0, oom 0: this cgroup did not OOM-kill.",
    );
  });

  it("picks the snapshot nearest before the last kill", async () => {
    const s = subject({});
    const dump = (date: string, anon: number) =>
      `${date}\n==> /sys/fs/cgroup/x/memory.stat <==\nanon ${anon}\nfile 0\n`;
    s.memcgSnapshots = await snapshots(
      "cg.txt",
      [
        dump("Tue Jun  9 10:00:00 UTC 2026", MI),
        dump("Tue Jun  9 11:00:00 UTC 2026", 2 * MI),
        dump("Tue Jun  9 12:00:00 UTC 2026", 3 * MI),
      ].join("\n"),
    );
    expect(s.memcgSnapshots).toHaveLength(3);
    const kills = [{ time: "2026-06-09T11:30:00.000Z" }] as Parameters<typeof memoryAnatomy>[1];
    const a = memoryAnatomy(s, kills)!;
    expect(a.rows[0]!.bytes).toBe(2 * MI);
    expect(a.time).toBe("2026-06-09T11:00:00.000Z");
  });
});

describe("memoryAnatomy from the kernel OOM report", () => {
  it("returns null when the bundle has no breakdown", () => {
    expect(memoryAnatomy(subject({}), [])).toBeNull();
  });
});

describe("statParts", () => {
  it("prefers v1 hierarchical total_* keys and sums kernel parts when `kernel` is absent", () => {
    const p = statParts({
      rss: 1,
      total_rss: 10,
      cache: 2,
      total_cache: 20,
      total_shmem: 5,
      slab: 3,
      kernel_stack: 4,
      pagetables: 5,
    });
    expect([p.anonBytes, p.fileBytes, p.shmemBytes, p.kernelBytes]).toEqual([10, 20, 5, 12]);
    expect(p.keys.kernelBytes).toEqual(["slab", "kernel_stack", "pagetables"]);
  });
});
