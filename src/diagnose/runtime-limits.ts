/**
 * The heap limits a running process showed in the bundle's runtime captures (not its spec):
 * V8's `heap_size_limit` (`node -p 'v8.getHeapStatistics()'`), `GOMEMLIMIT`, `NODE_OPTIONS
 * --max-old-space-size` and JVM `-Xmx` in an `env` capture, the reserved `Java Heap` of a
 * `jcmd VM.native_memory summary`, the reserved heap range of `jcmd GC.heap_info`; and, for Go,
 * what stands in for a missing limit (`GOGC=off` with no `GOMEMLIMIT`, a MemStats `NextGC` goal).
 * The JVM's PrintFlagsFinal output is read by `jvmConfig` (runtime-flags.ts), not here.
 */
import type { RuntimeConfigFact } from "../model/facts.js";
import { evidence, type Evidence } from "../model/source.js";
import { capturedEnv, envFlags } from "./runtime-flags.js";

/** One heap limit as captured. */
interface CapturedHeapLimit {
  runtime: "jvm" | "node" | "go";
  /** In words with the value as printed: `v8.getHeapStatistics() heap_size_limit 4345298944`. */
  what: string;
  bytes: number;
  evidence: Evidence;
}

/** Where each runtime's heap limit is printed: origin and key. */
const LIMIT_KEYS: { runtime: CapturedHeapLimit["runtime"]; origin: string; key: string; words: string }[] = [
  {
    runtime: "node",
    origin: "v8.getHeapStatistics",
    key: "heap_size_limit",
    words: "V8's heap_size_limit (v8.getHeapStatistics())",
  },
  {
    runtime: "jvm",
    origin: "jcmd VM.native_memory",
    key: "Java Heap.reserved",
    words: "the reserved Java Heap of jcmd VM.native_memory summary",
  },
  { runtime: "jvm", origin: "jcmd GC.heap_info", key: "heap.max", words: "the reserved heap of jcmd GC.heap_info" },
];

/** Every heap limit the runtime captures print: the env capture's flags first, then the printed limits. */
export function capturedHeapLimits(configs: RuntimeConfigFact[]): CapturedHeapLimit[] {
  const out: CapturedHeapLimit[] = envFlags(capturedEnv(configs))
    .filter((f) => f.bytes !== null && f.bytes > 0)
    .map((f) => ({
      runtime: f.runtime,
      what: `${f.flag} (${f.holder.kind === "env" ? f.holder.name : "args"} in the process's env)`,
      bytes: f.bytes!,
      evidence: f.evidence,
    }));
  for (const k of LIMIT_KEYS) {
    for (const f of configs) {
      const flag = f.origin === k.origin ? f.flags[k.key] : undefined;
      if (!flag || flag.bytes === null || flag.bytes <= 0) continue;
      out.push({
        runtime: k.runtime,
        what: k.words,
        bytes: flag.bytes,
        evidence: evidence({ file: f.source.file, line: flag.line }, `${k.key} ${flag.value}`),
      });
    }
  }
  return out;
}

/**
 * Go without a limit that pushes back: `GOGC=off` and no `GOMEMLIMIT` in an env capture (the
 * heap only grows), or a MemStats `NextGC` at or above `limitBytes` (the next collection comes
 * only after the kill). Null when neither shows.
 */
export function goWithoutBrake(
  configs: RuntimeConfigFact[],
  limitBytes: number,
): { what: string; evidence: Evidence[] } | null {
  const env = configs.find((f) => f.origin === "env" && f.runtime === "go");
  const gogc = env?.flags["GOGC"];
  if (env && gogc && gogc.value.trim().toLowerCase() === "off" && !env.flags["GOMEMLIMIT"]) {
    return {
      what: "GOGC=off and no GOMEMLIMIT: the Go heap is never collected and grows until the kernel kills it",
      evidence: [evidence({ file: env.source.file, line: gogc.line }, `GOGC=${gogc.value}`)],
    };
  }
  for (const f of configs) {
    const next = f.origin === "go memstats" ? f.flags["NextGC"] : undefined;
    if (next?.bytes && next.bytes >= limitBytes) {
      return {
        what: `the Go GC's next goal (MemStats NextGC) is ${next.bytes} bytes, at or above the limit: the heap reaches the limit before the next collection`,
        evidence: [evidence({ file: f.source.file, line: next.line }, `NextGC ${next.value}`)],
      };
    }
  }
  return null;
}
