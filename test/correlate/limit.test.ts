/** The limit resolved once (src/correlate/limit.ts): which reading wins and what it says when they disagree. */
import { describe, expect, it } from "vitest";
import { kernelKills } from "../../src/correlate/attribute.js";
import type { TimedKernelKill } from "../../src/correlate/index.js";
import { resolveLimit } from "../../src/correlate/limit.js";
import type { MemcgSnapshot, OomEvent } from "../../src/model/facts.js";
import { pointColumns } from "../../src/model/series-points.js";
import { container, oom } from "../diagnose/builders.js";

const MI = 2 ** 20;
const UID = "0f0e0d0c-0b0a-4000-8000-000000000001";
const counter = (kb: number) => ({
  name: "memory" as const,
  usageBytes: kb * 1024,
  limitBytes: kb * 1024,
  failcnt: 3,
  source: { file: "dmesg.txt", line: 7 },
  text: `memory: usage ${kb}kB, limit ${kb}kB, failcnt 3`,
});
const timed = (over: Partial<OomEvent>): TimedKernelKill[] =>
  kernelKills([oom(over)]).map((k) => ({ ...k, time: { ms: null, source: null } }));
const atContainer = `/kubepods/burstable/pod${UID}/${"a".repeat(64)}`;

describe("resolveLimit", () => {
  it("keeps the spec's exact bytes when the kernel printed the same limit rounded down to pages (250M → 244140kB)", () => {
    const l = resolveLimit({
      container: container({ limitBytes: 250_000_000 }),
      kernelKills: timed({ oomMemcg: atContainer, counters: [counter(244140)] }),
      memcgSnapshots: [],
      series: [],
    });
    expect(l).toMatchObject({ bytes: 250_000_000, source: "spec", note: null });
    expect(l!.evidence.map((e) => e.file)).toContain("dmesg.txt");
  });

  it("keeps the kernel's limit at the kill when the spec says otherwise now, and says so", () => {
    const l = resolveLimit({
      container: container({ limitBytes: 2048 * MI }),
      kernelKills: timed({ oomMemcg: atContainer, counters: [counter(1048576)] }),
      memcgSnapshots: [],
      series: [],
    });
    expect(l).toMatchObject({ bytes: 1024 * MI, source: "kernel" });
    expect(l!.note).toMatch(/limits\.memory is 2 GiB now, but the kernel enforced 1 GiB/);
  });

  it("a pod-level memcg's limit is the pod's, not the container's: the spec wins", () => {
    const podMemcg = `/kubepods/burstable/pod${UID}`;
    const l = resolveLimit({
      container: container({ limitBytes: 512 * MI }),
      kernelKills: timed({ oomMemcg: podMemcg, taskMemcg: podMemcg, counters: [counter(1048576)] }),
      memcgSnapshots: [],
      series: [],
    });
    expect(l).toMatchObject({ bytes: 512 * MI, source: "spec" });
  });

  it("without a kill or a spec: a snapshot's memory.max, then a limit metric; nothing → null", () => {
    const snap = {
      source: { file: "memory.max", line: 1 },
      path: null,
      version: 2,
      stat: {},
      statLines: {},
      currentBytes: null,
      limitBytes: 768 * MI,
      peakBytes: null,
      events: {},
      valueSources: { limitBytes: { line: 1, key: "memory.max" } },
    } satisfies MemcgSnapshot;
    const bare = container({ limitBytes: null, limitSource: null });
    expect(resolveLimit({ container: bare, kernelKills: [], memcgSnapshots: [snap], series: [] })).toMatchObject({
      bytes: 768 * MI,
      source: "memcg-snapshot",
    });
    const series = [
      {
        source: { file: "ksm.csv", line: 1 },
        metric: "kube_pod_container_resource_limits",
        labels: { resource: "memory" },
        name: "limits",
        unit: "bytes" as const,
        points: pointColumns([{ ms: 0, value: 300 * MI, line: 2 }]),
        rawPoints: 1,
        stepMs: null,
      },
    ];
    expect(resolveLimit({ container: bare, kernelKills: [], memcgSnapshots: [], series })).toMatchObject({
      bytes: 300 * MI,
      source: "metrics",
    });
    expect(resolveLimit({ container: bare, kernelKills: [], memcgSnapshots: [], series: [] })).toBeNull();
  });
});
