/**
 * Finding what grows or spikes, per runtime, from what the bundle shows: a JVM gets a heap dump
 * and native memory tracking (jcmd), Node heap snapshots, Go pprof, Python tracemalloc, and any
 * process a pmap diff; glibc arenas get MALLOC_ARENA_MAX. Runtime tooling is only offered for
 * the runtime `detectRuntime` found, so a Python or Go process never gets jcmd advice.
 */
import type { Action } from "../../model/incident.js";
import { runtimeFlags } from "../runtime-flags.js";
import { envChange } from "./change.js";
import { formatTime } from "../../util/format.js";
import { execPrefix, logsCommand, type AdviceContext } from "./context.js";

/** How to see what grows inside the process (memory-leak). */
export function profileGrowth(ctx: AdviceContext): Action[] {
  const exec = execPrefix(ctx);
  const ctr = ctx.target.container ?? "the container";
  switch (ctx.runtime.runtime) {
    case "jvm":
      return [
        {
          title: "Take two heap dumps some minutes apart and compare them",
          detail: `${ctr} runs a JVM (${ctx.runtime.why}). Compare the dominators of both dumps (Eclipse MAT, VisualVM); PID 1 is the container's main process. Add \`-XX:+HeapDumpOnOutOfMemoryError\` to the JVM flags to get one at the next Java OutOfMemoryError.`,
          command: exec
            ? `${exec}jcmd 1 GC.heap_dump /tmp/heap-1.hprof\n# some minutes later\n${exec}jcmd 1 GC.heap_dump /tmp/heap-2.hprof`
            : undefined,
        },
      ];
    case "node": {
      const opts = mergedOption(ctx, "NODE_OPTIONS", "--heapsnapshot-signal=SIGUSR2");
      const change = envChange(ctx.target, "NODE_OPTIONS", opts, currentEnv(ctx, "NODE_OPTIONS"));
      ctx.envPlan.set("NODE_OPTIONS", opts);
      return [
        {
          title: "Take two V8 heap snapshots some minutes apart and compare them",
          detail: `${ctr} runs Node (${ctx.runtime.why}). With \`--heapsnapshot-signal=SIGUSR2\` (NODE_OPTIONS becomes \`${opts}\`), each SIGUSR2 writes a .heapsnapshot to the working directory; compare two in Chrome DevTools (Memory, Comparison view). ${change.note}`,
          command: `${change.command}${exec ? `\n${exec}kill -USR2 1\n# some minutes later\n${exec}kill -USR2 1` : ""}`,
        },
      ];
    }
    case "go":
      return [
        {
          title: "Compare two pprof heap profiles some minutes apart",
          detail: `${ctr} runs Go (${ctx.runtime.why}). This needs the binary to serve net/http/pprof (here assumed on port 6060); \`go tool pprof -base heap-1.pb.gz heap-2.pb.gz\` shows what grew.`,
          command:
            ctx.target.pod && ctx.target.platform === "kubernetes"
              ? `kubectl ${ctx.target.ns}port-forward pod/${ctx.target.pod} 6060:6060 &\ncurl -so heap-1.pb.gz http://localhost:6060/debug/pprof/heap\n# some minutes later\ncurl -so heap-2.pb.gz http://localhost:6060/debug/pprof/heap`
              : undefined,
        },
      ];
    case "python": {
      const gunicorn = /gunicorn/.test(
        [
          ...(ctx.s.container?.command ?? []),
          ...(ctx.s.container?.args ?? []),
          ...ctx.kills.map((k) => k.process ?? ""),
        ].join(" "),
      );
      const change = envChange(ctx.target, "PYTHONTRACEMALLOC", "25");
      const steps: Action[] = [
        {
          title: "Trace Python allocations with tracemalloc",
          detail: `${ctr} runs Python (${ctx.runtime.why}). \`PYTHONTRACEMALLOC=25\` records 25 frames per allocation; compare \`tracemalloc.take_snapshot()\` taken minutes apart (\`snapshot2.compare_to(snapshot1, "lineno")\`). For memory held by C extensions, use memray with \`--native\`. ${change.note}`,
          command: change.command,
        },
      ];
      if (gunicorn)
        steps.push({
          title: "Recycle gunicorn workers until the leak is fixed",
          detail:
            "`--max-requests 1000 --max-requests-jitter 100` restarts each worker after about a thousand requests, so a per-request leak cannot reach the limit.",
          command: undefined,
        });
      return steps;
    }
    default:
      return [pmapDiff(ctx)];
  }
}

/** How to find memory outside the managed heap (native-memory). */
export function findNativeMemory(ctx: AdviceContext): Action[] {
  const exec = execPrefix(ctx);
  const out: Action[] = [];
  if (ctx.runtime.runtime === "jvm") {
    const flags = ctx.s.container ? runtimeFlags(ctx.s.container).filter((f) => f.runtime === "jvm") : [];
    const holder = flags.find((f) => f.holder.kind === "env")?.holder;
    const envName = holder?.kind === "env" ? holder.name : "JAVA_TOOL_OPTIONS";
    const value = mergedOption(ctx, envName, "-XX:NativeMemoryTracking=summary");
    const change = envChange(ctx.target, envName, value, currentEnv(ctx, envName));
    ctx.envPlan.set(envName, value);
    out.push({
      title: "Turn on JVM native memory tracking and diff it",
      detail: `NMT splits the JVM's memory into heap, metaspace, threads, code cache, GC and \`Other\` (direct buffers). ${envName} becomes \`${value}\`. After the rollout take a baseline, then a diff some minutes later. ${change.note}`,
      command: `${change.command}${exec ? `\n${exec}jcmd 1 VM.native_memory baseline\n# some minutes later\n${exec}jcmd 1 VM.native_memory summary.diff` : ""}`,
    });
  }
  out.push(arenaCap(ctx));
  if (ctx.runtime.runtime !== "jvm" && ctx.s.pmaps.length < 2) out.push(pmapDiff(ctx));
  return out;
}

/** MALLOC_ARENA_MAX=2: glibc's per-thread malloc arenas (64 MiB each on 64-bit) stop multiplying. */
function arenaCap(ctx: AdviceContext): Action {
  const change = envChange(ctx.target, "MALLOC_ARENA_MAX", "2");
  const arenas = ctx.s.pmaps.some(
    (p) =>
      p.mappings.filter(
        (m) => m.mapping.includes("anon") && m.sizeBytes >= 60 * 1024 ** 2 && m.sizeBytes <= 65 * 1024 ** 2,
      ).length >= 4,
  );
  return {
    title: "Cap glibc malloc arenas: `MALLOC_ARENA_MAX=2`",
    detail: `${arenas ? "The pmap shows many 64 MiB anonymous mappings, the shape of glibc malloc arenas. " : ""}glibc gives busy threads their own arena (up to 8 per core) and returns little of it; capping them trades some malloc contention for much less RSS. jemalloc (\`LD_PRELOAD\`) is the other cure. ${change.note}`,
    command: change.command,
  };
}

/** Two pmap -x snapshots of the main process some minutes apart. */
function pmapDiff(ctx: AdviceContext): Action {
  const exec = execPrefix(ctx);
  return {
    title: "Diff two pmap -x snapshots some minutes apart",
    detail:
      "The mappings that grow between the two (heap, anonymous regions, files) show where the memory goes; add both files to the bundle and run oom-postmortem again. PID 1 is the container's main process.",
    command: exec ? `${exec}pmap -x 1 > pmap-1.txt\nsleep 600\n${exec}pmap -x 1 > pmap-2.txt` : undefined,
  };
}

/** What to look at around the kill for a burst (burst-allocation). */
export function findBurst(ctx: AdviceContext): Action {
  const logs = logsCommand(ctx);
  const when = ctx.killTime ? ` around ${formatTime(ctx.killTime)}` : "";
  return {
    title: `Find the request or job that allocated${when}`,
    detail: `Bound its size (stream or chunk the input, limit concurrency) so one unit of work cannot take the whole limit.${ctx.target.restarted ? " `--previous` shows the killed run's log." : ""}`,
    command: logs ?? undefined,
  };
}

/**
 * The value of env var `name` as an earlier step of the report sets it, else as the container has
 * it ("" when unset or not in the bundle).
 */
function currentEnv(ctx: AdviceContext, name: string): string {
  return ctx.envPlan.get(name) ?? ctx.s.container?.env.find((e) => e.name === name)?.value ?? "";
}

/** `name`'s current value with `option` appended (when not already there). */
function mergedOption(ctx: AdviceContext, name: string, option: string): string {
  const current = currentEnv(ctx, name);
  return current.split(/\s+/).includes(option) ? current : `${current} ${option}`.trim();
}
