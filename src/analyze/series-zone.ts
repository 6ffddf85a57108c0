/**
 * Zone-less metric exports placed on UTC. Grafana's "Download CSV" prints times in the
 * dashboard's zone without an offset (`2026-10-14 16:08:00`), which the ingester reads as UTC
 * and marks `MetricSeries.zoneless`. The series itself says which zone it was: a container's
 * usage drops at each restart, right after its kill, and the bundle's kills and restarts whose
 * time is known in UTC (the kubelet's finishedAt/startedAt, a kernel or journal wall clock)
 * fall in those drops only at the right offset. Offsets are tried in quarter hours (zones run
 * from UTC−12 to UTC+14); no offset is claimed from a tie between two.
 *
 * Sample: drop between `2026-10-14 18:07:30,1052000000` and `2026-10-14 18:08:00,21000000`,
 * kill at 2026-10-14T16:07:43Z → the export is UTC+02:00, its times shift by −2 h.
 */
import type { MetricSeries } from "../model/facts.js";
import type { Kill } from "../model/incident.js";
import { formatDuration, iso } from "../util/format.js";

/** What the drops of a zone-less series say about its zone. */
interface ZoneFinding {
  /** Added to the series' times to get UTC (ms): −2 h for an export made at UTC+02:00. */
  shiftMs: number;
  /** UTC times (ms) that fell in a drop at that shift, and how many were tried. */
  matched: number[];
  tried: number;
}

/** A drop below this share of the previous point is a restart (as in usage.ts). */
const RESTART_DROP = 0.5;
const QUARTER_HOUR_MS = 15 * 60_000;
/** Shifts tried: UTC+14 (−14 h) to UTC−12 (+12 h). */
const MIN_SHIFT_MS = -14 * 3_600_000;
const MAX_SHIFT_MS = 12 * 3_600_000;
/** Slack around a drop for the kubelet's restart delay and scrape alignment. */
const SLACK_MS = 60_000;
/** Kill time sources that are UTC (see `Kill.timeSource`); local wall clocks are not anchors. */
const UTC_SOURCES = new Set([
  "kernel-wall",
  "uptime-anchored",
  "kernel-local-aligned",
  "kubelet-finishedAt",
  "journal-wall",
]);

/** UTC times (ms) a zone-less series can be checked against: kills placed in UTC, and kubelet restarts. */
export function utcAnchors(kills: Kill[], restartsMs: number[]): number[] {
  const killsMs = kills
    .filter((k) => k.time !== null && UTC_SOURCES.has(k.timeSource ?? ""))
    .map((k) => Date.parse(k.time!));
  return [...new Set([...killsMs, ...restartsMs])].filter(Number.isFinite).sort((a, b) => a - b);
}

/**
 * The shift that puts the most `anchorsMs` inside a drop of `series` (between the last point
 * before the drop and the first after it, ±1 min); null when no shift places any, or when two
 * shifts place the same number and neither is 0.
 */
export function zoneShift(series: MetricSeries, anchorsMs: number[]): ZoneFinding | null {
  const { ms, value } = series.points;
  const drops: [number, number][] = [];
  for (let i = 1; i < value.length; i++) if (value[i]! < RESTART_DROP * value[i - 1]!) drops.push([ms[i - 1]!, ms[i]!]);
  if (drops.length === 0 || anchorsMs.length === 0) return null;
  const tally = new Map<number, Set<number>>();
  for (const [before, after] of drops) {
    for (const a of anchorsMs) {
      // Shifts s with before + s − slack ≤ a ≤ after + s + slack, in quarter hours.
      const lo = Math.ceil((a - after - SLACK_MS) / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
      const hi = Math.floor((a - before + SLACK_MS) / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
      for (let s = Math.max(lo, MIN_SHIFT_MS); s <= Math.min(hi, MAX_SHIFT_MS); s += QUARTER_HOUR_MS) {
        const set = tally.get(s) ?? new Set<number>();
        set.add(a);
        tally.set(s, set);
      }
    }
  }
  const best = Math.max(0, ...[...tally.values()].map((x) => x.size));
  if (best === 0) return null;
  const winners = [...tally].filter(([, x]) => x.size === best).map(([s]) => s);
  const shiftMs = winners.includes(0) ? 0 : winners.length === 1 ? winners[0]! : null;
  if (shiftMs === null) return null;
  return { shiftMs, matched: [...tally.get(shiftMs)!].sort((a, b) => a - b), tried: anchorsMs.length };
}

/** `series` with its times shifted by `shiftMs` and the mark removed (values and lines shared, not copied). */
export function shifted(series: MetricSeries, shiftMs: number): MetricSeries {
  const { zoneless: _mark, ...rest } = series;
  if (shiftMs === 0) return rest;
  return { ...rest, points: { ...series.points, ms: series.points.ms.map((t) => t + shiftMs) } };
}

/** The note an incident carries about a series whose zone its drops established. */
export function zoneNote(series: MetricSeries, f: ZoneFinding): string {
  const at = f.matched.map((ms) => iso(ms)).join(", ");
  const of = `${f.matched.length} of ${f.tried}`;
  if (f.shiftMs === 0)
    return `${series.source.file} prints its times without a zone; its restart drops match the kills/restarts known in UTC (${at}; ${of}), so its times are UTC.`;
  const hours = -f.shiftMs / 3_600_000;
  const zone = `UTC${hours >= 0 ? "+" : "−"}${String(Math.floor(Math.abs(hours))).padStart(2, "0")}:${String(Math.round((Math.abs(hours) % 1) * 60)).padStart(2, "0")}`;
  return `${series.source.file} prints its times without a zone; its restart drops fall ${formatDuration(Math.abs(f.shiftMs) / 1000)} ${f.shiftMs < 0 ? "after" : "before"} the kills/restarts known in UTC (${at}; ${of}), so it was exported at ${zone}: its times were shifted by ${f.shiftMs < 0 ? "−" : "+"}${formatDuration(Math.abs(f.shiftMs) / 1000)} to UTC.`;
}
