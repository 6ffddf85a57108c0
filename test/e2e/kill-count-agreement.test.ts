/**
 * Kill count, Restart Count and the runs table agree, or the report says why (issue 7), over every
 * sample and fixture bundle (the checks: kill-count.ts); the scenarios of ../shared in the .shared twin.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Incident } from "../../src/model/incident.js";
import { REPO } from "./cli.js";
import { bundleDirs, disagreements, expectCountsAgree } from "./kill-count.js";

const BUNDLES = [...bundleDirs(join(REPO, "samples")), ...bundleDirs(join(REPO, "test/fixtures/bundles"))];

describe("kill count, Restart Count and the runs table agree, or the report says why", () => {
  it.each(BUNDLES.map((b) => [b.slice(REPO.length), b]))("%s", async (_name, path) => {
    await expectCountsAgree(path);
  });

  it("the checks bite: a kill count with no note, and a runs table out of step, are found", () => {
    const base = {
      subject: { namespace: null, pod: "p", podUid: null, container: "c", containerId: null, node: null },
      event: "container-oom-kill",
      verdict: { cause: "undetermined", confidence: "low", summary: "", evidence: [] },
      hypotheses: [],
      actions: [],
      timeline: [],
      notes: [],
    } as unknown as Incident;
    const kernelKill = (t: string) =>
      ({
        time: t,
        pid: 1,
        process: "x",
        anonRssBytes: null,
        limitBytes: null,
        limitHit: "memory",
        memcg: null,
        memcgLevel: "container",
        killer: "kernel-oom-killer",
        evidence: [{ file: "dmesg", line: 1, text: "Killed process 1 (x)" }],
      }) as Incident["kills"][number];
    expect(disagreements({ ...base, kills: [kernelKill("2026-01-01T01:00:00Z")] }, 3)).toEqual([
      "1 kernel kills, Restart Count 3, no note",
    ]);
    const run = (start: string, end: string, endedBy: "kill" | "restart" | null) => ({
      start,
      end,
      minBytes: 0,
      medianBytes: 0,
      p99Bytes: 0,
      maxBytes: 0,
      slopeBytesPerSec: 0,
      r2: 0,
      timeToLimitSec: null,
      endedBy,
    });
    const usage = {
      metric: "m",
      evidence: { file: "m.csv", text: "" },
      limitBytes: null,
      points: [],
      restarts: ["2026-01-01T02:00:00Z"],
      restartCount: 1,
      kills: ["2026-01-01T01:00:00Z"],
      stepSec: 30,
      runs: [
        run("2026-01-01T00:00:00Z", "2026-01-01T01:00:00Z", null),
        run("2026-01-01T01:01:00Z", "2026-01-01T03:00:00Z", null),
      ],
    };
    expect(disagreements({ ...base, kills: [kernelKill("2026-01-01T01:00:00Z")], usage }, 1)).toEqual([
      "1 kills inside the series, 0 runs ended by a kill",
      "run 1 of 2 ends with no kill or restart",
      "restart at 2026-01-01T02:00:00.000Z starts no run",
    ]);
  });
});
