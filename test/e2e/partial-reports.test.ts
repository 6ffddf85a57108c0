/**
 * Partial kernel reports, end to end (issue 7): a lone `oom-kill:` line or /dev/kmsg record is a
 * kill; a report whose victim line was cut takes its pid from `oom_reaper`; `Out of memory and no
 * killable processes...` is not a kill; a header cut off by the capture's end is a note on the
 * nearest kill, not an incident of its own. Bundles in test/fixtures/bundles/.
 */
import { describe, expect, it } from "vitest";
import type { Report } from "../../src/model/incident.js";
import { fixtureBundle, jsonReport, runCli } from "./cli.js";

const bundle = fixtureBundle;
const report = (name: string): Report => jsonReport(bundle(name));

describe("partial kernel reports", () => {
  it("a lone /dev/kmsg oom-kill record is a kill with its pid, process and memcg", () => {
    const r = report("lone-oom-kill-kmsg");
    expect(r.incidents).toHaveLength(1);
    const [i] = r.incidents;
    expect(i!.event).toBe("container-oom-kill");
    expect(i!.subject.podUid).toBe("6c0f7a12-33b4-4e55-9d10-7a8b9c0d1e2f");
    expect(i!.subject.containerId).toBe("5be0c91d2a7e4f60b3c8d1e2f4a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d");
    const [k] = i!.kills;
    expect(k).toMatchObject({ pid: 881204, process: "tileserver", memcgLevel: "container", uptimeSec: 5123.412081 });
    expect(k!.memcg).toMatch(/cri-containerd-5be0c91d.*\.scope$/);
    expect(k!.evidence[0]).toMatchObject({ file: "kmsg.txt", line: 2 });
    expect(k!.evidence[0]!.text).toContain("task=tileserver,pid=881204");
  });

  it("a report whose victim line was cut takes the pid from oom_reaper", () => {
    const r = report("victim-cut-reaper");
    expect(r.incidents).toHaveLength(1);
    const [k] = r.incidents[0]!.kills;
    expect(k).toMatchObject({ pid: 30418, process: "ruby", limitBytes: 393216 * 1024, limitHit: "memory" });
    expect(k!.evidence[0]).toMatchObject({ file: "kern.log", line: 12 });
    expect(k!.evidence[0]!.text).toContain("oom_reaper: reaped process 30418 (ruby)");
  });

  it("`Out of memory and no killable processes...` is not a kill, and the report says so", () => {
    const r = report("no-killable-process");
    expect(r.incidents).toEqual([]);
    expect(r.warnings).toContainEqual(
      expect.objectContaining({
        file: "dmesg.txt",
        line: 5,
        message: expect.stringMatching(/no process it could kill: this report killed nothing/),
      }),
    );
    const md = runCli([bundle("no-killable-process"), "--quiet"]);
    expect(md.stdout).toMatch(/killed nothing/);
  });

  it("a header cut off by the capture's end is a note on the nearest kill, not an incident", () => {
    const r = report("cut-header-after-kill");
    expect(r.incidents).toHaveLength(1);
    const [i] = r.incidents;
    expect(i!.kills.map((k) => k.pid)).toEqual([5512]);
    expect(
      i!.notes.some((n) =>
        /^dmesg-T\.txt:6: another OOM report begins at 2026-02-07 18:47:55 UTC .*capture ends before it names a victim/.test(
          n,
        ),
      ),
    ).toBe(true);
  });

  it("a cut header with no other kill in the bundle stays an incident and says what is unknown", () => {
    const r = report("cut-header-only");
    expect(r.incidents).toHaveLength(1);
    expect(r.incidents[0]!.kills[0]!.pid).toBeNull();
    expect(r.incidents[0]!.notes.some((n) => /no other kill.*unknown/.test(n))).toBe(true);
  });

  it("a report cut to its header is not called a kill at the container's own limit", () => {
    const md = runCli([bundle("cut-header-only"), "--quiet"]).stdout;
    expect(md).toMatch(
      /\*\*What happened:\*\* .* had the kernel's OOM killer invoked.*; the report names no memcg, limit or victim .*whether its own limit or the node ran out is not known\./,
    );
    expect(md).not.toMatch(/OOM-killed at its own memory limit/);
  });
});
