/**
 * The verdict's shape (issue 7): one primary cause; consistent causes shown as contributing;
 * inconsistent ones as alternatives that lower the confidence when as well supported; and the
 * confidence calibration (high needs two artifacts or a decisive one; one reading is low).
 */
import { describe, expect, it } from "vitest";
import { calibrate } from "../../src/diagnose/calibrate.js";
import { chooseVerdict, consistent } from "../../src/diagnose/verdict.js";
import type { CauseId, Confidence, Hypothesis } from "../../src/model/incident.js";

const ev = (file: string, line: number) => ({ file, line, text: `${file}:${line}` });
const h = (
  cause: CauseId,
  confidence: Confidence,
  evidence = [ev("a.txt", 1), ev("b.txt", 2)],
  decisive = false,
): Hypothesis => ({
  cause,
  status: "supported",
  confidence,
  reason: `${cause} reason`,
  evidence,
  missing: [],
  ...(decisive ? { decisive } : {}),
});

describe("consistent", () => {
  it("pairs a time shape with where the memory went, never two time shapes, never not-oom", () => {
    expect(consistent("memory-leak", "native-memory")).toBe(true);
    expect(consistent("limit-too-low", "kernel-memory")).toBe(true);
    expect(consistent("node-overcommit", "memory-leak")).toBe(true);
    expect(consistent("memory-leak", "burst-allocation")).toBe(false);
    expect(consistent("limit-too-low", "memory-leak")).toBe(false);
    expect(consistent("not-oom", "native-memory")).toBe(false);
    expect(consistent("runtime-misconfigured", "native-memory")).toBe(false);
    expect(consistent("runtime-misconfigured", "limit-too-low")).toBe(false);
  });
});

describe("chooseVerdict", () => {
  it("nothing supported: undetermined, naming what would decide it and citing the kill it still states", () => {
    const open: Hypothesis = {
      cause: "burst-allocation",
      status: "undetermined",
      reason: "one run length",
      evidence: [],
      missing: ["usage over the killed run"],
    };
    const kill = ev("dmesg.txt", 99);
    const v = chooseVerdict(
      "container-oom-kill",
      [open, { ...open, cause: "limit-too-low", status: "rejected", missing: [] }],
      [kill],
    );
    expect(v).toMatchObject({ cause: "undetermined", confidence: "low", evidence: [kill] });
    expect(v.summary).toMatch(/cannot decide why\. To decide, capture: usage over the killed run\./);
  });

  it("a leak outside the heap is memory-leak with native-memory contributing", () => {
    const v = chooseVerdict("container-oom-kill", [h("native-memory", "high"), h("memory-leak", "high")]);
    expect(v.cause).toBe("memory-leak");
    expect(v.confidence).toBe("high");
    expect(v.contributing).toEqual([expect.objectContaining({ cause: "native-memory" })]);
    expect(v.summary).toMatch(/Contributing: native-memory\./);
  });

  it("a better-supported where cause stays primary", () => {
    const v = chooseVerdict("container-oom-kill", [h("shared-memory", "high"), h("memory-leak", "medium")]);
    expect(v.cause).toBe("shared-memory");
    expect(v.contributing?.map((c) => c.cause)).toEqual(["memory-leak"]);
  });

  it("an inconsistent cause as well supported lowers the verdict a level and is named", () => {
    const v = chooseVerdict("container-oom-kill", [h("limit-too-low", "medium"), h("burst-allocation", "medium")]);
    expect(v.cause).toBe("limit-too-low");
    expect(v.confidence).toBe("low");
    expect(v.alternatives).toEqual([expect.objectContaining({ cause: "burst-allocation", confidence: "medium" })]);
    expect(v.summary).toMatch(/burst-allocation fits the evidence as well, so the verdict is not medium/);
    expect(v.contributing).toBeUndefined();
  });

  it("a weaker inconsistent cause is listed without lowering the verdict", () => {
    const v = chooseVerdict("container-oom-kill", [h("runtime-misconfigured", "high"), h("limit-too-low", "low")]);
    expect(v).toMatchObject({ cause: "runtime-misconfigured", confidence: "high" });
    expect(v.alternatives?.map((a) => a.cause)).toEqual(["limit-too-low"]);
  });
});

describe("calibrate", () => {
  it("one cited line is low, whatever the rule said", () => {
    const c = calibrate(h("limit-too-low", "medium", [ev("describe.txt", 14)]));
    expect(c.confidence).toBe("low");
    expect(c.calibration).toMatch(/one reading/);
  });

  it("high from one artifact that is not decisive is medium; decisive or two artifacts stay high", () => {
    expect(calibrate(h("memory-leak", "high", [ev("m.csv", 1), ev("m.csv", 9)])).confidence).toBe("medium");
    expect(calibrate(h("memory-leak", "high", [ev("m.csv", 1), ev("m.csv", 9)], true)).confidence).toBe("high");
    expect(calibrate(h("memory-leak", "high", [ev("m.csv", 1), ev("dmesg.txt", 9)])).confidence).toBe("high");
  });

  it("leaves rejected and undetermined hypotheses alone", () => {
    const r: Hypothesis = { cause: "burst-allocation", status: "rejected", reason: "x", evidence: [], missing: [] };
    expect(calibrate(r)).toBe(r);
  });
});
