/**
 * memory-leak: usage ramps up regardless of load and resets on restart, so kills come at a
 * regular interval after each start; the interval is the leak rate (limit / interval).
 * From these artifacts: three or more kernel kills of the same container at regular intervals.
 */
import { killIntervals, lastRunMs, limitOf, spread } from "../signals.js";
import { formatBytes, formatDuration } from "../words.js";
import { defineRule, isOomEvent, rejected, supported, undetermined } from "../types.js";

/** Intervals within ±15 % (coefficient of variation) read as regular. */
const REGULAR_CV = 0.15;
/** A leak needs time: runs shorter than this are a steady need, not growth. */
const MIN_LEAK_RUN_MS = 10 * 60_000;

export default defineRule({
  id: "memory-leak",
  title: "Memory grows steadily until the limit, after every start",
  evaluate(ctx) {
    if (!isOomEvent(ctx.event)) return rejected("memory-leak", "no OOM kill was recorded");
    const { intervals, evidence } = killIntervals(ctx);
    if (intervals.length >= 2) {
      const { mean, cv } = spread(intervals);
      const limit = limitOf(ctx);
      const rate = limit !== null && mean > 0 ? ` — about ${formatBytes((limit / mean) * 60_000)}/min if usage restarts near zero` : "";
      if (cv <= REGULAR_CV && mean >= MIN_LEAK_RUN_MS) {
        return supported("memory-leak", intervals.length >= 3 ? "high" : "medium", `${intervals.length + 1} kills, one every ${formatDuration(mean)} (±${Math.round(cv * 100)}%): the same time to the limit after each restart is a steady leak${limit !== null ? ` of the ${formatBytes(limit)} limit` : ""}${rate}`, evidence);
      }
      return rejected("memory-leak", `kill intervals vary (mean ${formatDuration(mean)}, ±${Math.round(cv * 100)}%): growth tied to something else than time since start`, evidence);
    }
    const run = lastRunMs(ctx);
    if (run && run.ms < MIN_LEAK_RUN_MS) return rejected("memory-leak", `killed ${formatDuration(run.ms)} after start: too soon for a leak, the container needs that much from the start`, [run.evidence]);
    return undetermined("memory-leak", "fewer than three kills placed in time: the restart interval cannot be measured", ["the node's kernel log covering several restarts", "memory metrics (container_memory_working_set_bytes) over several restarts"]);
  },
});
