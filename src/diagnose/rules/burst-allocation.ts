/**
 * burst-allocation: a comfortable steady state, then a sudden allocation (a large request, a
 * batch file, one worker's job) crosses the limit. From these artifacts: a single child worker
 * killed while the rest of the container lived. A first OOM after a long healthy run alone is one
 * data point (a leak or a rare peak of ordinary load ends a long run too): undetermined, naming the
 * series that would decide it.
 * With a memory series (metrics CSV): a comfortable median (< 70 % of the limit) in the run the
 * kill ended, with the maximum at (or invisible before) the kill. Growth over minutes before the
 * kill (pmap snapshots minutes apart: `growth.ts`) contradicts it.
 */
import type { Hypothesis } from "../../model/incident.js";
import { isGrowing, pointEvidence, usableRuns, usageView, type UsageView } from "../../analyze/usage.js";
import { killIntervals, lastRunMs, limitOf, requestRatio, restarts, usageReading } from "../signals.js";
import { formatBytes, formatDuration, formatPercent, formatR2, formatTime, iso } from "../../util/format.js";
import { defineRule, rejected, supported, undetermined, type RuleContext } from "../types.js";
import { findBurst } from "../advice/investigate.js";
import { raiseLimit } from "../advice/resize.js";
import { growthOverTime } from "../growth.js";
import { maxOf } from "../../util/arrays.js";

/** A run at least this long before the kill counts as a comfortable steady state. */
const LONG_RUN_MS = 60 * 60_000;
/** A median below this share of the limit is a comfortable steady state. */
const COMFORTABLE_MEDIAN = 0.7;
/** A median above this share is a plateau, not a spike. */
const HIGH_MEDIAN = 0.85;
/** A reading (kubectl top, VmRSS) at or above this share of the limit is no comfortable steady state. */
const TOP_NOT_ROOMY = 0.85;
/** What decides a burst when the bundle only shows how long the killed run lasted. */
const SHAPE_OF_RUN =
  "memory usage over the killed run (container_memory_working_set_bytes or memory.current as a series, e.g. a Grafana CSV export): flat then a jump at the kill is a burst, a steady climb a leak";
/** Scrape steps from this long (seconds) hide short spikes. */
const COARSE_STEP_SEC = 15;

export default defineRule({
  id: "burst-allocation",
  title: "A sudden allocation spike crossed the limit",
  role: "time",
  requires: ["container", "kernelKills", "limit", "observations", "pmaps", "series", "subject"],
  sizesLimit: true,
  advise: (ctx) => [findBurst(ctx), raiseLimit(ctx, "If the spike is legitimate: ")],
  evaluate(ctx) {
    if (ctx.event !== "container-oom-kill" && ctx.event !== "child-oom-kill") {
      return rejected("burst-allocation", `the event is ${ctx.event}, not a kill at the container's own limit`);
    }
    const limit = limitOf(ctx);
    const missing = [
      "memory metrics at a resolution finer than the spike (≤ 5 s scrape) around the kill",
      "request or job logs at the kill time",
    ];
    if (ctx.event === "container-oom-kill") {
      const fromSeries = burstFromSeries(ctx, missing);
      if (fromSeries) return fromSeries;
    }
    const n = restarts(ctx);
    const run = lastRunMs(ctx);
    const req = requestRatio(ctx);
    const roomy = !req || req.ratio < 0.8;
    if (ctx.event === "child-oom-kill" && ctx.kills.length === 1) {
      const k = ctx.kills[0]!;
      if (k.pid === null) {
        const code = ctx.termination?.exitCode;
        return undetermined(
          "burst-allocation",
          `the kubelet recorded OOMKilled${code !== null && code !== undefined ? ` with exit code ${code}` : ""}: the runtime saw a kill in the memcg, but the main process exited by itself, so the kill took another process; which one, and what it held, only the kernel log says`,
          ["the node's kernel log (dmesg -T) around the kill: the victim's name, pid and anon-rss", ...missing],
        );
      }
      const share =
        k.anonRssBytes !== null && limit
          ? ` with ${formatBytes(k.anonRssBytes)} anon-rss of the ${formatBytes(limit)} limit`
          : "";
      return supported(
        "burst-allocation",
        "low",
        `one worker process (${[k.process, k.pid !== null ? `pid ${k.pid}` : null].filter((x) => x !== null).join(", ") || "name and pid not in the bundle"}) was killed${share} while the container's main process kept running: a single job's allocation spiked`,
        k.evidence.slice(0, 2),
        missing,
      );
    }
    // A climb over minutes before the kill (pmap snapshots, a series) is no spike from a comfortable level.
    const growth = ctx.event === "container-oom-kill" ? growthOverTime(ctx) : null;
    if (growth)
      return rejected(
        "burst-allocation",
        `${growth.what}: memory climbed over minutes before the kill, not in a sudden spike from a comfortable level`,
        growth.evidence,
      );
    const top = usageReading(ctx);
    if (top && top.share >= TOP_NOT_ROOMY) {
      return rejected(
        "burst-allocation",
        `${top.what} showed the container's memory at ${formatBytes(top.bytes)}, ${formatPercent(top.share)} of the limit: the steady state leaves no room, no spike is needed to reach it`,
        [top.evidence],
      );
    }
    if (run && run.ms >= LONG_RUN_MS && (n ?? 0) <= 1 && roomy) {
      // One run length is one data point: a spike, a slow leak and a rare peak of ordinary load all
      // end a long first run. The shape of usage over the run decides it (see burstFromSeries).
      return undetermined(
        "burst-allocation",
        `it ran ${formatDuration(run.ms / 1000)} before this first OOM kill${limit !== null ? ` under the ${formatBytes(limit)} limit` : ""}: that fits a sudden allocation, but just as well a slow leak or a rare peak of ordinary load; one run length cannot tell them apart`,
        [SHAPE_OF_RUN, ...missing],
        [run.evidence],
      );
    }
    const { intervals, evidence: intervalEv } = killIntervals(ctx);
    if (run && run.ms < 5 * 60_000 && (n ?? 0) >= 2) {
      // Only kills seen over several runs show that every start dies the same way; one run's length does not.
      if (intervals.length >= 2)
        return rejected(
          "burst-allocation",
          `killed ${formatDuration(run.ms / 1000)} after start, and ${intervals.length + 1} kernel kills came minutes apart (${n} restarts): that is the steady need, not a spike`,
          [run.evidence, ...intervalEv],
        );
      return undetermined(
        "burst-allocation",
        `killed ${formatDuration(run.ms / 1000)} after start with ${n} restarts: a spike at start-up fits, and so does a steady need above the limit; one run's length cannot tell them apart`,
        [SHAPE_OF_RUN, ...missing],
        [run.evidence],
      );
    }
    if (intervals.length >= 2 || (n ?? 0) >= 3)
      return rejected(
        "burst-allocation",
        `repeated OOM kills (${n ?? ctx.kills.length}) are not the shape of a one-off spike`,
        intervalEv,
      );
    return undetermined(
      "burst-allocation",
      "the bundle does not show what usage looked like just before the kill",
      missing,
    );
  },
});

/** The verdict the usage series gives for the run(s) a kill ended, or null. */
function burstFromSeries(ctx: RuleContext, missing: string[]): Hypothesis | null {
  const view = usageView(ctx.facts, ctx.kills);
  const limit = view?.limitBytes ?? null;
  if (!view || limit === null || limit <= 0) return null;
  const usable = usableRuns(view);
  const killed = usable.filter((r) => r.killMs !== null);
  const runs = killed.length > 0 ? killed : usable.slice(-1);
  if (runs.length === 0) return null;
  const lim = `the ${formatBytes(limit)} limit`;
  const step = stepNote(view);
  if (runs.some((r) => isGrowing(r, limit))) {
    return rejected(
      "burst-allocation",
      `usage grew steadily up to the kill (${formatBytes(runs[0]!.slopeBytesPerSec * 60)}/min, R² ${formatR2(runs[0]!.r2)}): a ramp, not a spike`,
      [view.evidence],
    );
  }
  const median = maxOf(
    runs.map((r) => r.medianBytes),
    0,
  );
  if (median >= HIGH_MEDIAN * limit) {
    return rejected(
      "burst-allocation",
      `usage sat at ${formatPercent(median / limit)} of ${lim} (median ${formatBytes(median)}) before the kill: a plateau, not a spike from a comfortable level`,
      [view.evidence],
    );
  }
  if (median >= COMFORTABLE_MEDIAN * limit) return null;
  const r = runs.at(-1)!;
  const peak = r.points.reduce((a, b) => (b.value > a.value ? b : a));
  const killNote = r.killMs !== null ? ` before the kill at ${formatTime(iso(r.killMs))}` : "";
  const seen =
    peak.value >= 0.9 * limit
      ? `the only climb to the limit is the peak of ${formatBytes(peak.value)} at ${formatTime(iso(peak.ms))}${killNote}`
      : `the series never shows usage near it (max ${formatBytes(peak.value)}) — the spike${killNote} fell between scrapes`;
  const reason = `usage was comfortable — median ${formatBytes(median)}, ${formatPercent(median / limit)} of ${lim}${killed.length > 1 ? `, in each of ${killed.length} killed runs` : ""} — and ${seen}${step}`;
  return supported(
    "burst-allocation",
    killed.length > 0 ? "medium" : "low",
    reason,
    [view.evidence, pointEvidence(view, peak)],
    missing,
  );
}

/** A warning about the scrape step when it is too coarse to see short spikes, else "". */
function stepNote(view: UsageView): string {
  return view.stepSec !== null && view.stepSec >= COARSE_STEP_SEC
    ? `; at a ${formatDuration(view.stepSec)} scrape step, spikes of 200–500 ms are invisible`
    : "";
}
