/**
 * Main process versus child, end to end (issue 7): `child-oom-kill` only when the container's main
 * process survived the kill. The kubelet's record decides when it has one (an exit of its own after
 * the kill, OOMKilled with an exit code other than 137); without kubectl, the main process is the
 * first task of the container memcg's tasks table that is not infrastructure (runc init, pause,
 * conmon), not the lowest pid (pids wrap around). Bundles in test/fixtures/bundles/.
 */
import { describe, expect, it } from "vitest";
import type { Report } from "../../src/model/incident.js";
import { fixtureBundle, jsonReport } from "./cli.js";

const report = (name: string): Report => jsonReport(fixtureBundle(name));

describe("main process versus child", () => {
  it("without kubectl: the first task of the container's memcg is its main process, whatever the pids (wrap-around, runc init)", () => {
    const r = report("main-vs-child-tasks-table");
    expect(r.incidents).toHaveLength(2);
    const byPid = new Map(r.incidents.map((i) => [i.kills[0]!.pid, i]));
    // php-fpm pid 311 (wrapped, lower than the master's 48211) was a worker: the master lived on.
    expect(byPid.get(311)!.event).toBe("child-oom-kill");
    // java pid 7001 is listed first; runc:[2:INIT] (pid 150, an exec probe) is not the main process.
    expect(byPid.get(7001)!.event).toBe("container-oom-kill");
  });

  it("a child killed, then the script exits 1 by itself: child-oom-kill, the kill carrying the kernel side and the record", () => {
    const r = report("child-killed-script-exits-1");
    expect(r.incidents).toHaveLength(1);
    const [i] = r.incidents;
    expect(i!.event).toBe("child-oom-kill");
    expect(i!.kills).toHaveLength(1);
    expect(i!.kills[0]).toMatchObject({ pid: 41877, process: "gs", limitBytes: 512 * 2 ** 20, limitHit: "memory" });
    expect(i!.verdict.summary).toMatch(/its main process survived the kill/);
    expect(i!.verdict.confidence).toBe("low");
    expect(i!.verdict.summary).not.toMatch(/verdict is not low/);
  });

  it("OOMKilled with exit code 143 and no kernel log: a child kill, no cause claimed and no process invented", () => {
    const r = report("oomkilled-exit-143-child");
    expect(r.incidents).toHaveLength(1);
    const [i] = r.incidents;
    expect(i!.event).toBe("child-oom-kill");
    expect(i!.verdict.cause).toBe("undetermined");
    expect(i!.verdict.confidence).toBe("low");
    expect(i!.kills[0]).toMatchObject({ pid: null, process: null });
    expect(JSON.stringify(i!.hypotheses)).not.toMatch(/pid \?/);
    expect(i!.hypotheses.find((h) => h.cause === "burst-allocation")!.reason).toMatch(/exit code 143/);
    for (const h of i!.hypotheses) if (h.status === "supported") expect(h.confidence).toBe("low");
  });

  it("dmesg -T whose zone is unknown and which drifted (2 h 37 s off): joined by limit and process, and its unplaced time does not make it a child kill", () => {
    const r = report("dmesg-T-drifted-zone-unknown");
    expect(r.incidents).toHaveLength(1);
    const [i] = r.incidents;
    expect(i!.kills).toHaveLength(1);
    expect(i!.kills[0]!.join!.summary).toBe("joined by limit 768 MiB and process indexer");
    expect(i!.kills[0]!.evidence.map((e) => e.text).join("\n")).toMatch(/OOMKilled, exit code 137/);
    expect(i!.event).toBe("container-oom-kill");
  });
});
