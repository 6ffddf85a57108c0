/**
 * Runtime memory flags found in a container's command, args and env: the JVM's `-Xmx` /
 * `-XX:MaxHeapSize` / `-XX:MaxRAMPercentage` (through JAVA_TOOL_OPTIONS, JAVA_OPTS,
 * _JAVA_OPTIONS, JDK_JAVA_OPTIONS, or any env var whose value holds JVM options, such as a
 * start script's JAVA_ARGS), Node's `--max-old-space-size` (also NODE_OPTIONS) and Go's
 * `GOMEMLIMIT`. Each flag says where it lives (`holder`), so advice can edit that place and
 * keep the rest. Sources: JDK `java` man page, Node.js CLI docs, Go `runtime` package docs.
 */
import type { ContainerFact, EnvVar, RuntimeConfigFact } from "../model/facts.js";
import { evidence, type Evidence } from "../model/source.js";
import { capturedHeapLimits } from "./runtime-limits.js";

export interface RuntimeFlag {
  runtime: "jvm" | "node" | "go";
  /** `-Xmx4g`, `--max-old-space-size=3072`, `GOMEMLIMIT=2GiB`, `-XX:MaxRAMPercentage=90`. */
  flag: string;
  /** The heap (or Go soft limit) in bytes; null for percentage flags. */
  bytes: number | null;
  /** For `MaxRAMPercentage` / `MaxRAMFraction`: share of the container limit (0..1). */
  fraction: number | null;
  /** Where the flag is set: an env var (name and its whole value) or the container's command/args. */
  holder: FlagHolder;
  evidence: Evidence;
}

/** The place a flag is set: `{kind: "env", name: "JAVA_OPTS", value: "-Xms512m -Xmx1536m"}` or the argv. */
export type FlagHolder =
  { kind: "env"; name: string; value: string } | { kind: "argv"; command: string[]; args: string[] };

/** `-Xmx4g`, `-Xmx512m`, `-Xmx1073741824`, `-XX:MaxHeapSize=2g` (JVM size suffixes k/m/g/t). */
const JVM_HEAP = /(?:^|\s)(-Xmx|-XX:MaxHeapSize=)(\d+)([kKmMgGtT]?)(?=\s|$)/g;
/** `-XX:MaxRAMPercentage=75.0` (JDK 8u191+/10+). */
const JVM_RAM_PERCENT = /-XX:MaxRAMPercentage=(\d+(?:\.\d+)?)/;
/** `--max-old-space-size=3072` (MiB), also `--max_old_space_size`. */
const NODE_OLD_SPACE = /--max[-_]old[-_]space[-_]size=(\d+)/;
/** `GOMEMLIMIT=2GiB` / `1750MiB` / bytes (runtime/debug.SetMemoryLimit syntax). */
const GO_MEMLIMIT = /^(\d+)(B|KiB|MiB|GiB|TiB)?$/;

const JVM_UNIT: Record<string, number> = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };
const GO_UNIT: Record<string, number> = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4 };
const JVM_ENV = new Set([
  "JAVA_TOOL_OPTIONS",
  "JAVA_OPTS",
  "_JAVA_OPTIONS",
  "JDK_JAVA_OPTIONS",
  "JAVA_OPTIONS",
  "CATALINA_OPTS",
]);

/** An env value that holds JVM or Node options whatever the variable is called (`JAVA_ARGS`, `APP_JVM_FLAGS`). */
const OPTIONS_VALUE = /(?:^|\s)(?:-Xm[xs]\d|-XX:[+-]?[A-Z]|--max[-_]old[-_]space[-_]size=)/;

/** Every runtime memory flag of the container, in the order found. */
export function runtimeFlags(c: ContainerFact): RuntimeFlag[] {
  const flags: RuntimeFlag[] = [];
  const argv = [...c.command, ...c.args].join(" ");
  if (argv)
    flags.push(
      ...fromText(argv, evidence(c.source, `command/args: ${argv}`), {
        kind: "argv",
        command: c.command,
        args: c.args,
      }),
    );
  flags.push(...envFlags(c.env));
  return flags;
}

/**
 * The runtime memory flags of a list of env vars: the container spec's, or those an `env` capture
 * of the running container showed (`capturedEnv`), which include what the image itself sets.
 */
export function envFlags(envs: EnvVar[]): RuntimeFlag[] {
  const flags: RuntimeFlag[] = [];
  for (const env of envs) {
    if (env.value === null) continue;
    const ev = evidence(env.source, `${env.name}=${env.value}`);
    const holder: FlagHolder = { kind: "env", name: env.name, value: env.value };
    if (JVM_ENV.has(env.name) || env.name === "NODE_OPTIONS" || OPTIONS_VALUE.test(env.value))
      flags.push(...fromText(env.value, ev, holder));
    if (env.name === "GOMEMLIMIT") {
      const m = GO_MEMLIMIT.exec(env.value.trim());
      if (m)
        flags.push({
          runtime: "go",
          flag: `GOMEMLIMIT=${env.value}`,
          bytes: Number(m[1]) * GO_UNIT[m[2] ?? "B"]!,
          fraction: null,
          holder,
          evidence: ev,
        });
    }
  }
  return flags;
}

/** The env vars an `env` / `printenv` capture (runtime-env ingester, origin `env`) showed, in capture order. */
export function capturedEnv(configs: RuntimeConfigFact[]): EnvVar[] {
  return configs
    .filter((f) => f.origin === "env")
    .flatMap((f) =>
      Object.entries(f.flags).map(([name, v]) => ({
        name,
        value: v.value,
        source: { file: f.source.file, line: v.line },
      })),
    );
}

function fromText(text: string, ev: Evidence, holder: FlagHolder): RuntimeFlag[] {
  const out: RuntimeFlag[] = [];
  for (const m of text.matchAll(JVM_HEAP)) {
    out.push({
      runtime: "jvm",
      flag: `${m[1]}${m[2]}${m[3]}`,
      bytes: Number(m[2]) * JVM_UNIT[m[3]!.toLowerCase()]!,
      fraction: null,
      holder,
      evidence: ev,
    });
  }
  const pct = JVM_RAM_PERCENT.exec(text);
  if (pct)
    out.push({ runtime: "jvm", flag: pct[0], bytes: null, fraction: Number(pct[1]) / 100, holder, evidence: ev });
  const node = NODE_OLD_SPACE.exec(text);
  if (node)
    out.push({
      runtime: "node",
      flag: node[0],
      bytes: Number(node[1]) * 1024 ** 2,
      fraction: null,
      holder,
      evidence: ev,
    });
  return out;
}

/**
 * Images of JVMs without container support (JDK 8 before 8u191, JDK 9): they size the heap off the node.
 * A JVM word, then the next `:` and a version; read from each `:`-separated stretch (the lookahead finds
 * the word in it), so a name repeating `jdk` costs linear time.
 */
const OLD_JVM_IMAGE = /(?:^|:)(?=[^:]*(?:openjdk|java|jre|jdk))[^:]+:(?:8u(\d+)|1\.8\.0_(\d+)|9(?:[.-]|$))/i;

/** True when the image names a JVM too old to see its cgroup limit. */
export function isOldJvmImage(image: string | null): boolean {
  const m = image ? OLD_JVM_IMAGE.exec(image) : null;
  if (!m) return false;
  const update = Number(m[1] ?? m[2] ?? NaN);
  return Number.isNaN(update) ? true : update < 191;
}

/** One flag of a `RuntimeConfigFact` with its evidence (`size_t MaxHeapSize = 4294967296`). */
interface ConfigFlag {
  value: string;
  bytes: number | null;
  evidence: Evidence;
}

/**
 * The memory flags of a JVM's `-XX:+PrintFlagsFinal` output (see ingest/runtime-config.ts),
 * each with its evidence line. Unbounded sizes (MaxMetaspaceSize 18446744073709551615) keep
 * their bytes; callers check `isUnlimited`. `ThreadStackSize` is already in bytes here.
 */
interface JvmConfig {
  maxHeap: ConfigFlag | null;
  maxRamPercentage: ConfigFlag | null;
  useContainerSupport: ConfigFlag | null;
  maxDirectMemory: ConfigFlag | null;
  maxMetaspace: ConfigFlag | null;
  threadStack: ConfigFlag | null;
  codeCache: ConfigFlag | null;
  version: string | null;
  /** True when the JVM cannot see cgroup limits: UseContainerSupport=false, or JDK 8 before 8u191 / JDK 9 without the flag. */
  noContainerSupport: boolean;
}

/** Reads the memory flags of a JVM runtime-config fact. */
export function jvmConfig(fact: RuntimeConfigFact): JvmConfig {
  const flag = (name: string): ConfigFlag | null => {
    const f = fact.flags[name];
    return f
      ? {
          value: f.value,
          bytes: f.bytes,
          evidence: evidence({ file: fact.source.file, line: f.line }, `${name} = ${f.value}`),
        }
      : null;
  };
  const ucs = flag("UseContainerSupport");
  const old = fact.version !== null && /^1\.8\.0_(\d+)/.exec(fact.version);
  const oldJvm = (old && Number(old[1]) < 191) || (fact.version !== null && /^9(?:[.+-]|$)/.test(fact.version));
  return {
    maxHeap: flag("MaxHeapSize"),
    maxRamPercentage: flag("MaxRAMPercentage"),
    useContainerSupport: ucs,
    maxDirectMemory: flag("MaxDirectMemorySize"),
    maxMetaspace: flag("MaxMetaspaceSize"),
    threadStack: flag("ThreadStackSize"),
    codeCache: flag("ReservedCodeCacheSize"),
    version: fact.version,
    noContainerSupport: ucs ? ucs.value === "false" : Boolean(oldJvm),
  };
}

/** Kernel comm names (≤ 15 chars) of each runtime's process: `java`, `node`, `nodejs`, `MainThread`-less. */
export const RUNTIME_PROCESS: Record<"jvm" | "node", RegExp> = {
  jvm: /^java$|^jsvc|^jre|jdk/i,
  node: /^node(js)?$|^npm|^next-server/i,
};

/**
 * The configured maximum of the managed heap: MaxHeapSize from PrintFlagsFinal (the effective
 * value), else `-Xmx` / `--max-old-space-size` from the container's args or env, else the limit a
 * runtime capture showed (V8 heap_size_limit, an env capture, jcmd). Null if unknown.
 */
export function configuredHeap(
  c: ContainerFact | null,
  configs: RuntimeConfigFact[],
): { runtime: "jvm" | "node"; bytes: number; flag: string; evidence: Evidence } | null {
  for (const fact of configs) {
    const heap = fact.runtime === "jvm" ? jvmConfig(fact).maxHeap : null;
    if (heap?.bytes)
      return { runtime: "jvm", bytes: heap.bytes, flag: `MaxHeapSize=${heap.value}`, evidence: heap.evidence };
  }
  const f = c
    ? runtimeFlags(c).find((x) => x.bytes !== null && (x.runtime === "jvm" || x.runtime === "node"))
    : undefined;
  if (f) return { runtime: f.runtime as "jvm" | "node", bytes: f.bytes!, flag: f.flag, evidence: f.evidence };
  const captured = capturedHeapLimits(configs).find((h) => h.runtime === "jvm" || h.runtime === "node");
  return captured
    ? {
        runtime: captured.runtime as "jvm" | "node",
        bytes: captured.bytes,
        flag: captured.evidence.text,
        evidence: captured.evidence,
      }
    : null;
}
