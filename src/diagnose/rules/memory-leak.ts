/**
 * memory-leak: usage ramps up regardless of load and resets on restart, so kills come at a
 * regular interval after each start; the interval is the leak rate (limit / interval).
 * From these artifacts: three or more kernel kills of the same container at regular intervals;
 * with a memory series (metrics CSV): a steady positive slope (R² > 0.8) in at least two runs,
 * not explained by a request rate growing with it; with BCC memleak output: one allocation site
 * holding a meaningful share of the limit, never freed (growing over reports: high); with two
 * pmap snapshots minutes apart: resident growth of the process (`growth.ts`, medium).
 */
import type { Hypothesis } from "../../model/incident.js";
import { correlation, linearFit, valueAt } from "../../analyze/series-stats.js";
import { isGrowing, usableRuns, usageView, type UsageView } from "../../analyze/usage.js";
import { outstandingSite } from "../allocations.js";
import { killIntervals, lastRunMs, limitEvidence, limitOf, spread } from "../signals.js";
import { formatBytes, formatDuration, formatPercent, formatR2, formatTime } from "../../util/format.js";
import { defineRule, isOomEvent, rejected, supported, undetermined, type RuleContext } from "../types.js";
import { profileGrowth } from "../advice/investigate.js";
import { capUncappedHeap } from "../advice/resize.js";
import { pmapGrowth } from "../growth.js";
import { minOf } from "../../util/arrays.js";

/** Intervals within ±15 % (coefficient of variation) read as regular. */
const REGULAR_CV = 0.15;
/** A leak needs time: runs shorter than this are a steady need, not growth. */
const MIN_LEAK_RUN_MS = 10 * 60_000;

export default defineRule({
  id: "memory-leak",
  title: "Memory grows steadily until the limit, after every start",
  role: "time",
  requires: ["container", "kernelKills", "limit", "observations", "pmaps", "series", "subject"],
  sizesLimit: false,
  advise: (ctx) => [...profileGrowth(ctx), ctx.limitBytes !== null ? capUncappedHeap(ctx, ctx.limitBytes) : null],
  evaluate(ctx) {
    if (!isOomEvent(ctx.event)) return rejected("memory-leak", "no OOM kill was recorded");
    const fromSeries = leakFromSeries(ctx);
    if (fromSeries) return fromSeries;
    const fromMemleak = leakFromMemleak(ctx);
    if (fromMemleak) return fromMemleak;
    const { intervals, evidence } = killIntervals(ctx);
    if (intervals.length >= 2) {
      const { mean, cv } = spread(intervals);
      const limit = limitOf(ctx);
      const rate =
        limit !== null && mean > 0
          ? ` — about ${formatBytes((limit / mean) * 60_000)}/min if usage restarts near zero`
          : "";
      if (cv <= REGULAR_CV && mean >= MIN_LEAK_RUN_MS) {
        return supported(
          "memory-leak",
          intervals.length >= 3 ? "high" : "medium",
          `${intervals.length + 1} kills, one every ${formatDuration(mean / 1000)} (±${Math.round(cv * 100)}%): the same time to the limit after each restart is a steady leak${limit !== null ? ` of the ${formatBytes(limit)} limit` : ""}${rate}`,
          evidence,
          [],
          { decisive: intervals.length >= 3 },
        );
      }
      return rejected(
        "memory-leak",
        `kill intervals vary (mean ${formatDuration(mean / 1000)}, ±${Math.round(cv * 100)}%): growth tied to something else than time since start`,
        evidence,
      );
    }
    // The series had no verdict of its own (leakFromSeries), so only pmap growth speaks here.
    const growth = pmapGrowth(ctx);
    if (growth) {
      return supported(
        "memory-leak",
        "medium",
        `${growth.what}: a climb over minutes, the shape of a leak; two snapshots cannot show it repeats after each restart`,
        growth.evidence,
        ["memory metrics (container_memory_working_set_bytes) over several restarts"],
      );
    }
    const run = lastRunMs(ctx);
    if (run && run.ms < MIN_LEAK_RUN_MS)
      return rejected(
        "memory-leak",
        `killed ${formatDuration(run.ms / 1000)} after start: too soon for a leak, the container needs that much from the start`,
        [run.evidence],
      );
    return undetermined(
      "memory-leak",
      "fewer than three kills placed in time: the restart interval cannot be measured",
      [
        "the node's kernel log covering several restarts",
        "memory metrics (container_memory_working_set_bytes) over several restarts",
      ],
    );
  },
});

/**
 * BCC memleak: memory allocated from one site and still not freed, a meaningful share of the
 * limit; `high` when the same site's outstanding bytes grew over two or more reports.
 */
function leakFromMemleak(ctx: RuleContext): Hypothesis | null {
  const limit = limitOf(ctx);
  const top = outstandingSite(ctx, limit);
  if (!top) return null;
  const share =
    limit !== null && limit > 0
      ? ` (${formatPercent(top.stack.bytes / limit)} of the ${formatBytes(limit)} limit)`
      : "";
  const grew = top.growing
    ? `, up from ${top.earlier.map((b) => formatBytes(b)).join(" → ")} in the earlier reports`
    : "";
  const reason = `BCC memleak shows ${formatBytes(top.stack.bytes)} in ${top.stack.allocations} allocations outstanding (allocated, never freed) from ${top.site}${share}${grew}: the leading leak suspect`;
  return supported(
    "memory-leak",
    top.growing ? "high" : "medium",
    reason,
    [...top.evidence, ...limitEvidence(ctx)],
    top.growing ? [] : ["a second memleak report minutes later (the site's outstanding bytes growing)"],
  );
}

/** A load-driven growth: the request rate rises with memory (correlation > 0.8, its own growth ≥ half of memory's). */
const LOAD_CORRELATION = 0.8;

/** The verdict the usage series gives, or null when it has none (or is not conclusive). */
function leakFromSeries(ctx: RuleContext): Hypothesis | null {
  const view = usageView(ctx.facts, ctx.kills);
  if (!view) return null;
  const limit = view.limitBytes;
  const usable = usableRuns(view);
  if (usable.length === 0) return null;
  const growing = usable.filter((r) => isGrowing(r, limit));
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const rate = `${formatBytes(median(growing.map((r) => r.slopeBytesPerSec)) * 60)}/min`;
  const ttl = growing.map((r) => r.timeToLimitSec).filter((t): t is number => t !== null);
  const reach =
    limit !== null && ttl.length > 0
      ? `, reaches the ${formatBytes(limit)} limit ${formatDuration(median(ttl))} after each start`
      : "";
  const r2 = formatR2(
    minOf(
      growing.map((r) => r.r2),
      0,
    ),
  );
  const ev = [
    view.evidence,
    ...growing.slice(0, 2).map((r) => ({
      file: view.series.source.file,
      line: r.points[0]!.line,
      text: `run ${formatTime(r.start)} … ${formatTime(r.end)}: ${formatBytes(r.minBytes)} → ${formatBytes(r.maxBytes)}, ${formatBytes(r.slopeBytesPerSec * 60)}/min, R² ${formatR2(r.r2)}`,
    })),
  ];
  const missing = ["heap or allocation profiles from two points of one run (what grows)"];
  if (growing.length >= 2 && growing.length * 5 >= usable.length * 3) {
    const load = loadExplains(view, growing);
    if (load)
      return undetermined(
        "memory-leak",
        `usage grows ${rate} in ${growing.length} runs, but ${load}: growth follows load, not time`,
        ["the request rate over a run at steady load", ...missing],
        ev,
      );
    const flat = view.rate ? `; the request rate (${view.rate.name}) does not grow with it` : "";
    return supported(
      "memory-leak",
      "high",
      `${view.series.metric ?? view.series.name} grows ${rate} (R² ≥ ${r2}) in ${growing.length} of ${usable.length} runs${reach}${flat}: a steady leak`,
      ev,
      missing,
      { decisive: true },
    );
  }
  if (growing.length === 1 && usable.length === 1 && ttl.length > 0) {
    return supported(
      "memory-leak",
      "low",
      `in the one run the series covers, usage grows ${rate} (R² ${r2})${reach}; one run cannot show it repeats after restarts`,
      ev,
      ["memory metrics over several restarts", ...missing],
    );
  }
  const flatRuns = usable.filter(
    (r) => r.r2 < 0.5 || Math.abs(r.slopeBytesPerSec) * ((r.endMs - r.startMs) / 1000) < 0.1 * (limit ?? r.maxBytes),
  );
  if (growing.length === 0 && flatRuns.length === usable.length) {
    const longest = [...usable].sort((a, b) => b.points.length - a.points.length)[0]!;
    return rejected(
      "memory-leak",
      `usage is flat within each of ${usable.length} run(s) (e.g. ${formatBytes(longest.slopeBytesPerSec * 60)}/min, R² ${formatR2(longest.r2)}, median ${formatBytes(longest.medianBytes)}): no steady growth`,
      [view.evidence],
    );
  }
  return null;
}

/** Words saying the request rate grows with memory in most growing runs, or null. */
function loadExplains(view: UsageView, growing: ReturnType<typeof usableRuns>): string | null {
  const rate = view.rate;
  if (!rate || rate.points.ms.length < 3) return null;
  let explained = 0;
  for (const r of growing) {
    const rates = r.points.map((p) => valueAt(rate.points, p.ms) ?? 0);
    const mem = r.points.map((p) => p.value);
    const meanRate = rates.reduce((a, b) => a + b, 0) / rates.length;
    const meanMem = mem.reduce((a, b) => a + b, 0) / mem.length;
    const dur = (r.endMs - r.startMs) / 1000;
    const rateFit = linearFit(r.points.map((p, i) => ({ ms: p.ms, value: rates[i]! })));
    const rateGrowth = meanRate > 0 ? (rateFit.slopePerSec * dur) / meanRate : 0;
    const memGrowth = meanMem > 0 ? (r.slopeBytesPerSec * dur) / meanMem : 0;
    if (correlation(mem, rates) > LOAD_CORRELATION && rateGrowth >= 0.5 * memGrowth) explained++;
  }
  return explained * 2 > growing.length
    ? `the request rate (${rate.name}) rises with it in ${explained} of ${growing.length} runs`
    : null;
}
