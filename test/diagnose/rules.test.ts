/**
 * Each rule on hand-built subjects: the shape of evidence that supports it, and the shape that
 * rules it out. Names read as sentences.
 */
import { describe, expect, it } from "vitest";
import burst from "../../src/diagnose/rules/burst-allocation.js";
import kernelMemory from "../../src/diagnose/rules/kernel-memory.js";
import limitTooLow from "../../src/diagnose/rules/limit-too-low.js";
import memoryLeak from "../../src/diagnose/rules/memory-leak.js";
import nodeOvercommit from "../../src/diagnose/rules/node-overcommit.js";
import notOom from "../../src/diagnose/rules/not-oom.js";
import runtime from "../../src/diagnose/rules/runtime-misconfigured.js";
import shared from "../../src/diagnose/rules/shared-memory.js";
import type { KubeEvent, MetricSeries } from "../../src/model/facts.js";
import { pointColumns } from "../../src/model/series-points.js";
import { at, container, context, oom, pod, subject, terminated } from "./builders.js";

const MI = 1024 ** 2;
const GI = 1024 ** 3;
const T0 = Date.parse("2026-06-09T00:00:00Z");

function event(reason: string, message: string, count = 1): KubeEvent {
  return {
    type: "Warning",
    reason,
    message,
    involved: { kind: "Pod", name: "api-7d9c-x1", namespace: "shop" },
    count,
    firstMs: null,
    lastMs: null,
    ageText: "2m",
    source: at(40),
  };
}

describe("not-oom", () => {
  const probeKilled = container({ lastState: terminated({ reason: "Error", exitCode: 137 }) });
  const probes = [
    event("Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 500", 3),
    event("Killing", "Container app failed liveness probe, will be restarted"),
  ];

  it("is supported with high confidence by probe failures and a kernel log without OOM", () => {
    const h = notOom.evaluate(context(subject({ container: probeKilled, events: probes }), ["dmesg.txt"]));
    expect([h.status, h.confidence]).toEqual(["supported", "high"]);
    expect(h.evidence.map((e) => e.line)).toEqual([40, 40]);
  });

  it("is never claimed when there is neither a kernel log nor probe events", () => {
    const h = notOom.evaluate(context(subject({ container: probeKilled }), []));
    expect(h.status).toBe("undetermined");
    expect(h.missing.join(" ")).toMatch(/kernel log/);
  });

  it("is rejected when the kernel recorded an OOM kill", () => {
    expect(notOom.evaluate(context(subject({ ooms: [oom()] }))).status).toBe("rejected");
  });
});

describe("node-overcommit", () => {
  it("is supported by a global OOM and names the biggest consumer when the victim is another", () => {
    const global = oom({
      global: true,
      constraint: "none",
      oomMemcg: null,
      counters: [],
      tasks: [
        {
          pid: 4242,
          uid: 0,
          tgid: 4242,
          totalVmBytes: null,
          rssBytes: 100 * MI,
          oomScoreAdj: 1000,
          name: "app",
          source: at(105, "dmesg.txt"),
        },
        {
          pid: 7,
          uid: 0,
          tgid: 7,
          totalVmBytes: null,
          rssBytes: 6 * GI,
          oomScoreAdj: 900,
          name: "python3",
          source: at(106, "dmesg.txt"),
        },
      ],
    });
    const h = nodeOvercommit.evaluate(context(subject({ ooms: [global] })));
    expect([h.status, h.confidence]).toEqual(["supported", "high"]);
    expect(h.reason).toMatch(/biggest consumer was python3 \(pid 7, 6 GiB RSS\)/);
  });

  it("is rejected when the container's own memcg limit was hit", () => {
    expect(nodeOvercommit.evaluate(context(subject({ ooms: [oom()] }))).status).toBe("rejected");
  });

  it("calls an eviction that names no resource decisive only when the node's memory pressure is dated at the kill", () => {
    const evicted = (timing: "undated" | "at-kill") => {
      const c = container({ lastState: terminated({ reason: "Error" }) });
      const s = subject({
        container: c,
        pod: pod(c, { phase: "Failed", reason: "Evicted", message: "The node was low on resources." }),
      });
      s.nodePressure = [
        {
          reason: "MemoryPressure",
          what: "MemoryPressure True",
          timing,
          evidence: { ...at(7, "node.txt"), text: "MemoryPressure True" },
        },
      ];
      return nodeOvercommit.evaluate(context(s));
    };
    const undated = evicted("undated");
    expect([undated.status, undated.confidence, undated.decisive ?? false]).toEqual(["supported", "medium", false]);
    expect(undated.missing.join(" ")).toMatch(/eviction message/);
    const atKill = evicted("at-kill");
    expect([atKill.status, atKill.confidence, atKill.decisive]).toEqual(["supported", "high", true]);
  });
});

describe("runtime-misconfigured", () => {
  it("is supported with high confidence by -Xmx above the limit", () => {
    const c = container({ limitBytes: GI, args: ["-Xmx4g", "-jar", "app.jar"], lastState: terminated() });
    const h = runtime.evaluate(context(subject({ container: c })));
    expect([h.status, h.confidence]).toEqual(["supported", "high"]);
    expect(h.reason).toMatch(/-Xmx4g allows a 4 GiB heap, 400% of the 1 GiB limit/);
  });

  it("reads NODE_OPTIONS --max-old-space-size from env", () => {
    const c = container({
      limitBytes: GI,
      env: [{ name: "NODE_OPTIONS", value: "--max-old-space-size=1000", source: at(30) }],
      lastState: terminated(),
    });
    const h = runtime.evaluate(context(subject({ container: c })));
    expect([h.status, h.confidence, h.evidence[0]?.line]).toEqual(["supported", "medium", 30]);
  });

  it("is rejected when the heap leaves room under the limit", () => {
    const c = container({
      limitBytes: 2 * GI,
      env: [{ name: "JAVA_TOOL_OPTIONS", value: "-Xmx1g", source: at(30) }],
      lastState: terminated(),
    });
    expect(runtime.evaluate(context(subject({ container: c }))).status).toBe("rejected");
  });

  it("flags a JVM image without container support", () => {
    const c = container({ image: "openjdk:8u131-jre", lastState: terminated() });
    expect(runtime.evaluate(context(subject({ container: c }))).status).toBe("supported");
  });
});

describe("shared-memory and kernel-memory", () => {
  const withStats = (bytes: Record<string, number>) =>
    oom({ memcgStats: { path: "/kubepods/x", bytes, source: at(102, "dmesg.txt") } });

  it("shmem making most of the usage supports shared-memory", () => {
    const h = shared.evaluate(
      context(subject({ ooms: [withStats({ anon: 100 * MI, file: 400 * MI, shmem: 380 * MI })] })),
    );
    expect([h.status, h.confidence]).toEqual(["supported", "high"]);
  });

  it("sock buffers making most of the usage support kernel-memory, and reject shared-memory", () => {
    const o = withStats({ anon: 28 * MI, file: 0, kernel: 2 * MI, sock: 400 * MI, shmem: 0 });
    expect(kernelMemory.evaluate(context(subject({ ooms: [o] }))).status).toBe("supported");
    expect(shared.evaluate(context(subject({ ooms: [o] }))).status).toBe("rejected");
  });

  it("a memory-backed emptyDir alone is weak evidence", () => {
    const c = container({ volumeMounts: [{ name: "scratch", mountPath: "/scratch" }], lastState: terminated() });
    const s = subject({ container: c });
    s.pod!.volumes.push({ name: "scratch", memoryBacked: true, sizeLimitBytes: null, source: at(60) });
    const h = shared.evaluate(context(s));
    expect([h.status, h.confidence]).toEqual(["supported", "low"]);
  });
});

describe("memory-leak, limit-too-low, burst-allocation", () => {
  const killAt = (offsetSec: number, pid: number) =>
    oom({
      time: { wallMs: T0 + offsetSec * 1000, uptimeSec: null, clock: "utc" },
      victims: [{ ...oom().victims[0]!, pid, source: at(pid, "dmesg.txt") }],
    });

  it("kills at a regular interval support a leak and reject a plateau", () => {
    const s = subject({
      container: container({ restartCount: 3, lastState: terminated() }),
      ooms: [killAt(0, 1), killAt(7800, 2), killAt(15700, 3), killAt(23400, 4)],
    });
    const ctx = context(s);
    const leak = memoryLeak.evaluate(ctx);
    expect([leak.status, leak.confidence]).toEqual(["supported", "high"]);
    expect(leak.reason).toMatch(/4 kills, one every 2 h 10 min/);
    expect(limitTooLow.evaluate(ctx).status).toBe("rejected");
  });

  it("kills soon after every start, seen in the kernel log over several runs, support limit-too-low and reject a leak and a burst", () => {
    const c = container({
      restartCount: 6,
      state: { ...container().state!, kind: "waiting", reason: "CrashLoopBackOff" },
      lastState: terminated({ startedAtMs: T0, finishedAtMs: T0 + 50_000 }),
    });
    const kills = [0, 1, 2].map((i) =>
      oom({
        time: { wallMs: T0 - (2 - i) * 150_000 + 50_000, uptimeSec: null, clock: "utc" },
        source: at(100 + 40 * i, "dmesg.txt"),
      }),
    );
    const ctx = context(subject({ container: c, ooms: kills }));
    const h = limitTooLow.evaluate(ctx);
    expect([h.status, h.confidence]).toEqual(["supported", "medium"]);
    expect(h.reason).toMatch(/3 kernel kills came at most 2 min 30 s apart/);
    expect(memoryLeak.evaluate(ctx).status).toBe("rejected");
    expect(burst.evaluate(ctx).status).toBe("rejected");
  });

  it("one early kill known only from the kubelet's record (run length and restart count) decides neither limit-too-low nor a burst", () => {
    const c = container({
      restartCount: 6,
      state: { ...container().state!, kind: "waiting", reason: "CrashLoopBackOff" },
      lastState: terminated({ startedAtMs: T0, finishedAtMs: T0 + 50_000 }),
    });
    const ctx = context(subject({ container: c }));
    for (const rule of [limitTooLow, burst]) {
      const h = rule.evaluate(ctx);
      expect(h.status).toBe("undetermined");
      expect(h.reason).toMatch(/one run's length cannot tell them apart/);
      expect(h.missing.join("\n")).toMatch(/memory usage over (?:a|the killed) run/);
    }
  });

  it("a long first run is one data point: limit-too-low is not ruled out by it", () => {
    const c = container({
      restartCount: 1,
      lastState: terminated({ startedAtMs: T0 - 3 * 86400_000, finishedAtMs: T0 }),
    });
    const h = limitTooLow.evaluate(context(subject({ container: c })));
    expect(h.status).toBe("undetermined");
    expect(h.reason).toMatch(/ran 3 d under the 512 MiB limit .*one run's length cannot tell/);
  });

  it("a tight request with repeated irregular kills supports limit-too-low", () => {
    const c = container({
      limitBytes: 2 * GI,
      requestBytes: 1.9 * GI,
      restartCount: 9,
      lastState: terminated({ startedAtMs: T0, finishedAtMs: T0 + 5 * 3600_000 }),
    });
    const h = limitTooLow.evaluate(context(subject({ container: c })));
    expect([h.status, h.confidence]).toEqual(["supported", "medium"]);
    expect(h.reason).toMatch(/request is 95% of the 2 GiB limit/);
  });

  it("a first OOM kill after days of running is one data point: a burst stays undetermined and names the series that decides it", () => {
    const c = container({
      restartCount: 1,
      lastState: terminated({ startedAtMs: T0 - 3 * 86400_000, finishedAtMs: T0 }),
    });
    const h = burst.evaluate(context(subject({ container: c })));
    expect(h.status).toBe("undetermined");
    expect(h.confidence).toBeUndefined();
    expect(h.reason).toMatch(/ran 3 d before this first OOM kill/);
    expect(h.reason).toMatch(/slow leak/);
    expect(h.evidence.map((e) => e.text).join("\n")).toMatch(/last run/);
    expect(h.missing.join("; ")).toMatch(/memory usage over the killed run/);
  });

  it("a child worker killed while the container ran supports a burst", () => {
    const s = subject({ container: container({ restartCount: 0 }), ooms: [oom()] });
    const ctx = context(s);
    expect(ctx.event).toBe("child-oom-kill");
    const h = burst.evaluate(ctx);
    expect(h.status).toBe("supported");
    expect(h.reason).toMatch(/^one worker process \(\S+, pid \d+\) was killed/);
  });
});

describe("memory-leak, limit-too-low, burst-allocation from a usage series (metrics CSV)", () => {
  const STEP = 15_000;
  const series = (name: string, values: number[], unit: MetricSeries["unit"] = "bytes", step = STEP): MetricSeries => ({
    source: { file: "metrics.csv", line: 1 },
    metric: /^[\w:]+/.exec(name)?.[0] ?? null,
    labels: { container: "app" },
    name,
    unit,
    points: pointColumns(values.map((value, i) => ({ ms: T0 + i * step, value, line: i + 2 }))),
    rawPoints: values.length,
    stepMs: step,
  });
  /** `runs` runs of `n` points each, value(i) per run; usage drops to the start value between runs. */
  const runs = (count: number, n: number, value: (i: number) => number): number[] =>
    Array.from({ length: count }, () => Array.from({ length: n }, (_, i) => value(i))).flat();
  const withSeries = (s: ReturnType<typeof subject>, list: MetricSeries[]) => ({ ...s, series: list });
  const oomKilled = (limitBytes: number, endIndex: number, step = STEP) =>
    container({
      limitBytes,
      requestBytes: limitBytes / 2,
      restartCount: 3,
      lastState: terminated({ startedAtMs: T0, finishedAtMs: T0 + endIndex * step + 1000 }),
    });
  const leakValues = runs(3, 44, (i) => 96 * MI + 37 * MI * (i / 4) + Math.sin(i) * MI);

  it("a steady slope in every run supports a leak with its rate and time to the limit, and rejects plateau and burst", () => {
    const ctx = context(
      withSeries(subject({ container: oomKilled(512 * MI, leakValues.length - 1) }), [
        series('container_memory_working_set_bytes{container="app"}', leakValues),
      ]),
    );
    expect(ctx.event).toBe("container-oom-kill");
    const leak = memoryLeak.evaluate(ctx);
    expect([leak.status, leak.confidence]).toEqual(["supported", "high"]);
    expect(leak.reason).toMatch(
      /grows 3[6-8](\.\d+)? MiB\/min \(R² ≥ 0\.9\d\) in 3 of 3 runs, reaches the 512 MiB limit 1[01] min( \d+ s)? after each start/,
    );
    expect(leak.evidence[0]).toMatchObject({ file: "metrics.csv", line: 1 });
    expect(leak.evidence[0]!.text).toMatch(/container_memory_working_set_bytes.*2026-06-09 00:00:00 UTC/);
    expect(limitTooLow.evaluate(ctx).status).toBe("rejected");
    expect(burst.evaluate(ctx).status).toBe("rejected");
  });

  it("growth that follows a rising request rate is not called a leak", () => {
    const rate = runs(3, 44, (i) => 50 + 20 * (i / 4));
    const ctx = context(
      withSeries(subject({ container: oomKilled(512 * MI, leakValues.length - 1) }), [
        series("container_memory_working_set_bytes", leakValues),
        series("rate(http_requests_total[5m])", rate, "per-second"),
      ]),
    );
    const h = memoryLeak.evaluate(ctx);
    expect(h.status).toBe("undetermined");
    expect(h.reason).toMatch(/request rate \(rate\(http_requests_total\[5m\]\)\) rises with it in 3 of 3 runs/);
  });

  it("a plateau at the limit supports limit-too-low and rejects a leak and a burst", () => {
    const values = runs(2, 60, (i) => (i < 2 ? 0.6 * GI : 1.93 * GI + ((i * 7) % 12) * 5 * MI));
    const ctx = context(
      withSeries(subject({ container: oomKilled(2 * GI, values.length - 1) }), [
        series("container_memory_working_set_bytes", values),
      ]),
    );
    const h = limitTooLow.evaluate(ctx);
    expect([h.status, h.confidence]).toEqual(["supported", "high"]);
    expect(h.reason).toMatch(
      /sits at 9[5-9](\.\d)?% of the 2 GiB limit \(median 1\.9\d? GiB, p99 1\.9\d? GiB\) for \d+(\.\d)?% of the run/,
    );
    expect(h.evidence[1]!.line).toBeGreaterThan(1);
    expect(memoryLeak.evaluate(ctx).status).toBe("rejected");
    expect(burst.evaluate(ctx).status).toBe("rejected");
  });

  it("a comfortable median before the kill supports a burst and warns about a coarse scrape step", () => {
    const values = Array.from({ length: 120 }, (_, i) => 200 * MI + ((i * 13) % 17) * MI);
    const ctx = context(
      withSeries(subject({ container: oomKilled(512 * MI, 119, 30_000) }), [
        series("container_memory_working_set_bytes", values, "bytes", 30_000),
      ]),
    );
    const h = burst.evaluate(ctx);
    expect([h.status, h.confidence]).toEqual(["supported", "medium"]);
    expect(h.reason).toMatch(/median 2\d\d MiB, 4\d(\.\d)?% of the 512 MiB limit/);
    expect(h.reason).toMatch(/at a 30 s scrape step, spikes of 200–500 ms are invisible/);
    expect(limitTooLow.evaluate(ctx).status).toBe("rejected");
    expect(memoryLeak.evaluate(ctx).status).toBe("rejected");
  });
});

import { readFileSync as readFixtureRc } from "node:fs";
import nativeMemoryRc from "../../src/diagnose/rules/native-memory.js";
import { memoryStat as memoryStatRc } from "../../src/ingest/memory-stat.js";
import { pmap as pmapRc } from "../../src/ingest/pmap.js";
import { runtimeConfig as runtimeConfigRc } from "../../src/ingest/runtime-config.js";
import { sourceFromString as fromStringRc } from "../../src/ingest/source.js";

describe("where the memory went: runtime-config, pmap growth, memory.stat, memory.events", () => {
  const fx = (kind: string, name: string) =>
    readFixtureRc(new URL(`../fixtures/${kind}/${name}`, import.meta.url), "utf8");
  const flags = async (name: string) =>
    (await runtimeConfigRc.parse(fromStringRc(name, fx("runtime-config", name)))).runtimeConfigs;
  const javaKill = (anonMi: number, limitMi = 1024) =>
    oom({
      counters: [
        {
          name: "memory",
          usageBytes: limitMi * MI,
          limitBytes: limitMi * MI,
          failcnt: 1,
          source: at(101, "dmesg.txt"),
          text: `memory: usage ${limitMi * 1024}kB, limit ${limitMi * 1024}kB, failcnt 1`,
        },
      ],
      victims: [{ ...oom().victims[0]!, process: "java", anonRssBytes: anonMi * MI }],
    });
  const javaContainer = (limitBytes: number, over = {}) =>
    container({ image: "eclipse-temurin:17-jre", limitBytes, lastState: terminated(), ...over });

  it("runtime-misconfigured: PrintFlagsFinal MaxHeapSize 4 GiB under a 2 GiB limit is supported with high confidence", async () => {
    const s = subject({ container: javaContainer(2 * GI), ooms: [javaKill(2000, 2048)] });
    s.runtimeConfigs = await flags("jdk17-container-4g.txt");
    const h = runtime.evaluate(context(s));
    expect([h.status, h.confidence]).toEqual(["supported", "high"]);
    expect(h.reason).toMatch(/effective MaxHeapSize is 4 GiB, 200% of the 2 GiB limit/);
    expect(h.evidence[0]).toMatchObject({ file: "jdk17-container-4g.txt", line: 11 });
  });

  it("runtime-misconfigured: heap plus direct memory, metaspace, code cache and stacks over the limit is supported", async () => {
    const s = subject({ container: javaContainer(2.5 * GI), ooms: [javaKill(2400, 2560)] });
    s.runtimeConfigs = await flags("jdk11-percentage-90.txt");
    const h = runtime.evaluate(context(s));
    expect([h.status, h.confidence]).toEqual(["supported", "medium"]);
    expect(h.reason).toMatch(
      /MaxRAMPercentage=90.*MaxDirectMemorySize 512 MiB, MaxMetaspaceSize 256 MiB, ReservedCodeCacheSize 240 MiB, thread stacks \(100 threads × ThreadStackSize\) 100 MiB/,
    );
  });

  it("runtime-misconfigured: a JDK 8u131 without container support is supported, and a roomy heap is rejected", async () => {
    const old = subject({
      container: javaContainer(8 * GI, { image: "registry/billing:3" }),
      ooms: [javaKill(8000, 8192)],
    });
    old.runtimeConfigs = await flags("jdk8-no-container-support.txt");
    const h = runtime.evaluate(context(old));
    expect(h.status).toBe("supported");
    expect(h.reason).toMatch(/1\.8\.0_131.*predates container support/);
    const roomy = subject({ container: javaContainer(16 * GI), ooms: [javaKill(8000, 16384)] });
    roomy.runtimeConfigs = await flags("jdk17-container-4g.txt");
    expect(runtime.evaluate(context(roomy)).status).toBe("rejected");
  });

  it("native-memory: pmap growth outside the managed heap supports it; anon-rss far over -Xmx supports it at medium", async () => {
    const s = subject({ container: javaContainer(GI, { args: ["-Xmx512m"] }), ooms: [javaKill(1000)] });
    s.pmaps = (await pmapRc.parse(fromStringRc("pmap.txt", fx("pmap", "two-snapshots-dated.txt")))).pmaps;
    const h = nativeMemoryRc.evaluate(context(s));
    expect([h.status, h.confidence]).toEqual(["supported", "high"]);
    expect(h.reason).toMatch(/100% of the resident growth is outside the heap/);
    expect(h.evidence.map((e) => e.file)).toContain("pmap.txt");
    const rssOnly = nativeMemoryRc.evaluate(
      context(subject({ container: javaContainer(GI, { args: ["-Xmx512m"] }), ooms: [javaKill(1000)] })),
    );
    expect([rssOnly.status, rssOnly.confidence]).toEqual(["supported", "medium"]);
    expect(rssOnly.reason).toMatch(/anon-rss was 1000 MiB while -Xmx512m caps the managed heap at 512 MiB/);
    const closeToHeap = nativeMemoryRc.evaluate(
      context(subject({ container: javaContainer(GI, { args: ["-Xmx512m"] }), ooms: [javaKill(600)] })),
    );
    expect(closeToHeap.status).toBe("undetermined");
  });

  it("memory-leak: pmap growth supports a leak even when a usage series shows growth in only one of its runs", async () => {
    // Run 1 flat at 300 MiB, then a restart and run 2 climbing to the 1 GiB limit: the series alone
    // decides nothing (one growing run of two), so the pmap snapshots must still be heard.
    const values = [
      ...Array.from({ length: 40 }, (_, i) => 300 * MI + (i % 3) * MI),
      ...Array.from({ length: 40 }, (_, i) => 100 * MI + i * 23 * MI),
    ];
    const s = subject({
      container: javaContainer(GI, {
        restartCount: 1,
        lastState: terminated({ startedAtMs: T0 + 40 * 15_000, finishedAtMs: T0 + 79 * 15_000 + 1000 }),
      }),
      ooms: [javaKill(1000)],
    });
    s.series = [
      {
        source: { file: "metrics.csv", line: 1 },
        metric: "container_memory_working_set_bytes",
        labels: { container: "app" },
        name: "container_memory_working_set_bytes",
        unit: "bytes",
        points: pointColumns(values.map((value, i) => ({ ms: T0 + i * 15_000, value, line: i + 2 }))),
        rawPoints: values.length,
        stepMs: 15_000,
      },
    ];
    s.pmaps = (await pmapRc.parse(fromStringRc("pmap.txt", fx("pmap", "two-snapshots-dated.txt")))).pmaps;
    const h = memoryLeak.evaluate(context(s));
    expect([h.status, h.confidence]).toEqual(["supported", "medium"]);
    expect(h.reason).toMatch(/^pmap of pid \d+ \(\S+\): resident memory grew/);
    expect(h.evidence.map((e) => e.file)).toContain("pmap.txt");
  });

  it("shared-memory and kernel-memory read a memory.stat snapshot when the kernel report has no stats", async () => {
    const stat =
      "==> /sys/fs/cgroup/x/memory.current <==\n1073741824\n\n==> /sys/fs/cgroup/x/memory.stat <==\nanon 209715200\nfile 805306368\nkernel 20971520\nsock 0\nshmem 754974720\ninactive_file 1048576\n";
    const s = subject({ ooms: [oom()] });
    s.memcgSnapshots = (await memoryStatRc.parse(fromStringRc("cg.txt", stat))).memcgSnapshots;
    const h = shared.evaluate(context(s));
    expect([h.status, h.confidence]).toEqual(["supported", "high"]);
    expect(h.reason).toMatch(/shmem is 720 MiB, 70\.3% of the memcg's usage in memory\.stat/);
    expect(h.evidence[0]).toEqual({
      file: "cg.txt",
      line: stat.split("\n").indexOf("shmem 754974720") + 1,
      text: "shmem 754974720",
    });
    expect(kernelMemory.evaluate(context(s)).status).toBe("rejected");
  });

  it("not-oom: memory.events oom_kill 0 is positive evidence for a 137 (high with probe failures)", async () => {
    const events = await memoryStatRc.parse(
      fromStringRc("memory.events", "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n"),
    );
    const killed = container({ lastState: terminated({ reason: "Error", exitCode: 137 }) });
    const s = subject({ container: killed });
    s.memcgSnapshots = events.memcgSnapshots;
    const h = notOom.evaluate(context(s, []));
    expect([h.status, h.confidence]).toEqual(["supported", "medium"]);
    expect(h.evidence).toEqual([
      { file: "memory.events", line: 5, text: "memory.events oom_kill 0" },
      { file: "memory.events", line: 4, text: "memory.events oom 0" },
    ]);
    const withProbes = subject({
      container: killed,
      events: [event("Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 503", 3)],
    });
    withProbes.memcgSnapshots = events.memcgSnapshots;
    expect(notOom.evaluate(context(withProbes, [])).confidence).toBe("high");
  });
});
