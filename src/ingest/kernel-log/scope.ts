/**
 * What kind of OOM a finished report was: its constraint, whether it was global, and which memcg
 * hit its limit. Kernels ≥ 4.19 say so in the `oom-kill:` summary line; older ones only through
 * which lines they print (mm/oom_kill.c `dump_header()` prints `Task in`, `memory: usage` and
 * `Memory cgroup stats` only for a memcg OOM; `Out of memory:` prefixes a global kill).
 *
 * Sample input (legacy memcg OOM, kernel 4.8):
 * ```text
 * Task in /docker/83b0eac913cc killed as a result of limit of /docker/83b0eac913cc
 * Memory cgroup out of memory: Kill process 1381 (gunpowder-memho) score 1046 or sacrifice child
 * ```
 */
import type { OomEvent } from "../../model/facts.js";
import type { OomKillSummary } from "./messages.js";

/**
 * Fills `constraint`, `global`, `oomMemcg`, `taskMemcg` and victims' missing `scope` (inherited
 * from the selection line) on a finished event, in place. Unknown stays null.
 */
export function resolveScope(
  ev: OomEvent,
  summary: OomKillSummary | null,
  taskIn: { taskMemcg: string; oomMemcg: string } | null,
  selectedScope: "memcg" | "global" | null,
): void {
  for (const v of ev.victims) v.scope ??= selectedScope;
  ev.oomMemcg = summary?.oomMemcg ?? taskIn?.oomMemcg ?? null;
  ev.taskMemcg = summary?.taskMemcg ?? taskIn?.taskMemcg ?? null;
  if (summary) {
    ev.constraint = summary.constraint;
    if (summary.oomMemcg !== null || summary.constraint === "memcg") ev.global = false;
    else if (summary.globalOom || summary.constraint === "none") ev.global = true;
    return;
  }
  const scopes = [selectedScope, ...ev.victims.map((v) => v.scope)];
  const memcg =
    scopes.includes("memcg") ||
    (taskIn !== null && taskIn.oomMemcg !== "/") ||
    ev.counters.length > 0 ||
    ev.memcgStats !== null;
  if (memcg) {
    ev.constraint = "memcg";
    ev.global = false;
  } else if (scopes.includes("global")) {
    ev.constraint = "none";
    ev.global = true;
  }
}
