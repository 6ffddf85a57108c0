/**
 * analyze: the stage between correlate and diagnose. For every correlated subject it measures
 * what the rules and the report both read: the subject's kills in the model's `Kill` shape,
 * where its memory went (`memoryAnatomy`: memory.stat or the kernel report's memcg stats) and its
 * usage series against the limit (`usageSeries`); then readings for the memcg snapshots that no
 * subject's anatomy used (`memoryReadings`). Rules may still call the measuring functions of
 * `analyze/` on their own context; this stage computes what every incident carries, once.
 */
import type { Correlation } from "../correlate/index.js";
import { buildKills } from "../correlate/kills.js";
import type { FactSet } from "../model/facts.js";
import type { Kill, MemoryAnatomy, MemoryReading, UsageSeries } from "../model/incident.js";
import { memoryAnatomy } from "./anatomy.js";
import { memoryReadings } from "./readings.js";
import { usageSeries } from "./usage.js";

/** What analyze measured for one subject. */
export interface SubjectAnalysis {
  kills: Kill[];
  anatomy: MemoryAnatomy | null;
  usage: UsageSeries | null;
}

/** The analyze stage's output: `subjects[i]` belongs to `correlation.subjects[i]`. */
export interface Analysis {
  subjects: SubjectAnalysis[];
  readings: MemoryReading[];
}

/** Measures every subject of `correlation`, then the snapshots none of them used. */
export function analyze(facts: FactSet, correlation: Correlation): Analysis {
  const subjects = correlation.subjects.map((s) => {
    const kills = buildKills(s);
    return { kills, anatomy: memoryAnatomy(s, kills), usage: usageSeries(s, kills) };
  });
  return { subjects, readings: memoryReadings(facts, correlation, subjects.map((a) => a.anatomy)) };
}
