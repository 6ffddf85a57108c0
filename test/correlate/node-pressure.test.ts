/**
 * nodePressureSignals: which node events say the node was short of memory, and where each sits
 * against the kill (its span ±2 min; a condition is open-ended; NodeHasInsufficientMemory lasts
 * until a later NodeHasSufficientMemory; describe's ages are undated).
 */
import { describe, expect, it } from "vitest";
import { nodePressureSignals } from "../../src/correlate/node-pressure.js";
import type { KubeEvent } from "../../src/model/facts.js";

const T = Date.parse("2026-04-14T09:47:02Z");
const min = 60_000;

function ev(
  reason: string,
  message: string,
  firstMs: number | null,
  lastMs: number | null = firstMs,
  line = 1,
): KubeEvent {
  return {
    type: "Warning",
    reason,
    message,
    involved: { kind: "Node", name: "pool-b-7", namespace: null },
    count: 1,
    firstMs,
    lastMs,
    ageText: firstMs === null ? "4m" : null,
    source: { file: "events.json", line },
  };
}

describe("nodePressureSignals", () => {
  it("places each signal against the kill", () => {
    const got = nodePressureSignals(
      [
        ev(
          "MemoryPressure",
          "KubeletHasInsufficientMemory: kubelet has insufficient memory available",
          T - 1 * min,
          T + 5 * min,
        ),
        ev("EvictionThresholdMet", "Attempting to reclaim memory", T - 30 * min, T - 20 * min),
        ev("SystemOOM", "System OOM encountered, victim process: java, pid: 4411", T + 10 * min),
        ev("EvictionThresholdMet", "Attempting to reclaim memory", null),
      ],
      T,
    );
    expect(got.map((s) => [s.reason, s.timing])).toEqual([
      ["MemoryPressure", "at-kill"],
      ["EvictionThresholdMet", "earlier"],
      ["SystemOOM", "later"],
      ["EvictionThresholdMet", "undated"],
    ]);
    expect(got[0]!.what).toBe(
      "MemoryPressure True since 2026-04-14 09:46:02 UTC, last heartbeat 2026-04-14 09:52:02 UTC",
    );
    expect(got[3]!.what).toBe("EvictionThresholdMet (4m before the describe was taken)");
  });

  it("a MemoryPressure condition whose last heartbeat came before the kill still covers it (it was True when last heard)", () => {
    expect(nodePressureSignals([ev("MemoryPressure", "x", T - 60 * min, T - 30 * min)], T)[0]!.timing).toBe("at-kill");
  });

  it("NodeHasInsufficientMemory lasts until a later NodeHasSufficientMemory", () => {
    const events = [
      ev("NodeHasInsufficientMemory", "Node pool-b-7 status is now: NodeHasInsufficientMemory", T - 20 * min),
      ev("NodeHasSufficientMemory", "Node pool-b-7 status is now: NodeHasSufficientMemory", T - 10 * min),
    ];
    expect(nodePressureSignals(events, T).map((s) => s.timing)).toEqual(["earlier"]);
    expect(nodePressureSignals(events.slice(0, 1), T).map((s) => s.timing)).toEqual(["at-kill"]);
  });

  it("ignores a memcg OOMKilling, an eviction threshold for disk, and events of other reasons", () => {
    const got = nodePressureSignals(
      [
        ev(
          "OOMKilling",
          "Memory cgroup out of memory: Killed process 31744 (java) total-vm:4712340kB, anon-rss:2093756kB",
          T,
        ),
        ev("EvictionThresholdMet", "Attempting to reclaim ephemeral-storage", T),
        ev("NodeReady", "Node pool-b-7 status is now: NodeReady", T),
        ev("OOMKilling", "Out of memory: Killed process 90211 (thumbor) total-vm:2202380kB, anon-rss:1196112kB", T),
      ],
      T,
    );
    expect(got.map((s) => s.reason)).toEqual(["OOMKilling"]);
  });

  it("with no kill time every signal is undated", () => {
    expect(
      nodePressureSignals([ev("SystemOOM", "System OOM encountered, victim process: java, pid: 4411", T)], null)[0]!
        .timing,
    ).toBe("undated");
  });
});
