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
import { flagBytes } from "./runtime-config/jvm-flags.js";
import type { ArtifactSource, Ingester } from "./types.js";

/**
 * HotSpot flag value types as printed in the first column (`bool`, `intx`, `size_t`, `ccstrlist`…).
 * Written out so the patterns below are constants that eslint-plugin-regexp and recheck can read.
 */
const FLAG_TYPE = String.raw`(?:bool|int|intx|uint|uintx|uint64_t|size_t|double|ccstr|ccstrlist)`;

/**
 * One flag row: `   size_t MaxHeapSize   = 4294967296   {product} {ergonomic}` (JDK 9+),
 * `    uintx MaxHeapSize  := 4294967296   {product}` (JDK 8). ccstr values may be empty.
 */
const FLAG_HEAD = new RegExp(`^\\s*${FLAG_TYPE}\\s+([A-Za-z_]\\w*)\\s+:?=[ \\t]*`);

/** One `{product}`-style kind at the end of a flag row, with the spaces around it (starts after a non-space). */
const TRAILING_KIND = /(?<![ \t])[ \t]*\{[^{}]*\}[ \t]*$/;

/** HotSpot prints at most three kinds (`{product} {ergonomic} {command line}`); more is not a flag row. */
const MAX_KINDS = 8;

/** A line that starts like a flag row (type and name) but did not parse: truncated or mangled. */
const FLAG_LIKE = new RegExp(`^\\s*${FLAG_TYPE}\\s+[A-Za-z_]\\w*\\s*(?::?=|$)`);

/** HotSpot's block header `[Global flags]`. */
const GLOBAL_FLAGS = /^\s*\[Global flags\]\s*$/;

/** `-version` first line: `openjdk version "17.0.9" 2023-10-17`, `java version "1.8.0_392"`. */
const VERSION_LINE = /^(?:openjdk|java) version "([^"]+)"/;

/**
 * `-version` second line: `OpenJDK Runtime Environment Temurin-17.0.9+9 (build 17.0.9+9)`. Read from
 * the first `Runtime Environment`; the build id holds no parenthesis, so each `(build ` is read once.
 */
const BUILD_LINE = /^(?:(?!Runtime Environment)[\s\S])*Runtime Environment.*\(build ([^()]+)\)/;

/** Flag rows ending in a `{product}`-style kind in the head: two are enough to call it ours. */
const SNIFF_FLAG = new RegExp(`^[ \\t]*${FLAG_TYPE}[ \\t]+[A-Za-z_]\\w*[ \\t]+:?=.*\\{[\\w ]+\\}[ \\t]*$`, "gm");

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
        if (FLAG_LIKE.test(text.slice(0, 200)))
          warn(
            "runtime-config/unreadable-flag",
            `flag row too long — expected under ${MAX_LINE} characters — received ${text.length}`,
            line,
          );
        continue;
      }
      if (GLOBAL_FLAGS.test(text)) {
        current = open(line);
        continue;
      }
      const m = parseFlagRow(text);
      if (m) {
        const { name, value } = m;
        // A flag seen twice means a second PrintFlagsFinal dump without its header.
        if (!current || current.flags[name] !== undefined) current = open(line);
        current.source.endLine = line;
        const bytes = flagBytes(name, value);
        if (bytes !== null && Number.isNaN(bytes)) {
          warn(
            "runtime-config/bad-size",
            `${name} is not a number — expected a size in ${name.includes("StackSize") ? "KiB" : "bytes"} — received "${clip(value)}"`,
            line,
          );
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
      if (FLAG_LIKE.test(text))
        warn(
          "runtime-config/unreadable-flag",
          `flag row not understood — expected "<type> <Name> = <value> {<kind>}" — received "${clip(text)}"`,
          line,
        );
    }
    if (pendingVersion !== null && facts.runtimeConfigs[0] && facts.runtimeConfigs[0].version === null)
      facts.runtimeConfigs[0].version = pendingVersion;
    // A `[Global flags]` header with no rows under it is not a fact.
    facts.runtimeConfigs = facts.runtimeConfigs.filter((f) => Object.keys(f.flags).length > 0);
    if (warnings > MAX_LINE_WARNINGS) {
      facts.diagnostics.push(
        warning(
          "runtime-config/too-many-warnings",
          `${warnings - MAX_LINE_WARNINGS} more bad flag rows not listed — expected PrintFlagsFinal rows — received ${warnings} bad rows`,
          { file: source.path },
        ),
      );
    }
    if (facts.runtimeConfigs.length === 0) {
      facts.diagnostics.push({
        severity: "error",
        code: "runtime-config/no-flags",
        message:
          "no JVM flag read — expected `java -XX:+PrintFlagsFinal -version` rows such as `size_t MaxHeapSize = 4294967296 {product} {ergonomic}` — received none",
        at: { file: source.path },
      });
    }
    return facts;
  },
};

function clip(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

/**
 * A flag row's name and value (FLAG_HEAD, then the value up to the `{kind}` blocks that end
 * the row), or null when the row has no kind. `  size_t MaxHeapSize = 4294967296 {product} {ergonomic}`
 * → `{ name: "MaxHeapSize", value: "4294967296" }`. Each kind is cut from the end, so a row
 * costs time linear in its length.
 */
function parseFlagRow(text: string): { name: string; value: string } | null {
  const head = FLAG_HEAD.exec(text);
  if (!head) return null;
  let rest = text.slice(head[0].length);
  let kinds = 0;
  for (let k = TRAILING_KIND.exec(rest); k !== null && kinds < MAX_KINDS; k = TRAILING_KIND.exec(rest)) {
    rest = rest.slice(0, k.index);
    kinds++;
  }
  return kinds === 0 ? null : { name: head[1]!, value: rest.trimEnd() };
}
