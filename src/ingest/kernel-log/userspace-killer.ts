/**
 * Kills by userspace OOM daemons, as their journal/syslog lines say them (the node's journal is
 * read by the kernel-log ingester, so a `journalctl` dump with both kinds of lines is read once):
 * - systemd-oomd (systemd ≥ 248, `src/oom/oomd-manager.c`): `log_notice("Killed %s due to memory
 *   pressure for %s being %lu.%02lu%% > %lu.%02lu%% for > %s with reclaim activity", …)` and
 *   `"Killed %s due to memory used (%lu) / total (%lu) and swap used (%lu) / total (%lu) being more
 *   than %s"` (older: `due to swap used (%lu) / total (%lu) being more than …`); newer releases log
 *   `Marked %s for killing due to …` before the kill. systemd (PID 1, `src/core/unit.c`) then says
 *   `<unit>: systemd-oomd killed %lu process(es) in this unit.`
 * - earlyoom (`kill.c`): `warn("sending %s to process %d uid %d \"%s\": badness %d, VmRSS %lld MiB\n", …)`;
 *   1.8 prints `oom_score %d, VmRSS %lld MiB, cmdline "…"`, later also `oom_score_adj %d`.
 * The message is matched with its prefix (time, host, `tag[pid]:`) already removed.
 *
 * Sample input:
 * ```text
 * Nov 28 09:31:07 fedora-k8s-w2 systemd-oomd[688]: Killed /kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podc5bd9b61_8f24_436d_94b3_03ea2e073117.slice/crio-7308dea4c5ca644a4d13b849f1d197fccf960c57941341c8421f9786405465a6.scope due to memory pressure for /kubepods.slice being 78.41% > 60.00% for > 20s with reclaim activity
 * Nov 28 09:31:07 fedora-k8s-w2 systemd[1]: crio-7308dea4c5ca644a4d13b849f1d197fccf960c57941341c8421f9786405465a6.scope: systemd-oomd killed 3 process(es) in this unit.
 * Jun 03 14:22:51 worker-3 earlyoom[812]: sending SIGTERM to process 20411 uid 1000 "java": badness 912, VmRSS 6120 MiB
 * ```
 */
import type { UserspaceKill } from "../../model/facts.js";
import type { KernelLine } from "./prefix.js";

// systemd-oomd: `Killed <cgroup> due to <reason>` / `Marked <cgroup> for killing due to <reason>`.
const OOMD_KILL = /^(?:Killed|Marked) (\/\S*) (?:for killing )?due to (.+?)\.?$/;

// systemd PID 1 about the unit systemd-oomd killed in.
const UNIT_KILLED = /^(\S+): systemd-oomd killed \d+ process\(es\) in this unit\.?$/;

// earlyoom: `sending SIGKILL to process 4410 uid 1000 "java": badness 900, VmRSS 3100 MiB`; the
// name may itself hold quotes, so it runs to the last `": `. The lookahead checks once that the rest
// holds no line break, so no `": ` is retried against one.
const EARLYOOM_KILL = /^sending (SIG[A-Z]+) to process (\d+)(?: uid \d+)? "(?=.*$)(.*)": (.*)$/;
const VMRSS = /\bVmRSS (\d+) MiB/;

const MIB = 2 ** 20;

/** Cheap pre-check before the regular expressions (runs on every kept line). */
const HINT = /Killed \/|Marked \/|systemd-oomd killed|^sending SIG/;

/**
 * Reads one line as a userspace OOM kill, or returns null. A systemd unit line about the cgroup
 * of the kill read just before (`last`), or earlyoom's SIGKILL after its SIGTERM to the same
 * process, is added to that kill's `more` instead (returns null).
 */
export function readUserspaceKill(l: KernelLine, file: string, last: UserspaceKill | null): UserspaceKill | null {
  const m = l.message;
  if (!HINT.test(m)) return null;
  const base = { time: l.time, host: l.host, source: { file, line: l.line }, text: l.raw, more: [] };
  const oomd = OOMD_KILL.exec(m);
  if (oomd) {
    return {
      ...base,
      killer: "systemd-oomd",
      cgroup: oomd[1]!,
      pid: null,
      process: null,
      signal: "SIGKILL",
      rssBytes: null,
      reason: oomd[2]!,
    };
  }
  const unit = UNIT_KILLED.exec(m);
  if (unit) {
    if (last?.killer === "systemd-oomd" && last.cgroup?.endsWith(`/${unit[1]}`)) {
      last.more.push({ source: base.source, text: l.raw });
      return null;
    }
    return {
      ...base,
      killer: "systemd-oomd",
      cgroup: unit[1]!,
      pid: null,
      process: null,
      signal: "SIGKILL",
      rssBytes: null,
      reason: null,
    };
  }
  const early = EARLYOOM_KILL.exec(m);
  if (early && last?.killer === "earlyoom" && last.pid === Number(early[2]) && last.process === early[3]) {
    // SIGTERM first, then SIGKILL when the process did not exit: one kill.
    last.more.push({ source: base.source, text: l.raw });
    last.signal = early[1]!;
    return null;
  }
  if (early) {
    const rss = VMRSS.exec(early[4]!);
    return {
      ...base,
      killer: "earlyoom",
      cgroup: null,
      pid: Number(early[2]),
      process: early[3]!,
      signal: early[1]!,
      rssBytes: rss ? Number(rss[1]) * MIB : null,
      reason: early[4]!,
    };
  }
  return null;
}

/** True for a message (prefix removed) that `readUserspaceKill` would read: for sniffing. */
export function isUserspaceKillMessage(m: string): boolean {
  return HINT.test(m) && (OOMD_KILL.test(m) || UNIT_KILLED.test(m) || EARLYOOM_KILL.test(m));
}
