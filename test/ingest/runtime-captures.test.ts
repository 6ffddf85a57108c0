/** The runtime captures beyond PrintFlagsFinal: env/printenv, v8.getHeapStatistics(), Go MemStats JSON, jcmd. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { capturedHeapLimits } from "../../src/diagnose/runtime-limits.js";
import { goMemstats } from "../../src/ingest/go-memstats.js";
import { detectIngester } from "../../src/ingest/index.js";
import { jcmd } from "../../src/ingest/jcmd.js";
import { nodeHeapStats } from "../../src/ingest/node-heap-stats.js";
import { runtimeEnv } from "../../src/ingest/runtime-env.js";
import { sourceFromString } from "../../src/ingest/source.js";
import type { FactSet } from "../../src/model/facts.js";
import { hostilePass } from "./hostile-pass.js";

const fixture = (kind: string, name: string): string =>
  readFileSync(new URL(`../fixtures/${kind}/${name}`, import.meta.url), "utf8");
const lineOf = (text: string, wanted: string): number => text.split("\n").findIndex((l) => l.includes(wanted)) + 1;
const configs = (f: FactSet) => f.runtimeConfigs;
const flagCount = (f: FactSet) => f.runtimeConfigs.reduce((n, c) => n + Object.keys(c.flags).length, 0);
const KIB = 1024;
const MIB = 1024 ** 2;

describe("runtime-env (env / printenv)", () => {
  it("keeps the runtime variables only, one fact per runtime, values as printed, lines cited", async () => {
    const text = fixture("runtime-env", "printenv-node-api.txt");
    expect(detectIngester(text, "printenv.txt")?.kind).toBe("runtime-env");
    expect(detectIngester(text, "capture.txt")?.kind).toBe("runtime-env");
    const facts = await runtimeEnv.parse(sourceFromString("env.txt", text));
    expect(facts.diagnostics).toEqual([]);
    const node = facts.runtimeConfigs.find((c) => c.runtime === "node")!;
    expect(node.origin).toBe("env");
    expect(node.flags["NODE_OPTIONS"]).toEqual({
      value: "--enable-source-maps --max-old-space-size=3072",
      bytes: null,
      line: lineOf(text, "NODE_OPTIONS="),
    });
    expect(facts.runtimeConfigs.find((c) => c.runtime === "glibc")!.flags["MALLOC_ARENA_MAX"]!.value).toBe("2");
    // Secrets and unrelated variables are never kept.
    expect(JSON.stringify(facts)).not.toContain("s3cr3t");
    expect(JSON.stringify(facts)).not.toContain("KUBERNETES_SERVICE_HOST");
  });

  it("reads GOMEMLIMIT, GOGC and JAVA_TOOL_OPTIONS; the heap sizes in them are read as the spec's env is", async () => {
    const text = fixture("runtime-env", "env-jvm-go.txt");
    const facts = await runtimeEnv.parse(sourceFromString("env.txt", text));
    expect(facts.runtimeConfigs.find((c) => c.runtime === "go")!.flags).toMatchObject({
      GOMEMLIMIT: { value: "1750MiB" },
      GOGC: { value: "200" },
    });
    const limits = capturedHeapLimits(facts.runtimeConfigs);
    expect(limits.map((l) => [l.runtime, l.bytes, l.evidence.line])).toEqual([
      ["jvm", 6 * 1024 * MIB, 3],
      ["go", 1750 * MIB, 4],
    ]);
  });

  it("is not taken for a describe, a memory.stat or a YAML", () => {
    expect(runtimeEnv.sniff("Name:  api-0\nNamespace:  shop\n", "x")).toBe(false);
    expect(runtimeEnv.sniff("anon 1234\nfile 5678\nkernel 1\n", "x")).toBe(false);
    expect(runtimeEnv.sniff("env:\n- name: GOMEMLIMIT\n  value: 1GiB\n", "x")).toBe(false);
  });

  it("survives the hostile pass", async () => {
    await hostilePass(runtimeEnv, "env.txt", fixture("runtime-env", "printenv-node-api.txt"), configs, flagCount);
  });
});

describe("node-heap-stats (v8.getHeapStatistics())", () => {
  it("reads util.inspect output: heap_size_limit in bytes with its line, counts without bytes", async () => {
    const text = fixture("node-heap-stats", "v8-inspect.txt");
    expect(detectIngester(text, "heap.txt")?.kind).toBe("node-heap-stats");
    const facts = await nodeHeapStats.parse(sourceFromString("heap.txt", text));
    expect(facts.diagnostics).toEqual([]);
    const [f] = facts.runtimeConfigs;
    expect(f).toMatchObject({ runtime: "node", origin: "v8.getHeapStatistics" });
    expect(f!.flags["heap_size_limit"]).toEqual({
      value: "4345298944",
      bytes: 4345298944,
      line: lineOf(text, "heap_size_limit"),
    });
    expect(f!.flags["number_of_native_contexts"]!.bytes).toBeNull();
  });

  it("reads the JSON.stringify form on one line, also under a .json name", async () => {
    const text = fixture("node-heap-stats", "v8-json.json");
    expect(detectIngester(text, "heap.json")?.kind).toBe("node-heap-stats");
    const facts = await nodeHeapStats.parse(sourceFromString("heap.json", text));
    expect(facts.runtimeConfigs[0]!.flags["heap_size_limit"]!.bytes).toBe(1627389952);
  });

  it("survives the hostile pass", async () => {
    await hostilePass(nodeHeapStats, "heap.txt", fixture("node-heap-stats", "v8-inspect.txt"), configs, flagCount);
  });
});

describe("go-memstats (/debug/vars)", () => {
  it("reads the top-level MemStats fields, never BySize", async () => {
    const text = fixture("go-memstats", "debug-vars.json");
    expect(detectIngester(text, "vars.json")?.kind).toBe("go-memstats");
    const facts = await goMemstats.parse(sourceFromString("vars.json", text));
    expect(facts.diagnostics).toEqual([]);
    const [f] = facts.runtimeConfigs;
    expect(f).toMatchObject({ runtime: "go", origin: "go memstats" });
    expect(f!.flags["NextGC"]).toEqual({ value: "3786428416", bytes: 3786428416, line: 3 });
    expect(f!.flags["HeapInuse"]!.bytes).toBe(1904222208);
    expect(f!.flags["NumGC"]!.bytes).toBeNull();
    expect(f!.flags["Size"]).toBeUndefined();
    expect(facts.runtimeConfigs).toHaveLength(1);
  });

  it("survives the hostile pass", async () => {
    const text = fixture("go-memstats", "debug-vars.json").replace('"memstats": {', '"memstats": {\n');
    await hostilePass(goMemstats, "vars.json", text, configs, flagCount);
  });
});

describe("jcmd (VM.native_memory summary, GC.heap_info)", () => {
  it("reads the NMT total and every category, the reserved Java Heap being the maximum heap", async () => {
    const text = fixture("jcmd", "nmt-summary.txt");
    expect(detectIngester(text, "nmt.txt")?.kind).toBe("jcmd");
    const facts = await jcmd.parse(sourceFromString("nmt.txt", text));
    expect(facts.diagnostics).toEqual([]);
    const [f] = facts.runtimeConfigs;
    expect(f).toMatchObject({ runtime: "jvm", origin: "jcmd VM.native_memory" });
    expect(f!.flags["Total.committed"]!.bytes).toBe(1611876 * KIB);
    expect(f!.flags["Java Heap.reserved"]).toMatchObject({ bytes: 2097152 * KIB, line: lineOf(text, "Java Heap") });
    expect(f!.flags["Thread.committed"]!.bytes).toBe(12520 * KIB);
    expect(f!.flags["Other.committed"]!.bytes).toBe(96612 * KIB);
  });

  it("G1: the maximum heap is the reserved range of the heap line", async () => {
    const facts = await jcmd.parse(sourceFromString("heap.txt", fixture("jcmd", "gc-heap-info-g1.txt")));
    const [f] = facts.runtimeConfigs;
    expect(f).toMatchObject({ origin: "jcmd GC.heap_info" });
    expect(f!.flags["heap.max"]!.bytes).toBe(2 * 1024 * MIB);
    expect(f!.flags["heap.used"]!.bytes).toBe(1048576 * KIB);
    expect(f!.flags["Metaspace.committed"]!.bytes).toBe(82432 * KIB);
  });

  it("Parallel: young and old generations add up, the reserved range spans both", async () => {
    const facts = await jcmd.parse(sourceFromString("heap.txt", fixture("jcmd", "gc-heap-info-parallel.txt")));
    const [f] = facts.runtimeConfigs;
    expect(f!.flags["heap.max"]!.bytes).toBe(0x7c0000000 - 0x6c0000000);
    expect(f!.flags["heap.committed"]!.bytes).toBe((76288 + 175104) * KIB);
    expect(f!.flags["Metaspace.used"]!.bytes).toBe(20011 * KIB);
  });

  it("ZGC and Shenandoah print their maximum", async () => {
    const z = await jcmd.parse(
      sourceFromString(
        "z.txt",
        " ZHeap           used 12M, capacity 256M, max capacity 1024M\n Metaspace       used 900K, committed 1024K, reserved 1056768K\n",
      ),
    );
    expect(z.runtimeConfigs[0]!.flags["heap.max"]!.bytes).toBe(1024 * MIB);
    const s = await jcmd.parse(
      sourceFromString("s.txt", "Shenandoah Heap\n 1048576K max, 1048576K soft max, 262144K committed, 81920K used\n"),
    );
    expect(s.runtimeConfigs[0]!.flags["heap.max"]!.bytes).toBe(1048576 * KIB);
  });

  it("NMT turned off is a warning naming the line", async () => {
    const facts = await jcmd.parse(sourceFromString("nmt.txt", "1:\nNative memory tracking is not enabled\n"));
    expect(facts.runtimeConfigs).toEqual([]);
    expect(facts.diagnostics.map((d) => [d.code, d.at.line])).toEqual([["jcmd/nmt-off", 2]]);
  });

  it("survives the hostile pass", async () => {
    await hostilePass(jcmd, "nmt.txt", fixture("jcmd", "nmt-summary.txt"), configs, flagCount);
    await hostilePass(jcmd, "heap.txt", fixture("jcmd", "gc-heap-info-parallel.txt"), configs, flagCount);
  });
});
