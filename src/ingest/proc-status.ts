/**
 * proc-status: a process's memory as the kernel reports it in `/proc/<pid>/status` (kernel
 * `fs/proc/task_mmu.c` `task_mem()`; `Documentation/filesystems/proc.rst` table 1-2:
 * `VmHWM`, `VmRSS`, `RssAnon`, `RssFile`, `RssShmem`, `VmData`, `VmSwap`, `Threads`, sizes in kB)
 * and `/proc/<pid>/smaps_rollup` (`fs/proc/task_mmu.c` `show_smaps_rollup()`: `Rss`, `Pss`,
 * `Anonymous`, `Swap`, … in kB, under a `[rollup]` line). Several files may be concatenated
 * (`head /proc/1/status /proc/1/smaps_rollup` with `==> file <==` headers, or pasted after
 * `$ cat /proc/1/status`): the pid comes from the path or the `Pid:` line, a status and a
 * smaps_rollup of the same pid merge into one `ProcessMemoryFact`, a repeated key starts the next.
 *
 * Sample input (Linux 6.1, `kubectl exec chat-gw-… -- cat /proc/1/status`):
 * ```text
 * Name:	chat-gw
 * Pid:	1
 * VmHWM:	  981204 kB
 * VmRSS:	  979112 kB
 * RssAnon:	  961200 kB
 * RssFile:	   17912 kB
 * RssShmem:	       0 kB
 * Threads:	412
 * ```
 */
import { emptyFacts, type FactSet, type ProcessMemoryFact } from "../model/facts.js";
import { warning } from "../model/source.js";
import { readCommandLine } from "./shared/command-line.js";
import type { ArtifactSource, Ingester } from "./types.js";

/** `Key:<tab or spaces>value [kB]`. */
const FIELD = /^([A-Z_][\w()]*):(.*)$/i;
/** A size: `979112 kB`. */
const KB_VALUE = /^(\d+) kB$/;
/** The smaps_rollup first line: `00400000-7ffd5b5fe000 ---p 00000000 00:00 0   [rollup]`. */
const ROLLUP = /^[0-9a-f]+-[0-9a-f]+\s+\S+\s+[0-9a-f]+\s+\S+\s+\d+\s+\[rollup\]$/;
/** `==> /proc/1/status <==` (head/tail) or a path in a prompt: the pid and which file. */
const FILE_HEADER = /^==> (.+) <==$/;
const PROC_PATH = /\/proc\/(\d+|self)\/(?:status|smaps_rollup)\b/;

/** Status keys kept, by field. */
const STATUS_FIELDS = {
  VmRSS: "vmRssBytes",
  VmHWM: "vmHwmBytes",
  RssAnon: "rssAnonBytes",
  RssFile: "rssFileBytes",
  RssShmem: "rssShmemBytes",
  VmSwap: "vmSwapBytes",
  VmSize: "vmSizeBytes",
  VmData: "vmDataBytes",
} as const;

/** Lines a status file has and nothing else does. */
const SNIFF_STATUS = /^VmRSS:\s+\d+ kB$/m;
const SNIFF_ROLLUP = /\[rollup\]\s*$|^Pss_Anon:\s+\d+ kB$/m;

export const procStatus: Ingester = {
  kind: "proc-status",
  description: "/proc/<pid>/status (VmRSS, VmHWM, RssAnon, RssFile, RssShmem, Threads) and /proc/<pid>/smaps_rollup",

  sniff(head: string): boolean {
    return (
      (SNIFF_STATUS.test(head) && /^(?:Name|Pid|VmHWM|RssAnon):/m.test(head)) ||
      (SNIFF_ROLLUP.test(head) && /^Rss:\s+\d+ kB$/m.test(head))
    );
  },

  async parse(source: ArtifactSource): Promise<FactSet> {
    const facts = emptyFacts();
    let current: ProcessMemoryFact | null = null;
    let pathPid: number | null = null;
    let bad = 0;
    const start = (line: number): ProcessMemoryFact => {
      const fact: ProcessMemoryFact = {
        source: { file: source.path, line },
        pid: pathPid,
        name: null,
        vmRssBytes: null,
        vmHwmBytes: null,
        rssAnonBytes: null,
        rssFileBytes: null,
        rssShmemBytes: null,
        vmSwapBytes: null,
        vmSizeBytes: null,
        vmDataBytes: null,
        threads: null,
        smaps: {},
        lines: {},
      };
      facts.processes.push(fact);
      return fact;
    };
    for await (const { text, line } of source.lines()) {
      const t = text.trim();
      if (t === "") continue;
      const header = FILE_HEADER.exec(t)?.[1] ?? (readCommandLine(text) ? t : null);
      if (header !== null) {
        const m = PROC_PATH.exec(header);
        const pid = m && m[1] !== "self" ? Number(m[1]) : null;
        // Another process's file starts another fact; the same pid's second file merges into it.
        if (current && pid !== null && current.pid !== null && pid !== current.pid) current = null;
        pathPid = pid;
        if (current && current.pid === null) current.pid = pid;
        continue;
      }
      if (ROLLUP.test(t)) continue;
      const f = FIELD.exec(t);
      if (!f) {
        if (++bad <= 20)
          facts.diagnostics.push(
            warning(
              "proc-status/bad-line",
              `line not understood — expected \`Key:  value\` as in /proc/<pid>/status — received \`${t.slice(0, 80)}\``,
              { file: source.path, line },
            ),
          );
        continue;
      }
      const key = f[1]!;
      const value = f[2]!.trim();
      if (current && current.lines[key] !== undefined) current = null;
      current ??= start(line);
      current.source.endLine = line;
      const read = readField(current, key, value);
      if (read !== "kept") {
        if (read === "bad" && ++bad <= 20)
          facts.diagnostics.push(
            warning(
              "proc-status/bad-size",
              `${key} is not a size — expected \`${key}:  <kB> kB\` below 2^53 bytes — received \`${value.slice(0, 60)}\``,
              { file: source.path, line },
            ),
          );
        continue;
      }
      current.lines[key] = line;
    }
    facts.processes = facts.processes.filter((p) => Object.keys(p.lines).length > 0);
    if (facts.processes.every((p) => p.vmRssBytes === null && p.smaps["Rss"] === undefined)) {
      facts.diagnostics.push({
        severity: "error",
        code: "proc-status/no-rss",
        message:
          "no resident size read — expected `VmRSS:  N kB` (/proc/<pid>/status) or `Rss:  N kB` (smaps_rollup) — received none",
        at: { file: source.path },
      });
    }
    return facts;
  },
};

// One key into the fact: kept, ignored (a key we do not keep), or bad (a size we cannot read).
function readField(p: ProcessMemoryFact, key: string, value: string): "kept" | "ignored" | "bad" {
  if (key === "Name") {
    p.name = value;
    return "kept";
  }
  if (key === "Pid" || key === "Threads") {
    const n = /^\d+$/.test(value) && Number.isSafeInteger(Number(value)) ? Number(value) : null;
    if (key === "Pid") p.pid ??= n;
    else p.threads = n;
    return n !== null ? "kept" : "ignored";
  }
  const field = STATUS_FIELDS[key as keyof typeof STATUS_FIELDS];
  // Other kB keys of status (VmPeak, VmStk, …, HugetlbPages) are not kept; the rest are smaps_rollup's.
  const smaps = !field && !key.startsWith("Vm") && key !== "HugetlbPages";
  if (!field && !smaps) return "ignored";
  const kb = KB_VALUE.exec(value);
  if (!kb) return /kB$/.test(value) ? "bad" : "ignored";
  const bytes = Number(kb[1]) * 1024;
  if (!Number.isSafeInteger(bytes)) return "bad";
  if (field) p[field] = bytes;
  else p.smaps[key] = bytes;
  return "kept";
}
