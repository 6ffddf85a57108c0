/**
 * memory-stat: cgroup memory controller files — v1 or v2 `memory.stat` and the sibling files
 * `memory.max`, `memory.current`, `memory.peak`, `memory.events`, `memory.pressure`, v1
 * `memory.limit_in_bytes`, `memory.usage_in_bytes`, `memory.max_usage_in_bytes`,
 * `memory.failcnt`, `memory.oom_control`. Yields one `MemcgSnapshot` per cgroup directory.
 * Format: kernel `Documentation/admin-guide/cgroup-v2.rst` (Memory Interface Files; flat-keyed
 * `key value` lines whose order is not stable, so every file is read by key) and
 * `Documentation/admin-guide/cgroup-v1/memory.rst` (§5.2 stat file); sizes are bytes.
 *
 * Accepted shapes: a single file (its name says which sibling a lone value such as `max` is);
 * files concatenated by `head`/`tail` with `==> /sys/fs/cgroup/…/memory.stat <==` headers or
 * pasted after a `$ cat …/memory.stat` prompt; `grep -r . /sys/fs/cgroup/…/` output
 * (`<path>:<line>`). Thousands separators (`1,234,567`) are tolerated. The limit is
 * `memory.max` / `memory.limit_in_bytes` when read, else v1 `hierarchical_memory_limit`;
 * `max` and 9223372036854771712 mean unlimited (limitBytes null, limitUnlimited true).
 * A key repeated for the same directory starts that directory's next snapshot; a `date` line
 * before a dump is kept as the snapshot's `takenAtText`. Shell prompts and `#` comments are skipped.
 *
 * Sample input:
 * ```text
 * anon 348016640
 * file 7502163968
 * kernel 146997248
 * sock 4096
 * shmem 0
 * inactive_file 3614003200
 * ```
 */
import { basename, dirname } from "node:path/posix";
import { emptyFacts, type FactSet } from "../model/facts.js";
import { warning } from "../model/source.js";
import { isUnlimited } from "../model/units.js";
import { EVENT_KEYS, isDistinctiveStatKey, isKnownStatKey, siblingOf } from "./memory-stat/keys.js";
import { SnapshotCollector, type ScalarRole } from "./memory-stat/snapshots.js";
import { clip, DATE_LINE, parseCount, parsePsiFields } from "./memory-stat/values.js";
import type { ArtifactSource, Ingester } from "./types.js";
import { pushAll } from "../util/arrays.js";

/** coreutils head/tail `write_header()`: "==> %s <==\n" — `==> /sys/fs/cgroup/x/memory.stat <==`. */
const FILE_HEADER = /^==> (.+) <==$/;

/** A pasted shell prompt naming the file printed below it: `root@node:~# cat /sys/fs/cgroup/x/memory.max`. */
const CAT_PROMPT = /^(?:\S*[$#]\s*)?cat\s+(\S+)$/;

/** Other pasted prompts and comments, skipped: `$ ls /sys/fs/cgroup/x`, `# taken 11:02 UTC`. */
const PROMPT_OR_COMMENT = /^\S*[$#](?:\s|$)/;

/**
 * grep prefixes each matching line with "FILE:" — `/sys/fs/cgroup/kubepods.slice/memory.max:max`.
 * The file's line follows the colon directly (YAML's `memory.max: 1Gi` has a blank there).
 */
const GREP_LINE = /^((?:[^\s:]*\/)?[A-Z][\w-]*\.[\w.]+):(\S.*)$/i;

/** memcontrol.c `memory_stat_format()` / `memory_events_show()`: "%s %llu\n" — `anon 348016640`. */
const KEY_VALUE = /^([a-z][a-z0-9_]*)\s+(\S+)$/;

/** psi.c `psi_show()`: "%s avg10=%lu.%02lu avg60=%lu.%02lu avg300=%lu.%02lu total=%llu\n" — `some avg10=0.00 … total=0`. */
const PSI_LINE = /^(some|full)\s+((?:avg10|avg60|avg300|total)=.*)$/;

/** A single-value file (memory.max, memory.current, …): `max`, `536870912`. */
const SINGLE_VALUE = /^\S+$/;

/** The sibling name inside a saved file's name: `12-pod.memory.stat`, `memory.max.txt` → memory.stat, memory.max. */
const SIBLING_IN_NAME = /(?:^|[^a-z])(memory\.[a-z_]+(?:\.[a-z_]+)?)$/;
const SAVED_EXTENSION = /\.(?:txt|log|out)$/;

/** Lines that only a kernel OOM report has; their stats belong to the kernel-log ingester. */
const KERNEL_REPORT = /invoked oom-killer|Memory cgroup stats for|oom-kill:constraint|Killed process|oom_reaper:/;

/** A kernel log line prefix: `[12345.678901] `, `[Thu Aug 17 17:29:27 2023] `, `kern  :info  : [...]` (dmesg -x). */
const KERNEL_PREFIX = /^(?:\w+\s*:\s*\w+\s*:\s*)?\[\s*(?:\d+\.\d+|[A-Z][a-z]{2} [A-Z][a-z]{2} )/m;

/** A `grep -r . /sys/fs/cgroup/…` line of any controller: a cgroup dump whose memory.* lines may come after the head. */
const CGROUP_FS_GREP = /^\/sys\/fs\/cgroup\/[^\s:]*:/;

/** A path that names memory: `memory.pressure`, `/proc/pressure/memory`. */
const MEMORY_IN_PATH = /memory/i;

/** A carriage return left at a line end in `head` (CRLF files). */
const TRAILING_CR = /\r$/;

/** At most this many line warnings per file; the rest are counted in one summary warning. */
const MAX_LINE_WARNINGS = 50;

/** Where the lines being read come from: a cgroup directory (null: unnamed) and a file name. */
interface Context {
  dir: string | null;
  file: string | null;
}

export const memoryStat: Ingester = {
  kind: "memory-stat",
  description: "cgroup v1/v2 memory.stat, memory.events/max/current/peak/pressure (files, head/tail, grep -r)",
  nameHint: /memory\.(stat|max|current|peak|events|pressure)|cgroup/i,

  sniff(head: string, path: string): boolean {
    if (KERNEL_REPORT.test(head) || KERNEL_PREFIX.test(head)) return false;
    const lines = head
      .split("\n")
      .map((l) => l.replace(TRAILING_CR, "").trim())
      .filter((l) => l !== "");
    if (lines.length === 0) return false;
    if (lines.some((l) => isMemoryHeader(l) || isMemoryGrepLine(l))) return true;
    if (lines.filter((l) => CGROUP_FS_GREP.test(l)).length >= 5) return true;
    const kv = lines.map((l) => KEY_VALUE.exec(l)).filter((m) => m !== null && parseCount(m[2]!).ok);
    const known = kv.filter((m) => isKnownStatKey(m![1]!));
    const mostlyKv = kv.length >= 0.8 * (lines.length - 1);
    const distinctive = known.filter((m) => isDistinctiveStatKey(m![1]!)).length;
    if (mostlyKv && known.length >= 5 && distinctive >= 2) return true;
    if (
      mostlyKv &&
      kv.length >= 3 &&
      kv.every((m) => EVENT_KEYS.has(m![1]!)) &&
      kv.some((m) => m![1]!.startsWith("oom"))
    )
      return true;
    const role = siblingOf(siblingName(path))?.role;
    if (role === "pressure" || (role === undefined && MEMORY_IN_PATH.test(path)))
      return lines.every((l) => PSI_LINE.test(l));
    if (role === "limit" || role === "current" || role === "peak" || role === "failcnt") {
      return lines.length === 1 && (lines[0] === "max" || parseCount(lines[0]!).ok);
    }
    if (role === "events" || role === "oom-control")
      return mostlyKv && kv.length > 0 && kv.every((m) => EVENT_KEYS.has(m![1]!));
    return role === "stat" && mostlyKv && known.length >= 2 && distinctive >= 1;
  },

  async parse(source: ArtifactSource): Promise<FactSet> {
    const facts = emptyFacts();
    let lineWarnings = 0;
    const warn = (code: string, message: string, line: number): void => {
      if (++lineWarnings <= MAX_LINE_WARNINGS)
        facts.diagnostics.push(warning(code, message, { file: source.path, line }));
    };
    const snapshots = new SnapshotCollector(source.path, warn);
    const fallback: Context = { dir: null, file: siblingName(source.path) };
    let ctx = fallback;
    let lastLine = 0;
    for await (const { text, line } of source.lines()) {
      lastLine = line;
      const trimmed = text.trim();
      if (trimmed === "") continue;
      const header = FILE_HEADER.exec(trimmed) ?? CAT_PROMPT.exec(trimmed);
      if (header) {
        ctx = contextOf(header[1]!);
        continue;
      }
      if (PROMPT_OR_COMMENT.test(trimmed)) continue;
      if (DATE_LINE.test(trimmed)) {
        snapshots.takenAt(trimmed);
        continue;
      }
      const grep = GREP_LINE.exec(trimmed);
      const lineCtx = grep ? contextOf(grep[1]!) : ctx;
      readLine(lineCtx, grep ? grep[2]!.trim() : trimmed, line, snapshots, warn);
      const version = siblingOf(lineCtx.file)?.version;
      if (version) snapshots.fileVersion(lineCtx.dir, version);
    }
    pushAll(facts.memcgSnapshots, snapshots.finish());
    if (lineWarnings > MAX_LINE_WARNINGS) {
      facts.diagnostics.push(
        warning(
          "memory-stat/too-many-warnings",
          `${lineWarnings - MAX_LINE_WARNINGS} more bad lines not listed — expected cgroup memory files — received ${lineWarnings} bad lines`,
          { file: source.path, line: lastLine },
        ),
      );
    }
    if (facts.memcgSnapshots.length === 0) {
      facts.diagnostics.push({
        severity: "error",
        code: "memory-stat/no-data",
        message:
          "no cgroup memory values read — expected memory.stat `key value` lines or memory.* files — received none",
        at: { file: source.path },
      });
    }
    return facts;
  },
};

/** Reads one content line of the file `ctx` names into the collector. */
function readLine(
  ctx: Context,
  text: string,
  line: number,
  out: SnapshotCollector,
  warn: (code: string, message: string, line: number) => void,
): void {
  const sibling = siblingOf(ctx.file);
  if (sibling?.role === "ignored" || text === "") return;
  const where = ctx.file ?? "memory file";
  const psi = PSI_LINE.exec(text);
  if (psi) {
    const fields = parsePsiFields(psi[2]!);
    if (fields) out.pressure(ctx.dir, psi[1] as "some" | "full", fields, line);
    else
      warn(
        "memory-stat/bad-pressure",
        `${where} PSI line is malformed — expected \`${psi[1]} avg10=N.NN avg60=N.NN avg300=N.NN total=N\` — received \`${clip(text, 80)}\``,
        line,
      );
    return;
  }
  const kv = KEY_VALUE.exec(text);
  if (kv) {
    const [, key, raw] = kv as unknown as [string, string, string];
    const count = parseCount(raw);
    if (!count.ok) return warn("memory-stat/bad-number", `${where} \`${key}\` has a bad value — ${count.reason}`, line);
    if (count.imprecise && !(key.endsWith("_limit") && isUnlimited(count.value))) {
      warn(
        "memory-stat/imprecise-number",
        `${where} \`${key}\` exceeds 2^53 and loses precision — expected a byte count below 9007199254740992 — received ${raw}`,
        line,
      );
    }
    if (EVENT_KEYS.has(key)) out.event(ctx.dir, key, count.value, line);
    else out.stat(ctx.dir, key, count.value, line);
    return;
  }
  if (SINGLE_VALUE.test(text)) return readSingle(ctx, text, line, out, warn);
  warn(
    "memory-stat/bad-line",
    `${where} line not understood — expected \`key value\`, a PSI line or a single value — received \`${clip(text, 80)}\``,
    line,
  );
}

/** A lone value: meaningful only when the file name says which sibling it is. */
function readSingle(
  ctx: Context,
  text: string,
  line: number,
  out: SnapshotCollector,
  warn: (code: string, message: string, line: number) => void,
): void {
  const role = siblingOf(ctx.file)?.role;
  const where = ctx.file ?? "memory file";
  if (role === "limit" && text === "max") return out.scalar(ctx.dir, "limit", null, ctx.file!, line);
  const count = parseCount(text);
  if (role === "limit" || role === "current" || role === "peak" || role === "failcnt") {
    if (!count.ok)
      return warn(
        "memory-stat/bad-number",
        `${where} has a bad value — ${count.reason}${role === "limit" ? " or `max`" : ""}`,
        line,
      );
    if (count.imprecise && !(role === "limit" && isUnlimited(count.value))) {
      warn(
        "memory-stat/imprecise-number",
        `${where} exceeds 2^53 and loses precision — expected a byte count below 9007199254740992 — received ${text}`,
        line,
      );
    }
    if (role === "failcnt") return out.event(ctx.dir, "failcnt", count.value, line);
    return out.scalar(ctx.dir, role as ScalarRole, count.value, ctx.file!, line);
  }
  if (count.ok || text === "max") {
    return warn(
      "memory-stat/bare-value",
      `a lone value in ${where} cannot be placed — expected \`key value\`, or a file named memory.max/memory.current/memory.peak — received \`${clip(text)}\``,
      line,
    );
  }
  warn(
    "memory-stat/bad-line",
    `${where} line has no value — expected \`key value\` — received \`${clip(text)}\``,
    line,
  );
}

/** Splits a header or grep path into cgroup directory and sibling file name. */
function contextOf(path: string): Context {
  const dir = dirname(path);
  return { dir: dir === "." || dir === "" ? null : dir, file: siblingName(basename(path)) ?? basename(path) };
}

/** The memory.* sibling a (saved) file name refers to, or null when it names none. */
function siblingName(path: string): string | null {
  const m = SIBLING_IN_NAME.exec(basename(path).replace(SAVED_EXTENSION, ""));
  return m ? m[1]! : null;
}

function isMemoryHeader(line: string): boolean {
  const m = FILE_HEADER.exec(line);
  return m !== null && siblingName(m[1]!) !== null;
}

// A grep line naming a memory file we read, with its cgroup directory or bare name.
function isMemoryGrepLine(line: string): boolean {
  const m = GREP_LINE.exec(line);
  return m !== null && siblingOf(siblingName(m[1]!))?.role !== "ignored" && siblingName(m[1]!) !== null;
}
