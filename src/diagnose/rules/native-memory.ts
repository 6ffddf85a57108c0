/**
 * native-memory: the managed heap stays within bounds while RSS grows outside it (direct
 * buffers, thread stacks, metaspace, JNI, malloc arenas). Two kinds of evidence:
 * (a) two `pmap -x` snapshots of the process (or a diff of two) whose resident growth is mostly
 *     outside `[ heap ]` and the managed heap mapping (analyze/pmap-diff.ts);
 * (b) the victim's anon-rss far above the configured heap (-Xmx, MaxHeapSize,
 *     --max-old-space-size): with the heap at most 70 % of the limit, anon-rss ≥ heap +
 *     max(256 MiB, 30 % of the heap) cannot be the heap alone (only when the victim is that
 *     runtime's process: `java`, `node`);
 * (c) for a managed runtime, BCC memleak output holding a meaningful share of the limit in
 *     outstanding C-allocator allocations (diagnose/allocations.ts).
 */
import { pmapDiffs } from "../../analyze/pmap-diff.js";
import type { Evidence } from "../../model/source.js";
import { detectRuntime } from "../advice/runtime.js";
import { outstandingSite } from "../allocations.js";
import { configuredHeap, RUNTIME_PROCESS } from "../runtime-flags.js";
import { limitOf } from "../signals.js";
import { pmapEvidence, pmapName } from "../growth.js";
import { formatBytes, formatPercent } from "../../util/format.js";
import { defineRule, rejected, supported, undetermined, type RuleContext } from "../types.js";
import { findNativeMemory } from "../advice/investigate.js";
import type { Hypothesis } from "../../model/incident.js";

/** Resident growth below this (bytes) between two snapshots says nothing. */
const MIN_GROWTH = 32 * 2 ** 20;
/** Growth outside the heap at or above these shares: medium / high. */
const OUTSIDE_MEDIUM = 0.6;
const OUTSIDE_HIGH = 0.8;
/** The RSS-vs-heap test only applies when the heap leaves this much of the limit to native memory. */
const HEAP_MAX_SHARE = 0.7;
/** anon-rss must exceed the heap by max(this, HEAP_MARGIN_SHARE × heap). */
const HEAP_MARGIN_MIN = 256 * 2 ** 20;
const HEAP_MARGIN_SHARE = 0.3;

const PMAPS = "two pmap -x snapshots of the process taken minutes apart";
/** What would decide it; JVM native memory tracking only for a process that is a JVM. */
function missing(ctx: RuleContext): string[] {
  return detectRuntime(ctx.facts, ctx.kills).runtime === "jvm"
    ? [PMAPS, "JVM native memory tracking (jcmd <pid> VM.native_memory summary)"]
    : [PMAPS];
}

export default defineRule({
  id: "native-memory",
  title: "Native memory outside the managed heap",
  role: "where",
  requires: ["container", "limit", "observations", "pmaps", "runtimeConfigs"],
  sizesLimit: false,
  advise: findNativeMemory,
  evaluate(ctx) {
    const heap = configuredHeap(ctx.facts.container, ctx.facts.runtimeConfigs);
    const fromPmap = pmapVerdict(ctx, heap?.bytes ?? null);
    if (fromPmap) return fromPmap;
    const fromRss = rssVerdict(ctx, heap);
    if (fromRss) return fromRss;
    const fromMemleak = memleakVerdict(ctx);
    if (fromMemleak) return fromMemleak;
    return undetermined(
      "native-memory",
      "telling heap from native memory needs per-mapping data (pmap) or the heap cap of the killed process (-Xmx, MaxHeapSize, --max-old-space-size), which the bundle does not have",
      missing(ctx),
    );
  },
});

function pmapVerdict(ctx: RuleContext, heapBytes: number | null): Hypothesis | null {
  const pid = ctx.kills.at(-1)?.pid ?? null;
  const diffs = pmapDiffs(ctx.facts.pmaps, heapBytes);
  // Prefer the victim's own snapshots; else the diff with the most growth.
  const d = diffs.find((x) => pid !== null && x.pid === pid) ?? diffs[0];
  if (!d) return null;
  const ev = pmapEvidence(d);
  const grown = Object.values(d.growthByClass).reduce((a, b) => a + b, 0);
  if (d.reservedOnly && grown < MIN_GROWTH) return rejected("native-memory", `${pmapName(d)}: ${d.notes[0]}`, ev);
  if (grown < MIN_GROWTH || d.outsideHeapShare === null)
    return rejected(
      "native-memory",
      `${pmapName(d)}: resident memory grew only ${formatBytes(Math.max(0, d.rssDeltaBytes))} between the snapshots`,
      ev,
    );
  const outside = d.outsideHeapShare;
  const reading = d.notes.filter((n) => !n.startsWith("the mapped size")).join("; ");
  if (outside >= OUTSIDE_MEDIUM) {
    return supported(
      "native-memory",
      outside >= OUTSIDE_HIGH ? "high" : "medium",
      `${pmapName(d)}: ${formatPercent(outside)} of the resident growth is outside the heap (${reading}): native allocations, not the managed heap, are growing`,
      ev,
      [],
      { decisive: outside >= OUTSIDE_HIGH },
    );
  }
  return rejected(
    "native-memory",
    `${pmapName(d)}: ${formatPercent(1 - outside)} of the resident growth is in the heap (${reading})`,
    ev,
  );
}

function rssVerdict(ctx: RuleContext, heap: ReturnType<typeof configuredHeap>): Hypothesis | null {
  const kill = [...ctx.kills].reverse().find((k) => k.anonRssBytes !== null);
  const limit = limitOf(ctx);
  // The flag caps one runtime's heap: a victim of another name (a chrome child of node) is not that heap.
  if (!heap || !kill || limit === null || !kill.process || !RUNTIME_PROCESS[heap.runtime].test(kill.process))
    return null;
  const anon = kill.anonRssBytes!;
  const margin = Math.max(HEAP_MARGIN_MIN, HEAP_MARGIN_SHARE * heap.bytes);
  const ev: Evidence[] = [heap.evidence, ...kill.evidence.slice(0, 1)];
  if (heap.bytes > HEAP_MAX_SHARE * limit) return null;
  if (anon >= heap.bytes + margin) {
    return supported(
      "native-memory",
      "medium",
      `the victim's anon-rss was ${formatBytes(anon)} while ${heap.flag} caps the managed heap at ${formatBytes(heap.bytes)} (${formatPercent(heap.bytes / limit)} of the ${formatBytes(limit)} limit): at least ${formatBytes(anon - heap.bytes)} lives outside the heap (buffers, stacks, metaspace, malloc)`,
      ev,
      missing(ctx),
    );
  }
  return undetermined(
    "native-memory",
    `the victim's anon-rss (${formatBytes(anon)}) is within ${formatBytes(margin)} of the ${formatBytes(heap.bytes)} heap cap (${heap.flag}): heap and native memory cannot be told apart from it`,
    missing(ctx),
    ev,
  );
}

/**
 * BCC memleak traces the C allocators: a managed runtime (JVM, Node, Python, Go) holding a
 * meaningful share of the limit in outstanding malloc/mmap allocations keeps it outside its heap.
 * For a native program there is no managed heap to be outside of: not decided here.
 */
function memleakVerdict(ctx: RuleContext): Hypothesis | null {
  const runtime = detectRuntime(ctx.facts, ctx.kills).runtime;
  if (runtime === null) return null;
  const limit = limitOf(ctx);
  const top = outstandingSite(ctx, limit);
  if (!top) return null;
  return supported(
    "native-memory",
    "medium",
    `BCC memleak shows ${formatBytes(top.stack.bytes)} outstanding from the C allocator at ${top.site}${limit !== null ? ` (${formatPercent(top.stack.bytes / limit)} of the ${formatBytes(limit)} limit)` : ""}: native memory outside the ${runtime} heap`,
    top.evidence,
    missing(ctx),
  );
}
