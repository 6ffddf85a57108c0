import { describe, expect, it } from "vitest";
import { buildTimeline, TIMELINE_EVENTS } from "../../src/correlate/timeline.js";
import { EventBudget, EVENTS_KEPT, ROUTINE_EVENTS_KEPT } from "../../src/ingest/shared/event-budget.js";
import type { KubeEvent } from "../../src/model/facts.js";
import { container, subject } from "../diagnose/builders.js";

function event(i: number, over: Partial<KubeEvent> = {}): KubeEvent {
  return {
    type: "Normal",
    reason: "Pulled",
    message: `image 1.${i} already present`,
    involved: null,
    count: 1,
    firstMs: null,
    lastMs: null,
    ageText: "5m",
    source: { file: "describe.txt", line: i + 1 },
    ...over,
  };
}

describe("timeline budget", () => {
  it("lists every event when there are at most TIMELINE_EVENTS, repeats included", () => {
    const events = [event(0), event(1, { message: "image 1.0 already present" })];
    const t = buildTimeline(subject({ container: container(), events }), []);
    expect(t.filter((e) => e.what.startsWith("Normal Pulled"))).toHaveLength(2);
  });

  it("past the budget, repeats become one entry with their counts and times added", () => {
    const backOff = (i: number) =>
      event(i, {
        type: "Warning",
        reason: "BackOff",
        message: "Back-off restarting failed container api",
        count: 2,
        firstMs: Date.UTC(2026, 0, 1, 0, i),
        lastMs: Date.UTC(2026, 0, 1, 0, i + 1),
      });
    const events = [...Array.from({ length: TIMELINE_EVENTS }, (_, i) => backOff(i)), event(5000)];
    const t = buildTimeline(subject({ container: container(), events }), []);
    const merged = t.filter((e) => e.what.startsWith("Warning BackOff"));
    expect(merged).toHaveLength(1);
    expect(merged[0]!.what).toBe(
      `Warning BackOff (x${2 * TIMELINE_EVENTS}): Back-off restarting failed container api [last seen 2026-01-01 16:40:00 UTC]`,
    );
    expect(merged[0]!.time).toBe("2026-01-01T00:00:00Z");
    expect(merged[0]!.evidence.line).toBe(1);
  });

  it("past the budget with distinct events, lists warnings first and says how many were left out", () => {
    const events = [
      ...Array.from({ length: TIMELINE_EVENTS + 10 }, (_, i) => event(i)),
      event(9999, { type: "Warning", reason: "OOMKilling", message: "Memory cgroup out of memory" }),
    ];
    const t = buildTimeline(subject({ container: container(), events }), []);
    expect(t.some((e) => e.what.startsWith("Warning OOMKilling"))).toBe(true);
    const note = t.find((e) => /more distinct events not listed/.test(e.what));
    expect(note?.what).toMatch(/^11 more distinct events not listed/);
    expect(note?.evidence.line).toBe(TIMELINE_EVENTS); // the first Normal event left out: event(TIMELINE_EVENTS - 1) on line TIMELINE_EVENTS
  });
});

describe("EventBudget", () => {
  it("keeps every event up to ROUTINE_EVENTS_KEPT, then only non-Normal ones up to EVENTS_KEPT, and says what it dropped", () => {
    const budget = new EventBudget("pod-json", "events.json");
    let kept = 0;
    for (let i = 0; i < ROUTINE_EVENTS_KEPT + 5; i++) if (budget.keep(event(i))) kept++;
    expect(kept).toBe(ROUTINE_EVENTS_KEPT);
    expect(budget.keep(event(0, { type: "Warning", reason: "Evicted" }))).toBe(true);
    expect(budget.keep(event(0, { type: null, reason: "MemoryPressure" }))).toBe(true);
    for (let i = kept + 2; i < EVENTS_KEPT; i++) budget.keep(event(i, { type: "Warning" }));
    expect(budget.keep(event(1, { type: "Warning", source: { file: "events.json", line: 7 } }))).toBe(false);
    expect(budget.diagnostic()).toEqual({
      severity: "warning",
      code: "pod-json/event-budget",
      message: `5 Normal events past the first ${ROUTINE_EVENTS_KEPT} and 1 events past the first ${EVENTS_KEPT} not kept (the budget of events per file) — split the capture per pod or namespace to read them`,
      at: { file: "events.json", line: ROUTINE_EVENTS_KEPT + 1 },
    });
  });

  it("has nothing to say when everything was kept", () => {
    const budget = new EventBudget("kubectl-describe", "describe.txt");
    expect(budget.keep(event(0))).toBe(true);
    expect(budget.diagnostic()).toBeNull();
  });
});
