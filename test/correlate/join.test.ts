/**
 * The evidence join (src/correlate/join.ts) on hand-made facts: node names, clock offsets, limit
 * exclusions, kills of earlier runs and of children, ties.
 */
import { describe, expect, it } from "vitest";
import { kernelKills, type KernelKill, type PodContainer } from "../../src/correlate/attribute.js";
import { joinByEvidence, sameNode, weigh, type ClueTime } from "../../src/correlate/join.js";
import { mergePods } from "../../src/correlate/pods.js";
import type { OomEvent } from "../../src/model/facts.js";
import { container, oom, pod, terminated } from "../diagnose/builders.js";

const MI = 2 ** 20;
const UID = "12345678-90ab-4cde-8f01-23456789abcd";
const memcg = `/kubepods/burstable/pod${UID}/${"e".repeat(64)}`;
const killAt = (iso: string, over: Partial<OomEvent> = {}, clock: "utc" | "local" = "utc") =>
  kernelKills([
    oom({ time: { wallMs: Date.parse(iso), uptimeSec: null, clock }, oomMemcg: memcg, taskMemcg: memcg, ...over }),
  ])[0]!;
const ownClock = (k: KernelKill): ClueTime => ({
  ms: k.oom.time.wallMs,
  clock: k.oom.time.wallMs === null ? null : k.oom.time.clock === "utc" ? "utc" : "local",
});
const target = (over: Parameters<typeof container>[0] = {}, podOver: Parameters<typeof pod>[1] = {}): PodContainer => {
  const [m] = mergePods([pod(container(over), { uid: null, ...podOver })]);
  return { pod: m!, container: m!.pod.containers[0]! };
};
const backOff = {
  kind: "waiting" as const,
  reason: "CrashLoopBackOff",
  exitCode: null,
  signal: null,
  message: null,
  startedAtMs: null,
  finishedAtMs: null,
  source: { file: "describe.txt", line: 9 },
};
const oomKilledAt = (finished: string) => ({
  lastState: terminated({ finishedAtMs: Date.parse(finished), startedAtMs: Date.parse(finished) - 3_600_000 }),
});

describe("sameNode", () => {
  it.each([
    ["ip-10-0-1-2", "ip-10-0-1-2.ec2.internal", true],
    ["ip-10-0-1-2", "ip-10-0-1-3.ec2.internal", false],
    ["Worker-3.example.org", "worker-3.example.org.", true],
    ["a.example.org", "a.example.com", false],
  ])("%s on node %s: %s", (host, node, same) => {
    expect(sameNode(host, { node })).toBe(same);
  });

  it("an IP host (talosctl) is compared with the node's IP, and is undecided without it", () => {
    expect(sameNode("172.20.0.5", { node: "talos-w-1", nodeIp: "172.20.0.5" })).toBe(true);
    expect(sameNode("172.20.0.5", { node: "talos-w-1", nodeIp: "172.20.0.6" })).toBe(false);
    expect(sameNode("172.20.0.5", { node: "talos-w-1" })).toBeNull();
  });
});

describe("weigh", () => {
  it("a UTC kill a second before finishedAt fits by time and limit", () => {
    const w = weigh([killAt("2026-06-09T11:02:17Z")], target(oomKilledAt("2026-06-09T11:02:18Z")), ownClock);
    expect(w.excluded).toBeNull();
    expect(w.basis.map((b) => b.kind)).toEqual(expect.arrayContaining(["time", "limit"]));
  });

  it("a local time matches at a half-hour zone (UTC+05:30) when the seconds agree, and says the zone", () => {
    const w = weigh(
      [killAt("2026-06-09T16:32:17Z", {}, "local")],
      target(oomKilledAt("2026-06-09T11:02:18Z")),
      ownClock,
    );
    expect(w.localOffsetMs).toBe(-5.5 * 3_600_000);
    expect(w.basis.find((b) => b.kind === "time")!.text).toMatch(/UTC\+05:30/);
  });

  it("a local time 45 minutes off matches no whole or half hour: with an OOMKilled record at another time, excluded", () => {
    const w = weigh(
      [killAt("2026-06-09T11:47:17Z", {}, "local")],
      target({ state: backOff, ...oomKilledAt("2026-06-09T11:02:18Z") }),
      ownClock,
    );
    expect(w.excluded).toMatch(/is not when app finished .* at any whole or half hour offset/);
  });

  it("another memcg limit at container level excludes the container", () => {
    const w = weigh(
      [killAt("2026-06-09T11:02:17Z")],
      target({ limitBytes: 1024 * MI, ...oomKilledAt("2026-06-09T11:02:18Z") }),
      ownClock,
    );
    expect(w.excluded).toMatch(/limit 512 MiB is not app's 1 GiB/);
  });

  it("a kill of an earlier run (before the shown runs, restarted more often) is not held against the container", () => {
    const t = target({ restartCount: 4, ...oomKilledAt("2026-06-09T11:02:18Z") });
    const w = weigh([killAt("2026-06-09T06:00:00Z")], t, ownClock);
    expect(w.excluded).toBeNull();
  });

  it("a kill during the current run (a child) is not held against it; a later time is", () => {
    const t = target(oomKilledAt("2026-06-09T10:00:00Z"));
    expect(weigh([killAt("2026-06-09T11:30:00Z")], t, ownClock).excluded).toBeNull();
    const stopped = target({ state: backOff, ...oomKilledAt("2026-06-09T10:00:00Z") });
    expect(weigh([killAt("2026-06-09T11:30:00Z")], stopped, ownClock).excluded).toMatch(/is not when/);
  });

  it("a kernel log from another host excludes the pod, naming both", () => {
    const w = weigh(
      [killAt("2026-06-09T11:02:17Z", { host: "node-9" })],
      target(oomKilledAt("2026-06-09T11:02:18Z"), { node: "node-1" }),
      ownClock,
    );
    expect(w.excluded).toMatch(/host node-9, another node than node-1/);
  });

  it("a pod-level memcg limit is compared with the pod's (sum of the app containers' limits)", () => {
    const podMemcg = `/kubepods/burstable/pod${UID}`;
    const k = killAt("2026-06-09T11:02:17Z", {
      oomMemcg: podMemcg,
      taskMemcg: podMemcg,
      counters: [
        {
          name: "memory",
          usageBytes: 768 * MI,
          limitBytes: 768 * MI,
          failcnt: 1,
          source: { file: "dmesg.txt", line: 2 },
          text: "memory: usage 786432kB, limit 786432kB, failcnt 1",
        },
      ],
    });
    const [m] = mergePods([pod(container({ name: "app", limitBytes: 512 * MI }), { uid: null })]);
    m!.pod.containers.push(container({ name: "proxy", limitBytes: 256 * MI }));
    const w = weigh([k], { pod: m!, container: m!.pod.containers[0]! }, ownClock);
    expect(w.basis.find((b) => b.kind === "limit")?.text).toBe("limit 768 MiB");
  });
});

describe("joinByEvidence", () => {
  const containersOf = (...pods: ReturnType<typeof pod>[]): PodContainer[] =>
    mergePods(pods).flatMap((p) => p.pod.containers.map((c) => ({ pod: p, container: c })));

  it("ties the kill to the one pod that fits and gives that pod the memcg's pod UID", () => {
    const cs = containersOf(
      pod(container(oomKilledAt("2026-06-09T11:02:18Z")), { uid: null, name: "a" }),
      pod(container(oomKilledAt("2026-06-09T12:00:00Z")), { uid: null, name: "b" }),
    );
    const k = killAt("2026-06-09T11:02:17Z");
    const r = joinByEvidence([k], cs, ownClock);
    expect(r.joined.get(k)?.owner.pod.pod.name).toBe("a");
    expect([...r.podUids.values()]).toEqual([UID]);
  });

  it("does not guess between two equal fits, and notes both", () => {
    const cs = containersOf(pod(container(), { uid: null, name: "a" }), pod(container(), { uid: null, name: "b" }));
    const k = kernelKills([
      oom({ time: { wallMs: null, uptimeSec: 100, clock: "uptime" }, oomMemcg: memcg, taskMemcg: memcg }),
    ])[0]!;
    const r = joinByEvidence([k], cs, ownClock);
    expect(r.joined.size).toBe(0);
    expect(r.notes[0]!.text).toMatch(/fits several containers equally: shop\/a\/app .*; shop\/b\/app/);
  });

  it("two pod UIDs never share a pod: the weaker fit is noted, not joined", () => {
    const cs = containersOf(pod(container(oomKilledAt("2026-06-09T11:02:18Z")), { uid: null, name: "a" }));
    const other = `/kubepods/burstable/pod99999999-90ab-4cde-8f01-23456789abcd/${"f".repeat(64)}`;
    const strong = killAt("2026-06-09T11:02:17Z");
    const weak = kernelKills([
      oom({ time: { wallMs: null, uptimeSec: 5, clock: "uptime" }, oomMemcg: other, taskMemcg: other }),
    ])[0]!;
    const r = joinByEvidence([weak, strong], cs, ownClock);
    expect(r.joined.has(strong)).toBe(true);
    expect(r.joined.has(weak)).toBe(false);
    expect(r.notes.map((n) => n.text).join("\n")).toMatch(/already joined to kills of another pod UID/);
  });
});
