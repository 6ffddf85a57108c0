/**
 * runtime-misconfigured: the runtime's heap is sized off the node or above the limit (JVM
 * -Xmx / MaxRAMPercentage / an old JVM without container support, Node --max-old-space-size,
 * GOMEMLIMIT), so the process grows past the container limit before its own GC pushes back.
 * The JVM's effective flags (`java -XX:+PrintFlagsFinal -version`, a runtime-config fact) come
 * first: MaxHeapSize against the limit, UseContainerSupport=false, a high MaxRAMPercentage, and
 * heap + non-heap (MaxDirectMemorySize, MaxMetaspaceSize, ReservedCodeCacheSize, thread stacks
 * for an assumed thread count) against the limit.
 */
import { evidence } from "../../model/source.js";
import type { Hypothesis } from "../../model/incident.js";
import type { Evidence } from "../../model/source.js";
import { isUnlimited } from "../../model/units.js";
import { detectRuntime } from "../advice/runtime.js";
import { isOldJvmImage, jvmConfig, runtimeFlags } from "../runtime-flags.js";
import { capturedHeapLimits, goWithoutBrake } from "../runtime-limits.js";
import { limitEvidence, limitOf } from "../signals.js";
import { formatBytes, formatPercent } from "../../util/format.js";
import { defineRule, rejected, supported, undetermined, type RuleContext } from "../types.js";
import { profileGrowth } from "../advice/investigate.js";
import { fixRuntime, raiseLimit } from "../advice/resize.js";

/** A JVM heap above this share of the limit leaves too little for metaspace, threads, code cache, direct buffers. */
const JVM_HEAP_MAX_SHARE = 0.8;
/** Node's old space above this share leaves too little for the rest of the V8/libuv process. */
const NODE_HEAP_MAX_SHARE = 0.85;

/** Process names and images of managed runtimes whose flags decide their memory use. */
const MANAGED = /java|jre|jdk|openjdk|node|deno|dotnet/i;
/** Process names and images a JVM's PrintFlagsFinal output can be about. */
const JVM_LIKE = /java|jre|jdk|openjdk|jvm|temurin|corretto|zulu|tomcat|kafka|elasticsearch|spark/i;
/** MaxRAMPercentage above this leaves too little of the limit for non-heap memory. */
const RAM_PERCENT_HIGH = 80;
/** Threads assumed for the thread-stack estimate (a modest server; said in the reason). */
const ASSUMED_THREADS = 100;

export default defineRule({
  id: "runtime-misconfigured",
  title: "Runtime heap sized off the node or above the limit",
  role: "where",
  excludes: ["native-memory", "limit-too-low"],
  requires: ["container", "limit", "runtimeConfigs"],
  sizesLimit: false,
  advise(ctx) {
    const fixes = fixRuntime(ctx);
    return fixes.length > 0 ? fixes : [raiseLimit(ctx), ...profileGrowth(ctx)];
  },
  evaluate(ctx) {
    const c = ctx.facts.container;
    const limit = limitOf(ctx);
    const flags = c ? runtimeFlags(c) : [];
    const fromConfig = fromRuntimeConfig(ctx, limit);
    if (fromConfig) return fromConfig;
    const fromCapture = limit !== null && !isUnlimited(limit) ? fromCapturedLimits(ctx, limit) : null;
    if (fromCapture) return fromCapture;
    if (limit !== null) {
      for (const f of flags) {
        const share = f.bytes !== null ? f.bytes / limit : f.fraction;
        if (share === null) continue;
        const maxShare = f.runtime === "jvm" ? JVM_HEAP_MAX_SHARE : f.runtime === "node" ? NODE_HEAP_MAX_SHARE : 1;
        const what =
          f.bytes !== null
            ? `${f.flag} allows a ${formatBytes(f.bytes)} heap`
            : `${f.flag} allows a heap of ${formatPercent(share)} of the limit`;
        if (share >= 1)
          return supported(
            "runtime-misconfigured",
            "high",
            `${what}, ${formatPercent(share)} of the ${formatBytes(limit)} limit: the runtime will grow past the limit before its GC pushes back`,
            [f.evidence, ...limitEvidence(ctx)],
            [],
            { decisive: true },
          );
        if (share > maxShare)
          return supported(
            "runtime-misconfigured",
            "medium",
            `${what}, ${formatPercent(share)} of the ${formatBytes(limit)} limit: heap plus non-heap memory (metaspace, thread stacks, buffers) does not fit`,
            [f.evidence, ...limitEvidence(ctx)],
          );
      }
      if (flags.length > 0)
        return rejected(
          "runtime-misconfigured",
          `${flags.map((f) => f.flag).join(", ")} ${flags.length === 1 ? "fits" : "fit"} under the ${formatBytes(limit)} limit with room for non-heap memory`,
          flags.map((f) => f.evidence),
        );
    }
    if (c && isOldJvmImage(c.image) && !flags.some((f) => f.runtime === "jvm")) {
      return supported(
        "runtime-misconfigured",
        "medium",
        `the image ${c.image} is a JVM without container support (before 8u191) and no -Xmx is set: it sizes its heap from the node's memory, not the container limit`,
        [evidence(c.source, `image: ${c.image}`)],
      );
    }
    const process = ctx.kills.at(-1)?.process ?? "";
    const managed = MANAGED.test(process) || MANAGED.test(c?.image ?? "");
    if (managed)
      return undetermined(
        "runtime-misconfigured",
        `${process || c?.image} is a managed runtime, but no heap flags were found in its args or env`,
        [effectiveFlagsCapture(detectRuntime(ctx.facts, ctx.kills).runtime)],
      );
    return undetermined(
      "runtime-misconfigured",
      "no runtime memory flags (-Xmx, MaxRAMPercentage, --max-old-space-size, GOMEMLIMIT) found in the container's args or env",
      c ? [] : ["the pod spec (kubectl get pod -o json) for the container's args and env"],
    );
  },
});

/** The capture that shows a runtime's effective heap settings (JVM tooling only for a JVM). */
function effectiveFlagsCapture(runtime: string | null): string {
  if (runtime === "jvm") return "the JVM's effective flags (java -XX:+PrintFlagsFinal -version)";
  if (runtime === "node") return "V8's heap limit (node -p 'v8.getHeapStatistics()')";
  return "the runtime's effective heap settings";
}

// The verdict from a JVM's PrintFlagsFinal output, or null when there is none for this subject.
function fromRuntimeConfig(ctx: RuleContext, limit: number | null): Hypothesis | null {
  const process = ctx.kills.at(-1)?.process ?? null;
  const image = ctx.facts.container?.image ?? null;
  // runtime-config facts are not attributed to a container: only read them for a JVM-looking subject.
  if ((process || image) && !JVM_LIKE.test(`${process ?? ""} ${image ?? ""}`)) return null;
  const fact = ctx.facts.runtimeConfigs.find((f) => f.runtime === "jvm");
  if (!fact) return null;
  const j = jvmConfig(fact);
  const limitUsable = limit !== null && !isUnlimited(limit);
  if (j.noContainerSupport) {
    const ev = [
      j.useContainerSupport?.evidence ?? {
        file: fact.source.file,
        line: fact.source.line,
        text: `JVM ${j.version ?? "?"}`,
      },
      ...(j.maxHeap ? [j.maxHeap.evidence] : []),
    ];
    const heap =
      j.maxHeap?.bytes && limitUsable
        ? `; its MaxHeapSize is ${formatBytes(j.maxHeap.bytes)}, ${formatPercent(j.maxHeap.bytes / limit!)} of the ${formatBytes(limit!)} limit`
        : "";
    const conf = j.maxHeap?.bytes && limitUsable && j.maxHeap.bytes > JVM_HEAP_MAX_SHARE * limit! ? "high" : "medium";
    return supported(
      "runtime-misconfigured",
      conf,
      `the JVM ${j.useContainerSupport ? "runs with UseContainerSupport=false" : `(${j.version}) predates container support (8u191)`}: it sizes its heap from the node's memory, not the container limit${heap}`,
      ev,
    );
  }
  if (!limitUsable || !j.maxHeap?.bytes) return null;
  const heap = j.maxHeap.bytes;
  const share = heap / limit!;
  const ev: Evidence[] = [j.maxHeap.evidence];
  if (j.maxRamPercentage && Number(j.maxRamPercentage.value) > RAM_PERCENT_HIGH) ev.push(j.maxRamPercentage.evidence);
  const pct =
    j.maxRamPercentage && Number(j.maxRamPercentage.value) > RAM_PERCENT_HIGH
      ? ` (MaxRAMPercentage=${Number(j.maxRamPercentage.value)})`
      : "";
  if (share >= 1)
    return supported(
      "runtime-misconfigured",
      "high",
      `the JVM's effective MaxHeapSize is ${formatBytes(heap)}${pct}, ${formatPercent(share)} of the ${formatBytes(limit!)} limit: the heap may grow past the limit before the GC pushes back`,
      ev,
    );
  const nonHeap = nonHeapEstimate(j);
  if (heap + nonHeap.bytes > limit!) {
    return supported(
      "runtime-misconfigured",
      "medium",
      `the JVM's effective MaxHeapSize is ${formatBytes(heap)}${pct} and its non-heap maximum is about ${formatBytes(nonHeap.bytes)} (${nonHeap.parts.join(", ")}): together ${formatBytes(heap + nonHeap.bytes)}, over the ${formatBytes(limit!)} limit`,
      [...ev, ...nonHeap.evidence],
    );
  }
  if (share > JVM_HEAP_MAX_SHARE)
    return supported(
      "runtime-misconfigured",
      "medium",
      `the JVM's effective MaxHeapSize is ${formatBytes(heap)}${pct}, ${formatPercent(share)} of the ${formatBytes(limit!)} limit: heap plus non-heap memory (metaspace, thread stacks, buffers) does not fit`,
      ev,
    );
  return rejected(
    "runtime-misconfigured",
    `the JVM's effective MaxHeapSize is ${formatBytes(heap)}, ${formatPercent(share)} of the ${formatBytes(limit!)} limit, and heap plus about ${formatBytes(nonHeap.bytes)} of non-heap (${nonHeap.parts.join(", ")}) fits`,
    [...ev, ...nonHeap.evidence],
  );
}

/**
 * The verdict from the heap limit a runtime capture of the process shows (V8 heap statistics, an
 * `env` capture, jcmd), for the subject's runtime only; null when the captures show none.
 */
function fromCapturedLimits(ctx: RuleContext, limit: number): Hypothesis | null {
  const runtime = detectRuntime(ctx.facts, ctx.kills).runtime;
  const mine = (r: string) => runtime === null || runtime === r;
  const found = capturedHeapLimits(ctx.facts.runtimeConfigs).filter((h) => mine(h.runtime));
  const lim = `the ${formatBytes(limit)} limit`;
  for (const h of found) {
    const share = h.bytes / limit;
    const maxShare = h.runtime === "jvm" ? JVM_HEAP_MAX_SHARE : h.runtime === "node" ? NODE_HEAP_MAX_SHARE : 1;
    if (share >= 1)
      return supported(
        "runtime-misconfigured",
        "high",
        `${h.what} is ${formatBytes(h.bytes)}, ${formatPercent(share)} of ${lim}: the runtime lets its heap grow past the limit before its GC pushes back`,
        [h.evidence, ...limitEvidence(ctx)],
      );
    if (share > maxShare)
      return supported(
        "runtime-misconfigured",
        "medium",
        `${h.what} is ${formatBytes(h.bytes)}, ${formatPercent(share)} of ${lim}: heap plus the rest of the process does not fit`,
        [h.evidence, ...limitEvidence(ctx)],
      );
  }
  const go = mine("go") ? goWithoutBrake(ctx.facts.runtimeConfigs, limit) : null;
  if (go)
    return supported("runtime-misconfigured", "medium", `${go.what} (${lim})`, [...go.evidence, ...limitEvidence(ctx)]);
  if (found.length > 0)
    return rejected(
      "runtime-misconfigured",
      `${found.map((h) => `${h.what} is ${formatBytes(h.bytes)}`).join("; ")}: within ${lim} with room for the rest of the process`,
      found.map((h) => h.evidence),
    );
  return null;
}

// Upper bounds of the JVM's non-heap memory that its flags cap; unbounded ones are left out (and said so).
function nonHeapEstimate(j: ReturnType<typeof jvmConfig>): { bytes: number; parts: string[]; evidence: Evidence[] } {
  let bytes = 0;
  const parts: string[] = [];
  const evs: Evidence[] = [];
  const add = (label: string, f: { bytes: number | null; evidence: Evidence } | null, times = 1): void => {
    if (!f || f.bytes === null || f.bytes <= 0 || isUnlimited(f.bytes)) return;
    bytes += f.bytes * times;
    parts.push(`${label} ${formatBytes(f.bytes * times)}`);
    evs.push(f.evidence);
  };
  add("MaxDirectMemorySize", j.maxDirectMemory);
  add("MaxMetaspaceSize", j.maxMetaspace);
  add("ReservedCodeCacheSize", j.codeCache);
  add(`thread stacks (${ASSUMED_THREADS} threads × ThreadStackSize)`, j.threadStack, ASSUMED_THREADS);
  if (j.maxMetaspace && (j.maxMetaspace.bytes === null || isUnlimited(j.maxMetaspace.bytes)))
    parts.push("metaspace unbounded, not counted");
  if (j.maxDirectMemory && j.maxDirectMemory.bytes === 0)
    parts.push("direct buffers default to the heap size, not counted");
  return { bytes, parts, evidence: evs };
}
