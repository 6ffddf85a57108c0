/**
 * runtime-config: the JVM's effective flags, `java -XX:+PrintFlagsFinal -version`, run in the
 * container (so ergonomics saw its cgroup limit). One `RuntimeConfigFact` per `[Global flags]`
 * block, with every flag (value as printed, bytes for size flags, line) and the version from
 * the trailing `-version` lines. Format: HotSpot `JVMFlag::print_on()` (JDK 9+:
 * `"%*s %-*s = %-*s {%s} {%s}"`, kind and origin in braces) and JDK 8 `Flag::print_on()`
 * (`%9s %-40s %c= `, `:=` for a flag set on the command line or by ergonomics, one `{kind}`).
 * Sizes in bytes except the thread stack sizes, which HotSpot prints in KiB.
 *
 * Sample input:
 * ```text
 * [Global flags]
 *    size_t MaxHeapSize                              = 4294967296                                {product} {ergonomic}
 *    double MaxRAMPercentage                         = 25.000000                                 {product} {default}
 *      bool UseContainerSupport                      = true                                      {product} {default}
 *      intx ThreadStackSize                          = 1024                                   {pd product} {default}
 * openjdk version "17.0.9" 2023-10-17
 * OpenJDK Runtime Environment Temurin-17.0.9+9 (build 17.0.9+9)
 * ```
 */
import { emptyFacts, type FactSet, type RuntimeConfigFact } from "../model/facts.js";
import { warning } from "../model/source.js";
import { FLAG_TYPES, flagBytes } from "./runtime-config/jvm-flags.js";
import type { ArtifactSource, Ingester } from "./types.js";

/**
 * One flag row: `   size_t MaxHeapSize   = 4294967296   {product} {ergonomic}` (JDK 9+),
 * `    uintx MaxHeapSize  := 4294967296   {product}` (JDK 8). ccstr values may be empty.
 */
const FLAG_LINE = new RegExp(`^\\s*(${FLAG_TYPES.join("|")})\\s+([A-Za-z_]\\w*)\\s+(:?=)[ \\t]*(.*?)[ \\t]*((?:\\{[^}]*\\}[ \\t]*)+)$`);

/** A line that starts like a flag row (type and name) but did not parse: truncated or mangled. */
const FLAG_LIKE = new RegExp(`^\\s*(?:${FLAG_TYPES.join("|")})\\s+[A-Za-z_]\\w*\\s*(?::?=|$)`);

/** HotSpot's block header `[Global flags]`. */
const GLOBAL_FLAGS = /^\s*\[Global flags\]\s*$/;

/** `-version` first line: `openjdk version "17.0.9" 2023-10-17`, `java version "1.8.0_392"`. */
const VERSION_LINE = /^(?:openjdk|java) version "([^"]+)"/;

/** `-version` second line: `OpenJDK Runtime Environment Temurin-17.0.9+9 (build 17.0.9+9)`. */
const BUILD_LINE = /Runtime Environment.*\(build ([^)]+)\)/;

/** Flag rows ending in a `{product}`-style kind in the head: two are enough to call it ours. */
const SNIFF_FLAG = new RegExp(`^[ \\t]*(?:${FLAG_TYPES.join("|")})[ \\t]+[A-Za-z_]\\w*[ \\t]+:?=[^\\n]*\\{[\\w ]+\\}[ \\t]*$`, "gm");

/** Longer lines are never flag rows (HotSpot pads to ~110 columns); skipped before the regexes run. */
const MAX_LINE = 4096;

/** At most this many line warnings per file. */
const MAX_LINE_WARNINGS = 20;

export const runtimeConfig: Ingester = {
  kind: "runtime-config",
  description: "JVM effective flags: java -XX:+PrintFlagsFinal -version (JDK 8 to 21)",

  sniff(head: string): boolean {
    const rows = head.match(SNIFF_FLAG)?.length ?? 0;
    return rows >= 2 || (GLOBAL_FLAGS.test(head.split("\n", 5).join("\n")) && rows >= 1);
  },

  async parse(source: ArtifactSource): Promise<FactSet> {
    const facts = emptyFacts();
    let current: RuntimeConfigFact | null = null;
    let warnings = 0;
    let pendingVersion: string | null = null;
    const warn = (code: string, message: string, line: number): void => {
      if (++warnings <= MAX_LINE_WARNINGS) facts.diagnostics.push(warning(code, message, { file: source.path, line }));
    };
    const open = (line: number): RuntimeConfigFact => {
      const fact: RuntimeConfigFact = { source: { file: source.path, line }, runtime: "jvm", flags: {}, version: null };
      facts.runtimeConfigs.push(fact);
      return fact;
    };
    for await (const { text, line } of source.lines()) {
      if (text.length > MAX_LINE) {
        if (FLAG_LIKE.test(text.slice(0, 200))) warn("runtime-config/unreadable-flag", `flag row too long — expected under ${MAX_LINE} characters — received ${text.length}`, line);
        continue;
      }
      if (GLOBAL_FLAGS.test(text)) {
        current = open(line);
        continue;
      }
      const m = FLAG_LINE.exec(text);
      if (m) {
        const name = m[2]!;
        const value = m[4]!;
        // A flag seen twice means a second PrintFlagsFinal dump without its header.
        if (!current || current.flags[name] !== undefined) current = open(line);
        current.source.endLine = line;
        const bytes = flagBytes(name, value);
        if (bytes !== null && Number.isNaN(bytes)) {
          warn("runtime-config/bad-size", `${name} is not a number — expected a size in ${name.includes("StackSize") ? "KiB" : "bytes"} — received "${clip(value)}"`, line);
          current.flags[name] = { value, bytes: null, line };
        } else current.flags[name] = { value, bytes, line };
        continue;
      }
      const v = VERSION_LINE.exec(text);
      const b = BUILD_LINE.exec(text);
      if (v || b) {
        const version = b?.[1] ?? v![1]!;
        const target = facts.runtimeConfigs.at(-1);
        // `-version` follows the flags; prefer the build (`17.0.9+9`) over the short version.
        if (target && (target.version === null || b)) target.version = version;
        else if (!target) pendingVersion = version;
        continue;
      }
      if (FLAG_LIKE.test(text)) warn("runtime-config/unreadable-flag", `flag row not understood — expected "<type> <Name> = <value> {<kind>}" — received "${clip(text)}"`, line);
    }
    if (pendingVersion !== null && facts.runtimeConfigs[0] && facts.runtimeConfigs[0].version === null) facts.runtimeConfigs[0].version = pendingVersion;
    // A `[Global flags]` header with no rows under it is not a fact.
    facts.runtimeConfigs = facts.runtimeConfigs.filter((f) => Object.keys(f.flags).length > 0);
    if (warnings > MAX_LINE_WARNINGS) {
      facts.diagnostics.push(warning("runtime-config/too-many-warnings", `${warnings - MAX_LINE_WARNINGS} more bad flag rows not listed — expected PrintFlagsFinal rows — received ${warnings} bad rows`, { file: source.path }));
    }
    if (facts.runtimeConfigs.length === 0) {
      facts.diagnostics.push({ severity: "error", code: "runtime-config/no-flags",
        message: "no JVM flag read — expected `java -XX:+PrintFlagsFinal -version` rows such as `size_t MaxHeapSize = 4294967296 {product} {ergonomic}` — received none", at: { file: source.path } });
    }
    return facts;
  },
};

function clip(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}
