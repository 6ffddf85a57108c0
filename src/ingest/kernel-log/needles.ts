/**
 * The byte strings that mark a line the OOM report parser may need: every message kind
 * `classify()` (messages.ts) knows contains one of them, so a line without any can be skipped
 * unread while no report is open. Each needle is found by a 4-byte `gram` of it (a SIMD search in
 * `byte-kernels.ts`), then confirmed on the bytes around it.
 *
 * Sample input (one line per needle; the needle is in the message):
 * ```text
 * [1178.612437] worker invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=985
 * [1178.612440] CPU: 1 PID: 31744 Comm: worker Not tainted 6.1.158-180.294.amzn2023.x86_64 #1
 * [1178.612502] memory: usage 524288kB, limit 524288kB, failcnt 1672
 * [1178.612530] Memory cgroup stats for /kubepods.slice/kubepods-burstable.slice:
 * [1178.612590] Tasks state (memory values in pages):
 * [1178.612591] [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name
 * [1178.612611] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/kubepods.slice,task_memcg=/kubepods.slice,task=worker,pid=31744,uid=1000
 * [1178.612734] Memory cgroup out of memory: Killed process 31744 (worker) total-vm:1843212kB, anon-rss:519880kB, file-rss:3412kB, shmem-rss:0kB, UID:1000 pgtables:1164kB oom_score_adj:985
 * [1178.631005] oom_reaper: reaped process 31744 (worker), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB
 * [1180.000001] Out of memory and no killable processes...
 * [1178.612580] 4194174 pages RAM
 * Jun 09 11:02:10 node-1 kubelet[1203]: I0609 11:02:10.512690    1203 eviction_manager.go:366] "Eviction manager: attempting to reclaim" resourceName="memory"
 * ```
 */
import { GRAM } from "./byte-kernels.js";

/** One needle: its text and where in it the gram starts. */
interface Needle {
  text: string;
  /** Offset of the `GRAM`-byte (4) gram inside `text`: a part of it rare in other lines of a node log. */
  at: number;
  /**
   * Another needle's gram whose SIMD bucket this one shares (there are eight buckets). A
   * shared bucket also stops at the mixes of the two (`Out ` + ` RAM` also finds ` ut `, `OuA `, …),
   * which `needleAt` turns down: pick a partner whose mixes are rare in node logs.
   */
  shares?: string;
}

/**
 * One needle per message family (messages.ts, victim.ts): trigger and summary (`oom-kill`
 * covers ` invoked oom-killer: ` and `oom-kill:`), reaper, victim and legacy selection, memcg
 * stats header, legacy `Task in` and group kill `Tasks in`, usage counters (`memory: usage`,
 * `swap: usage`, …), the tasks-table header (by its `total_vm` column), the `CPU: … Comm: ` /
 * `Pid: …, comm: ` line, and `Out of memory and no killable processes...`, the `N pages RAM`
 * line of show_mem(), the tags of userspace OOM daemons (systemd-oomd, earlyoom) in a journal,
 * and the kubelet's `eviction_manager.go:` klog header. A new message kind needs a needle here
 * (the scan test checks every fixture message has one); eight buckets at most (`shares`).
 * Grams are chosen away from what fills node logs: `pid=` (audit), `Killing container`
 * (kubelet), `*_manager.go` (klog), `memory`; and so are their first three bytes, which the
 * SIMD search tests first (`byte-kernels.ts`): `pid]` was dropped for `l_vm` because `pid`
 * starts every audit line's `pid=`.
 */
const NEEDLES: readonly Needle[] = [
  { text: "oom-kill", at: 0 },
  { text: "oom_reaper: ", at: 0, shares: "oom-" },
  // `lled` and `ll p`, not `Kill`: kubelet's `Killing container` fills a node journal.
  { text: "Killed process ", at: 2 },
  { text: "Kill process ", at: 2, shares: "lled" },
  { text: "Memory cgroup stats for ", at: 0 },
  { text: "Task in ", at: 0 },
  { text: "Tasks in ", at: 0 },
  { text: ": usage ", at: 2 },
  // The tasks table header (dump_tasks()): every kernel that prints one (2.6.25 on) has a `total_vm`
  // column: `[ pid ]   uid  tgid total_vm      rss cpu oom_adj name` … `[  pid  ]   uid  tgid total_vm …`.
  { text: "total_vm", at: 4 },
  { text: "omm: ", at: 1 },
  { text: "Out of memory and ", at: 0 },
  // show_mem()'s RAM size in a global OOM's Mem-Info block: `4194174 pages RAM`.
  { text: " pages RAM", at: 6, shares: "Out " },
  // Userspace OOM daemons in a journal (userspace-killer.ts), by their syslog tag: `systemd-oomd[688]: Killed …`,
  // systemd's `…scope: systemd-oomd killed 3 process(es)`, `earlyoom[902]: sending SIGKILL …`.
  { text: "systemd-oomd", at: 8, shares: "oom-" },
  { text: "earlyoom", at: 4, shares: "oom-" },
  // The kubelet's eviction manager (kubelet-eviction.ts), by its klog header: `… 1203 eviction_manager.go:366] …`.
  { text: "eviction_manager.go:", at: 7, shares: "mm: " },
];

/** The grams of `NEEDLES` by SIMD bucket: each distinct gram its own, or the bucket it `shares`. */
export const BUCKETS: readonly (readonly string[])[] = bucketsOf(NEEDLES);

function bucketsOf(needles: readonly Needle[]): string[][] {
  const buckets = new Map<string, string[]>();
  for (const n of needles) {
    const gram = n.text.slice(n.at, n.at + GRAM);
    const key = n.shares ?? gram;
    const bucket = buckets.get(key) ?? [key];
    if (!bucket.includes(gram)) bucket.push(gram);
    buckets.set(key, bucket);
  }
  return [...buckets.values()];
}

// Needles by the first byte of their gram (what `find` stopped at), as bytes.
const BY_FIRST_BYTE = new Map<number, { bytes: Buffer; at: number }[]>();
for (const n of NEEDLES) {
  const key = n.text.charCodeAt(n.at);
  BY_FIRST_BYTE.set(key, [...(BY_FIRST_BYTE.get(key) ?? []), { bytes: Buffer.from(n.text, "latin1"), at: n.at }]);
}

/**
 * True when the gram found at `i` is part of a whole needle lying within `[start, end)`.
 * (Needles hold no newline, so one found whole lies within one line.)
 */
export function needleAt(bytes: Uint8Array, i: number, start: number, end: number): boolean {
  const candidates = BY_FIRST_BYTE.get(bytes[i]!);
  if (!candidates) return false;
  for (const n of candidates) {
    const from = i - n.at;
    const stop = from + n.bytes.length;
    if (from < start || stop > end) continue;
    let k = 0;
    while (k < n.bytes.length && bytes[from + k] === n.bytes[k]) k++;
    if (k === n.bytes.length) return true;
  }
  return false;
}
