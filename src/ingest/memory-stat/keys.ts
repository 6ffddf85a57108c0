/**
 * Vocabulary of the cgroup memory controller files: which sibling file holds what, which
 * memory.stat keys mark cgroup v1 or v2, and which keys are memory.events counters.
 * Sources: kernel `Documentation/admin-guide/cgroup-v2.rst` (Memory Interface Files) and
 * `Documentation/admin-guide/cgroup-v1/memory.rst` (§5.2 stat file).
 *
 * Sample v2 line: `anon 348016640`; v1: `hierarchical_memory_limit 9223372036854771712`.
 */

/** What a sibling file contributes to a snapshot. */
type FileRole = "stat" | "events" | "limit" | "current" | "peak" | "failcnt" | "pressure" | "oom-control" | "ignored";

/** A memory.* file we understand: its role and the cgroup version it exists in (null: both). */
interface SiblingFile {
  role: FileRole;
  version: 1 | 2 | null;
}

/** Files read by name. Any other `memory.*` file (memory.min, memory.swap.*, …) is ignored. */
const SIBLING_FILES: Readonly<Record<string, SiblingFile>> = {
  "memory.stat": { role: "stat", version: null },
  "memory.events": { role: "events", version: 2 },
  "memory.max": { role: "limit", version: 2 },
  "memory.current": { role: "current", version: 2 },
  "memory.peak": { role: "peak", version: 2 },
  "memory.pressure": { role: "pressure", version: 2 },
  "memory.limit_in_bytes": { role: "limit", version: 1 },
  "memory.usage_in_bytes": { role: "current", version: 1 },
  "memory.max_usage_in_bytes": { role: "peak", version: 1 },
  "memory.failcnt": { role: "failcnt", version: 1 },
  "memory.oom_control": { role: "oom-control", version: 1 },
};

/** The role of a file name; unknown `memory.*` and non-memory files are "ignored". */
export function siblingOf(fileName: string | null): SiblingFile | null {
  if (fileName === null) return null;
  return SIBLING_FILES[fileName] ?? { role: "ignored", version: null };
}

/**
 * `memory.events` keys (v2: low, high, max, oom, oom_kill, oom_group_kill) and v1
 * `memory.oom_control` keys (oom_kill_disable, under_oom, oom_kill). None of them is a
 * memory.stat key, so a `key value` line is routed by its key wherever it appears.
 */
export const EVENT_KEYS: ReadonlySet<string> = new Set([
  "low",
  "high",
  "max",
  "oom",
  "oom_kill",
  "oom_group_kill",
  "oom_kill_disable",
  "under_oom",
]);

/** memory.stat keys that exist only in cgroup v1 (besides every `total_*` key). */
const V1_MARKERS: ReadonlySet<string> = new Set([
  "cache",
  "rss",
  "rss_huge",
  "mapped_file",
  "hierarchical_memory_limit",
  "hierarchical_memsw_limit",
  "pgpgin",
  "pgpgout",
  "dirty",
  "writeback",
  "swap",
]);

/** memory.stat keys that exist only in cgroup v2. */
const V2_MARKERS: ReadonlySet<string> = new Set([
  "anon",
  "file",
  "kernel",
  "kernel_stack",
  "pagetables",
  "sec_pagetables",
  "percpu",
  "sock",
  "vmalloc",
  "file_mapped",
  "file_dirty",
  "file_writeback",
  "anon_thp",
  "file_thp",
  "shmem_thp",
  "slab",
  "slab_reclaimable",
  "slab_unreclaimable",
  "zswap",
  "zswapped",
]);

/** Keys both versions print (v1 since ~5.x has the workingset_* ones too). */
const SHARED_KEYS: ReadonlySet<string> = new Set([
  "shmem",
  "swapcached",
  "inactive_anon",
  "active_anon",
  "inactive_file",
  "active_file",
  "unevictable",
  "pgfault",
  "pgmajfault",
  "pgrefill",
  "pgscan",
  "pgsteal",
  "pgactivate",
  "pgdeactivate",
  "pglazyfree",
  "pglazyfreed",
  "workingset_refault_anon",
  "workingset_refault_file",
  "workingset_activate_anon",
  "workingset_activate_file",
  "workingset_restore_anon",
  "workingset_restore_file",
  "workingset_nodereclaim",
  "thp_fault_alloc",
  "thp_collapse_alloc",
  "zswpin",
  "zswpout",
  "pswpin",
  "pswpout",
  "hugetlb",
]);

/** The cgroup version a memory.stat key implies, or null for keys both print or unknown keys. */
export function versionOfKey(key: string): 1 | 2 | null {
  if (V1_MARKERS.has(key) || key.startsWith("total_")) return 1;
  if (V2_MARKERS.has(key)) return 2;
  return null;
}

/**
 * Keys only memory.stat prints: not in /proc/vmstat (which shares pgpgin, pgfault,
 * workingset_*, …) nor in /proc/meminfo. `sniff` needs some of these to claim content.
 */
export function isDistinctiveStatKey(key: string): boolean {
  return (versionOfKey(key) !== null && !VMSTAT_TOO.has(key)) || key === "shmem";
}

/** v1/v2-only memory.stat keys that /proc/vmstat prints too. */
const VMSTAT_TOO: ReadonlySet<string> = new Set(["pgpgin", "pgpgout", "swap", "dirty", "writeback"]);

/** True for a key documented for memory.stat in either version (used by `sniff`). */
export function isKnownStatKey(key: string): boolean {
  return versionOfKey(key) !== null || SHARED_KEYS.has(key);
}

/**
 * Keys a complete memory.stat must have, per version: the anon and page-cache sizes the
 * diagnosis needs. v1 accepts either the local or the hierarchical (`total_*`) spelling.
 */
export const REQUIRED_KEYS: Readonly<Record<1 | 2, readonly (readonly string[])[]>> = {
  1: [
    ["rss", "total_rss"],
    ["cache", "total_cache"],
  ],
  2: [["anon"], ["file"]],
};
