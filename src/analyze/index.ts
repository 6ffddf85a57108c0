/**
 * analyze: the stage between correlate and diagnose. For every correlated subject it measures
 * what the rules and the report both read: the subject's kills in the model's `Kill` shape,
 * where its memory went (`memoryAnatomy`: memory.stat or the kernel report's memcg stats) and its
 * usage series against the limit (`usageSeries`); then readings for the memcg snapshots that no
 * subject's anatomy used (`memoryReadings`). Rules may still call the measuring functions of
 * `analyze/` on their own context; this stage computes what every incident carries, once.
 *
 * First, a subject's metric series whose times carry no zone are placed on UTC from its own
 * restart drops (`series-zone.ts`): the subject's `series` is replaced by the shifted copies and
 * it gets a note; a zone-less export that nothing places is a warning.
 */
import type { Correlation } from "../correlate/index.js";
import { buildKills } from "../correlate/kills.js";
import type { SubjectFacts } from "../correlate/index.js";
import type { FactSet, MetricSeries } from "../model/facts.js";
import { warning, type Diagnostic } from "../model/source.js";
import type { Kill, MemoryAnatomy, MemoryReading, UsageSeries } from "../model/incident.js";
import { memoryAnatomy } from "./anatomy.js";
import { memoryReadings } from "./readings.js";
import { shifted, utcAnchors, zoneNote, zoneShift } from "./series-zone.js";
import { kubeletRestarts, usageSeries } from "./usage.js";

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
  /** Warnings of this stage: zone-less metric exports it could not place. */
  warnings: Diagnostic[];
}

/** Measures every subject of `correlation`, then the snapshots none of them used. */
export function analyze(facts: FactSet, correlation: Correlation): Analysis {
  const placed = new Set<MetricSeries>();
  const subjects = correlation.subjects.map((s) => {
    const kills = buildKills(s);
    placeZoneless(s, kills, placed);
    return { kills, anatomy: memoryAnatomy(s, kills), usage: usageSeries(s, kills) };
  });
  return {
    subjects,
    readings: memoryReadings(
      facts,
      correlation,
      subjects.map((a) => a.anatomy),
    ),
    warnings: zoneWarnings(facts.series, placed),
  };
}

/** Replaces `s.series` members without a zone by copies on UTC where their drops say the zone, with a note; adds the originals placed to `placed`. */
function placeZoneless(s: SubjectFacts, kills: Kill[], placed: Set<MetricSeries>): void {
  if (!s.series.some((x) => x.zoneless)) return;
  const anchors = utcAnchors(kills, kubeletRestarts(s));
  s.series = s.series.map((x) => {
    const found = x.zoneless ? zoneShift(x, anchors) : null;
    if (!found) return x;
    placed.add(x);
    (s.notes ??= []).push(zoneNote(x, found));
    return shifted(x, found.shiftMs);
  });
}

/** One warning per file whose zone-less series no subject placed. */
function zoneWarnings(all: MetricSeries[], placed: Set<MetricSeries>): Diagnostic[] {
  const files = new Map<string, NonNullable<MetricSeries["zoneless"]>>();
  for (const x of all)
    if (x.zoneless && !placed.has(x) && !files.has(x.source.file)) files.set(x.source.file, x.zoneless);
  return [...files].map(([file, z]) =>
    warning(
      "metrics-csv/local-time",
      `times carry no zone and were read as UTC — expected ISO 8601 with Z or an offset, or epoch — received \`${z.text}\`; no kill or restart known in UTC falls in a restart drop of the series to tell its zone, so if the export was made in another zone, times shift by its offset`,
      { file, line: z.line },
    ),
  );
}
