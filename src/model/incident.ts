/**
 * The report model: exactly the JSON contract of DESIGN.md §4 (`--format json` prints it).
 * Names here are a contract with other tools: add fields, never rename or remove.
 */
import type { Evidence } from "./source.js";
import type { EvictionFact } from "./facts.js";
import type { ArtifactKind } from "./artifact.js";

/** What happened to the subject (DESIGN.md §3). */
export type EventId = "container-oom-kill" | "child-oom-kill" | "node-oom-kill" | "eviction" | "sigkill" | "none";

/** Why it happened (DESIGN.md §3). */
export type CauseId =
  | "limit-too-low"
  | "memory-leak"
  | "burst-allocation"
  | "runtime-misconfigured"
  | "native-memory"
  | "shared-memory"
  | "kernel-memory"
  | "node-overcommit"
  | "not-oom"
  | "undetermined";

export type Confidence = "high" | "medium" | "low";

/** Who the incident is about; unknown values are null, never guessed. */
export interface Subject {
  namespace: string | null;
  pod: string | null;
  podUid: string | null;
  container: string | null;
  containerId: string | null;
  node: string | null;
  /**
   * The container running now when it is not the one killed (after a restart `kubectl describe`
   * shows only the replacement's ID); absent or null when not shown or the same (added field).
   */
  liveContainerId?: string | null;
}

/**
 * How a kernel kill was tied to the subject (added field). `container-id` / `pod-uid`: the
 * memcg path names an ID the bundle shows; `evidence`: no ID to go by, so the pieces of evidence
 * short of IDs that fit are listed (`time`, `limit`, `process`, `node`, `termination`, `restarts`).
 */
export interface KillJoin {
  method: "container-id" | "pod-uid" | "evidence";
  basis: {
    kind: "container-id" | "pod-uid" | "time" | "limit" | "process" | "node" | "termination" | "restarts";
    text: string;
  }[];
  /** One line, e.g. `joined by time 14:21:15 ±1 s and limit 1 GiB`. */
  summary: string;
}

/** A process killed with the victim because its memcg had `memory.oom.group` set. */
export interface GroupMember {
  pid: number;
  process: string;
  anonRssBytes: number | null;
  evidence: Evidence;
}

/** One kill of the subject: from the kernel report and/or the container's termination record. */
export interface Kill {
  /** ISO 8601 UTC, or null when the bundle cannot place it. */
  time: string | null;
  /**
   * How `time` was obtained: `kernel-wall`, `kernel-local` (dmesg -T, zone unknown), `kernel-local-aligned`
   * (local time whose offset from UTC the join to the kubelet's record established), `uptime-anchored`,
   * `kubelet-finishedAt`; for a userspace OOM daemon's kill `journal-wall`, `journal-local`,
   * `journal-local-year-inferred` (a syslog stamp without a year, placed near the kubelet's record).
   */
  timeSource?: string | null;
  /** Kernel seconds since boot, when the log had them (kept even when `time` could not be placed). */
  uptimeSec?: number | null;
  /**
   * The container's exit code from the kubelet's termination record joined to this kill
   * (`lastState.terminated.exitCode`, describe `Exit Code: 137`; 137 = 128 + SIGKILL), when one was.
   */
  exitCode?: number | null;
  pid: number | null;
  process: string | null;
  anonRssBytes: number | null;
  fileRssBytes?: number | null;
  shmemRssBytes?: number | null;
  totalVmBytes?: number | null;
  limitBytes: number | null;
  limitHit: "memory" | "memory+swap" | "kmem" | "swap" | null;
  memcg: string | null;
  memcgLevel: "container" | "pod" | "allocatable" | "other" | null;
  /**
   * Who killed: the kernel's OOM killer, or a userspace OOM daemon (systemd-oomd, earlyoom) whose
   * journal line says so; null/absent when only the kubelet's termination record is known.
   */
  killer?: "kernel-oom-killer" | "systemd-oomd" | "earlyoom" | null;
  /**
   * What a userspace OOM daemon's line said besides the victim: its reason in its own words
   * (systemd-oomd `memory pressure for /kubepods.slice being 78.41% > 60.00% for > 20s`) and the
   * victim's resident memory (earlyoom `VmRSS 3100 MiB`), bytes; absent for kernel kills.
   */
  daemon?: { reason: string | null; rssBytes: number | null };
  /** For node-level OOMs: the biggest consumer in the kernel's tasks table (may differ from the victim). */
  largestTask?: { pid: number; process: string; rssBytes: number } | null;
  /** The container the kernel killed in, from the memcg path (bare ID), when it names one. */
  containerId?: string | null;
  /** How the kernel kill was tied to the subject; null for a termination record alone. */
  join?: KillJoin | null;
  /** A `memory.oom.group` kill: the memcg whose tasks all died, and the members besides the victim. */
  group?: { memcg: string; members: GroupMember[] } | null;
  evidence: Evidence[];
}

/**
 * Who sent a SIGKILL that was not the kernel's OOM killer (event `sigkill`, cause `not-oom`), as
 * the evidence shows it: a userspace OOM daemon (systemd-oomd, earlyoom), failed liveness/startup
 * probes, the stop grace period running out, or a deletion without grace period.
 */
export interface KillSender {
  kind: "userspace-oom-daemon" | "liveness-probe" | "stop-grace-period" | "forced-deletion";
  /** In words, with the numbers (`… exited 30 s later, when its 30 s stop grace period ran out`). */
  what: string;
  confidence: Confidence;
  evidence: Evidence[];
}

export interface Verdict {
  cause: CauseId;
  confidence: Confidence;
  summary: string;
  evidence: Evidence[];
  /**
   * Other supported causes consistent with this one, shown as contributing (a leak outside the
   * heap: `memory-leak` with `native-memory` contributing). Absent when there are none.
   */
  contributing?: { cause: CauseId; confidence: Confidence; reason: string }[];
  /** Supported causes that compete with this one (inconsistent with it) and could not be ruled out. */
  alternatives?: { cause: CauseId; confidence: Confidence; reason: string }[];
}

/** One weighed cause. `status` is the rule's conclusion for this incident. */
export interface Hypothesis {
  cause: CauseId;
  status: "supported" | "rejected" | "undetermined";
  confidence?: Confidence;
  reason: string;
  evidence: Evidence[];
  /** Artifacts that would decide it, in words (`"dmesg from the node around 11:02Z"`). */
  missing: string[];
  /**
   * Set by the rule when one artifact settles it on its own (a kernel memcg breakdown at the
   * kill, a series over several runs, the kernel saying `global_oom`, a userspace OOM daemon's
   * kill line): `high` then needs no second artifact.
   */
  decisive?: boolean;
  /** When the confidence was lowered from what the rule said, why (see diagnose/calibrate.ts). */
  calibration?: string;
}

/** A next step with this pod's own names and numbers. */
export interface Action {
  title: string;
  detail: string;
  command?: string;
}

/** A time-ordered line of the incident's story. */
export interface TimelineEntry {
  time: string | null;
  /** Seconds since boot, when only that is known. */
  uptimeSec?: number | null;
  what: string;
  evidence: Evidence;
}

/** One row of the memory anatomy table: a part of the memcg's usage. */
export interface AnatomyRow {
  /** `anon`, `page cache (active file)`, `page cache (inactive file)`, `shmem / tmpfs`, `kernel (slab, stacks, page tables)`, `socket buffers`, … */
  part: string;
  bytes: number;
  /** Share of the limit (0..1), null when the limit is unknown or unlimited. */
  shareOfLimit: number | null;
  evidence: Evidence | null;
}

/** Where the memory went, at (or nearest before) the kill: memory.stat or the kernel's memcg stats. */
export interface MemoryAnatomy {
  /** ISO time of the snapshot, or null. */
  time: string | null;
  source: Evidence;
  usageBytes: number | null;
  limitBytes: number | null;
  rows: AnatomyRow[];
  /** usage − inactive_file (the kubelet's working set). */
  workingSetBytes: number | null;
  /** usage − (file − shmem): the part that cannot be reclaimed (the OOM risk; v1 `cache` and v2 `file` already include shmem). */
  oomRiskBytes: number | null;
  /** Plain-words reading, e.g. the page-cache false alarm. */
  notes: string[];
}

/** Statistics of one run (start → restart/kill) of a memory series. */
export interface RunStats {
  start: string | null;
  end: string | null;
  minBytes: number;
  medianBytes: number;
  p99Bytes: number;
  maxBytes: number;
  /** Least-squares slope in bytes/s, and its R². */
  slopeBytesPerSec: number;
  r2: number;
  /** Seconds from the run's start until the series reached the limit (or was killed), null if it did not. */
  timeToLimitSec: number | null;
  /**
   * How the run ended: `kill` (a kill of the incident at its end), `restart` (a restart with no kill
   * record: a drop of the series, a restart counter's step, the kubelet's start), null for the run
   * the series ends in (added field).
   */
  endedBy?: "kill" | "restart" | null;
}

/** The usage series behind the verdict, for the chart and the per-run table. */
export interface UsageSeries {
  metric: string;
  evidence: Evidence;
  limitBytes: number | null;
  /** Downsampled (≤ 500 points) [epoch ms, bytes] for the chart. */
  points: [number, number][];
  restarts: string[];
  /** The kubelet's Restart Count of the container, when the bundle shows it (may exceed the restarts placed in time). */
  restartCount?: number | null;
  kills: string[];
  runs: RunStats[];
  /** Scrape step in seconds; spikes shorter than it are invisible. */
  stepSec: number | null;
}

/** How the kubelet's oom_score_adj reads. */
export type AdjMeaning =
  | "Guaranteed"
  | "Burstable"
  | "BestEffort"
  | "pod sandbox or runtime shim"
  | "kubelet or container runtime"
  | "not a pod";

/** A pod a task was attributed to, with its memory requests and limits when the bundle shows them (sums over containers). */
export interface TaskPod {
  namespace: string | null;
  name: string | null;
  /** Bare container ID when a memcg named it. */
  containerId: string | null;
  requestBytes: number | null;
  limitBytes: number | null;
  /** In words: `its memcg (task_memcg)`, `cpuset= of the oom-kill line`, `oom_score_adj 208 = a 6 GiB request of 7.6 GiB`. */
  basis: string;
  evidence: Evidence[];
}

/** One task of the kernel's tasks table, as the report names it. */
export interface NodeTask {
  pid: number;
  process: string;
  rssBytes: number | null;
  oomScoreAdj: number | null;
  meaning: AdjMeaning | null;
  pod: TaskPod | null;
  evidence: Evidence;
}

/** The node side of a node-level OOM (JSON field `nodeOom` of a `node-oom-kill` incident; built by correlate/node-oom.ts). */
export interface NodeOomPicture {
  /** The task the kernel killed, with its oom_score_adj and the QoS class that set it. */
  victim: {
    pid: number;
    process: string;
    rssBytes: number | null;
    oomScoreAdj: number | null;
    meaning: AdjMeaning | null;
    qosClass: string | null;
    largest: boolean;
  };
  /** The biggest tasks of the tasks table, largest first (at most three), the victim included when it is one. */
  consumers: NodeTask[];
  /**
   * The node's RAM from the kernel's Mem-Info block (`4194174 pages RAM` × the 4 KiB page) and the
   * RSS of every task of the tasks table added up, when the report prints them (added field).
   */
  ram?: { bytes: number; pages: number; tasksRssBytes: number | null; evidence: Evidence } | null;
  /** The node, when `kubectl describe node` is in the bundle. */
  node: {
    name: string | null;
    capacityBytes: number | null;
    allocatableBytes: number | null;
    limitsBytes: number | null;
    requestsBytes: number | null;
    evidence: Evidence[];
    /** Pods of `describe node`'s table with no memory limit (`0 (0%)`): unbounded, so the sum of limits understates what they may take (added field). */
    unlimitedPods?: { namespace: string; name: string }[];
  } | null;
}

export interface Incident {
  subject: Subject;
  event: EventId;
  kills: Kill[];
  verdict: Verdict;
  hypotheses: Hypothesis[];
  actions: Action[];
  /** Added fields (allowed by the contract). */
  timeline: TimelineEntry[];
  /** Right-sizing, when the data allows it. */
  sizing?: {
    currentLimitBytes: number | null;
    recommendedLimitBytes: number;
    /** One line with the numbers used: `p99 working set 1.95 GiB × 1.5 = 2.93 GiB → 3Gi`. */
    basis: string;
    /** The recommendation as a Kubernetes quantity (`3Gi`, `1536Mi`). */
    quantity?: string;
    /** The least the limit may be: the most seen in use + 15 %, above the limit it was killed at. */
    floorBytes?: number | null;
    /** What KRR (max + 15 %) or a VPA in the bundle would set, when it differs. */
    comparisons?: string[];
    /** Where the figures of the basis were read (the series, the kill, the VPA). */
    evidence?: Evidence[];
  } | null;
  /** Clock notes: how times were anchored (or could not be). */
  notes: string[];
  /** Where the memory went (issue: memory.stat / kernel memcg stats), when the bundle says. */
  anatomy?: MemoryAnatomy | null;
  /** Usage over time (metrics CSV), when the bundle has it. */
  usage?: UsageSeries | null;
  /** What to capture at the next kill: the artifacts this bundle lacked and a ready script. */
  capture?: { missing: string[]; script: string } | null;
  /** For a `sigkill`: who sent it, when the bundle shows it (most certain first). */
  killSenders?: KillSender[];
  /** For a `node-oom-kill`: the victim and why the kernel chose it, the biggest consumers with their pods, the node's sums (added field). */
  nodeOom?: NodeOomPicture;
  /** For an `eviction`: the figures of the kubelet's eviction message, when the bundle has it (added field). */
  eviction?: IncidentEviction;
}

/**
 * The kubelet's eviction message in figures: which resource the node was low on (`memory`, or
 * `ephemeral-storage`, `inodes`, `pids`: not an OOM), the threshold and what was available, and the
 * containers over their requests. Quantities keep the printed text and a value (bytes for memory and
 * ephemeral-storage, a count otherwise).
 */
export interface IncidentEviction {
  resource: EvictionFact["resource"];
  resourceText: string | null;
  admission: boolean;
  threshold: EvictionFact["threshold"];
  available: EvictionFact["available"];
  containers: EvictionFact["containers"];
  overLimit: EvictionFact["overLimit"];
  evidence: Evidence[];
}

export interface BundleFile {
  path: string;
  kind: ArtifactKind | "unknown";
  warnings: { line?: number; message: string }[];
  /** Why the file was not analysed when that is no warning (notes for people, a container log); added field. */
  skipped?: string;
}

/** A memory reading of a cgroup that had no kill (e.g. a page-cache false alarm). */
export interface MemoryReading {
  subject: Subject;
  anatomy: MemoryAnatomy;
}

/**
 * A cited line as the bundle has it: `text` trimmed, with up to two lines of context on each
 * side (`before`, `after`, untrimmed) starting at line `first`. Keyed `file:line` in `Report.quotes`.
 */
export interface Quote {
  text: string;
  first: number;
  before: string[];
  after: string[];
}

export interface Report {
  tool: { name: "oom-postmortem"; version: string };
  bundle: { path: string; files: BundleFile[] };
  incidents: Incident[];
  /** Memory readings from memory.stat snapshots of cgroups with no incident (added field). */
  readings?: MemoryReading[];
  warnings: { file: string; line?: number; message: string }[];
  /** The cited lines of the bundle, verbatim (added field), keyed `file:line`. */
  quotes?: Record<string, Quote>;
}
