/**
 * The limit and heap changes: raise the limit to the sizing's recommendation (never lower),
 * and size a runtime's heap from the limit, merged into the flags the container already has.
 */
import type { Action } from "../../model/incident.js";
import { capturedEnv, configuredHeap } from "../runtime-flags.js";
import { limitFromLimitRange } from "../../correlate/limit.js";
import { roundLimit, toQuantity } from "../sizing.js";
import { formatBytes } from "../../util/format.js";
import { limitChange } from "./change.js";
import type { AdviceContext } from "./context.js";
import { heapFix } from "./heap.js";

/** Share of the limit a heap may take (the rest is non-heap memory). */
const HEAP_SHARE = 0.75;

/** "Raise X's memory limit from 1 GiB to 1536Mi", or null without a sizing above the current limit. */
export function raiseLimit(ctx: AdviceContext, lead = ""): Action | null {
  const sz = ctx.sizing;
  if (!sz) return null;
  const current = sz.currentLimitBytes;
  if (current !== null && sz.recommendedLimitBytes <= current) return null;
  const who = ctx.target.container ?? ctx.target.dockerContainer ?? "the container";
  const change = limitChange(ctx.target, sz.recommendedLimitBytes);
  const compare = (sz.comparisons ?? []).map((c) => `${c}.`).join(" ");
  return {
    title: `${lead}Raise ${who}'s memory limit ${current !== null ? `from ${formatBytes(current)} ` : ""}to ${toQuantity(sz.recommendedLimitBytes)}`,
    detail: [`Basis: ${sz.basis}.`, compare, change.note, limitRangeWords(ctx)].filter(Boolean).join(" "),
    command: change.command,
  };
}

/**
 * When the limit came from the namespace's LimitRange default: the command sets an explicit
 * limit in the workload (which the LimitRange then leaves alone), and the other way is the
 * LimitRange itself, which every pod of the namespace without a limit gets. Null otherwise.
 */
function limitRangeWords(ctx: AdviceContext): string | null {
  const ev = limitFromLimitRange(ctx.s.pod, ctx.s.container?.name ?? null);
  if (!ev) return null;
  const ns = ctx.s.pod?.namespace ? `-n ${ctx.s.pod.namespace} ` : "";
  return `The current limit is the namespace's LimitRange default (${ev.file}:${ev.line ?? "?"} \`kubernetes.io/limit-ranger\`): this writes an explicit limit into the workload, which the LimitRange then leaves as it is. To raise the default for every pod of the namespace that sets none instead, edit the LimitRange's \`default.memory\` (\`kubectl ${ns}get limitrange -o yaml\`).`;
}

/**
 * For `runtime-misconfigured`: the heap cap sized from the current limit, merged into where the
 * flags live; then, when the configured heap is above the limit, the other way out (a limit that
 * fits that heap).
 */
export function fixRuntime(ctx: AdviceContext): Action[] {
  const limit = ctx.limitBytes;
  if (limit === null) return [];
  const fix = heapFix(
    ctx.target,
    ctx.s.container,
    ctx.runtime.runtime,
    limit,
    capturedEnv(ctx.s.runtimeConfigs),
    ctx.envPlan,
  );
  if (!fix) return [];
  planEnv(ctx, fix);
  const out: Action[] = [
    {
      title: `Size the heap from the ${formatBytes(limit)} limit: \`${fix.flag}\` in ${fix.where}`,
      detail: `${fix.replaces ? `Replaces \`${fix.replaces}\`; the other flags are kept` : `Adds it to ${fix.where}`}, so heap plus non-heap memory stays under ${formatBytes(limit)}. New value: \`${fix.value}\`. ${fix.change.note}`,
      command: fix.change.command,
    },
  ];
  const heap = configuredHeap(ctx.s.container, ctx.s.runtimeConfigs);
  if (heap && heap.bytes > limit * HEAP_SHARE) {
    const needed = roundLimit(heap.bytes / HEAP_SHARE);
    const change = limitChange(ctx.target, needed);
    out.push({
      title: `Or keep ${heap.flag} and raise the limit to ${toQuantity(needed)}`,
      detail: `If the heap really needs ${formatBytes(heap.bytes)}: heap ${formatBytes(heap.bytes)} / ${HEAP_SHARE} for non-heap memory = ${formatBytes(heap.bytes / HEAP_SHARE)} → ${toQuantity(needed)}. ${change.note}`,
      command: change.command,
    });
  }
  return out;
}

/**
 * A heap cap for a Node or Go process that has none (so it stops with a clear heap error or
 * collects harder before the kernel kills it), sized from `limitBytes`; null otherwise.
 */
export function capUncappedHeap(ctx: AdviceContext, limitBytes: number): Action | null {
  const rt = ctx.runtime.runtime;
  if (rt !== "node" && rt !== "go") return null;
  const fix = heapFix(ctx.target, ctx.s.container, rt, limitBytes, capturedEnv(ctx.s.runtimeConfigs), ctx.envPlan);
  if (!fix || fix.replaces) return null;
  planEnv(ctx, fix);
  const why =
    rt === "node"
      ? "V8 then collects harder and fails with a JavaScript heap out-of-memory error instead of a kernel kill"
      : "the Go GC then runs harder as the heap nears the limit instead of letting it grow into the kernel's kill";
  return {
    title: `Cap the ${rt === "node" ? "V8 heap" : "Go heap"}: \`${fix.flag}\``,
    detail: `${ctx.target.container ?? "The container"} sets no heap cap (${ctx.runtime.why}); ${why}. New value of ${fix.where}: \`${fix.value}\`. ${fix.change.note}`,
    command: fix.change.command,
  };
}

// A step that sets an env var: later steps of the report merge into the value it sets.
function planEnv(ctx: AdviceContext, fix: { where: string; value: string }): void {
  if (fix.where !== "args" && fix.where !== "command") ctx.envPlan.set(fix.where, fix.value);
}
