/**
 * Rules reading the observations of the new kinds: a kubectl top working set at the limit, a
 * VerticalPodAutoscaler target above the limit.
 */
import { describe, expect, it } from "vitest";
import { observationsFor } from "../../src/correlate/observations.js";
import burstAllocation from "../../src/diagnose/rules/burst-allocation.js";
import limitTooLow from "../../src/diagnose/rules/limit-too-low.js";
import { emptyFacts, type TopReading, type VpaFact } from "../../src/model/facts.js";
import { at, container, context, subject, terminated } from "./builders.js";

const MI = 1024 ** 2;
// A first OOM kill after a 9-hour run: on its own, one data point that decides no cause.
const longRun = () =>
  subject({
    container: container({
      restartCount: 1,
      limitBytes: 2048 * MI,
      requestBytes: 1024 * MI,
      lastState: terminated({
        startedAtMs: Date.parse("2026-06-09T01:00:00Z"),
        finishedAtMs: Date.parse("2026-06-09T10:00:00Z"),
      }),
    }),
  });

function top(memoryBytes: number): TopReading {
  return {
    scope: "container",
    namespace: "shop",
    pod: "api-7d9c-x1",
    container: "app",
    node: null,
    cpuMillicores: 200,
    memoryBytes,
    memoryPercent: null,
    source: at(2, "top.txt"),
    text: `api-7d9c-x1 app 200m ${memoryBytes / MI}Mi`,
  };
}

function vpa(targetBytes: number): VpaFact {
  return {
    source: at(1, "vpa.yaml"),
    name: "api-vpa",
    namespace: "shop",
    targetRef: { kind: "Deployment", name: "api" },
    updateMode: "Off",
    containers: [
      {
        container: "app",
        targetBytes,
        lowerBoundBytes: null,
        upperBoundBytes: targetBytes * 1.5,
        uncappedTargetBytes: null,
        minAllowedBytes: null,
        maxAllowedBytes: null,
        lines: { target: 30 },
        source: at(25, "vpa.yaml"),
      },
    ],
  };
}

function withFacts(fill: (f: ReturnType<typeof emptyFacts>) => void) {
  const s = longRun();
  const facts = emptyFacts();
  fill(facts);
  s.observations = observationsFor(s.subject, { kind: "ReplicaSet", name: "api-7d9c" }, facts);
  return context(s);
}

describe("kubectl top readings", () => {
  it("a working set at 95% of the limit supports limit-too-low, cites the row, and rules out a burst", () => {
    const ctx = withFacts((f) => f.topReadings.push(top(1945 * MI)));
    const h = limitTooLow.evaluate(ctx);
    expect(h).toMatchObject({ status: "supported", confidence: "medium" });
    expect(h.evidence[0]).toMatchObject({ file: "top.txt", line: 2 });
    expect(burstAllocation.evaluate(ctx)).toMatchObject({ status: "rejected" });
  });

  it("a comfortable reading changes nothing, and another container's reading is not this one's", () => {
    const baseline = limitTooLow.evaluate(withFacts(() => {}));
    expect(limitTooLow.evaluate(withFacts((f) => f.topReadings.push(top(900 * MI))))).toMatchObject({
      status: baseline.status,
      reason: baseline.reason,
    });
    const other = withFacts((f) => f.topReadings.push({ ...top(2000 * MI), container: "sidecar" }));
    expect(other.facts.observations!.top).toEqual([]);
    const alone = burstAllocation.evaluate(withFacts(() => {}));
    expect(alone.status).toBe("undetermined");
    expect(burstAllocation.evaluate(other)).toMatchObject({ status: alone.status, reason: alone.reason });
  });
});

describe("VerticalPodAutoscaler recommendation", () => {
  it("a target above the limit supports limit-too-low and names the VPA", () => {
    const ctx = withFacts((f) => f.vpas.push(vpa(2400 * MI)));
    expect(ctx.facts.observations!.vpa).toHaveLength(1);
    const h = limitTooLow.evaluate({
      ...ctx,
      facts: { ...ctx.facts, container: { ...ctx.facts.container!, lastState: null } },
      termination: null,
    });
    expect(h.status).toBe("supported");
    expect(h.reason).toContain("VerticalPodAutoscaler api-vpa");
    expect(h.evidence[0]).toMatchObject({ file: "vpa.yaml", line: 30 });
  });

  it("a VPA of another workload or namespace is not matched", () => {
    expect(
      withFacts((f) => f.vpas.push({ ...vpa(2400 * MI), targetRef: { kind: "Deployment", name: "billing" } })).facts
        .observations!.vpa,
    ).toEqual([]);
    expect(withFacts((f) => f.vpas.push({ ...vpa(2400 * MI), namespace: "other" })).facts.observations!.vpa).toEqual(
      [],
    );
  });
});
