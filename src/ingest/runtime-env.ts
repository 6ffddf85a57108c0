/**
 * runtime-env: a process environment as `env` / `printenv` (GNU coreutils 9.x, BusyBox) print
 * it, one `NAME=value` per line, usually saved with `kubectl exec POD -- env` or from
 * `/proc/<pid>/environ` through `tr '\0' '\n'`. Only the variables that set a runtime's memory
 * behaviour are kept (never the rest: an environment holds secrets): Go `GOMEMLIMIT`, `GOGC`,
 * `GODEBUG` (Go `runtime` package docs), Node `NODE_OPTIONS` (Node.js CLI docs), the JVM's
 * `JAVA_TOOL_OPTIONS`, `JAVA_OPTS`, `_JAVA_OPTIONS`, `JDK_JAVA_OPTIONS`, `CATALINA_OPTS` (JDK
 * `java` man page), glibc `MALLOC_ARENA_MAX` and the other `MALLOC_*` tunables (glibc manual,
 * "Memory Allocation Tunables"). One `RuntimeConfigFact` (origin `env`) per runtime found.
 * A value that spans lines (env prints embedded newlines as they are) continues until the next
 * `NAME=` line. Values are kept as printed (`bytes` null): the flags in them are read where the
 * container spec's env is read (diagnose/runtime-flags.ts `envFlags`).
 *
 * Sample input (`kubectl exec tiles-go-6a5b4c3d2e-uu5vv -- env`, BusyBox 1.36):
 * ```text
 * PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
 * HOSTNAME=tiles-go-6a5b4c3d2e-uu5vv
 * GOMEMLIMIT=4GiB
 * GOGC=off
 * ```
 */
import { emptyFacts, type FactSet, type RuntimeConfigFact } from "../model/facts.js";
import { warning } from "../model/source.js";
import { readCommandLine } from "./shared/command-line.js";
import type { ArtifactSource, Ingester } from "./types.js";

type EnvRuntime = RuntimeConfigFact["runtime"];

/** `NAME=value` (POSIX names: letters, digits, underscore, not starting with a digit). */
const ASSIGNMENT = /^([a-z_]\w*)=(.*)$/i;

/** The variables kept, by runtime. */
const RUNTIME_VARS: [EnvRuntime, RegExp][] = [
  ["go", /^(?:GOMEMLIMIT|GOGC|GODEBUG|GOMAXPROCS)$/],
  ["node", /^NODE_OPTIONS$/],
  ["jvm", /^(?:JAVA_TOOL_OPTIONS|JAVA_OPTS|_JAVA_OPTIONS|JDK_JAVA_OPTIONS|JAVA_OPTIONS|CATALINA_OPTS)$/],
  ["python", /^PYTHONMALLOC$/],
  ["glibc", /^(?:MALLOC_[A-Z_]+|GLIBC_TUNABLES|LD_PRELOAD)$/],
];

/** Variables every process environment has: one of them marks a whole env dump. */
const COMMON_VARS = /^(?:PATH|HOME|HOSTNAME|KUBERNETES_SERVICE_HOST|TERM|LANG|PWD|SHLVL)=/m;
const RUNTIME_VAR =
  /^(?:GOMEMLIMIT|GOGC|NODE_OPTIONS|JAVA_TOOL_OPTIONS|JAVA_OPTS|_JAVA_OPTIONS|JDK_JAVA_OPTIONS|MALLOC_ARENA_MAX)=/m;

/** Lines that are not assignments before the first one: at most this many warnings. */
const MAX_LINE_WARNINGS = 20;

export const runtimeEnv: Ingester = {
  kind: "runtime-env",
  description:
    "env / printenv output (kubectl exec POD -- env): GOMEMLIMIT, GOGC, NODE_OPTIONS, JAVA_TOOL_OPTIONS, MALLOC_ARENA_MAX",
  nameHint: /(?:^|[^a-z])(?:print)?env(?:iron)?(?:[^a-z]|$)/i,

  sniff(head: string): boolean {
    const lines = head
      .split("\n")
      .map((l) => l.replace(/\r$/, ""))
      .filter((l) => l.trim() !== "" && !readCommandLine(l));
    if (lines.length < 2) return false;
    const assignments = lines.filter((l) => ASSIGNMENT.test(l)).length;
    return assignments >= 2 && assignments >= 0.7 * lines.length && (COMMON_VARS.test(head) || RUNTIME_VAR.test(head));
  },

  async parse(source: ArtifactSource): Promise<FactSet> {
    const facts = emptyFacts();
    const byRuntime = new Map<EnvRuntime, RuntimeConfigFact>();
    let seen = 0;
    let bad = 0;
    for await (const { text, line } of source.lines()) {
      if (text.trim() === "") continue;
      const m = ASSIGNMENT.exec(text);
      if (!m) {
        // After the first assignment a line without `=` continues a multi-line value; before it, it is noise.
        if (seen === 0 && !readCommandLine(text) && ++bad <= MAX_LINE_WARNINGS) {
          facts.diagnostics.push(
            warning(
              "runtime-env/bad-line",
              `line not understood — expected \`NAME=value\` as env prints it — received \`${clip(text)}\``,
              { file: source.path, line },
            ),
          );
        }
        continue;
      }
      seen++;
      const [, name, value] = m as unknown as [string, string, string];
      const runtime = RUNTIME_VARS.find(([, re]) => re.test(name))?.[0];
      if (!runtime) continue;
      let fact = byRuntime.get(runtime);
      if (!fact) {
        fact = { source: { file: source.path, line }, runtime, origin: "env", flags: {}, version: null };
        byRuntime.set(runtime, fact);
        facts.runtimeConfigs.push(fact);
      }
      fact.source.endLine = line;
      fact.flags[name] = { value, bytes: null, line };
    }
    if (seen === 0) {
      facts.diagnostics.push({
        severity: "error",
        code: "runtime-env/no-variables",
        message: "no environment variable read — expected `NAME=value` lines as `env` prints them — received none",
        at: { file: source.path },
      });
    }
    return facts;
  },
};

function clip(text: string): string {
  return text.length > 100 ? `${text.slice(0, 97)}…` : text;
}
