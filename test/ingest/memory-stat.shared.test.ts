/** memoryStat on the real captures of ../shared/realworld (npm run test:shared). */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { FactSet, MemcgSnapshot } from "../../src/model/facts.js";
import { memoryStat } from "../../src/ingest/memory-stat.js";
import { sourceFromString } from "../../src/ingest/source.js";
import { realworldCaptures, realworldText as realworld } from "../realworld.js";

const parse = (path: string, text: string): Promise<FactSet> => memoryStat.parse(sourceFromString(path, text));
const sniff = (path: string, text: string): boolean => memoryStat.sniff(sourceFromString(path, text).head, path);
/** 1-based line number of the first line equal to `wanted` (trimmed), computed from the input. */
const lineOf = (text: string, wanted: string): number => text.split("\n").findIndex((l) => l.trim() === wanted) + 1;
const codes = (facts: FactSet): string[] => facts.diagnostics.map((d) => d.code);
const only = (facts: FactSet): MemcgSnapshot => {
  expect(facts.memcgSnapshots).toHaveLength(1);
  return facts.memcgSnapshots[0]!;
};

const V2_FILE = "12-lkml-udp-skmem-k8s-v2-file-heavy.memory.stat";
const V1_NOLIMIT = "26-terra-salmon-docker-nolimit-v1.memory.stat";
const V1_POD_SLICE = "36-harvester-vm-pod-slice-nolimit-v1-clean.memory.stat";

describe("memory-stat on real captures", () => {
  it("reads a cgroup v2 memory.stat dominated by page cache (LKML UDP report)", async () => {
    const text = realworld(V2_FILE);
    expect(sniff(V2_FILE, text)).toBe(true);
    const facts = await parse(V2_FILE, text);
    expect(facts.diagnostics).toEqual([]);
    const snap = only(facts);
    expect(snap.version).toBe(2);
    expect(snap.path).toBeNull();
    expect(snap.stat.file).toBe(7502163968);
    expect(snap.stat.anon).toBe(348016640);
    expect(snap.stat.sock).toBe(4096);
    expect(snap.statLines.anon).toBe(lineOf(text, "anon 348016640"));
    expect(snap.statLines.file).toBe(lineOf(text, "file 7502163968"));
    expect(Object.keys(snap.stat)).toHaveLength(text.trim().split("\n").length);
    expect(snap.limitBytes).toBeNull();
    expect(snap.limitUnlimited).toBeUndefined();
    expect(snap.source).toEqual({ file: V2_FILE, line: 1, endLine: text.trim().split("\n").length });
  });

  it("reads a cgroup v1 memory.stat with no limit applied: hierarchical_memory_limit is PAGE_COUNTER_MAX", async () => {
    const text = realworld(V1_NOLIMIT);
    expect(sniff(V1_NOLIMIT, text)).toBe(true);
    const facts = await parse(V1_NOLIMIT, text);
    expect(facts.diagnostics).toEqual([]);
    const snap = only(facts);
    expect(snap.version).toBe(1);
    expect(snap.stat.cache).toBe(139583488);
    expect(snap.stat.total_rss).toBe(4206592);
    expect(snap.limitBytes).toBeNull();
    expect(snap.limitUnlimited).toBe(true);
    expect(snap.valueSources?.limitBytes).toEqual({
      key: "hierarchical_memory_limit",
      line: lineOf(text, "hierarchical_memory_limit 9223372036854771712"),
    });
  });

  it("takes the limit of a v1 pod slice from hierarchical_memory_limit (the kubepods limit)", async () => {
    const text = realworld(V1_POD_SLICE);
    expect(sniff(V1_POD_SLICE, text)).toBe(true);
    const facts = await parse(V1_POD_SLICE, text);
    expect(facts.diagnostics).toEqual([]);
    const snap = only(facts);
    expect(snap.version).toBe(1);
    expect(snap.limitBytes).toBe(20955353088);
    expect(snap.limitUnlimited).toBe(false);
    expect(snap.stat.total_rss).toBe(2720845824);
    expect(snap.stat.rss).toBe(0);
    expect(snap.statLines.total_rss).toBe(lineOf(text, "total_rss 2720845824"));
  });

  it("does not claim any other real capture (kernel logs, pmap, describe, YAML, JSON)", () => {
    const others = realworldCaptures().filter((f) => !f.endsWith(".memory.stat"));
    expect(others.length).toBeGreaterThan(10);
    for (const name of others)
      expect({ name, claimed: sniff(name, realworld(name)) }).toEqual({ name, claimed: false });
  });
});

describe("memory-stat shapes and hostile input made from a real capture", () => {
  it("reads keys in any order (never by position) and ignores unknown keys", async () => {
    const lines = realworld(V2_FILE).trim().split("\n");
    const shuffled = [...lines.slice(20), "some_future_key 42", ...lines.slice(0, 20)].join("\n");
    const snap = only(await parse("memory.stat", shuffled));
    expect(snap.stat.anon).toBe(348016640);
    expect(snap.stat.file).toBe(7502163968);
    expect(snap.version).toBe(2);
  });

  it("tolerates thousands separators, CRLF, trailing spaces and blank lines", async () => {
    const plain = realworld(V2_FILE);
    const messy =
      "\r\n" +
      plain
        .split("\n")
        .map((l) => l.replace(/\d+$/, (n) => Number(n).toLocaleString("en-US")) + "   ")
        .join("\r\n\r\n");
    expect(messy).toContain("7,502,163,968");
    expect(sniff(V2_FILE, messy)).toBe(true);
    const facts = await parse(V2_FILE, messy);
    expect(facts.diagnostics).toEqual([]);
    expect(only(facts).stat).toEqual(only(await parse(V2_FILE, plain)).stat);
  });

  it("truncated at several points: earlier keys kept, a missing anon/file is a warning, never a throw", async () => {
    const text = realworld(V2_FILE);
    for (const cut of [3, 9, 17, 200, 777, text.length - 3]) {
      const facts = await parse(V2_FILE, text.slice(0, cut));
      const full = only(await parse(V2_FILE, text)).stat;
      for (const snap of facts.memcgSnapshots) {
        const complete = Object.entries(snap.stat).slice(0, -1);
        for (const [key, value] of complete) expect(value).toBe(full[key]);
      }
      const keys = facts.memcgSnapshots.flatMap((s) => Object.keys(s.stat));
      if (keys.length > 0 && !keys.includes("file")) expect(codes(facts)).toContain("memory-stat/missing-key");
      if (keys.length === 0) expect(codes(facts)).toContain("memory-stat/no-data");
    }
  });

  it("does not claim kernel OOM reports that embed v2 stats, nor pmap, describe, JSON, CSV or /proc/vmstat", () => {
    const v2 = realworld(V2_FILE).trim().split("\n");
    const kernel = [
      "[  612.345678] Memory cgroup stats for /kubepods.slice/kubepods-pod1.slice:",
      ...v2.map((l) => `[  612.345679] ${l}`),
    ].join("\n");
    const utilLinux = [
      "[Thu Aug 17 17:29:27 2023] anon 28139520",
      ...v2.map((l) => `                                          ${l}`),
    ].join("\n");
    const npd = ["Memory cgroup stats for /kubepods/burstable/pod1:", ...v2].join("\n");
    const vmstat =
      "nr_free_pages 123\nnr_zone_inactive_anon 5\nnr_zone_active_anon 6\npgpgin 7\npgpgout 8\npswpin 0\npgfault 99\npgmajfault 1\n";
    const json = JSON.stringify({ anon: 1, file: 2, kernel: 3, sock: 4, shmem: 5 }, null, 2);
    const csv = "key,value\nanon,1\nfile,2\nkernel,3\nsock,4\nshmem,5\n";
    const describe =
      "Name:         web-0\nNamespace:    default\n    Limits:\n      memory:  512Mi\n    State:          Running\n";
    const yaml = "resources:\n  unified:\n    memory.max: 1073741824\n    memory.high: 858993459\n";
    for (const text of [
      kernel,
      utilLinux,
      npd,
      vmstat,
      json,
      csv,
      describe,
      yaml,
      realworld("16-ostep-memory-user-1000MB-pmap-x.pmap.txt"),
    ]) {
      expect(sniff("memory.stat", text)).toBe(false);
    }
    const pmapFixtures = new URL("../fixtures/pmap/", import.meta.url);
    for (const name of readdirSync(pmapFixtures)) {
      expect({ name, claimed: sniff(name, readFileSync(new URL(name, pmapFixtures), "utf8")) }).toEqual({
        name,
        claimed: false,
      });
    }
  });
});
