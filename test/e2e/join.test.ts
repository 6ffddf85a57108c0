/**
 * Joins without IDs, end to end (issue 7): `kubectl describe` shows neither the pod UID nor the
 * killed container's ID, so a kernel kill is tied to its container by time, node, limit,
 * process and restarts, and the report states the basis; several equal fits, or a kernel log
 * from another node, are not joined and the report says why. Bundles in
 * test/fixtures/bundles/join-* (other names, kernels, cgroup versions and time formats than the
 * shared scenarios).
 */
import { describe, expect, it } from "vitest";
import type { Incident, Report } from "../../src/model/incident.js";
import { fixtureBundle, jsonReport, runCli } from "./cli.js";

const bundle = fixtureBundle;
const report = (name: string): Report => jsonReport(bundle(name));

function markdown(name: string): string {
  const r = runCli([bundle(name), "--format", "md", "--quiet"]);
  expect(r.status).toBe(0);
  return r.stdout;
}

const podOf = (r: Report, pod: string): Incident[] => r.incidents.filter((i) => i.subject.pod === pod);

describe("join by evidence: describe + a kernel log, no pod UID, no killed container ID", () => {
  it("dmesg -T on a node whose clock is UTC+02:00: one incident, the offset found from the seconds and said", () => {
    const r = report("join-dmesg-T-local-zone");
    expect(r.incidents).toHaveLength(1);
    const [i] = r.incidents;
    expect(i!.subject).toMatchObject({
      pod: "search-indexer-6c9d7f5b8-2xk4p",
      container: "indexer",
      podUid: "5d0c7a31-8e2b-4f6a-9c1d-3b7e2a90f4c8",
    });
    const [k] = i!.kills;
    // The kernel side (pid, memcg, limit) and the kubelet side (the termination) in one kill.
    expect(k).toMatchObject({
      pid: 31107,
      process: "indexer",
      limitBytes: 768 * 2 ** 20,
      limitHit: "memory",
      time: "2025-04-16T09:07:43Z",
      timeSource: "kernel-local-aligned",
    });
    expect(k!.evidence.map((e) => e.text).join("\n")).toMatch(/OOMKilled/);
    expect(k!.join).toMatchObject({ method: "evidence" });
    expect(k!.join!.basis.map((b) => b.kind)).toEqual(expect.arrayContaining(["time", "limit", "process"]));
    expect(k!.join!.summary).toMatch(/^joined by time 09:07:43 .*±1 s.*limit 768 MiB/);
    expect(i!.notes.join("\n")).toMatch(/UTC\+02:00/);
  });

  it("the subject's container ID is the killed container's (memcg scope); the live replacement is listed apart", () => {
    const [i] = report("join-dmesg-T-local-zone").incidents;
    expect(i!.subject.containerId).toBe("c0ffee12" + "ab34".repeat(14));
    expect(i!.subject.liveContainerId).toBe("facade99" + "cd56".repeat(14));
  });

  it("syslog without a year: the year comes from describe, per line across New Year; node and restarts count", () => {
    const r = report("join-syslog-no-year");
    expect(r.incidents).toHaveLength(1);
    const [i] = r.incidents;
    expect(i!.subject.pod).toBe("billing-api-7f8e9d0c1b-q2w3e");
    expect(i!.kills.map((k) => [k.pid, k.time])).toEqual([
      [23456, "2024-12-31T23:58:01Z"],
      [24601, "2025-01-03T02:14:09Z"],
    ]);
    expect(i!.kills[1]!.join!.basis.map((b) => b.kind)).toEqual(
      expect.arrayContaining(["time", "limit", "node", "restarts"]),
    );
    expect(i!.notes.join("\n")).toMatch(/no year.*2024 and 2025.*describe-pod\.txt/);
  });

  it("raw dmesg (uptime only): joined by limit, process and the OOMKilled record, whose finishedAt anchors the uptimes (said)", () => {
    const r = report("join-raw-dmesg");
    expect(r.incidents).toHaveLength(1);
    const [i] = r.incidents;
    expect(i!.subject.pod).toBe("thumbnailer-5f6g7h8j9k-zz9yy");
    expect(i!.kills[0]).toMatchObject({
      pid: 7781,
      time: "2025-02-11T19:22:40Z",
      timeSource: "uptime-anchored",
      limitBytes: 400 * 2 ** 20,
    });
    expect(i!.kills[0]!.join!.basis.map((b) => b.kind)).toEqual(
      expect.arrayContaining(["limit", "process", "termination"]),
    );
    expect(i!.notes.join("\n")).toMatch(/raw uptimes anchored .* web finished/);
  });

  it("a group kill (memory.oom.group) is one kill: the victim the kernel chose, the members listed", () => {
    const r = report("join-group-kill");
    expect(r.incidents).toHaveLength(1);
    const [k, ...more] = r.incidents[0]!.kills;
    expect(more).toHaveLength(0);
    expect(k).toMatchObject({ pid: 9102, process: "python3" });
    expect(k!.group!.members.map((m) => m.pid)).toEqual([9100, 9101, 9103]);
    expect(markdown("join-group-kill")).toMatch(/memory\.oom\.group[^\n]*chose python3 \(pid 9102\)/);
  });

  it("an init container killed at its own limit is its own subject, every kill in it", () => {
    const r = report("join-init-container");
    expect(r.incidents).toHaveLength(1);
    const [i] = r.incidents;
    expect(i!.subject.container).toBe("schema-sync");
    expect(i!.kills.map((k) => k.pid)).toEqual([6100, 6101]);
    expect(i!.kills.every((k) => k.limitBytes === 192 * 2 ** 20)).toBe(true);
  });

  it("a sidecar killed (limit in decimal units, kernel page-rounded): one incident for the sidecar, none for the completed init container", () => {
    const r = report("join-sidecar");
    expect(r.incidents).toHaveLength(1);
    expect(r.incidents[0]!.subject.container).toBe("linkerd-proxy");
    expect(r.incidents[0]!.kills[0]).toMatchObject({ pid: 7001, process: "linkerd2-proxy" });
  });

  it("two pods with the same limit on one node: each kill joins the pod whose finishedAt it matches", () => {
    const r = report("join-two-pods-by-time");
    expect(r.incidents).toHaveLength(2);
    expect(podOf(r, "cache-warmer-5d4c3b2a19-x1x1x")[0]!.kills.map((k) => k.pid)).toEqual([61001]);
    expect(podOf(r, "cache-warmer-5d4c3b2a19-y2y2y")[0]!.kills.map((k) => k.pid)).toEqual([62002]);
  });
});

describe("no join when the evidence does not decide", () => {
  it("a kill that fits two replicas equally is joined to neither, and the report names both and why", () => {
    const r = report("join-ambiguous-replicas");
    expect(r.incidents).toHaveLength(3);
    const kernel = r.incidents.find((i) => i.kills.some((k) => k.pid === 5150))!;
    expect(kernel.subject.pod).toBeNull();
    const note = kernel.notes.join("\n");
    expect(note).toMatch(/fits several containers equally/);
    expect(note).toContain("queue-worker-7b6a5c4d3e-aaaaa");
    expect(note).toContain("queue-worker-7b6a5c4d3e-bbbbb");
    for (const pod of ["queue-worker-7b6a5c4d3e-aaaaa", "queue-worker-7b6a5c4d3e-bbbbb"]) {
      expect(podOf(r, pod)[0]!.kills.every((k) => k.pid === null)).toBe(true);
    }
  });

  it("a journal from another node is not joined, and the report says so", () => {
    const r = report("join-journal-other-node");
    const [pod] = podOf(r, "orders-6d5c4b3a29-mn8bv");
    expect(pod!.kills.every((k) => k.pid === null)).toBe(true);
    expect(pod!.kills[0]!.limitBytes).toBe(2 * 2 ** 30);
    expect(pod!.notes.join("\n")).toMatch(/another node/);
    expect(markdown("join-journal-other-node")).toMatch(
      /gke-prod-pool-2-9f8e7d6c-x1y2, another node than gke-prod-pool-2-9f8e7d6c-a3b4/,
    );
  });
});
