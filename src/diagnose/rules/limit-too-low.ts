/**
 * limit-too-low: the container's ordinary working set does not fit its limit: it is killed
 * soon after every start, or at irregular times while its request (what it normally uses)
 * sits just under the limit.
 */
import type { Evidence } from "../../model/source.js";
import { killIntervals, lastRunMs, limitOf, requestRatio, restarts, spread } from "../signals.js";
import { formatBytes, formatDuration, percent } from "../words.js";
import { defineRule, rejected, supported, undetermined } from "../types.js";

/** Killed within this long after start, repeatedly: the steady need exceeds the limit. */
const EARLY_KILL_MS = 5 * 60_000;
/** A request at or above this share of the limit: the normal working set is just under it. */
const TIGHT_REQUEST = 0.9;

export default defineRule({
  id: "limit-too-low",
  title: "The limit is below the container's ordinary working set",
  evaluate(ctx) {
    if (ctx.event !== "container-oom-kill" && ctx.event !== "child-oom-kill") {
      return rejected("limit-too-low", `the event is ${ctx.event}, not a kill at the container's own limit`);
    }
    const limit = limitOf(ctx);
    const lim = limit !== null ? `the ${formatBytes(limit)} limit` : "the limit";
    const n = restarts(ctx);
    const run = lastRunMs(ctx);
    const req = requestRatio(ctx);
    const { intervals, evidence: intervalEv } = killIntervals(ctx);
    const regular = intervals.length >= 2 && spread(intervals).cv <= 0.15;
    if (run && run.ms <= EARLY_KILL_MS && (n ?? 0) >= 2) {
      return supported("limit-too-low", "medium", `killed ${formatDuration(run.ms)} after start with ${n} restarts: the container needs more than ${lim} for its normal start-up and work`, [run.evidence]);
    }
    if (req && req.ratio >= TIGHT_REQUEST && !regular) {
      const repeated = (n ?? 0) >= 3 || ctx.kills.length >= 2;
      const ev: Evidence[] = [...req.evidence, ...(repeated ? intervalEv : [])];
      return supported("limit-too-low", repeated ? "medium" : "low", `the request is ${percent(req.ratio)} of ${lim} (the working set normally sits just under it)${repeated ? ` and it was OOM-killed repeatedly (${n ?? ctx.kills.length} restarts) at irregular times` : ""}: ordinary load reaches the limit`, ev);
    }
    if (regular) return rejected("limit-too-low", "kills come at a regular interval after each start, the shape of a leak rather than a plateau", intervalEv);
    if (run && run.ms > 60 * 60_000 && (n ?? 0) <= 1) return rejected("limit-too-low", `it ran ${formatDuration(run.ms)} under ${lim} before its first OOM kill: ordinary load fits`, [run.evidence]);
    return undetermined("limit-too-low", "the bundle does not show the working set in normal operation", ["memory metrics (container_memory_working_set_bytes) over the day before the kill"]);
  },
});
