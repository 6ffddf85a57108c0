/**
 * kernel-log: the kernel's OOM reports from `dmesg` (raw, `-T`, `-x`, `--time-format iso`),
 * `journalctl -k`, `/var/log/messages` / `kern.log`, raw `/dev/kmsg`, `talosctl dmesg`, or
 * bare messages pasted without any prefix. Each report becomes one `OomEvent`: trigger,
 * constraint, memcg paths, usage/limit counters, memcg stats, tasks table, victim(s), reaper.
 * Lines that carry both a full wall clock and an uptime become `ClockAnchor`s.
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
import { emptyFacts, type FactSet } from "../model/facts.js";
import { warning, type Diagnostic } from "../model/source.js";
import { OomReportParser } from "./kernel-log/oom-report.js";
import { hasKnownPrefix, LineReader, stripPrefix, type KernelLine } from "./kernel-log/prefix.js";
import type { ArtifactSource, Ingester, Line } from "./types.js";

/** At most this many diagnostics per file; one more says how many were left out. */
export const MAX_DIAGNOSTICS = 200;

// Messages only a kernel OOM report prints (mm/oom_kill.c, mm/memcontrol.c), prefix removed.
const OOM_MARKER =
  /(?: invoked oom-killer: |^(?:(?:Memory cgroup out of memory|Out of memory(?: \([^)]*\))?): )?Killed process \d+ \(|^oom-kill:constraint=|^Memory cgroup out of memory: |^Out of memory: |^Out of memory and no killable processes|^oom_reaper: reaped process |^Task in \S+ killed as a result of limit of |^Memory cgroup stats for \/)/;

// JSON documents (`{`, `[{`, `["`, `[]`); a dmesg line `[   12.3]` is not one.
const JSON_START = /^\s*(?:\{|\[\s*(?:[{["\]]|$))/;

// `kubectl describe` keys (`Name:`, `Events:`, `Exit Code:`), YAML keys and pmap's header.
const STRUCTURED_LINE =
  /^\s*(?:(?:Name|Namespace|Labels|Annotations|Status|Containers|Init Containers|Conditions|Events|Volumes|QoS Class|Node-Selectors|Tolerations|Last State|State|Exit Code|Restart Count|Controlled By|Capacity|Allocatable|Taints|Limits|Requests):(?:\s|$)|-?\s*(?:apiVersion|kind|metadata|spec|status|containerStatuses|lastState|terminated|exitCode|finishedAt|containerID):\s|Address\s+Kbytes\s+RSS)/;

const NEWLINE = /\n/;

// A superset, on the raw line, of every message `classify()` (kernel-log/messages.ts) knows:
// `invoked oom-killer: `, `oom-kill:`, `oom_reaper: ` (all "oom"), `Kill process `, `Killed process `
// ("ocess "), `Memory cgroup stats for `, `Task in `, `Tasks in `, `memory: usage `,
// `CPU: 0 PID: 754 Comm: ` ("mm: "), `[  pid  ]` and `[  273]     0 …` tasks-table lines,
// `Out of memory and no killable processes...` ("killable").
// A line without any of these cannot change a report. (Short alternatives: this runs on every line.)
const REPORT_HINT = /o(?:om|cess )|Memory c|Tasks? in |: usage |mm: |killable|\[\s*(?:pid|\d+)\s*\]\s/;

// `REPORT_HINT`, or what a line needs to carry a clock anchor: `… kernel: [  123.456] …` after a
// syslog stamp (one pass over the line while no anchor has been found yet).
const REPORT_OR_ANCHOR_HINT = /o(?:om|cess )|Memory c|Tasks? in |: usage |mm: |killable|\[\s*(?:pid|\d+)\s*\]\s|kernel(?:\[\d+\])?: ?\[/;

/** Lines of the head that `sniff` reads. */
const SNIFF_LINES = 200;

/** The `kernel-log` ingester (DESIGN.md §2). */
export const kernelLog: Ingester = {
  kind: "kernel-log",
  description: "Kernel OOM reports: dmesg (raw, -T, -x, iso), journalctl -k, syslog, /dev/kmsg, talosctl",

  /**
   * True for kernel log text: any OOM-report message, or several lines with a kernel log prefix
   * (`[   12.345678] `, `[Wed Sep 16 17:51:34 2026] `, `kern  :warn  : `, `… host kernel: `,
   * `6,1204,912833411207,-;`), since a big journal's first OOM may lie far beyond the head.
   * False for JSON/YAML, `kubectl describe` (even when an event quotes a kernel line), memory.stat, pmap.
   */
  sniff(head: string): boolean {
    if (head.trim() === "" || JSON_START.test(head)) return false;
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
      if (s.kernel && OOM_MARKER.test(s.message)) markers++;
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
   * uptime (the first in the file and the first of each report), and warnings. Never throws.
   */
  async parse(source) {
    return parseKernelLog(source);
  },
};

/**
 * `kernelLog.parse`. `prefilter: false` reads every line fully (the reference the fast path is
 * tested against); by default lines that cannot matter are skipped unread (see `canSkip`).
 */
export async function parseKernelLog(source: ArtifactSource, opts: { prefilter: boolean } = { prefilter: true }): Promise<FactSet> {
  const facts: FactSet = emptyFacts();
  const sink = boundedSink(facts.diagnostics, source.path);
  const reports = new OomReportParser(source.path, { event: (ev) => facts.ooms.push(ev), warn: sink.warn });
  const reader = new LineReader();
  let lastLine = 0;
  let recognised = 0;
  let anchored = false;
  // The last line skipped unread (always one with a known prefix, so it alone decides the
  // reader's continuation state): replayed into the reader before the next line that is read.
  let skipped: Line | null = null;
  const onLine = (input: Line): void => {
    lastLine = input.line;
    if (opts.prefilter && canSkip(input.text, reports, anchored)) {
      skipped = input;
      recognised++;
      return;
    }
    if (skipped) {
      reader.read(skipped);
      skipped = null;
    }
    for (const kl of reader.read(input)) {
      if (kl.prefixed || kl.continuation) recognised++;
      if (kl.timeRejected && !kl.continuation) sink.warn(warning("kernel-log/time-out-of-range", kl.timeRejected, { file: source.path, line: kl.line }));
      const started = reports.feed(kl);
      if ((started || !anchored) && anchorable(kl)) {
        facts.clockAnchors.push({ wallMs: kl.time.wallMs!, uptimeSec: kl.time.uptimeSec!, clock: kl.time.clock, source: { file: source.path, line: kl.line } });
        anchored = true;
      }
    }
  };
  try {
    if (source.lineBatches) {
      for await (const batch of source.lineBatches()) for (const input of batch) onLine(input);
    } else {
      for await (const input of source.lines()) onLine(input);
    }
  } catch (err) {
    sink.warn(warning("kernel-log/read-failed", `reading stopped after line ${lastLine} — expected readable text — received ${(err as Error).message}`, { file: source.path, line: lastLine }));
  }
  reports.end(lastLine);
  if (facts.ooms.length === 0 && recognised === 0 && lastLine > 0) {
    sink.warn(warning("kernel-log/no-kernel-lines", `no kernel log line or OOM report recognised — expected dmesg/journal/syslog lines or messages such as \`Killed process\` — received ${lastLine} unrecognised lines`, { file: source.path, line: 1 }));
  }
  sink.close();
  return facts;
}

// Fast path for the bulk of a big journal: a line with a known prefix, no report message, while
// no report needs every line and no anchor is still wanted, cannot change the result.
function canSkip(text: string, reports: OomReportParser, anchored: boolean): boolean {
  if ((anchored ? REPORT_HINT : REPORT_OR_ANCHOR_HINT).test(text) || reports.needsEveryLine()) return false;
  return hasKnownPrefix(text);
}

// A line with both a complete wall clock (year known) and an uptime: syslog/journal + `[uptime]`.
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
      if (suppressed > 0) out.push(warning("kernel-log/too-many-warnings", `${suppressed} further warnings were left out — expected at most ${MAX_DIAGNOSTICS} — received ${MAX_DIAGNOSTICS + suppressed}`, { file }));
    },
  };
}
