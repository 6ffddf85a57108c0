/** Separately saved cgroup files of one cgroup merge into one reading (ingest/memory-stat/merge.ts). */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { mergeSavedCgroupFiles } from "../../src/ingest/memory-stat/merge.js";
import { memoryStat } from "../../src/ingest/memory-stat.js";
import { sourceFromString } from "../../src/ingest/source.js";
import { memcgPartFile, type MemcgSnapshot } from "../../src/model/facts.js";
import { runPostmortem } from "../../src/pipeline.js";

const bundle = fileURLToPath(new URL("../fixtures/bundles/cgroup-files-two-cgroups", import.meta.url));
const read = async (path: string, text: string): Promise<MemcgSnapshot[]> =>
  (await memoryStat.parse(sourceFromString(path, text))).memcgSnapshots;

describe("separately saved cgroup files", () => {
  it("merge per folder: usage, limit, events and pressure of one cgroup in one snapshot, each part citing its own file", async () => {
    const snaps = [
      ...(await read("a/memory.stat", "anon 100\nfile 50\nshmem 0\ninactive_file 20\n")),
      ...(await read("a/memory.current", "150\n")),
      ...(await read("a/memory.max", "1000\n")),
      ...(await read("a/memory.events", "low 0\nhigh 0\nmax 7\noom 0\noom_kill 0\n")),
      ...(await read("a/memory.pressure", "some avg10=1.00 avg60=2.00 avg300=3.00 total=4\n")),
      ...(await read("b/memory.current", "999\n")),
    ];
    const merged = mergeSavedCgroupFiles(snaps);
    expect(merged).toHaveLength(2);
    const [a, b] = merged;
    expect(a).toMatchObject({
      currentBytes: 150,
      limitBytes: 1000,
      events: { max: 7 },
      stat: { anon: 100 },
      source: { file: "a/memory.stat" },
    });
    expect(a!.pressure?.some?.avg60).toBe(2);
    expect(memcgPartFile(a!, "events")).toBe("a/memory.events");
    expect(memcgPartFile(a!, "currentBytes")).toBe("a/memory.current");
    expect(memcgPartFile(a!, "stat")).toBe("a/memory.stat");
    expect(a!.valueSources?.limitBytes).toEqual({ line: 1, key: "memory.max" });
    expect(b).toBe(snaps[5]);
  });

  it("are left apart when a part comes from two files (two cgroups or a series) or a file names its cgroup", async () => {
    const twoCurrents = [
      ...(await read("x/memory.stat", "anon 1\nfile 1\n")),
      ...(await read("x/memory.current", "5\n")),
      ...(await read("x/later.memory.current", "6\n")),
    ];
    expect(mergeSavedCgroupFiles(twoCurrents)).toEqual(twoCurrents);
    const named = [
      ...(await read("y/stat.txt", "==> /sys/fs/cgroup/a/memory.stat <==\nanon 1\nfile 1\n")),
      ...(await read("y/memory.current", "5\n")),
    ];
    expect(mergeSavedCgroupFiles(named)).toEqual(named);
  });

  it("in a bundle: one reading per folder, with the usage, the OOM risk and the early warning citing memory.events and memory.pressure", async () => {
    const report = await runPostmortem({ bundlePath: bundle });
    expect(report.incidents).toEqual([]);
    const readings = report.readings ?? [];
    expect(readings).toHaveLength(2);
    const api = readings.find((r) => r.anatomy.source.file === "api/memory.stat")!.anatomy;
    expect([api.usageBytes, api.limitBytes]).toEqual([1576000000, 1610612736]);
    expect(api.oomRiskBytes).toBe(1576000000 - 52428800);
    const warn = api.notes.find((n) => n.startsWith("Early warning"))!;
    expect(warn).toContain("97.9% of the 1.5 GiB limit");
    expect(warn).toContain("max 4120 (api/memory.events:3)");
    expect(warn).toContain("full avg10 8.75% avg60 6.4% avg300 2.91%");
    expect(warn).toContain("(api/memory.pressure:1)");
    const worker = readings.find((r) => r.anatomy.source.file === "worker/memory.stat.txt")!.anatomy;
    expect(worker.usageBytes).toBe(1163919360);
    expect(worker.limitBytes).toBeNull();
    expect(worker.notes.some((n) => n.startsWith("Early warning"))).toBe(false);
    expect(worker.notes.some((n) => /reclaimable page cache/.test(n))).toBe(true);
  });
});
