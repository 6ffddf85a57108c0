/**
 * Heap caps sized from the container limit, merged into wherever the container already sets
 * its runtime flags (the env var that holds them, or the command line), so the other flags are
 * kept and the full resulting value is shown:
 * JVM `-Xmx` = 75 % of the limit (or `-XX:MaxRAMPercentage=75` when no heap flag is set),
 * Node `--max-old-space-size` = 75 % of the limit in MiB, Go `GOMEMLIMIT` = 90 % of the limit.
 * The rest of the limit is for what is outside the heap (metaspace, threads, buffers, the
 * runtime itself). Sources: JDK `java` man page, Node.js CLI docs, Go runtime/debug docs.
 *
 * Sample: `JAVA_OPTS=-Xms512m -Xmx1536m -XX:+UseG1GC` with a 1Gi limit →
 * `JAVA_OPTS='-Xms512m -Xmx768m -XX:+UseG1GC'`.
 */
import type { ContainerFact, EnvVar } from "../../model/facts.js";
import { envFlags, isOldJvmImage, runtimeFlags, type FlagHolder, type RuntimeFlag } from "../runtime-flags.js";
import { argvChange, envChange, type Change } from "./change.js";
import type { Runtime } from "./runtime.js";
import type { AdviceTarget } from "./target.js";

const MI = 1024 ** 2;
/** Share of the limit for the managed heap (JVM, V8 old space) and for Go's soft limit. */
const HEAP_SHARE = 0.75;
const GO_SHARE = 0.9;

/** A heap cap: the flag as set, where it is set, and the command that sets it. */
interface HeapFix {
  /** `-Xmx768m`, `--max-old-space-size=768`, `GOMEMLIMIT=1843MiB`. */
  flag: string;
  /** `JAVA_OPTS`, `NODE_OPTIONS`, `GOMEMLIMIT`, `args`. */
  where: string;
  /** The flag it replaces (`-Xmx1536m`), or null when it adds one. */
  replaces: string | null;
  /** The full new value of `where`. */
  value: string;
  change: Change;
}

/** JVM heap flags to replace, in one option string. */
const JVM_MAX = /(^|\s)(?:-Xmx\d+[kKmMgGtT]?|-XX:MaxHeapSize=\d+[kKmMgGtT]?)(?=\s|$)/g;
const JVM_MIN = /(^|\s)(?:-Xms(\d+)([kKmMgGtT]?)|-XX:InitialHeapSize=(\d+)([kKmMgGtT]?))(?=\s|$)/g;
const JVM_RAM_PERCENT = /(^|\s)-XX:MaxRAMPercentage=\d+(?:\.\d+)?(?=\s|$)/g;
const NODE_OLD_SPACE = /(^|\s)--max[-_]old[-_]space[-_]size=\d+(?=\s|$)/g;
const UNIT: Record<string, number> = { "": 1, k: 1024, m: MI, g: 1024 * MI, t: 1024 * 1024 * MI };

/**
 * The heap cap for `runtime` under `limitBytes`, merged into the container's flags (or, when the
 * spec sets none, into those an `env` capture of the process showed, `captured`); null for
 * runtimes without one.
 */
export function heapFix(
  t: AdviceTarget,
  c: ContainerFact | null,
  runtime: Runtime | null,
  limitBytes: number,
  captured: EnvVar[] = [],
  planned: ReadonlyMap<string, string> = new Map(),
): HeapFix | null {
  // The spec's flags first; an `env` capture of the running process adds what the image sets.
  const flags = [...(c ? runtimeFlags(c) : []), ...envFlags(captured)];
  if (runtime === "jvm")
    return jvmFix(
      t,
      c,
      flags.filter((f) => f.runtime === "jvm"),
      limitBytes,
      planned,
    );
  if (runtime === "node") {
    const flag = `--max-old-space-size=${Math.floor((limitBytes * HEAP_SHARE) / MI)}`;
    return mergeFix(
      t,
      c,
      flags.find((f) => f.runtime === "node") ?? null,
      "NODE_OPTIONS",
      flag,
      (v) => replaceOrAppend(v, NODE_OLD_SPACE, flag),
      planned,
    );
  }
  if (runtime === "go") {
    const value = `${Math.floor((limitBytes * GO_SHARE) / MI)}MiB`;
    const current = flags.find((f) => f.runtime === "go");
    return {
      flag: `GOMEMLIMIT=${value}`,
      where: "GOMEMLIMIT",
      replaces: current?.flag ?? null,
      value,
      change: envChange(t, "GOMEMLIMIT", value),
    };
  }
  return null;
}

function jvmFix(
  t: AdviceTarget,
  c: ContainerFact | null,
  flags: RuntimeFlag[],
  limitBytes: number,
  planned: ReadonlyMap<string, string>,
): HeapFix {
  const heapMiB = Math.floor((limitBytes * HEAP_SHARE) / MI);
  const explicit = flags.find((f) => f.bytes !== null) ?? flags.find((f) => f.fraction !== null) ?? null;
  const useXmx = explicit?.bytes !== null && explicit !== null ? true : isOldJvmImage(c?.image ?? null);
  const flag = useXmx ? `-Xmx${heapMiB}m` : "-XX:MaxRAMPercentage=75.0";
  const edit = (value: string): string => {
    let v = useXmx ? replaceOrAppend(value, JVM_MAX, flag) : replaceOrAppend(value, JVM_RAM_PERCENT, flag);
    // An initial heap above the new maximum stops the JVM at start ("Initial heap size set to a larger value").
    v = v.replace(JVM_MIN, (all, lead: string, xs?: string, xu?: string, is?: string, iu?: string) => {
      const bytes = Number(xs ?? is) * UNIT[(xu ?? iu ?? "").toLowerCase()]!;
      return bytes > heapMiB * MI ? `${lead}-Xms${heapMiB}m` : all;
    });
    return v;
  };
  return mergeFix(t, c, explicit, "JAVA_TOOL_OPTIONS", flag, edit, planned);
}

/**
 * Applies `edit` where `existing` lives, or adds `flag` to env var `fallbackEnv` (merged with its
 * current value, or with the value an earlier step of the report sets, `planned`).
 */
function mergeFix(
  t: AdviceTarget,
  c: ContainerFact | null,
  existing: RuntimeFlag | null,
  fallbackEnv: string,
  flag: string,
  edit: (value: string) => string,
  planned: ReadonlyMap<string, string>,
): HeapFix {
  const holder: FlagHolder | null = existing?.holder ?? null;
  if (holder?.kind === "argv") {
    const inArgs = holder.args.some((a) => a.includes(existing!.flag));
    const list = inArgs ? holder.args : holder.command;
    const next = list.map((a) => (a.includes(existing!.flag) ? edit(a) : a));
    return {
      flag,
      where: inArgs ? "args" : "command",
      replaces: existing!.flag,
      value: next.join(" "),
      change: argvChange(t, inArgs ? "args" : "command", next, list),
    };
  }
  const name = holder?.name ?? fallbackEnv;
  const current = planned.get(name) ?? holder?.value ?? c?.env.find((e) => e.name === name)?.value ?? "";
  const value = edit(current).trim();
  return { flag, where: name, replaces: existing?.flag ?? null, value, change: envChange(t, name, value, current) };
}

/** Replaces every match of `re` in `value` with ` flag` (keeping the leading space), or appends it. */
function replaceOrAppend(value: string, re: RegExp, flag: string): string {
  let done = false;
  const out = value.replace(re, (_m, lead: string) => {
    if (done) return "";
    done = true;
    return `${lead}${flag}`;
  });
  return done ? out : `${value} ${flag}`.trim();
}
