/**
 * sysstat's memory, swap and paging fields (sar(1) `-r`, `-S`, `-B`; sadf(1) `-x` element
 * names) and the metric each becomes. Sizes are printed in kB (KiB) and become bytes; node
 * memory series carry node_exporter names where one means the same (`MemAvailable` is sar's
 * `kbavail`), and `node_memory_sysstat_*` / `node_sysstat_*` for sysstat's own figures, so every
 * one is recognised as node-level (never a container's usage).
 */
import type { MetricSeries } from "../../model/facts.js";

/** How one field is kept: metric name, unit, and the factor to bytes. */
interface FieldSpec {
  metric: string;
  unit: MetricSeries["unit"];
  factor: number;
}

const KB = 1024;
const bytes = (metric: string): FieldSpec => ({ metric, unit: "bytes", factor: KB });
const pct = (metric: string): FieldSpec => ({ metric, unit: "percent", factor: 1 });
const rate = (metric: string): FieldSpec => ({ metric, unit: "per-second", factor: 1 });

/** sadf -x element name → spec. */
export const XML_FIELDS: Record<string, FieldSpec> = {
  memfree: bytes("node_memory_MemFree_bytes"),
  avail: bytes("node_memory_MemAvailable_bytes"),
  memused: bytes("node_memory_sysstat_memused_bytes"),
  "memused-percent": pct("node_memory_sysstat_memused_percent"),
  buffers: bytes("node_memory_Buffers_bytes"),
  cached: bytes("node_memory_Cached_bytes"),
  commit: bytes("node_memory_Committed_AS_bytes"),
  "commit-percent": pct("node_memory_sysstat_commit_percent"),
  active: bytes("node_memory_Active_bytes"),
  inactive: bytes("node_memory_Inactive_bytes"),
  dirty: bytes("node_memory_Dirty_bytes"),
  swpfree: bytes("node_memory_SwapFree_bytes"),
  swpused: bytes("node_memory_sysstat_swpused_bytes"),
  "swpused-percent": pct("node_memory_sysstat_swpused_percent"),
  swpcad: bytes("node_memory_SwapCached_bytes"),
  pgpgin: rate("node_sysstat_pgpgin_per_second"),
  pgpgout: rate("node_sysstat_pgpgout_per_second"),
  fault: rate("node_sysstat_fault_per_second"),
  majflt: rate("node_sysstat_majflt_per_second"),
  pgfree: rate("node_sysstat_pgfree_per_second"),
  pgscank: rate("node_sysstat_pgscank_per_second"),
  pgscand: rate("node_sysstat_pgscand_per_second"),
  pgsteal: rate("node_sysstat_pgsteal_per_second"),
};

/** sar text column → the sadf element it prints (`kbmemfree` is `memfree`, `%commit` is `commit-percent`). */
export const TEXT_COLUMNS: Record<string, string> = {
  kbmemfree: "memfree",
  kbavail: "avail",
  kbmemused: "memused",
  "%memused": "memused-percent",
  kbbuffers: "buffers",
  kbcached: "cached",
  kbcommit: "commit",
  "%commit": "commit-percent",
  kbactive: "active",
  kbinact: "inactive",
  kbdirty: "dirty",
  kbswpfree: "swpfree",
  kbswpused: "swpused",
  "%swpused": "swpused-percent",
  kbswpcad: "swpcad",
  "pgpgin/s": "pgpgin",
  "pgpgout/s": "pgpgout",
  "fault/s": "fault",
  "majflt/s": "majflt",
  "pgfree/s": "pgfree",
  "pgscank/s": "pgscank",
  "pgscand/s": "pgscand",
  "pgsteal/s": "pgsteal",
};

/** One interval of one host: its time (epoch ms; `local` when the zone is not known) and its values by field. */
export interface SysstatRow {
  ms: number;
  local: boolean;
  values: Record<string, number>;
  line: number;
}
