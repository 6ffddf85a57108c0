/**
 * Memory that grew over time before the kill, read once for the rules it supports or contradicts:
 * a steady climb over minutes is the shape of a leak, and it rules out a sudden spike from a
 * comfortable level (burst-allocation) and a flat working set just under the limit (limit-too-low).
 * Two sources: the usage series of the run a kill ended (`isGrowing`: positive slope, R² > 0.8,
 * growth ≥ 20 % of the limit), and two `pmap -x` snapshots of one process whose resident memory
 * grew by at least 5 % of the limit (32 MiB at least), taken minutes apart or at unknown times.
 * Sample reading: "pmap of pid 1 (java): resident memory grew 637 MiB in 30 min between the snapshots (21.2 MiB/min)".
 */
import { pmapDiffs, residentColumn, type PmapDiff } from "../analyze/pmap-diff.js";
import { isGrowing, usableRuns, usageView } from "../analyze/usage.js";
import { evidence, type Evidence } from "../model/source.js";
import { formatBytes, formatDuration, formatR2, formatTime } from "../util/format.js";
import { limitOf } from "./signals.js";
import type { RuleContext } from "./types.js";

/** Growth over time in words, with the lines it was read from. */
export interface Growth {
  /** `container_memory_working_set_bytes grew 6.8 MiB/min (R² 0.99) in the run the kill ended`. */
  what: string;
  evidence: Evidence[];
  source: "series" | "pmap";
}

/** pmap growth that counts: this share of the limit, and never less than `PMAP_MIN_BYTES`. */
const PMAP_SHARE = 0.05;
const PMAP_MIN_BYTES = 32 * 2 ** 20;
/** Snapshots closer than this (when their times are known) show no growth over minutes. */
const PMAP_MIN_SPAN_MS = 2 * 60_000;

/** The growth the bundle shows before the kill (the series first, then pmap), or null. */
export function growthOverTime(ctx: RuleContext): Growth | null {
  return seriesGrowth(ctx) ?? pmapGrowth(ctx);
}

function seriesGrowth(ctx: RuleContext): Growth | null {
  const view = usageView(ctx.facts, ctx.kills);
  if (!view) return null;
  const usable = usableRuns(view);
  const killed = usable.filter((r) => r.killMs !== null);
  const run = (killed.length > 0 ? killed : usable.slice(-1)).find((r) => isGrowing(r, view.limitBytes));
  if (!run) return null;
  const name = view.series.metric ?? view.series.name;
  return {
    what: `${name} grew ${formatBytes(run.slopeBytesPerSec * 60)}/min (R² ${formatR2(run.r2)}) over ${formatDuration((run.endMs - run.startMs) / 1000)} in the run ${run.killMs !== null ? "the kill ended" : "the series ends with"}`,
    evidence: [
      view.evidence,
      {
        file: view.series.source.file,
        line: run.points[0]!.line,
        text: `run from ${formatTime(run.start)}: ${formatBytes(run.minBytes)} → ${formatBytes(run.maxBytes)}`,
      },
    ],
    source: "series",
  };
}

/** Resident growth between two `pmap -x` snapshots of one process (the killed pid's first), or null. */
export function pmapGrowth(ctx: RuleContext): Growth | null {
  const limit = limitOf(ctx);
  const least = Math.max(PMAP_MIN_BYTES, limit !== null ? PMAP_SHARE * limit : 0);
  const pid = ctx.kills.at(-1)?.pid ?? null;
  const diffs = pmapDiffs(ctx.facts.pmaps).filter(
    (d) => d.rssDeltaBytes >= least && (d.elapsedMs === null || d.elapsedMs >= PMAP_MIN_SPAN_MS),
  );
  const d = diffs.find((x) => pid !== null && x.pid === pid) ?? diffs[0];
  if (!d) return null;
  const over =
    d.elapsedMs !== null
      ? ` in ${formatDuration(d.elapsedMs / 1000)} between the snapshots (${formatBytes((d.rssDeltaBytes / d.elapsedMs) * 60_000)}/min)`
      : " between the two snapshots (their times are not in the bundle)";
  return {
    what: `${pmapName(d)}: resident memory grew ${formatBytes(d.rssDeltaBytes)}${over}`,
    evidence: pmapEvidence(d),
    source: "pmap",
  };
}

/** `pmap of pid 1 (java)`. */
export function pmapName(d: PmapDiff): string {
  return `pmap of pid ${d.pid ?? "?"}${d.after.command ? ` (${d.after.command.split(/\s+/)[0]})` : ""}`;
}

/** The two snapshots' totals and the three mappings that grew most, as evidence. */
export function pmapEvidence(d: PmapDiff): Evidence[] {
  const file = d.after.source.file;
  const top = d.changed.filter((g) => g.rssDeltaBytes > 0).slice(0, 3);
  return [
    evidence(
      d.before.source,
      `pmap ${d.before.takenAtText ?? "before"}: total ${residentColumn(d.before)} ${formatBytes(d.before.totalRssBytes)}`,
    ),
    evidence(
      d.after.source,
      `pmap ${d.after.takenAtText ?? "after"}: total ${residentColumn(d.after)} ${formatBytes(d.after.totalRssBytes)}`,
    ),
    ...top.map((g) =>
      evidence(
        { file, line: g.line },
        `${g.address} ${g.mapping} (${g.cls}) ${residentColumn(d.after)} +${formatBytes(g.rssDeltaBytes)}`,
      ),
    ),
  ];
}
