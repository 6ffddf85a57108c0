/**
 * Kills that are not OOM, end to end (issue 7): exit code 137 sent by a userspace OOM daemon
 * (systemd-oomd, earlyoom: their journal lines), by the stop grace period running out, or by a
 * deletion without grace period is `sigkill` with cause `not-oom`, with the evidence and the
 * sender as a structured field. Bundles in test/fixtures/bundles/.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Report } from "../../src/model/incident.js";
import { fixtureBundle, onlyIncident, runCli } from "./cli.js";

const bundle = fixtureBundle;
const only = onlyIncident;

describe("kills that are not OOM", () => {
  it("systemd-oomd in a short-iso journal (+01:00) joins the describe's exit 137 by time and node", () => {
    const i = only("systemd-oomd-journal-iso");
    expect(i.event).toBe("sigkill");
    expect(i.verdict).toMatchObject({ cause: "not-oom", confidence: "high" });
    expect(i.verdict.summary).toMatch(/systemd-oomd/);
    expect(i.subject.podUid).toBe("3b9d7e21-0c4a-4f11-9e58-72d1c6a0b4f3");
    expect(i.subject.containerId).toBe("fe0d1c2b3a4958677f8e9d0c1b2a3948576f8e9d0c1b2a3948576f8e9d0c1b2a");
    expect(i.subject.liveContainerId).toBe("a11b22c33d44e55f66a77b88c99d00e11f22a33b44c55d66e77f88a99b00c11d");
    const [k] = i.kills;
    expect(k).toMatchObject({ killer: "systemd-oomd", time: "2026-01-19T03:12:33Z", memcgLevel: "container" });
    expect(k!.join).toMatchObject({
      method: "evidence",
      summary: expect.stringMatching(
        /joined by systemd-oomd killed at 2026-01-19T03:12:33Z, 1 s before the kubelet recorded the exit, exit code 137 \(Error\), not OOMKilled, node node-a/,
      ),
    });
    expect(k!.evidence.map((e) => e.line)).toEqual(expect.arrayContaining([2, 3]));
    expect(i.killSenders?.[0]).toMatchObject({ kind: "userspace-oom-daemon", confidence: "high" });
    expect(i.hypotheses.find((h) => h.cause === "limit-too-low")?.status).toBe("rejected");
  });

  it("earlyoom's SIGTERM then SIGKILL in a year-less syslog is one kill, tied by time and node", () => {
    const i = only("earlyoom-syslog");
    expect(i.verdict.cause).toBe("not-oom");
    expect(i.kills).toHaveLength(1);
    expect(i.kills[0]).toMatchObject({
      killer: "earlyoom",
      pid: 48812,
      process: "ffmpeg",
      time: "2026-03-05T17:40:15Z",
      timeSource: "journal-local-year-inferred",
    });
    expect(i.kills[0]!.evidence.map((e) => e.line)).toEqual(expect.arrayContaining([3, 4]));
    expect(i.verdict.summary).toMatch(/earlyoom .*ffmpeg \(pid 48812\)/);
  });

  it("the stop grace period: Killing event, then the exit terminationGracePeriodSeconds later", () => {
    const i = only("stop-grace-period");
    expect(i.event).toBe("sigkill");
    expect(i.verdict.cause).toBe("not-oom");
    expect(i.verdict.confidence).toBe("high");
    expect(i.verdict.summary).toMatch(
      /stopped the container at 2026-04-02T10:21:03Z and it exited 45 s later, when its 45 s stop grace period ran out/,
    );
    expect(i.verdict.evidence).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: "events.json", text: expect.stringContaining("Stopping container consumer") }),
      ]),
    );
    expect(i.killSenders?.map((s) => s.kind)).toEqual(["stop-grace-period"]);
  });

  it("a deletion with --grace-period=0 is named from deletionGracePeriodSeconds", () => {
    const i = only("forced-deletion");
    expect(i.verdict.cause).toBe("not-oom");
    expect(i.verdict.summary).toMatch(/grace period of 0 s \(`kubectl delete --grace-period=0 --force`\)/);
    expect(i.verdict.evidence[0]).toMatchObject({ file: "pod.yaml", line: 7 });
    expect(i.killSenders?.[0]?.kind).toBe("forced-deletion");
  });

  it("a systemd-oomd kill in a journal with no pod artifact is an incident of its own", () => {
    const i = only("oomd-journal-only");
    expect(i.event).toBe("sigkill");
    expect(i.verdict.cause).toBe("not-oom");
    expect(i.subject).toMatchObject({
      podUid: "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
      containerId: "1f2e3d4c5b6a79880f1e2d3c4b5a69788f1e2d3c4b5a69788f1e2d3c4b5a6978",
      node: "k8s-w7",
    });
  });

  it("a describe-only exit 137 with no sender in the bundle is not claimed as not-oom", () => {
    const r = runCli([join(bundle("earlyoom-syslog"), "describe.txt"), "--format", "json", "--quiet"]);
    const i = (JSON.parse(r.stdout) as Report).incidents[0]!;
    expect(i.event).toBe("sigkill");
    expect(i.verdict.cause).toBe("undetermined");
    expect(i.killSenders).toEqual([]);
  });
});
