/**
 * burst-allocation: a comfortable steady state, then a sudden allocation (a large request, a
 * batch file, one worker's job) crosses the limit. From these artifacts: a first OOM after a
 * long healthy run, or a single child worker killed while the rest of the container lived.
 */
import { killIntervals, lastRunMs, limitOf, requestRatio, restarts } from "../signals.js";
import { formatBytes, formatDuration } from "../words.js";
import { defineRule, rejected, supported, undetermined } from "../types.js";

/** A run at least this long before the kill counts as a comfortable steady state. */
const LONG_RUN_MS = 60 * 60_000;

export default defineRule({
  id: "burst-allocation",
  title: "A sudden allocation spike crossed the limit",
  evaluate(ctx) {
    if (ctx.event !== "container-oom-kill" && ctx.event !== "child-oom-kill") {
      return rejected("burst-allocation", `the event is ${ctx.event}, not a kill at the container's own limit`);
    }
    const limit = limitOf(ctx);
    const missing = ["memory metrics at a resolution finer than the spike (≤ 5 s scrape) around the kill", "request or job logs at the kill time"];
    const n = restarts(ctx);
    const run = lastRunMs(ctx);
    const req = requestRatio(ctx);
    const roomy = !req || req.ratio < 0.8;
    if (ctx.event === "child-oom-kill" && ctx.kills.length === 1) {
      const k = ctx.kills[0]!;
      const share = k.anonRssBytes !== null && limit ? ` with ${formatBytes(k.anonRssBytes)} anon-rss of the ${formatBytes(limit)} limit` : "";
      return supported("burst-allocation", "medium", `one worker process (${k.process ?? "?"}, pid ${k.pid ?? "?"}) was killed${share} while the container's main process kept running: a single job's allocation spiked`, k.evidence.slice(0, 2), missing);
    }
    if (run && run.ms >= LONG_RUN_MS && (n ?? 0) <= 1 && roomy) {
      return supported("burst-allocation", "medium", `it ran ${formatDuration(run.ms)} before this first OOM kill${limit !== null ? ` under the ${formatBytes(limit)} limit` : ""}: the steady state fit, a sudden allocation did not`, [run.evidence], missing);
    }
    if (run && run.ms < 5 * 60_000 && (n ?? 0) >= 2) return rejected("burst-allocation", `killed ${formatDuration(run.ms)} after each start (${n} restarts): that is the steady need, not a spike`, [run.evidence]);
    if (killIntervals(ctx).intervals.length >= 2 || (n ?? 0) >= 3) return rejected("burst-allocation", `repeated OOM kills (${n ?? ctx.kills.length}) are not the shape of a one-off spike`);
    return undetermined("burst-allocation", "the bundle does not show what usage looked like just before the kill", missing);
  },
});
