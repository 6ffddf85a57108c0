import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { FactSet, MemcgSnapshot } from "../../src/model/facts.js";
import { memoryStat } from "../../src/ingest/memory-stat.js";
import { sourceFromString } from "../../src/ingest/source.js";

const FIXTURES = new URL("../fixtures/memory-stat/", import.meta.url);

const fixture = (name: string): string => readFileSync(new URL(name, FIXTURES), "utf8");
const parse = (path: string, text: string): Promise<FactSet> => memoryStat.parse(sourceFromString(path, text));
const sniff = (path: string, text: string): boolean => memoryStat.sniff(sourceFromString(path, text).head, path);
/** 1-based line number of the first line equal to `wanted` (trimmed), computed from the input. */
const lineOf = (text: string, wanted: string): number => text.split("\n").findIndex((l) => l.trim() === wanted) + 1;
/** Deterministic pseudo-random bytes (xorshift32), newlines included. */
const binaryGarbage = (length: number): string => {
  let x = 2463534242;
  let out = "";
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out += String.fromCharCode((x >>> 0) % 256);
  }
  return out;
};
const codes = (facts: FactSet): string[] => facts.diagnostics.map((d) => d.code);
const only = (facts: FactSet): MemcgSnapshot => {
  expect(facts.memcgSnapshots).toHaveLength(1);
  return facts.memcgSnapshots[0]!;
};

describe("memory-stat accepted shapes", () => {
  it("merges head/tail `==> file <==` sections into one snapshot per cgroup directory", async () => {
    const text = fixture("head-concat-v2.txt");
    expect(sniff("cgroup-files.txt", text)).toBe(true);
    const facts = await parse("cgroup-files.txt", text);
    expect(facts.diagnostics).toEqual([]);
    expect(facts.memcgSnapshots).toHaveLength(2);
    const [ctr, pod] = facts.memcgSnapshots as [MemcgSnapshot, MemcgSnapshot];
    expect(ctr.path).toMatch(/\/cri-containerd-4f8e1b2c[0-9a-f]+\.scope$/);
    expect(pod.path).toMatch(/kubepods-burstable-pod3f1c2a7e_9b4d_4c1a_8e2f_5d6b7a8c9d0e\.slice$/);
    expect(ctr.version).toBe(2);
    expect(ctr.currentBytes).toBe(536354816);
    expect(ctr.limitBytes).toBe(536870912);
    expect(ctr.limitUnlimited).toBe(false);
    expect(ctr.peakBytes).toBe(536870912);
    expect(ctr.events).toMatchObject({ max: 1423, oom: 3, oom_kill: 3, oom_group_kill: 0 });
    expect(ctr.eventLines?.oom_kill).toBe(lineOf(text, "oom_kill 3"));
    expect(ctr.stat.anon).toBe(521142272);
    expect(ctr.statLines.anon).toBe(lineOf(text, "anon 521142272"));
    expect(ctr.valueSources?.limitBytes).toEqual({ key: "memory.max", line: lineOf(text, "536870912") });
    expect(pod.limitBytes).toBeNull();
    expect(pod.limitUnlimited).toBe(true);
    expect(pod.currentBytes).toBe(537894912);
    expect(pod.events.oom_kill).toBe(3);
    expect(pod.version).toBe(2);
  });

  it("reads `grep -r . <pod dir>` on cgroup v2, ignoring other controllers and memory.events.local", async () => {
    const text = fixture("grep-r-v2.txt");
    expect(sniff("grep.txt", text)).toBe(true);
    const facts = await parse("grep.txt", text);
    expect(facts.diagnostics).toEqual([]);
    expect(facts.memcgSnapshots).toHaveLength(2);
    const [pod, ctr] = facts.memcgSnapshots as [MemcgSnapshot, MemcgSnapshot];
    expect(pod.path).toMatch(/pod3f1c2a7e_9b4d_4c1a_8e2f_5d6b7a8c9d0e\.slice$/);
    expect(pod.version).toBe(2);
    expect(pod.limitUnlimited).toBe(true);
    expect(pod.peakBytes).toBe(538132480);
    expect(pod.events.oom_kill).toBe(3);
    expect(pod.pressure?.some).toEqual({ avg10: 21.37, avg60: 9.84, avg300: 2.51, totalUs: 61822314 });
    expect(pod.pressure?.full?.totalUs).toBe(54410982);
    expect(Object.keys(pod.stat)).toEqual([]);
    expect(ctr.path).toBe(
      `${pod.path}/cri-containerd-4f8e1b2c3d4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c.scope`,
    );
    expect(ctr.stat.anon).toBe(521142272);
    expect(ctr.limitBytes).toBe(536870912);
    expect(ctr.statLines.file).toBe(text.split("\n").findIndex((l) => l.endsWith("/memory.stat:file 4096000")) + 1);
  });

  it("reads `grep -r .` on a cgroup v1 pod: limit_in_bytes, usage, failcnt, oom_control; not memory.kmem.*", async () => {
    const text = fixture("grep-r-v1.txt");
    expect(sniff("grep-v1.txt", text)).toBe(true);
    const facts = await parse("grep-v1.txt", text);
    expect(facts.diagnostics).toEqual([]);
    const snap = only(facts);
    expect(snap.version).toBe(1);
    expect(snap.path).toBe("/sys/fs/cgroup/memory/kubepods/burstable/pod7c5e2b1a-3d4f-4e6a-9b8c-1d2e3f4a5b6c");
    expect(snap.limitBytes).toBe(268435456);
    expect(snap.valueSources?.limitBytes?.key).toBe("memory.limit_in_bytes");
    expect(snap.currentBytes).toBe(267464704);
    expect(snap.peakBytes).toBe(268435456);
    expect(snap.events).toEqual({ failcnt: 1893, oom_kill_disable: 0, under_oom: 0, oom_kill: 2 });
    expect(snap.stat.total_rss).toBe(264957952);
  });

  it("claims a `grep -r` cgroup dump whose memory.* lines come after the sniffed head", async () => {
    const dir = "/sys/fs/cgroup/kubepods.slice/kubepods-besteffort.slice";
    const early = Array.from(
      { length: 400 },
      (_, i) => `${dir}/io.stat:8:${i} rbytes=${i * 4096} wbytes=0 rios=${i} wios=0 dbytes=0 dios=0`,
    );
    const text = [
      ...early,
      `${dir}/memory.current:73728000`,
      `${dir}/memory.max:max`,
      `${dir}/memory.stat:anon 70123520`,
    ].join("\n");
    const head = sourceFromString("dump.txt", text).head;
    expect(head).not.toContain("memory.");
    expect(memoryStat.sniff(head, "dump.txt")).toBe(true);
    const facts = await parse("dump.txt", text);
    expect(facts.diagnostics.map((d) => d.code)).toEqual(["memory-stat/missing-key"]);
    expect(only(facts)).toMatchObject({
      path: dir,
      currentBytes: 73728000,
      limitBytes: null,
      limitUnlimited: true,
      version: 2,
    });
  });

  it.each([
    ["unlimited.memory.max", null, true],
    ["limit-512mi.memory.max.txt", 536870912, false],
  ])("reads a lone value by its file name: %s", async (name, limit, unlimited) => {
    const text = fixture(name);
    expect(sniff(name, text)).toBe(true);
    const facts = await parse(name, text);
    expect(facts.diagnostics).toEqual([]);
    const snap = only(facts);
    expect(snap.limitBytes).toBe(limit);
    expect(snap.limitUnlimited).toBe(unlimited);
    expect(snap.version).toBe(2);
    expect(snap.valueSources?.limitBytes).toEqual({ key: "memory.max", line: 1 });
  });

  it("reads memory.current, memory.peak and v1 usage files by name", async () => {
    expect(only(await parse("x/memory.current", "123456\n")).currentBytes).toBe(123456);
    expect(only(await parse("memory.peak", "654321")).peakBytes).toBe(654321);
    const v1 = only(await parse("pod.memory.usage_in_bytes", "267464704\n"));
    expect([v1.currentBytes, v1.version]).toEqual([267464704, 1]);
    const unlimitedV1 = only(await parse("memory.limit_in_bytes", "9223372036854771712\n"));
    expect([unlimitedV1.limitBytes, unlimitedV1.limitUnlimited]).toEqual([null, true]);
    expect(sniff("memory.current", "123456\n")).toBe(true);
    expect(sniff("notes.txt", "123456\n")).toBe(false);
  });

  it("reads memory.events with oom_kill, by name and by content", async () => {
    const text = fixture("oom-kills.memory.events");
    expect(sniff("oom-kills.memory.events", text)).toBe(true);
    expect(sniff("events.txt", text)).toBe(true);
    expect(sniff("old-kernel.memory.events", "low 0\nhigh 12\nmax 7\n")).toBe(true);
    const snap = only(await parse("events.txt", text));
    expect(snap.events).toEqual({ low: 0, high: 0, max: 1423, oom: 3, oom_kill: 3, oom_group_kill: 0 });
    expect(snap.eventLines?.oom_kill).toBe(lineOf(text, "oom_kill 3"));
    expect(Object.keys(snap.stat)).toEqual([]);
  });

  it("reads memory.pressure PSI lines by key", async () => {
    const text = fixture("stalled.memory.pressure");
    expect(sniff("stalled.memory.pressure", text)).toBe(true);
    expect(sniff("cpu.pressure", text)).toBe(false);
    const facts = await parse("stalled.memory.pressure", text);
    expect(facts.diagnostics).toEqual([]);
    const snap = only(facts);
    expect(snap.pressure).toEqual({
      line: 1,
      some: { avg10: 21.37, avg60: 9.84, avg300: 2.51, totalUs: 61822314 },
      full: { avg10: 19.02, avg60: 8.65, avg300: 2.2, totalUs: 54410982 },
    });
    const reordered = only(await parse("memory.pressure", "full total=5 avg300=0.30 avg60=0.20 avg10=0.10\n"));
    expect(reordered.pressure?.full).toEqual({ avg10: 0.1, avg60: 0.2, avg300: 0.3, totalUs: 5 });
  });

  it("splits two dumps of the same file into two dated snapshots, skipping shell prompts", async () => {
    const text = fixture("cat-twice-prompts.txt");
    expect(sniff("terminal.txt", text)).toBe(true);
    const facts = await parse("terminal.txt", text);
    expect(facts.diagnostics).toEqual([]);
    expect(facts.memcgSnapshots).toHaveLength(2);
    const [a, b] = facts.memcgSnapshots as [MemcgSnapshot, MemcgSnapshot];
    expect(a.takenAtText).toBe("Tue Jun  9 11:01:17 UTC 2026");
    expect(b.takenAtText).toBe("Tue Jun  9 11:02:17 UTC 2026");
    expect(b.stat.anon! - a.stat.anon!).toBe(98304000);
    expect(b.source.line).toBeGreaterThan(a.source.endLine!);
  });
});

describe("memory-stat on hostile input", () => {
  it("empty input: not claimed, no snapshot, one error", async () => {
    expect(sniff("memory.stat", "")).toBe(false);
    const facts = await parse("memory.stat", "");
    expect(facts.memcgSnapshots).toEqual([]);
    expect(facts.diagnostics.map((d) => [d.severity, d.code])).toEqual([["error", "memory-stat/no-data"]]);
  });

  it("binary garbage: not claimed, parse does not throw and caps its warnings", async () => {
    const garbage = binaryGarbage(20000);
    expect(sniff("memory.stat", garbage)).toBe(false);
    const facts = await parse("memory.stat", garbage);
    expect(facts.diagnostics.length).toBeLessThanOrEqual(52);
    expect(codes(facts)).toContain("memory-stat/too-many-warnings");
    expect(facts.diagnostics.every((d) => !/[\u0000-\u0008]/.test(d.message))).toBe(true);
  });

  it("warns with file and line on letters, negatives, extra fields and numbers beyond 2^53", async () => {
    const text = ["anon 12a4", "file -5", "kernel 1 2", "sock 18446744073709551615", "shmem 0", "anon 5"].join("\n");
    const facts = await parse("memory.stat", text);
    expect(facts.diagnostics.map((d) => [d.at.line, d.code])).toEqual([
      [1, "memory-stat/bad-number"],
      [2, "memory-stat/bad-number"],
      [3, "memory-stat/bad-line"],
      [4, "memory-stat/imprecise-number"],
      [4, "memory-stat/missing-key"],
    ]);
    expect(facts.diagnostics.every((d) => d.at.file === "memory.stat" && d.severity === "warning")).toBe(true);
    expect(facts.diagnostics[1]!.message).toContain("negative");
    const snap = only(facts);
    expect(snap.stat.shmem).toBe(0);
    expect(snap.stat.anon).toBe(5);
    expect(snap.stat.sock).toBeGreaterThan(2 ** 53);
  });

  it("a lone number in a file whose name says nothing is a warning, not a guess", async () => {
    const facts = await parse("value.txt", "536870912\n");
    expect(facts.memcgSnapshots).toEqual([]);
    expect(codes(facts)).toEqual(["memory-stat/bare-value", "memory-stat/no-data"]);
  });

  it("a huge line is reported with a clipped excerpt", async () => {
    const facts = await parse("memory.stat", `anon 1\n${"x ".repeat(600_000)}\nfile 2\n`);
    expect(only(facts).stat).toEqual({ anon: 1, file: 2 });
    expect(facts.diagnostics).toHaveLength(1);
    expect(facts.diagnostics[0]!.at.line).toBe(2);
    expect(facts.diagnostics[0]!.message.length).toBeLessThan(300);
  });
});
