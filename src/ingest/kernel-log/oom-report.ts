/**
 * The OOM report state machine: gathers the messages of one kernel OOM report into an
 * `OomEvent`, holding only that report's parsed values (never the lines), so a journal of any
 * size streams through in bounded memory. A report starts at `invoked oom-killer` (or, for a
 * fragment or a rate-limited report, at its first recognisable message) and ends at its victim
 * line(s) and `oom_reaper`; unrelated lines in between are ignored.
 * Parsed values get their `source`/`text` by `Object.assign`, not a spread: in V8 each
 * `{ ...row, source }` gets a hidden class of its own (~270 bytes), which for a journal of 10,000
 * reports was 19 MB of the 102 MB its facts held.
 * Formats: mm/oom_kill.c, mm/memcontrol.c (see `messages.ts` for each printk).
 *
 * Sample input (legacy two-line report, kernel ≤ 5.0):
 * ```text
 * Memory cgroup out of memory: Kill process 1012 (heapster) score 1035 or sacrifice child
 * Killed process 1012 (heapster) total-vm:327128kB, anon-rss:306328kB, file-rss:11132kB, shmem-rss:12345kB
 * ```
 */
import type { MemcgCounter, OomEvent, OomVictim } from "../../model/facts.js";
import { warning, type Diagnostic } from "../../model/source.js";
import {
  classify,
  joinStatsHeader,
  joinTaskIn,
  parseCounter,
  parseCpuPid,
  parseGroupKill,
  parseKernelRelease,
  parseOomKill,
  parsePagesRam,
  parseReaped,
  parseStatsEntry,
  parseStatsHeader,
  parseTaskIn,
  parseTaskRow,
  parseTasksHeader,
  parseTrigger,
  type MessageKind,
  type OomKillSummary,
} from "./messages.js";
import { joinVictimLine, parseSelected, parseVictim, victimLineEnd } from "./victim.js";
import { resolveScope } from "./scope.js";
import type { KernelLine } from "./prefix.js";

/** Where finished reports and warnings go. */
export interface ReportSink {
  event(ev: OomEvent): void;
  warn(d: Diagnostic): void;
}

/**
 * Bounds per report: a node with thousands of tasks still fits; a runaway input cannot grow memory.
 * @internal exported for its tests (not the public API)
 */
export const LIMITS = { tasks: 16384, statsKeys: 256, counters: 8, victims: 4096, joins: 4, evidenceChars: 1000 };

/** Body messages that open a new report when the current one already has its victim. */
const REPORT_BODY: ReadonlySet<MessageKind> = new Set([
  "task-in",
  "counter",
  "stats-header",
  "tasks-header",
  "oom-kill",
  "selected",
  "victim",
  "group-kill",
  "no-killable",
]);

/**
 * Parses OOM reports from a stream of kernel lines. Call `feed` for every line in order and
 * `end` once; events and warnings are delivered to the sink. Never throws on content.
 */
export class OomReportParser {
  private cur: Draft | null = null;
  private recent: OomEvent[] = [];

  constructor(
    private readonly file: string,
    private readonly sink: ReportSink,
  ) {}

  /** Feeds one line; returns true when this line started a new report. */
  feed(l: KernelLine): boolean {
    if (!l.kernel) return false;
    const d = this.cur;
    if (d?.pending && this.continueVictim(d, l)) return false;
    if (d?.wrap && this.continueWrap(d, l)) return false;
    if (d?.statsOpen) {
      const kv = parseStatsEntry(l.message);
      if (kv) {
        this.addStat(d, kv[0], kv[1], l);
        return false;
      }
      d.statsOpen = false;
    }
    const kind = classify(l.message);
    if (kind === null) return false;
    if (kind === "trigger") {
      this.start(l, false);
      return true;
    }
    if (kind === "reaped") return this.reaped(l);
    if (kind === "cpu") {
      if (d && d.ev.victims.length === 0 && d.ev.kernelVersion === null)
        d.ev.kernelVersion = parseKernelRelease(l.message);
      if (d?.ev.trigger && d.ev.victims.length === 0 && d.ev.trigger.pid == null)
        d.ev.trigger.pid = parseCpuPid(l.message);
      return false;
    }
    if (kind === "pages-ram") {
      // show_mem() runs in dump_header(), before the tasks table and the victim.
      const pages = parsePagesRam(l.message);
      if (d && d.ev.victims.length === 0 && pages !== null)
        d.ev.ramPages = { pages, source: this.at(l), text: this.text(l) };
      return false;
    }
    if (kind === "task-row") {
      if (d && tableOpen(d)) this.addTask(d, l);
      return false;
    }
    let started = false;
    let draft = d;
    if (!draft || this.opensNewReport(draft, kind)) {
      draft = this.start(l, true);
      started = true;
    }
    this.apply(draft, kind, l);
    draft.lastLine = l.line;
    return started;
  }

  /**
   * True when the next line must be fed whatever it says: a victim line may continue on it, a
   * multi-line `Memory cgroup stats` block or a tasks table is open. Otherwise only lines that
   * hold one of `NEEDLES` (needles.ts) can change the parser's state.
   */
  needsEveryLine(): boolean {
    const d = this.cur;
    return d !== null && (d.pending !== null || d.wrap !== null || d.statsOpen || tableOpen(d));
  }

  /** Finishes the report in progress (end of file). */
  end(lastLine: number): void {
    if (this.cur) {
      this.cur.ev.endedAtCaptureEnd = true;
      this.finish(this.cur, `end of file at line ${lastLine}`);
    }
    this.cur = null;
  }

  private start(l: KernelLine, fragment: boolean): Draft {
    if (this.cur) this.finish(this.cur, `a new report at line ${l.line}`);
    const trigger = fragment ? null : parseTrigger(l.message);
    const ev: OomEvent = {
      source: { file: this.file, line: l.line },
      time: l.time,
      trigger: trigger ? Object.assign(trigger, { source: this.at(l), text: this.text(l) }) : null,
      constraint: null,
      oomMemcg: null,
      taskMemcg: null,
      global: null,
      counters: [],
      memcgStats: null,
      tasks: [],
      victims: [],
      selected: null,
      groupKillMemcg: null,
      reaped: [],
      host: l.host,
      kernelVersion: null,
    };
    const draft: Draft = {
      ev,
      fragment,
      firstText: this.text(l),
      lastLine: l.line,
      columns: null,
      statsOpen: false,
      statKeys: 0,
      dropped: { tasks: 0, stats: 0, rows: 0, huge: 0 },
      summary: null,
      taskIn: null,
      pending: null,
      wrap: null,
    };
    this.cur = draft;
    return draft;
  }

  // A body message after the victim, or a second summary, selection or `Task in`, belongs to the
  // next report (its header was cut or rate-limited). A group kill prints its first victim, then
  // `Tasks in … memory.oom.group set`, then one `Killed process` per member: all one report.
  private opensNewReport(d: Draft, kind: MessageKind): boolean {
    if (!REPORT_BODY.has(kind)) return false;
    if (kind === "group-kill") return d.ev.groupKillMemcg !== null;
    if (d.ev.victims.length > 0 || d.pending) return !(kind === "victim" && d.ev.groupKillMemcg !== null);
    return (
      (kind === "oom-kill" && d.summary !== null) ||
      (kind === "selected" && d.ev.selected !== null) ||
      (kind === "task-in" && d.taskIn !== null)
    );
  }

  private apply(d: Draft, kind: MessageKind, l: KernelLine): void {
    const ev = d.ev;
    const m = l.message;
    ev.host ??= l.host;
    switch (kind) {
      case "task-in":
        d.taskIn = parseTaskIn(m);
        d.wrap = { kind, message: m, line: l.line, endLine: l.line };
        break;
      case "counter": {
        const c = parseCounter(m);
        if (c && ev.counters.length < LIMITS.counters)
          ev.counters.push(Object.assign(c, { source: this.at(l), text: this.text(l) }) satisfies MemcgCounter);
        break;
      }
      case "stats-header": {
        if (ev.memcgStats) break; // v1 prints one block per memcg of the subtree; the first is the OOM memcg
        const h = parseStatsHeader(m);
        if (!h) break;
        ev.memcgStats = { path: h.path, bytes: h.inline ?? {}, source: this.at(l) };
        d.statKeys = Object.keys(ev.memcgStats.bytes).length;
        d.statsOpen = h.inline === null;
        if (h.inline !== null) d.wrap = { kind, message: m, line: l.line, endLine: l.line };
        break;
      }
      case "tasks-header":
        d.columns ??= parseTasksHeader(m);
        break;
      case "oom-kill": {
        d.summary = parseOomKill(m);
        const task = d.summary.task;
        if (d.summary.cpuset !== null && d.summary.cpuset !== "/") ev.triggerCpuset = d.summary.cpuset;
        if (task)
          ev.summaryTask = {
            pid: task.pid,
            process: task.process,
            uid: task.uid,
            source: this.at(l),
            text: this.text(l),
          };
        break;
      }
      case "no-killable":
        ev.noKillable = { source: this.at(l), text: this.text(l) };
        break;
      case "group-kill":
        ev.groupKillMemcg = parseGroupKill(m);
        break;
      case "selected": {
        const s = parseSelected(m);
        if (s) ev.selected = { pid: s.pid, process: s.process, score: s.score, source: this.at(l), text: this.text(l) };
        d.selectedScope = s?.scope ?? null;
        break;
      }
      case "victim":
        d.pending = { message: m, line: l.line, endLine: l.line, raw: this.text(l), joins: 0 };
        if (victimLineEnd(m) === "complete") this.flushVictim(d);
        break;
      default:
        break;
    }
  }

  // A cut `Killed process` line continues on the next unprefixed line(s) (mail/terminal wrap);
  // an `extendable` one only when the next line still fits a known layout.
  private continueVictim(d: Draft, l: KernelLine): boolean {
    const p = d.pending!;
    const joined = !l.prefixed && p.joins < LIMITS.joins ? joinVictimLine(p.message, l.message) : null;
    if (joined === null) {
      this.flushVictim(d);
      return false;
    }
    p.message = joined;
    p.endLine = l.line;
    p.joins++;
    d.lastLine = l.line;
    if (victimLineEnd(joined) === "complete") this.flushVictim(d);
    return true;
  }

  // A `Task in` or single-line v1 stats line hard-wrapped by a terminal or mail client continues
  // on the next unprefixed line(s) when joining mends it (messages.ts `joinTaskIn`, `joinStatsHeader`).
  private continueWrap(d: Draft, l: KernelLine): boolean {
    const w = d.wrap!;
    const joined =
      l.continuation && w.endLine - w.line < LIMITS.joins
        ? (w.kind === "task-in" ? joinTaskIn : joinStatsHeader)(w.message, l.message)
        : null;
    if (joined === null) {
      d.wrap = null;
      return false;
    }
    w.message = joined;
    w.endLine = l.line;
    d.lastLine = l.line;
    if (w.kind === "task-in") d.taskIn = parseTaskIn(joined);
    else {
      d.ev.memcgStats!.bytes = parseStatsHeader(joined)?.inline ?? {};
      d.statKeys = Object.keys(d.ev.memcgStats!.bytes).length;
    }
    const what = w.kind === "task-in" ? "`Task in … killed as a result of limit of …`" : "`Memory cgroup stats for …`";
    this.sink.warn(
      warning(
        "kernel-log/line-joined",
        `${what} line was wrapped over lines ${w.line}–${w.endLine} and has been joined — expected one line — received ${w.endLine - w.line + 1} lines`,
        { file: this.file, line: w.line, endLine: w.endLine },
      ),
    );
    return true;
  }

  private flushVictim(d: Draft): void {
    const p = d.pending;
    d.pending = null;
    if (!p) return;
    const v = parseVictim(p.message);
    if (!v) return;
    const at =
      p.endLine > p.line ? { file: this.file, line: p.line, endLine: p.endLine } : { file: this.file, line: p.line };
    if (p.joins > 0) {
      this.sink.warn(
        warning(
          "kernel-log/victim-line-joined",
          `\`Killed process ${v.pid}\` line was wrapped over lines ${p.line}–${p.endLine} and has been joined — expected one line — received ${p.joins + 1} lines`,
          at,
        ),
      );
    }
    if (victimLineEnd(p.message) === "cut") {
      this.sink.warn(
        warning(
          "kernel-log/victim-line-cut",
          `\`Killed process ${v.pid}\` line ends part-way — expected the kernel's full field list (total-vm, anon-rss, file-rss, …) — received \`${clip(p.message, 200)}\``,
          at,
        ),
      );
    }
    const again = d.ev.victims.some((x) => x.pid === v.pid);
    if (!again && d.ev.victims.length < LIMITS.victims) {
      d.ev.victims.push(
        Object.assign(v, {
          source: at,
          text: p.joins > 0 ? clip(p.message, LIMITS.evidenceChars) : p.raw,
        }) satisfies OomVictim,
      );
    }
    d.lastLine = Math.max(d.lastLine, p.endLine);
  }

  // `oom_reaper` runs after the kill and may print after the next report has begun. It belongs to
  // the report whose victim (or `oom-kill:` task) it names; else to a report whose victim line is
  // missing or cut, which then takes its pid from it; else it is a fragment of its own.
  private reaped(l: KernelLine): boolean {
    const r = parseReaped(l.message);
    if (r === null) return false;
    const d = this.cur;
    if (d?.pending) this.flushVictim(d);
    // A finished report lost its victim line before the current one (whose kill is still to come).
    const reports = [d?.ev, ...this.recent].filter((ev): ev is OomEvent => ev !== undefined);
    const owner =
      reports.find((ev) => ev.victims.some((v) => v.pid === r.pid) || ev.summaryTask?.pid === r.pid) ??
      [...this.recent, d?.ev].find(
        (ev) => ev !== undefined && ev.victims.length === 0 && !ev.summaryTask && !ev.noKillable,
      );
    const entry = { pid: r.pid, process: r.process, source: this.at(l), text: this.text(l) };
    if (owner) {
      owner.reaped.push(entry);
      if (owner === d?.ev) d.lastLine = l.line;
      return false;
    }
    if (d) return false;
    const frag = this.start(l, true);
    frag.ev.reaped.push(entry);
    return true;
  }

  private addStat(d: Draft, key: string, value: number, l: KernelLine): void {
    const stats = d.ev.memcgStats!;
    if (!Number.isFinite(value)) d.dropped.huge++;
    else if (Object.hasOwn(stats.bytes, key)) stats.bytes[key] = value;
    else if (d.statKeys < LIMITS.statsKeys) {
      stats.bytes[key] = value;
      d.statKeys++;
    } else d.dropped.stats++;
    stats.source = { file: this.file, line: stats.source.line!, endLine: l.line };
    d.lastLine = l.line;
  }

  private addTask(d: Draft, l: KernelLine): void {
    const row = parseTaskRow(l.message, d.columns!);
    if (!row) d.dropped.rows++;
    else if (d.ev.tasks.length >= LIMITS.tasks) d.dropped.tasks++;
    else d.ev.tasks.push(Object.assign(row, { source: this.at(l) }));
    d.lastLine = l.line;
  }

  private finish(d: Draft, endedBy: string): void {
    this.flushVictim(d);
    const ev = d.ev;
    // Built key by key, a block of 50 stats is a dictionary-mode object (~3 KB); this copy has fast properties (~0.5 KB).
    if (ev.memcgStats) ev.memcgStats.bytes = Object.fromEntries(Object.entries(ev.memcgStats.bytes));
    resolveScope(ev, d.summary, d.taskIn, d.selectedScope ?? null);
    if (d.lastLine > ev.source.line!) ev.source = { file: this.file, line: ev.source.line!, endLine: d.lastLine };
    const at = { file: this.file, line: ev.source.line! };
    if (d.fragment) {
      const missing = [
        !ev.trigger && "trigger task",
        !ev.kernelVersion && "kernel version",
        ev.counters.length === 0 && ev.global !== true && "memcg usage/limit",
        ev.tasks.length === 0 && "tasks table",
      ].filter(Boolean);
      this.sink.warn(
        warning(
          "kernel-log/report-starts-mid-way",
          `no \`invoked oom-killer\` header: the report starts mid-way (or the kernel rate-limited its header) — expected \`<comm> invoked oom-killer: gfp_mask=…\` first — received \`${clip(d.firstText, 160)}\`; missing: ${missing.join(", ") || "nothing else"}`,
          at,
        ),
      );
    }
    if (ev.noKillable) {
      this.sink.warn(
        warning(
          "kernel-log/no-killable-process",
          `the OOM killer ran but found no process it could kill: this report killed nothing — expected a \`Killed process\` line — received \`${clip(ev.noKillable.text, 160)}\``,
          ev.noKillable.source,
        ),
      );
    } else if (ev.victims.length === 0) {
      const named = d.summary?.task
        ? ` (its oom-kill line names task=${d.summary.task.process} pid=${d.summary.task.pid})`
        : ev.selected
          ? ` (it selected pid ${ev.selected.pid})`
          : "";
      this.sink.warn(
        warning(
          "kernel-log/no-victim-line",
          `OOM report has no \`Killed process\` line${named} — expected \`… Killed process <pid> (<comm>) total-vm:…\` — received ${endedBy}`,
          at,
        ),
      );
    }
    const dropped: [number, string][] = [
      [d.dropped.tasks, `tasks-table rows beyond ${LIMITS.tasks}`],
      [d.dropped.stats, `memcg stats keys beyond ${LIMITS.statsKeys}`],
      [d.dropped.rows, "tasks-table rows that do not fit the header's columns"],
      [d.dropped.huge, "memcg stats values too large for a byte count"],
    ];
    for (const [n, what] of dropped) {
      if (n > 0)
        this.sink.warn(
          warning(
            "kernel-log/report-entries-skipped",
            `${n} ${what} were skipped — expected rows like \`[  pid  ]   uid  tgid total_vm …\` — received more or malformed rows`,
            at,
          ),
        );
    }
    this.sink.event(ev);
    this.recent = [ev, ...this.recent].slice(0, 4);
    if (this.cur === d) this.cur = null;
  }

  private at(l: KernelLine): { file: string; line: number } {
    return { file: this.file, line: l.line };
  }

  private text(l: KernelLine): string {
    return clip(l.raw, LIMITS.evidenceChars);
  }
}

// A tasks table takes rows from its header until the victim line or `no killable processes`
// (dump_header() prints it before either), so a later line that looks like a row is not one.
function tableOpen(d: Draft): boolean {
  return d.columns !== null && d.ev.victims.length === 0 && d.pending === null && !d.ev.noKillable;
}

/** Parse state of the report in progress. */
interface Draft {
  ev: OomEvent;
  fragment: boolean;
  firstText: string;
  lastLine: number;
  columns: string[] | null;
  statsOpen: boolean;
  /** Keys in `ev.memcgStats.bytes` (counted, not Object.keys'd per line: a block of n stats cost n²). */
  statKeys: number;
  dropped: { tasks: number; stats: number; rows: number; huge: number };
  summary: OomKillSummary | null;
  taskIn: { taskMemcg: string; oomMemcg: string } | null;
  selectedScope?: "memcg" | "global" | null;
  pending: { message: string; line: number; endLine: number; raw: string; joins: number } | null;
  /** The last `Task in` or single-line stats header, while the next line may continue it. */
  wrap: { kind: "task-in" | "stats-header"; message: string; line: number; endLine: number } | null;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
