/**
 * How soon V8 optimises a function, set by the kernel-log scan for the rest of the run.
 *
 * V8 hands a function to its optimising compiler (TurboFan) once it has used an "interrupt
 * budget" of bytecode (Node 20 default: 67,584 bytes). One run of this command calls most of its
 * functions a few hundred to a few thousand times (per report line, per incident, per JSON
 * member): enough to pass that mark, too few to earn back the compile. On the 1 GiB journal with
 * 100 reports the default budget compiled 70 functions, ~350 ms of compile-thread time on a
 * two-core machine already running two scan threads (`--trace-opt`); with `TIER_UP_FLAGS` 15, ~30 ms.
 * Same machine, 15 interleaved runs: 0.89 -> 0.77 s of CPU, 0.52 -> 0.49 s wall (grep 0.38 s);
 * 10,000 reports 9.1 -> 8.4 s of CPU. The SIMD search is WebAssembly, which tiers up on its own;
 * the scan's JavaScript loop (one turn per 128 KiB read) now stays in the baseline tiers at no
 * measured cost (10 reports, scan only: 0.44 s wall, 0.75 s CPU either way, 9 interleaved runs).
 *
 * When: the scan sets it once it has started its helper thread, and the helper once it runs
 * (`scan.ts`, `hint-worker.ts`), not the launcher before it starts one: a worker started after
 * V8's flags changed took 75-100 ms to run its first line instead of 40-57 ms (the same with
 * `--ticks-before-optimization` or relaxed SIMD's flag instead; not with `--stack-size`). Runs
 * without a kernel log keep V8's defaults; they are small.
 *
 * Set by `v8.setFlagsFromString` once the VM runs, this flag still takes effect (`--trace-opt`
 * counts 13 compiled functions); Node's docs warn that other flags may do nothing, or worse, when
 * set that late: add one here only after checking it the same way.
 */
import { setFlagsFromString } from "node:v8";

/**
 * The V8 flags the command runs with (each also accepted by `node` on its command line).
 * @internal exported for its test (not the public API)
 */
export const TIER_UP_FLAGS = ["--interrupt-budget=300000"] as const;

/** Sets {@link TIER_UP_FLAGS} for this process (every thread; setting them again changes nothing). */
export function setTierUpFlags(): void {
  for (const flag of TIER_UP_FLAGS) setFlagsFromString(flag);
}
