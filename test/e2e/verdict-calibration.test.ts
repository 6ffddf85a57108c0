/**
 * One primary cause and calibrated confidence, end to end (issue 7), on bundles in
 * test/fixtures/bundles/: a describe-only kill is never a confident verdict; a tmpfs that fills
 * a little more on every run is memory-leak with shared-memory contributing.
 */
import { describe, expect, it } from "vitest";
import { onlyIncident } from "./cli.js";

const only = onlyIncident;

describe("verdict calibration", () => {
  it("a describe-only OOMKilled with restarts rests on one reading: no cause claimed, with what would decide it", () => {
    const i = only("describe-only-one-kill");
    expect(i.event).toBe("container-oom-kill");
    expect(i.verdict).toMatchObject({ cause: "undetermined", confidence: "low" });
    for (const h of i.hypotheses) expect(h.confidence ?? "low").not.toBe("high");
    // The last run's length and the restart count are one reading: neither claimed nor ruled out from it.
    const limit = i.hypotheses.find((h) => h.cause === "limit-too-low")!;
    expect(limit).toMatchObject({
      status: "undetermined",
      reason: expect.stringMatching(/one run's length cannot tell/),
    });
    expect(i.verdict.summary).toMatch(/To decide, capture: /);
  });

  it("four regular kills with a tmpfs-heavy memcg: memory-leak primary, shared-memory contributing", () => {
    const i = only("leak-in-tmpfs");
    expect(i.verdict).toMatchObject({ cause: "memory-leak", confidence: "high" });
    expect(i.verdict.contributing?.map((c) => c.cause)).toEqual(["shared-memory"]);
    expect(i.verdict.summary).toMatch(/one every 3 h 20 min .*Contributing: shared-memory/);
    expect(i.hypotheses.find((h) => h.cause === "limit-too-low")).toMatchObject({
      status: "rejected",
      reason: expect.stringMatching(/regular interval/),
    });
    expect(i.kills).toHaveLength(4);
  });
});
