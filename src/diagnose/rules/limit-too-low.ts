/**
 * limit-too-low: the container's ordinary working set does not fit its limit: it is killed
 * soon after every start, or at irregular times while its request (what it normally uses)
 * sits just under the limit. With a memory series (metrics CSV): a plateau — p99 within 5 % of
 * the limit, median above 85 % of it, no steady growth — in most runs. Growth over minutes (the
 * series, or pmap snapshots: `growth.ts`) contradicts it. Run lengths alone decide nothing: a long
 * first run and one early kill are each one data point (undetermined); early kills seen over
 * several runs in the kernel log support it.
 */
import type { Hypothesis } from "../../model/incident.js";
import type { Evidence } from "../../model/source.js";
import { isGrowing, pointEvidence, usableRuns, usageView } from "../../analyze/usage.js";
import { killIntervals, lastRunMs, limitOf, requestRatio, restarts, spread, usageReading } from "../signals.js";
import { formatBytes, formatDuration, formatPercent } from "../../util/format.js";
import { defineRule, rejected, supported, undetermined, type RuleContext } from "../types.js";
import { capUncappedHeap, raiseLimit } from "../advice/resize.js";
import { growthOverTime } from "../growth.js";
import { maxOf } from "../../util/arrays.js";

/** Killed within this long after start, repeatedly: the steady need exceeds the limit. */
const EARLY_KILL_MS = 5 * 60_000;
/** The kubelet's crash-loop back-off caps at this: kills of early-dying runs come at most this much further apart. */
const MAX_BACKOFF_MS = 5 * 60_000;
/** What decides it when only run lengths are known. */
const SHAPE_OF_RUN =
  "memory usage over a run (container_memory_working_set_bytes or memory.current as a series, e.g. a Grafana CSV export): flat just under the limit is a limit too low, a climb a leak";
/** A request at or above this share of the limit: the normal working set is just under it. */
const TIGHT_REQUEST = 0.9;
/** Plateau: p99 at or above this share of the limit… */
const PLATEAU_P99 = 0.95;
/** …and the median above this share. */
const PLATEAU_MEDIAN = 0.85;
/** A reading (kubectl top, VmRSS) at or above this share of the limit: the ordinary working set is at the limit. */
const TOP_AT_LIMIT = 0.9;
/** A median below this share of the limit is comfortable: the ordinary working set fits. */
const COMFORTABLE_MEDIAN = 0.7;

export default defineRule({
  id: "limit-too-low",
  title: "The limit is below the container's ordinary working set",
  role: "time",
  requires: ["container", "kernelKills", "limit", "observations", "pmaps", "series", "subject"],
  sizesLimit: true,
  advise(ctx) {
    const limit = ctx.sizing?.recommendedLimitBytes ?? ctx.limitBytes;
    return [raiseLimit(ctx), limit !== null ? capUncappedHeap(ctx, limit) : null];
  },
  evaluate(ctx) {
    if (ctx.event !== "container-oom-kill" && ctx.event !== "child-oom-kill") {
      return rejected("limit-too-low", `the event is ${ctx.event}, not a kill at the container's own limit`);
    }
    const fromSeries = plateauFromSeries(ctx);
    if (fromSeries) return fromSeries;
    const limit = limitOf(ctx);
    const lim = limit !== null ? `the ${formatBytes(limit)} limit` : "the limit";
    // A climb over minutes is no flat working set under the limit: a larger limit only delays the next kill.
    const growth = growthOverTime(ctx);
    if (growth)
      return rejected(
        "limit-too-low",
        `${growth.what}: the working set was climbing, not sitting flat under ${lim}, so a larger limit only delays the next kill`,
        growth.evidence,
      );
    const n = restarts(ctx);
    const run = lastRunMs(ctx);
    const req = requestRatio(ctx);
    const { intervals, evidence: intervalEv } = killIntervals(ctx);
    const regular = intervals.length >= 2 && spread(intervals).cv <= 0.15;
    const top = usageReading(ctx);
    if (top && top.share >= TOP_AT_LIMIT) {
      return supported(
        "limit-too-low",
        "medium",
        `${top.what} showed the container's memory at ${formatBytes(top.bytes)}, ${formatPercent(top.share)} of ${lim}, in ordinary operation: the working set does not fit the limit with room to spare`,
        [top.evidence, ...(run ? [run.evidence] : [])],
      );
    }
    if (run && run.ms <= EARLY_KILL_MS && (n ?? 0) >= 2) {
      // Early kills seen over several runs (kernel kills minutes apart) show the start-up need; the
      // last run's length alone fits a heap sized past the limit, a start-up spike or a fast leak as well.
      const early = intervals.length >= 2 && intervals.every((ms) => ms <= EARLY_KILL_MS + MAX_BACKOFF_MS);
      if (early)
        return supported(
          "limit-too-low",
          "medium",
          `killed ${formatDuration(run.ms / 1000)} after start, and ${intervals.length + 1} kernel kills came at most ${formatDuration(maxOf(intervals, 0) / 1000)} apart (${n} restarts): every start needs more than ${lim}`,
          [run.evidence, ...intervalEv],
        );
      return undetermined(
        "limit-too-low",
        `killed ${formatDuration(run.ms / 1000)} after start with ${n} restarts: a limit below what start-up needs fits, but so do a runtime heap sized past the limit, a start-up spike or a fast leak; one run's length cannot tell them apart`,
        [SHAPE_OF_RUN, "the node's kernel log covering several restarts"],
        [run.evidence],
      );
    }
    if (req && req.ratio >= TIGHT_REQUEST && !regular) {
      const repeated = (n ?? 0) >= 3 || ctx.kills.length >= 2;
      const ev: Evidence[] = [...req.evidence, ...(repeated ? intervalEv : [])];
      return supported(
        "limit-too-low",
        repeated ? "medium" : "low",
        `the request is ${formatPercent(req.ratio)} of ${lim} (the working set normally sits just under it)${repeated ? ` and it was OOM-killed repeatedly (${n ?? ctx.kills.length} restarts) at irregular times` : ""}: ordinary load reaches the limit`,
        ev,
      );
    }
    if (regular)
      return rejected(
        "limit-too-low",
        "kills come at a regular interval after each start, the shape of a leak rather than a plateau",
        intervalEv,
      );
    const fromVpa = vpaAboveLimit(ctx, limit);
    if (fromVpa) return fromVpa;
    if (run && run.ms > 60 * 60_000 && (n ?? 0) <= 1) {
      // One long run is one data point: ordinary load may fit, or a rare peak of it may not.
      return undetermined(
        "limit-too-low",
        `it ran ${formatDuration(run.ms / 1000)} under ${lim} before its first OOM kill: ordinary load may fit, but a rare peak of ordinary load ends a long run too; one run's length cannot tell`,
        [SHAPE_OF_RUN],
        [run.evidence],
      );
    }
    return undetermined("limit-too-low", "the bundle does not show the working set in normal operation", [
      "memory metrics (container_memory_working_set_bytes) over the day before the kill",
    ]);
  },
});

/**
 * A VerticalPodAutoscaler's memory target is its recommender's estimate of the container's
 * ordinary need (a high percentile of the working set over days): a target above the limit says
 * ordinary load does not fit, independently of the kill.
 */
function vpaAboveLimit(ctx: RuleContext, limit: number | null): Hypothesis | null {
  const found = ctx.facts.observations?.vpa.find((v) => v.recommendation.targetBytes !== null);
  if (!found || limit === null || limit <= 0) return null;
  const { vpa, recommendation: r } = found;
  const target = r.targetBytes!;
  if (target <= limit) return null;
  const name = `VerticalPodAutoscaler ${vpa.name ?? "(unnamed)"}`;
  const upper = r.upperBoundBytes !== null ? ` (upper bound ${formatBytes(r.upperBoundBytes)})` : "";
  const line = r.lines.target;
  const ev: Evidence[] = [
    {
      file: r.source.file,
      ...(line !== undefined ? { line } : {}),
      text: `${name}: ${r.container} memory target ${target} B${r.upperBoundBytes !== null ? `, upperBound ${r.upperBoundBytes} B` : ""}`,
    },
  ];
  return supported(
    "limit-too-low",
    "medium",
    `${name} recommends a memory target of ${formatBytes(target)}${upper} for ${r.container}, ${formatPercent(target / limit)} of the ${formatBytes(limit)} limit: its recommender sees the ordinary working set above the limit`,
    ev,
  );
}

/** The verdict the usage series gives (plateau at the limit, or comfortably below it), or null. */
function plateauFromSeries(ctx: RuleContext): Hypothesis | null {
  const view = usageView(ctx.facts, ctx.kills);
  const limit = view?.limitBytes ?? null;
  if (!view || limit === null || limit <= 0) return null;
  const usable = usableRuns(view);
  if (usable.length === 0) return null;
  const lim = `the ${formatBytes(limit)} limit`;
  const plateaus = usable.filter(
    (r) => r.p99Bytes >= PLATEAU_P99 * limit && r.medianBytes >= PLATEAU_MEDIAN * limit && !isGrowing(r, limit),
  );
  if (plateaus.length > 0 && plateaus.length * 2 >= usable.length) {
    const r = [...plateaus].sort((a, b) => b.points.length - a.points.length)[0]!;
    const high = r.points.filter((p) => p.value >= 0.9 * limit).length / r.points.length;
    const peak = r.points.reduce((a, b) => (b.value > a.value ? b : a));
    const reason = `${view.series.metric ?? view.series.name} sits at ${formatPercent(r.medianBytes / limit)} of ${lim} (median ${formatBytes(r.medianBytes)}, p99 ${formatBytes(r.p99Bytes)}) for ${formatPercent(high)} of the run from ${r.start}, flat (${formatBytes(r.slopeBytesPerSec * 60)}/min)${plateaus.length > 1 ? `, in ${plateaus.length} of ${usable.length} runs` : ""}: the ordinary working set does not fit`;
    return supported(
      "limit-too-low",
      plateaus.length >= 2 || ctx.kills.length > 0 ? "high" : "medium",
      reason,
      [view.evidence, pointEvidence(view, peak)],
      [],
      { decisive: plateaus.length >= 2 },
    );
  }
  if (usable.every((r) => r.medianBytes < COMFORTABLE_MEDIAN * limit)) {
    const top = maxOf(
      usable.map((r) => r.medianBytes),
      0,
    );
    return rejected(
      "limit-too-low",
      `the median usage (at most ${formatBytes(top)}, ${formatPercent(top / limit)} of ${lim}) leaves room in every run: the ordinary working set fits`,
      [view.evidence],
    );
  }
  return null;
}
