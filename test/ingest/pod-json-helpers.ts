/** Helpers of the pod-json tests (pod-json.test.ts and pod-json.shared.test.ts). */
import { expect } from "vitest";
import type { FactSet } from "../../src/model/facts.js";
import { podJson } from "../../src/ingest/pod-json.js";
import { sourceFromString } from "../../src/ingest/source.js";

export const parseText = (path: string, text: string) => podJson.parse(sourceFromString(path, text));
export const ms = (iso: string) => Date.parse(iso);
export const codes = (facts: FactSet) => facts.diagnostics.map((d) => d.code);

/** 1-based line of the `nth` line containing `needle` (so tests do not hard-code line numbers). */
export function lineWhere(text: string, needle: string, nth = 1): number {
  const lines = text.replace(/\r/g, "").split("\n");
  let seen = 0;
  for (let i = 0; i < lines.length; i++) if (lines[i]!.includes(needle) && ++seen === nth) return i + 1;
  throw new Error(`${needle} not found`);
}

/** Text of line `n` (1-based). */
const lineText = (text: string, n: number | undefined) => text.replace(/\r/g, "").split("\n")[(n ?? 0) - 1] ?? "";

/**
 * Every fact must point at the line of its own node: the pod at its name, a container at its
 * name, a state at `terminated:`/`running:`/`waiting:`, a limit at `memory:`, an env var and a
 * volume at their names, an event at its `reason:`.
 */
export function expectLinesPointAtNodes(text: string, facts: FactSet): void {
  for (const pod of facts.pods) {
    // A pod known only from its Evicted event cites that event (whose line is checked below).
    const fromEvent = facts.events.some((e) => e.reason === "Evicted" && e.source.line === pod.source.line);
    if (pod.name !== null && !fromEvent) expect(lineText(text, pod.source.line)).toContain(pod.name);
    for (const c of pod.containers) {
      if (c.name !== "") expect(lineText(text, c.source.line)).toContain(c.name);
      for (const s of [c.state, c.lastState])
        if (s) expect(lineText(text, s.source.line)).toMatch(new RegExp(`\\b${s.kind}"?:`));
      if (c.limitSource) expect(lineText(text, c.limitSource.line)).toMatch(/\bmemory"?:/);
      for (const e of c.env) expect(lineText(text, e.source.line)).toContain(e.name);
    }
    for (const v of pod.volumes) expect(lineText(text, v.source.line)).toContain(v.name);
  }
  for (const e of facts.events) expect(lineText(text, e.source.line)).toMatch(new RegExp(`reason"?:\\s*"?${e.reason}`));
}

export const only = <T>(xs: T[]): T => {
  expect(xs).toHaveLength(1);
  return xs[0]!;
};
