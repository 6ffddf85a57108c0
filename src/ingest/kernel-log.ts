/**
 * kernel-log: the kernel's OOM reports from `dmesg` (raw, `-T`, `-x`, `--time-format iso`),
 * `journalctl -k` (short modes in any locale, `cat`, `json`, `json-pretty`, `verbose`), `/var/log/messages` / `kern.log`,
 * raw `/dev/kmsg`, `talosctl dmesg`, or
 * bare messages pasted without any prefix. Each report becomes one `OomEvent`: trigger,
 * constraint, memcg paths, usage/limit counters, memcg stats, tasks table, victim(s), reaper.
 * Report lines that carry both a full wall clock (with its year) and an uptime become `ClockAnchor`s.
 * A big file is scanned as bytes and only the lines around OOM reports are decoded (`kernel-log/scan.ts`).
 * In a journal or syslog, the kill lines of userspace OOM daemons (systemd-oomd, earlyoom) become
 * `UserspaceKill`s (`kernel-log/userspace-killer.ts`), and the pods the kubelet's eviction manager
 * says it evicted become `Evicted` events about them (`kernel-log/kubelet-eviction.ts`).
 * Formats: mm/oom_kill.c (`dump_header`, `dump_oom_summary`, `__oom_kill_process`),
 * mm/memcontrol.c (`mem_cgroup_print_oom_meminfo`); prefixes in `kernel-log/prefix.ts`,
 * messages in `kernel-log/messages.ts`, the per-report state machine in `kernel-log/oom-report.ts`.
 *
 * Sample input:
 * ```text
 * [1178.612437] worker invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=985
 * [1178.612502] memory: usage 524288kB, limit 524288kB, failcnt 1672
 * [1178.612611] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=cri-containerd-5c1f0e9b7a2d4c6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e.scope,mems_allowed=0,oom_memcg=/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod3f1c2b7e_9a4d_4c1e_8b2f_6d5e4c3b2a10.slice/cri-containerd-5c1f0e9b7a2d4c6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e.scope,task_memcg=/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod3f1c2b7e_9a4d_4c1e_8b2f_6d5e4c3b2a10.slice/cri-containerd-5c1f0e9b7a2d4c6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e.scope,task=worker,pid=31744,uid=1000
 * [1178.612734] Memory cgroup out of memory: Killed process 31744 (worker) total-vm:1843212kB, anon-rss:519880kB, file-rss:3412kB, shmem-rss:0kB, UID:1000 pgtables:1164kB oom_score_adj:985
 * [1178.631005] oom_reaper: reaped process 31744 (worker), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB
 * ```
 */
import { emptyFacts, type FactSet, type OomEvent } from "../model/facts.js";
import { warning, type Diagnostic } from "../model/source.js";
import { isPrettyJournal, PrettyJournal } from "./kernel-log/journal-json.js";
import { isVerboseJournal, VerboseJournal } from "./kernel-log/journal-verbose.js";
import { OomReportParser } from "./kernel-log/oom-report.js";
import { LineReader, stripPrefix, type KernelLine } from "./kernel-log/prefix.js";
import { isEvictionManagerLine, KubeletEvictionReader } from "./kernel-log/kubelet-eviction.js";
import { KernelLogScan, type ScanOptions } from "./kernel-log/scan.js";
import { isUserspaceKillMessage, readUserspaceKill } from "./kernel-log/userspace-killer.js";
import { podFromEviction } from "./shared/event-eviction.js";
import { lineBatchesOf } from "./source.js";
import type { ArtifactSource, Ingester, Line } from "./types.js";

/**
 * At most this many diagnostics per file; one more says how many were left out.
 * @internal exported for its tests (not the public API)
 */
export const MAX_DIAGNOSTICS = 200;

/**
 * At most this many OOM reports without a victim (no `Killed process`, `oom-kill:` task or
 * selection: a header whose body was lost, or a flood of `invoked oom-killer` lines) are kept
 * per file; the rest are counted in one warning. Reports that name a victim are all kept.
 * @internal exported for its tests (not the public API)
 */
export const MAX_VICTIMLESS_REPORTS = 1000;

// Messages only a kernel OOM report prints (mm/oom_kill.c, mm/memcontrol.c), prefix removed.
const OOM_MARKER =
  / invoked oom-killer: |^(?:(?:Memory cgroup out of memory|Out of memory(?: \([^)]*\))?): )?Killed process \d+ \(|^oom-kill:constraint=|^Memory cgroup out of memory: |^Out of memory: |^Out of memory and no killable processes|^oom_reaper: reaped process |^Task in \S+ killed as a result of limit of |^Memory cgroup stats for \//;

// JSON documents (`{`, `[{`, `["`, `[]`); a dmesg line `[   12.3]` is not one.
const JSON_START = /^\s*(?:\{|\[\s*(?:[{["\]]|$))/;

// `kubectl describe` keys (`Name:`, `Events:`, `Exit Code:`), YAML keys and pmap's header.
const STRUCTURED_LINE =
  /^\s*(?:(?:Name|Namespace|Labels|Annotations|Status|Containers|Init Containers|Conditions|Events|Volumes|QoS Class|Node-Selectors|Tolerations|Last State|State|Exit Code|Restart Count|Controlled By|Capacity|Allocatable|Taints|Limits|Requests):(?:\s|$)|(?:-\s*)?(?:apiVersion|kind|metadata|spec|status|containerStatuses|lastState|terminated|exitCode|finishedAt|containerID):\s|Address\s+Kbytes\s+RSS)/;

const NEWLINE = /\n/;

// What journalctl's short modes print for a message that is not plain UTF-8 text (systemd
// logs-show.c `output_short`: `[%s blob data]` with format_bytes, `105B`, `1.2K`), unless `--all`.
const BLOB_DATA = /^\[\d+(?:\.\d)?[BKMGTPE] blob data\]$/;

/** Lines of the head that `sniff` reads. */
const SNIFF_LINES = 200;

/** The `kernel-log` ingester (DESIGN.md §2). */
export const kernelLog: Ingester = {
  kind: "kernel-log",
  description:
    "Kernel OOM reports (dmesg, journalctl, syslog, /dev/kmsg, talosctl); systemd-oomd/earlyoom kills; kubelet evictions",
  nameHint: /dmesg|kern(el)?|journal|messages|syslog|kmsg/i,

  /**
   * True for kernel log text: any OOM-report message, a userspace OOM daemon's kill or a kubelet
   * eviction manager line, or several lines with a kernel log prefix
   * (`[   12.345678] `, `[Wed Sep 16 17:51:34 2026] `, `kern  :warn  : `, `… host kernel: `,
   * `6,1204,912833411207,-;`), since a big journal's first OOM may lie far beyond the head.
   * False for JSON/YAML, `kubectl describe` (even when an event quotes a kernel line), memory.stat, pmap.
   */
  sniff(head: string): boolean {
    // JSON is not a kernel log, unless its first line is a journal entry (`journalctl -o json`).
    if (isPrettyJournal(head) || isVerboseJournal(head)) return true;
    if (head.trim() === "" || (JSON_START.test(head) && !stripPrefix(head.trimStart().split(NEWLINE, 1)[0]!).syslog))
      return false;
    let structured = 0;
    let prefixed = 0;
    let syslog = 0;
    let syslogKernel = 0;
    let markers = 0;
    let nonEmpty = 0;
    for (const text of head.split(NEWLINE).slice(0, SNIFF_LINES)) {
      if (text.trim() === "") continue;
      nonEmpty++;
      if (STRUCTURED_LINE.test(text)) structured++;
      const s = stripPrefix(text);
      if (s.syslog) {
        syslog++;
        if (s.kernel) syslogKernel++;
      } else if (s.prefixed) prefixed++;
      if (
        (s.kernel && OOM_MARKER.test(s.message)) ||
        (s.syslog && isUserspaceKillMessage(s.message)) ||
        isEvictionManagerLine(s.message)
      )
        markers++;
    }
    const kernelLines = prefixed + syslogKernel;
    if (structured >= 2 && kernelLines < structured) return false;
    if (markers > 0) return true;
    if (kernelLines >= 3 || (kernelLines >= 1 && kernelLines === nonEmpty)) return true;
    return syslogKernel >= 1 && syslog >= 3;
  },

  /**
   * Streams the file once. Returns one `OomEvent` per report (fragments included, with a
   * warning naming what is missing), `ClockAnchor`s from lines with a full wall clock and an
   * uptime (the file's first prefixed line and the first line of each report), `UserspaceKill`s
   * from systemd-oomd/earlyoom journal lines, and warnings. Never throws.
   */
  async parse(source) {
    return parseKernelLog(source);
  },
};

/**
 * `kernelLog.parse`. A UTF-8 source with `bytes()` is scanned (`kernel-log/scan.ts`: only lines
 * that can matter are decoded; `opts` tune it, for tests of read boundaries and of its helper thread);
 * `{ scan: false }`, or a source without bytes (UTF-16, terminal captures), reads every line:
 * the reference the scan is tested against.
 * @internal exported for its tests (not the public API)
 */
export async function parseKernelLog(
  source: ArtifactSource,
  opts: { scan?: boolean } & ScanOptions = {},
): Promise<FactSet> {
  const facts: FactSet = emptyFacts();
  const sink = boundedSink(facts.diagnostics, source.path);
  const victimless = { kept: 0, skipped: 0, first: 0 };
  const keep = (ev: OomEvent): void => {
    if (namesNoVictim(ev)) {
      if (victimless.kept >= MAX_VICTIMLESS_REPORTS) {
        if (victimless.skipped++ === 0) victimless.first = ev.source.line ?? 0;
        return;
      }
      victimless.kept++;
    }
    facts.ooms.push(ev);
  };
  const reports = new OomReportParser(source.path, { event: keep, warn: sink.warn });
  const reader = new LineReader();
  // `journalctl -o json-pretty` and `-o verbose`: their entries span lines, so every line is read and joined.
  const pretty = isPrettyJournal(source.head)
    ? new PrettyJournal()
    : isVerboseJournal(source.head)
      ? new VerboseJournal()
      : null;
  const kubelet = new KubeletEvictionReader(source.path);
  let lastLine = 0;
  let recognised = false;
  const unread = { first: null as KernelLine | null, lastLine: 0, count: 0 };
  const blobs = { first: null as KernelLine | null, count: 0 };
  const read = (line: Line): void => {
    lastLine = line.line;
    if (!pretty) readLine(line);
    else for (const input of pretty.feed(line)) readLine(input);
  };
  const readLine = (input: Line): void => {
    for (const kl of reader.read(input)) {
      const firstPrefixed = kl.prefixed && !recognised;
      if (kl.prefixed || kl.continuation) recognised = true;
      if (kl.timeRejected && !kl.continuation)
        sink.warn(warning("kernel-log/time-out-of-range", kl.timeRejected, { file: source.path, line: kl.line }));
      if (BLOB_DATA.test(kl.message)) {
        blobs.first ??= kl;
        blobs.count++;
      }
      // One count per input line: a multi-part record (a kmsg line with its continuations, a
      // journal entry) yields several kernel lines of one line number.
      if (kl.timeUnread && !kl.continuation && unread.lastLine !== kl.line) {
        unread.first ??= kl;
        unread.lastLine = kl.line;
        unread.count++;
      }
      if (isEvictionManagerLine(kl.message)) {
        const evicted = kubelet.read(kl);
        const pod = evicted ? podFromEviction(evicted) : null;
        if (evicted) facts.events.push(evicted);
        // The pod ran on the node whose kubelet logged the eviction.
        if (pod) facts.pods.push({ ...pod, node: kl.host });
        continue;
      }
      if (!kl.kernel) {
        const uk = readUserspaceKill(kl, source.path, facts.userspaceKills.at(-1) ?? null);
        if (uk) facts.userspaceKills.push(uk);
        continue;
      }
      const started = reports.feed(kl);
      if ((started || firstPrefixed) && anchorable(kl)) {
        facts.clockAnchors.push({
          wallMs: kl.time.wallMs!,
          uptimeSec: kl.time.uptimeSec!,
          clock: kl.time.clock,
          source: { file: source.path, line: kl.line },
        });
      }
    }
  };
  const scan = opts.scan !== false && source.bytes ? newScan(opts) : null;
  if (scan && source.bytes) {
    lastLine = await scan.run(
      source.bytes(),
      {
        // Until a prefixed line is seen, every line (an unprefixed paste must be read whole).
        everyLine: () => pretty !== null || !recognised || reports.needsEveryLine(),
        line: (input, skippedBefore) => {
          replayPrefix(reader, skippedBefore);
          read(input);
        },
      },
      source.lineStarts,
    );
  } else {
    for await (const batch of lineBatchesOf(source)) for (const input of batch) read(input);
  }
  for (const input of pretty?.end() ?? []) readLine(input);
  reports.end(lastLine);
  if (unread.first) {
    const more = unread.count > 1 ? `; ${unread.count - 1} more line(s) read in this file are like it` : "";
    sink.warn(
      warning(
        "kernel-log/time-unreadable",
        `time prefix not read: ${unread.first.timeUnread} — expected a month as \`dmesg -T\` or journalctl prints it in one of those locales — received \`${unread.first.raw.slice(0, 80)}\`; the line is read without a wall-clock time and keeps its place in the file${more}`,
        { file: source.path, line: unread.first.line },
      ),
    );
  }
  if (victimless.skipped > 0) {
    // Past the diagnostics cap too: a budget that was hit is always said.
    facts.diagnostics.push(
      warning(
        "kernel-log/victimless-reports-skipped",
        `${victimless.skipped} more OOM reports without a victim were skipped, from line ${victimless.first} on — expected at most ${MAX_VICTIMLESS_REPORTS} per file (each names no process killed) — received ${MAX_VICTIMLESS_REPORTS + victimless.skipped}; reports that name a victim are all read`,
        { file: source.path, line: victimless.first },
      ),
    );
  }
  if (blobs.first) {
    sink.warn(
      warning(
        "kernel-log/journal-blob",
        `journalctl printed \`${blobs.first.message}\` instead of ${blobs.count === 1 ? "a message" : `${blobs.count} messages`} read here (not plain UTF-8 text, such as a task name with other bytes) — expected the kernel's text — received its size only; what it said is missing from the report: save the journal with \`journalctl -a\` (or \`-o json\`) to keep it`,
        { file: source.path, line: blobs.first.line },
      ),
    );
  }
  if (facts.ooms.length === 0 && !recognised && lastLine > 0) {
    sink.warn(
      warning(
        "kernel-log/no-kernel-lines",
        `no kernel log line or OOM report recognised — expected dmesg/journal/syslog lines or messages such as \`Killed process\` — received ${lastLine} unrecognised lines`,
        { file: source.path, line: 1 },
      ),
    );
  }
  sink.close();
  return facts;
}

// A report naming no process killed: no victim line, `oom-kill:` task, oom_reaper line or
// selection (the sources correlate's `killedTask` reads a kill's victim from).
function namesNoVictim(ev: OomEvent): boolean {
  return ev.victims.length === 0 && !ev.summaryTask && ev.reaped.length === 0 && !ev.selected;
}

// The scan, or null where WebAssembly SIMD is missing (every line is read instead).
function newScan(opts: ScanOptions): KernelLogScan | null {
  try {
    return new KernelLogScan(opts);
  } catch {
    return null;
  }
}

// Before a line read after skipped ones: the nearest skipped line with a prefix sets what an
// unprefixed line continues (time, host, kernel or not), as reading every line would have.
function replayPrefix(reader: LineReader, skippedBefore: () => Iterable<Line>): void {
  for (const l of skippedBefore()) {
    if (stripPrefix(l.text).prefixed) {
      reader.read(l);
      return;
    }
  }
}

// A line with both a complete wall clock (year known: ISO, full date, epoch) and an uptime:
// syslog/journal + `[uptime]`. Anchors come from a file's first prefixed line and each report's
// first line (a BSD `Jun  9 11:00:00` stamp has no year and anchors nothing).
function anchorable(kl: KernelLine): boolean {
  return kl.time.wallMs !== null && kl.time.uptimeSec !== null;
}

// Caps the number of diagnostics so a damaged gigabyte file cannot flood the report.
function boundedSink(out: Diagnostic[], file: string): { warn: (d: Diagnostic) => void; close: () => void } {
  let suppressed = 0;
  return {
    warn: (d) => {
      if (out.length < MAX_DIAGNOSTICS) out.push(d);
      else suppressed++;
    },
    close: () => {
      if (suppressed > 0)
        out.push(
          warning(
            "kernel-log/too-many-warnings",
            `${suppressed} further warnings were left out — expected at most ${MAX_DIAGNOSTICS} — received ${MAX_DIAGNOSTICS + suppressed}`,
            { file },
          ),
        );
    },
  };
}
