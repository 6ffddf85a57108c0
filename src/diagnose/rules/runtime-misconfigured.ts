/**
 * runtime-misconfigured: the runtime's heap is sized off the node or above the limit (JVM
 * -Xmx / MaxRAMPercentage / an old JVM without container support, Node --max-old-space-size,
 * GOMEMLIMIT), so the process grows past the container limit before its own GC pushes back.
 */
import { evidence } from "../../model/source.js";
import { isOldJvmImage, runtimeFlags } from "../runtime-flags.js";
import { limitOf } from "../signals.js";
import { formatBytes, percent } from "../words.js";
import { defineRule, rejected, supported, undetermined } from "../types.js";

/** A JVM heap above this share of the limit leaves too little for metaspace, threads, code cache, direct buffers. */
const JVM_HEAP_MAX_SHARE = 0.8;
/** Node's old space above this share leaves too little for the rest of the V8/libuv process. */
const NODE_HEAP_MAX_SHARE = 0.85;

/** Process names and images of managed runtimes whose flags decide their memory use. */
const MANAGED = /java|jre|jdk|openjdk|node|deno|dotnet/i;

export default defineRule({
  id: "runtime-misconfigured",
  title: "Runtime heap sized off the node or above the limit",
  evaluate(ctx) {
    const c = ctx.facts.container;
    const limit = limitOf(ctx);
    const flags = c ? runtimeFlags(c) : [];
    if (limit !== null) {
      for (const f of flags) {
        const share = f.bytes !== null ? f.bytes / limit : f.fraction;
        if (share === null) continue;
        const maxShare = f.runtime === "jvm" ? JVM_HEAP_MAX_SHARE : f.runtime === "node" ? NODE_HEAP_MAX_SHARE : 1;
        const what = f.bytes !== null ? `${f.flag} allows a ${formatBytes(f.bytes)} heap` : `${f.flag} allows a heap of ${percent(share)} of the limit`;
        if (share >= 1) return supported("runtime-misconfigured", "high", `${what}, ${percent(share)} of the ${formatBytes(limit)} limit: the runtime will grow past the limit before its GC pushes back`, [f.evidence]);
        if (share > maxShare) return supported("runtime-misconfigured", "medium", `${what}, ${percent(share)} of the ${formatBytes(limit)} limit: heap plus non-heap memory (metaspace, thread stacks, buffers) does not fit`, [f.evidence]);
      }
      if (flags.length > 0) return rejected("runtime-misconfigured", `${flags.map((f) => f.flag).join(", ")} leave(s) room under the ${formatBytes(limit)} limit`, flags.map((f) => f.evidence));
    }
    if (c && isOldJvmImage(c.image) && !flags.some((f) => f.runtime === "jvm")) {
      return supported("runtime-misconfigured", "medium", `the image ${c.image} is a JVM without container support (before 8u191) and no -Xmx is set: it sizes its heap from the node's memory, not the container limit`, [evidence(c.source, `image: ${c.image}`)]);
    }
    const process = ctx.kills.at(-1)?.process ?? "";
    const managed = MANAGED.test(process) || MANAGED.test(c?.image ?? "");
    if (managed) return undetermined("runtime-misconfigured", `${process || c?.image} is a managed runtime, but no heap flags were found in its args or env`, ["the runtime's effective flags (java -XX:+PrintFlagsFinal -version, node -p v8.getHeapStatistics())"]);
    return undetermined("runtime-misconfigured", "no runtime memory flags (-Xmx, MaxRAMPercentage, --max-old-space-size, GOMEMLIMIT) found in the container's args or env", c ? [] : ["the pod spec (kubectl get pod -o json) for the container's args and env"]);
  },
});
