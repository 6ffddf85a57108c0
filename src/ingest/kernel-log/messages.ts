/**
 * The messages of a kernel OOM report, one parser per printk format. Input is a message with
 * its line prefix already removed (see `prefix.ts`); output is plain values, bytes as numbers.
 * Formats: mm/oom_kill.c (`dump_header`, `dump_tasks`, `dump_oom_summary`,
 * `__oom_kill_process`, `oom_reap_task_mm`), mm/memcontrol.c (`mem_cgroup_print_oom_info`,
 * `mem_cgroup_print_oom_meminfo`, `mem_cgroup_print_oom_context`), lib/dump_stack.c.
 * Victim and selection lines are read by `victim.ts`.
 *
 * Sample input:
 * ```text
 * xray invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=-997
 * memory: usage 208204kB, limit 204800kB, failcnt 7470
 * oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/clamav-daemon.service,task=clamd,pid=517,uid=111
 * ```
 */
import type { MemcgCounter, OomEvent } from "../../model/facts.js";
import { kib, PAGE_BYTES } from "../../model/units.js";
import { isSelectedLine, isVictimLine } from "./victim.js";

/** Which kind of OOM-report message a line is (null: not part of a report). */
export type MessageKind =
  | "trigger"
  | "cpu"
  | "task-in"
  | "counter"
  | "stats-header"
  | "tasks-header"
  | "task-row"
  | "oom-kill"
  | "group-kill"
  | "selected"
  | "victim"
  | "reaped"
  | "no-killable"
  | "pages-ram";

/** What the `oom-kill:` summary line says (≥ 4.19). */
export interface OomKillSummary {
  constraint: OomEvent["constraint"];
  oomMemcg: string | null;
  globalOom: boolean;
  taskMemcg: string | null;
  task: { process: string; pid: number; uid: number } | null;
  /** `cpuset=` name: the cpuset cgroup (its last path element) of the task that invoked the OOM killer. */
  cpuset: string | null;
}

// dump_header(): "%s invoked oom-killer: gfp_mask=%#x(%pGg), nodemask=%*pbl, order=%d, oom_score_adj=%hd"
// `xray invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=-997`
const TRIGGER = /^((?:(?! invoked oom-killer: ).)*) invoked oom-killer: (.*)$/;
const GFP_MASK = /\bgfp_mask=(0x[0-9a-fA-F]+)/;
const ORDER = /\border=(-?\d+)/;
const SCORE_ADJ = /\boom_score_adj=(-?\d+)/;

// dump_stack_print_info(): "CPU: %d PID: %d Comm: %.20s %s%s %s %.*s" (6.x adds `UID: %u`; 2.6 `Pid: %d, comm: %.20s`)
// `CPU: 0 PID: 754 Comm: f2b/f.postfix Not tainted 5.10.0-10-amd64 #1 Debian 5.10.84-1`
const CPU_LINE = /^(?:CPU: \d+ (?:UID: \d+ )?PID: \d+ Comm: |Pid: \d+, comm: )/;
const CPU_PID = /^(?:CPU: \d+ (?:UID: \d+ )?PID: (\d+) Comm: |Pid: (\d+), comm: )/;
const KERNEL_RELEASE = / (\d+\.\d[\w.+~-]*) #\S/;

// mem_cgroup_print_oom_info() (≤ 5.0): "Task in %s killed as a result of limit of %s"
// `Task in /docker/532c… killed as a result of limit of /docker/532c…`
const TASK_IN = /^Task in (\S+) killed as a result of limit of (\S+)/;

// "%s: usage %llukB, limit %llukB, failcnt %lu" for memory, memory+swap, kmem (v1) and swap (v2)
// `memory: usage 307112kB, limit 307200kB, failcnt 35982`
const COUNTER = /^(memory|memory\+swap|kmem|swap): usage (\d+)kB, limit (\d+)kB, failcnt (\d+)/;

// "Memory cgroup stats for %s:" then, ≤ 4.x v1, `cache:%luKB rss:%luKB …` on the same line;
// later memory_stat_format() output `anon 28139520` on the following lines (bytes).
const STATS_HEADER = /^Memory cgroup stats for (.*)$/;

/** The colon that ends the cgroup path in a stats header: the first one followed by whitespace or the end. */
const PATH_END_COLON = /:(?:\s|$)/;
const STATS_INLINE_ITEM = /(?<![a-z0-9_])([a-z][a-z0-9_]*):(\d+)KB/g;
const STATS_KV = /^([a-z][a-z0-9_]*) (\d+)$/;
// One whole v1 inline item, and the start of one a wrap may have cut (`rss:44`, `rss_`, `cache:5`).
const STATS_INLINE_WHOLE = /^[a-z][a-z0-9_]*:\d+KB$/;
const STATS_INLINE_PART = /^[a-z][a-z0-9_]*(?::\d*K?)?$/;

// dump_tasks(): "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name"
// (3.10 `nr_ptes`, 4.x `nr_ptes nr_pmds`, 6.x `rss rss_anon rss_file rss_shmem`); rows "[%7d] %5d %5d %8lu …%s"
const TASKS_HEADER = /^\[\s*pid\s*\]\s+(\S.*\bname)\s*$/;
const TASK_ROW = /^\[\s*(\d+)\]\s+((?:\S.*)?)$/;
const TOKEN = /\S+/g;
const WHITESPACE = /\s+/;
const INTEGER = /^-?\d+$/;

// dump_oom_summary() (≥ 4.19): "oom-kill:constraint=%s,nodemask=%*pbl" + ",cpuset=…,mems_allowed=…"
// + ",oom_memcg=%s" or ",global_oom" + ",task_memcg=%s" + ",task=%s,pid=%d,uid=%d"
const OOM_KILL = /^oom-kill:(.*)$/;
const CONSTRAINT = /constraint=CONSTRAINT_([A-Z_]+)/;
// cpuset_print_current_mems_allowed(): the cpuset cgroup's name of the task that invoked the OOM killer
// (`cpuset=cri-containerd-6d5f….scope`, `cpuset=6d5f…` with cgroupfs v1, `cpuset=/` outside any).
const CPUSET_FIELD = /,cpuset=([^,]*),mems_allowed=/;
// `^(?:(?!X)[\s\S])*X…` reads from the first X only: an unanchored search retried the rest of the line at
// every X (quadratic on a line repeating `,task=`), and where the first X fails no later one succeeds.
const OOM_MEMCG_FIELD = /^(?:(?!,oom_memcg=)[\s\S])*,oom_memcg=(.*?),(?:task_memcg|task)=/;
const GLOBAL_OOM_FIELD = /,global_oom(?:,|$)/;
const TASK_MEMCG_FIELD = /^(?:(?!,task_memcg=)[\s\S])*,task_memcg=(.*?),task=/;
const TASK_FIELD = /^(?:(?!,task=)[\s\S])*,task=(.*),pid=(\d+),uid=(\d+)$/;

// mem_cgroup_out_of_memory() with memory.oom.group: "Tasks in %s are going to be killed due to memory.oom.group set"
const GROUP_KILL = /^Tasks in (\S+) are going to be killed due to memory\.oom\.group set/;

// oom_reap_task_mm(): "oom_reaper: reaped process %d (%s), now anon-rss:%lukB, file-rss:%lukB, shmem-rss:%lukB"
const REAPED = /^oom_reaper: reaped process (\d+) \((.*)\)/;

// out_of_memory() when select_bad_process() found no victim: pr_warn("Out of memory and no killable processes...\n")
const NO_KILLABLE = /^Out of memory and no killable processes/;

// show_mem() (lib/show_mem.c, printed by dump_header() for a global OOM): "%lu pages RAM", then
// "%lu pages reserved" — the node's memory in pages of PAGE_SIZE
// `4194174 pages RAM`
const PAGES_RAM = /^(\d{1,15}) pages RAM$/;

/** Classifies a message (prefix removed, trimmed). Cheap substring checks first. */
export function classify(m: string): MessageKind | null {
  if (m.includes(" invoked oom-killer: ")) return TRIGGER.test(m) ? "trigger" : null;
  if (m.includes("Killed process ")) return isVictimLine(m) ? "victim" : null;
  if (m.startsWith("oom-kill:")) return "oom-kill";
  if (m.includes("Kill process ")) return isSelectedLine(m) ? "selected" : null;
  if (m.startsWith("Memory cgroup stats for ")) return PATH_END_COLON.test(m) ? "stats-header" : null;
  if (m.startsWith("Task in ")) return TASK_IN.test(m) ? "task-in" : null;
  if (m.startsWith("Tasks in ")) return GROUP_KILL.test(m) ? "group-kill" : null;
  if (m.startsWith("oom_reaper: ")) return REAPED.test(m) ? "reaped" : null;
  if (m.startsWith("Out of memory and ")) return NO_KILLABLE.test(m) ? "no-killable" : null;
  if (m.endsWith(" pages RAM")) return PAGES_RAM.test(m) ? "pages-ram" : null;
  if (COUNTER.test(m)) return "counter";
  if (m.startsWith("[")) {
    if (TASKS_HEADER.test(m)) return "tasks-header";
    if (TASK_ROW.test(m)) return "task-row";
    return null;
  }
  return CPU_LINE.test(m) ? "cpu" : null;
}

/** `<comm> invoked oom-killer: gfp_mask=0x…(…), order=N, oom_score_adj=N` → its fields. */
export function parseTrigger(
  m: string,
): { process: string; gfpMask: string | null; order: number | null; oomScoreAdj: number | null } | null {
  const t = TRIGGER.exec(m);
  if (!t) return null;
  const rest = t[2]!;
  return {
    process: t[1]!,
    gfpMask: GFP_MASK.exec(rest)?.[1] ?? null,
    order: num(ORDER.exec(rest)?.[1]),
    oomScoreAdj: num(SCORE_ADJ.exec(rest)?.[1]),
  };
}

/** The kernel release from a `CPU: … Comm: …` line (`5.10.0-10-amd64`), or null. */
export function parseKernelRelease(m: string): string | null {
  return KERNEL_RELEASE.exec(m)?.[1] ?? null;
}

/** The pid of a `CPU: 1 PID: 3902218 Comm: python3 …` line (the task that invoked the OOM killer), or null. */
export function parseCpuPid(m: string): number | null {
  const c = CPU_PID.exec(m);
  return c ? Number(c[1] ?? c[2]) : null;
}

/** `4194174 pages RAM` → 4194174. */
export function parsePagesRam(m: string): number | null {
  return num(PAGES_RAM.exec(m)?.[1]);
}

/** Legacy `Task in <task memcg> killed as a result of limit of <oom memcg>`. */
export function parseTaskIn(m: string): { taskMemcg: string; oomMemcg: string } | null {
  const t = TASK_IN.exec(m);
  return t ? { taskMemcg: t[1]!, oomMemcg: t[2]! } : null;
}

/**
 * A `Task in` line whose `limit of` path is not the task's memcg or one of its ancestors (the
 * kernel only prints those: the victim lies in the OOM memcg's subtree) was cut by a hard wrap.
 * Returns the line joined with its continuation `next` when that mends it, else null.
 */
export function joinTaskIn(cut: string, next: string): string | null {
  const t = parseTaskIn(cut);
  if (t === null || next.includes(" ") || isAncestorOrSelf(t.oomMemcg, t.taskMemcg)) return null;
  const joined = parseTaskIn(cut + next);
  return joined !== null && isAncestorOrSelf(joined.oomMemcg, joined.taskMemcg) ? cut + next : null;
}

function isAncestorOrSelf(ancestor: string, path: string): boolean {
  return ancestor === path || ancestor === "/" || path.startsWith(`${ancestor}/`);
}

/**
 * A v1 single-line `Memory cgroup stats for <path>: cache:…KB rss:…` cut by a hard wrap: its last
 * item is not a whole `key:NKB`. Returns it joined with `next` (glued, as a wrap at a fixed column
 * cuts mid-item, or with a space) when every item of the result is whole, or when only the last is
 * still cut (the next line continues it again); else null.
 */
export function joinStatsHeader(cut: string, next: string): string | null {
  if (inlineStatsEnd(cut) !== "cut") return null;
  for (const candidate of [cut + next, `${cut} ${next}`]) {
    if (inlineStatsEnd(candidate) !== "broken") return candidate;
  }
  return null;
}

/** How a single-line v1 stats header ends: every item whole, only the last one cut, or a malformed item inside. */
function inlineStatsEnd(m: string): "whole" | "cut" | "broken" {
  const h = STATS_HEADER.exec(m);
  const colon = h ? PATH_END_COLON.exec(h[1]!) : null;
  if (!h || !colon) return "broken";
  const items = h[1]!
    .slice(colon.index + 1)
    .trim()
    .split(WHITESPACE);
  const whole = (item: string) => STATS_INLINE_WHOLE.test(item);
  if (items.slice(0, -1).some((item) => !whole(item))) return "broken";
  return whole(items.at(-1)!) ? "whole" : STATS_INLINE_PART.test(items.at(-1)!) ? "cut" : "broken";
}

/** A `memory:`/`memory+swap:`/`kmem:`/`swap:` usage line, kB → bytes (without its source). */
export function parseCounter(m: string): Omit<MemcgCounter, "source" | "text"> | null {
  const c = COUNTER.exec(m);
  if (!c) return null;
  const counter = {
    name: c[1] as MemcgCounter["name"],
    usageBytes: kib(Number(c[2])),
    limitBytes: kib(Number(c[3])),
    failcnt: Number(c[4]),
  };
  return Number.isFinite(counter.usageBytes) && Number.isFinite(counter.limitBytes) && Number.isFinite(counter.failcnt)
    ? counter
    : null;
}

/** `Memory cgroup stats for <path>:` with the single-line v1 items (`cache:24KB` → bytes), if any. */
export function parseStatsHeader(m: string): { path: string | null; inline: Record<string, number> | null } | null {
  const h = STATS_HEADER.exec(m);
  const colon = h ? PATH_END_COLON.exec(h[1]!) : null;
  if (!h || !colon) return null;
  const path = h[1]!.slice(0, colon.index).trim() || null;
  const items = h[1]!.slice(colon.index + 1).trim();
  if (!items) return { path, inline: null };
  const inline: Record<string, number> = {};
  for (const item of items.matchAll(STATS_INLINE_ITEM)) {
    const bytes = kib(Number(item[2]));
    if (Number.isFinite(bytes)) inline[item[1]!] = bytes;
  }
  return { path, inline };
}

/** One multi-line stats entry `anon 28139520` (bytes as printed), or null. */
export function parseStatsEntry(m: string): [string, number] | null {
  const kv = STATS_KV.exec(m);
  return kv ? [kv[1]!, Number(kv[2])] : null;
}

/** The column names of a tasks-table header after `[ pid ]` (`uid`, `tgid`, …, `name`). */
export function parseTasksHeader(m: string): string[] | null {
  const h = TASKS_HEADER.exec(m);
  return h ? h[1]!.trim().split(WHITESPACE) : null;
}

/**
 * One tasks-table row read by the header's column names; `*_vm`/`rss*`/`nr_*`/`swapents` are
 * pages (× PAGE_BYTES), `pgtables_bytes` bytes. Null when a numeric column is not a number.
 */
export function parseTaskRow(
  m: string,
  columns: string[],
): {
  pid: number;
  uid: number | null;
  tgid: number | null;
  totalVmBytes: number | null;
  rssBytes: number | null;
  oomScoreAdj: number | null;
  name: string;
} | null {
  const r = TASK_ROW.exec(m);
  if (!r) return null;
  const rest = r[2]!;
  const numeric = columns.length - 1;
  const values: Record<string, number> = {};
  TOKEN.lastIndex = 0;
  let end = 0;
  for (let i = 0; i < numeric; i++) {
    const tok = TOKEN.exec(rest);
    if (!tok || !INTEGER.test(tok[0])) return null;
    values[columns[i]!] = Number(tok[0]);
    end = TOKEN.lastIndex;
  }
  const name = rest.slice(end).trim();
  // A page count can't be negative, and one past 2^53 bytes is not a real size: unknown, not a number.
  const pages = (k: string): number | null => {
    const n = values[k];
    return n === undefined || n < 0 || !Number.isSafeInteger(n * PAGE_BYTES) ? null : n * PAGE_BYTES;
  };
  return {
    pid: Number(r[1]),
    uid: values["uid"] ?? null,
    tgid: values["tgid"] ?? null,
    totalVmBytes: pages("total_vm"),
    rssBytes: pages("rss"),
    oomScoreAdj: values["oom_score_adj"] ?? null,
    name,
  };
}

/** The `oom-kill:constraint=…` summary line. */
export function parseOomKill(m: string): OomKillSummary {
  const body = OOM_KILL.exec(m)?.[1] ?? "";
  const c = CONSTRAINT.exec(body)?.[1];
  const task = TASK_FIELD.exec(body);
  return {
    constraint: c === undefined ? null : constraintOf(c),
    oomMemcg: OOM_MEMCG_FIELD.exec(body)?.[1] ?? null,
    globalOom: GLOBAL_OOM_FIELD.test(body),
    taskMemcg: TASK_MEMCG_FIELD.exec(body)?.[1] ?? null,
    cpuset: CPUSET_FIELD.exec(body)?.[1] || null,
    task: task ? { process: task[1]!, pid: Number(task[2]), uid: Number(task[3]) } : null,
  };
}

/** `Tasks in <path> are going to be killed due to memory.oom.group set` → path. */
export function parseGroupKill(m: string): string | null {
  return GROUP_KILL.exec(m)?.[1] ?? null;
}

/** `oom_reaper: reaped process N (comm), …` → pid and comm. */
export function parseReaped(m: string): { pid: number; process: string } | null {
  const r = REAPED.exec(m);
  return r ? { pid: Number(r[1]), process: r[2]! } : null;
}

function constraintOf(c: string): OomEvent["constraint"] {
  if (c === "MEMCG") return "memcg";
  if (c === "NONE") return "none";
  if (c === "CPUSET") return "cpuset";
  if (c === "MEMORY_POLICY") return "memory-policy";
  return null;
}

function num(text: string | undefined): number | null {
  return text === undefined ? null : Number(text);
}
