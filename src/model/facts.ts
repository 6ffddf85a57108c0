/**
 * Facts: what the ingesters read out of artifacts, before correlation. Plain data, bytes as
 * numbers, times as UTC epoch milliseconds, every fact with the `SourceRef` it came from.
 * Ingesters return a `FactSet`; the pipeline concatenates them.
 */
import type { Diagnostic, SourceRef } from "./source.js";
import { pushAll } from "../util/arrays.js";

/** A Kubernetes pod as seen by `kubectl describe pod` or `kubectl get pod -o json|yaml`. */
export interface PodFact {
  source: SourceRef;
  name: string | null;
  namespace: string | null;
  /** Canonical dashed UID (`cfb0499c-b091-402f-843f-92be406463a5`), or null. */
  uid: string | null;
  node: string | null;
  /** The node's IP (describe `Node: name/10.0.0.1`, `status.hostIP`), when shown (added field). */
  nodeIp?: string | null;
  /** `status.qosClass` / `QoS Class:`: Guaranteed, Burstable, BestEffort. */
  qosClass: string | null;
  /** `status.phase` / `Status:` (Running, Failed, …). */
  phase: string | null;
  /** Pod-level `status.reason` (e.g. `Evicted`) and `status.message`. */
  reason: string | null;
  message: string | null;
  startTimeMs: number | null;
  /** The controlling owner (`Controlled By:` / `metadata.ownerReferences[controller]`). */
  owner: { kind: string; name: string } | null;
  /**
   * Where the container ran when it was not a Kubernetes pod: `docker` for a `docker inspect`
   * record (no pod, no kubectl; the advice is `docker update`/`docker run -m`). Absent: Kubernetes.
   */
  platform?: "kubernetes" | "docker";
  /**
   * Who set the memory values when an admission plugin did: the `kubernetes.io/limit-ranger`
   * annotation (`LimitRanger plugin set: … memory limit for container etl`), verbatim, with its line.
   */
  limitRanger?: { text: string; source: SourceRef } | null;
  terminationGracePeriodSeconds: number | null;
  /** The kubelet's eviction message in `message`, read into figures (`ingest/shared/eviction-message.ts`); cited at the message's line (added field). */
  eviction?: EvictionFact | null;
  /**
   * Set when the pod was being deleted: `metadata.deletionTimestamp` (the moment the grace period
   * ends, epoch ms) and `metadata.deletionGracePeriodSeconds` (0 after `kubectl delete --grace-period=0 --force`);
   * describe prints `Status: Terminating (lasts 5s)` and `Termination Grace Period: 0s` instead.
   */
  deletion?: { timestampMs: number | null; gracePeriodSeconds: number | null; source: SourceRef } | null;
  containers: ContainerFact[];
  volumes: VolumeFact[];
}

export interface VolumeFact {
  name: string;
  /** `emptyDir.medium: Memory` (tmpfs counted against the memcg). */
  memoryBacked: boolean;
  sizeLimitBytes: number | null;
  source: SourceRef;
}

/** A container (or init container) of a pod. */
export interface ContainerFact {
  name: string;
  init: boolean;
  /** Bare container id (no `containerd://` prefix), lower-case hex; null when not shown. */
  containerId: string | null;
  image: string | null;
  limitBytes: number | null;
  requestBytes: number | null;
  /** Where `limits.memory` was read, for evidence. */
  limitSource: SourceRef | null;
  restartCount: number | null;
  state: ContainerState | null;
  lastState: ContainerState | null;
  command: string[];
  args: string[];
  env: EnvVar[];
  /** Liveness probe as printed/serialised, e.g. `http-get http://:8085/health delay=0s timeout=1s period=10s #success=1 #failure=3`. */
  livenessProbe: string | null;
  volumeMounts: { name: string; mountPath: string }[];
  source: SourceRef;
  /**
   * A plain Docker container's memory+swap limit, `docker inspect` `HostConfig.MemorySwap` in bytes
   * (`1073741824`; dockerd sets twice `Memory` when only `--memory` was given), with its line;
   * `bytes: -1` for unlimited swap. Absent when not shown (Kubernetes containers).
   */
  memorySwap?: { bytes: number; source: SourceRef } | null;
}

export interface EnvVar {
  name: string;
  /** Literal value; null when it comes from a secret/configmap reference or is not shown. */
  value: string | null;
  source: SourceRef;
}

/** `state` / `lastState` of a container status (core/v1 ContainerState). */
export interface ContainerState {
  kind: "running" | "waiting" | "terminated";
  reason: string | null;
  exitCode: number | null;
  signal: number | null;
  message: string | null;
  startedAtMs: number | null;
  finishedAtMs: number | null;
  /**
   * `terminated.containerID` (bare id, prefix stripped) when the state names the container it
   * describes: after a restart the `lastState` names the killed container, which differs from
   * the current `ContainerFact.containerId`. Absent/null when not shown (describe never shows it).
   */
  containerId?: string | null;
  /** Line of the state header (or of `reason:`), for evidence. */
  source: SourceRef;
}

/**
 * A Kubernetes event: from the describe `Events:` table or `kubectl get events -o json`.
 * Covers pod events (OOMKilling, Killing, Unhealthy, Evicted, BackOff) and node events
 * (SystemOOM, OOMKilling, MemoryPressure / NodeHasInsufficientMemory).
 */
export interface KubeEvent {
  type: string | null;
  reason: string;
  message: string;
  /** The object it is about, when known. */
  involved: { kind: string | null; name: string | null; namespace: string | null; uid?: string | null } | null;
  /** `(x23 over 6m33s)` → 23; 1 when not shown. */
  count: number;
  firstMs: number | null;
  lastMs: number | null;
  /** Ages as printed by describe (`6m40s`), relative to when the describe was taken. */
  ageText: string | null;
  source: SourceRef;
  /** An `Evicted` event's message read into figures (`ingest/shared/eviction-message.ts`) (added field). */
  eviction?: EvictionFact | null;
}

/** What the kubelet says it ran short of: `memory`, or something else that is not an OOM at all. */
export type EvictionResource = "memory" | "ephemeral-storage" | "inodes" | "pids" | "other";

/** A quantity as the kubelet printed it and its value: bytes for memory and ephemeral-storage, a count for inodes and pids. */
export interface EvictionQuantity {
  text: string;
  /** Null when the text is not a quantity; negative for an `available` below zero. */
  value: number | null;
}

/** One container the eviction message names as using more than its request. */
export interface EvictionContainer {
  name: string;
  usage: EvictionQuantity;
  request: EvictionQuantity;
  /** `has larger consumption of memory` (new form); null in the old form, which names no resource per container. */
  resource: string | null;
}

/**
 * The kubelet's eviction message read into figures (kubernetes `pkg/kubelet/eviction/helpers.go`):
 * `The node was low on resource: memory. Threshold quantity: 100Mi, available: 87608Ki. Container app was using 48458972Ki, request is 15Gi, has larger consumption of memory.`
 */
export interface EvictionFact {
  /** What the node was short of; null when the message does not say (only its container part survived). */
  resource: EvictionResource | null;
  /** As printed: `memory`, `ephemeral-storage`, `pids`, old `nodefs`/`imagefs`, or conditions `[DiskPressure]`. */
  resourceText: string | null;
  /** `The node had condition: [DiskPressure].`: the pod was refused at admission rather than evicted while it ran. */
  admission: boolean;
  /** `Threshold quantity: 100Mi` (the eviction threshold the node crossed) and `available: 87608Ki` (what the node had left). */
  threshold: EvictionQuantity | null;
  available: EvictionQuantity | null;
  containers: EvictionContainer[];
  /** Local ephemeral-storage limits exceeded: a container's limit, the pod's total, or an emptyDir's sizeLimit. */
  overLimit: { scope: "container" | "pod" | "emptyDir"; name: string | null; limit: EvictionQuantity }[];
  /** The line that holds the message. */
  source: SourceRef;
  /** The message as read (trimmed). */
  text: string;
}

/** The clock a kernel line's time came from. */
export type KernelClock =
  /** Absolute UTC time (ISO with offset, journalctl short-iso/unix, talosctl). */
  | "utc"
  /** Wall-clock time without a zone (`dmesg -T`, syslog): parsed as if UTC; see `wallIsLocal`. */
  | "local"
  /** Only seconds since boot (`[12345.678]`, /dev/kmsg usec). */
  | "uptime"
  | "none";

/** Time of one kernel log line. */
export interface KernelTime {
  /** Epoch ms, when the line carries a wall clock with a known year; else null. */
  wallMs: number | null;
  /** Seconds since boot, when the line carries one (`[75669.581768]`, kmsg usec / 1e6). */
  uptimeSec: number | null;
  clock: KernelClock;
  /**
   * The wall-clock text as printed when it could not be turned into `wallMs` (syslog and
   * journal `Dec 20 03:17:52` have no year; `dmesg -T` in another locale), for the correlator.
   */
  wallText?: string;
}

/** One `memory:`/`memory+swap:`/`kmem:`/`swap:` line of the memcg section (mm/memcontrol.c). */
export interface MemcgCounter {
  name: "memory" | "memory+swap" | "kmem" | "swap";
  usageBytes: number;
  limitBytes: number;
  failcnt: number;
  source: SourceRef;
  text: string;
}

/** One row of the kernel's `Tasks state` table; sizes converted from pages to bytes. */
export interface OomTask {
  pid: number;
  uid: number | null;
  tgid: number | null;
  totalVmBytes: number | null;
  rssBytes: number | null;
  oomScoreAdj: number | null;
  name: string;
  source: SourceRef;
}

/** A `Killed process …` victim line (mm/oom_kill.c `__oom_kill_process`). */
export interface OomVictim {
  pid: number;
  process: string;
  /** `Memory cgroup out of memory` → memcg, `Out of memory` → global; absent prefix → null. */
  scope: "memcg" | "global" | null;
  totalVmBytes: number | null;
  anonRssBytes: number | null;
  fileRssBytes: number | null;
  shmemRssBytes: number | null;
  uid: number | null;
  pgtablesBytes: number | null;
  oomScoreAdj: number | null;
  source: SourceRef;
  text: string;
}

/**
 * One kernel OOM report, parsed as a unit: from `invoked oom-killer` (or the first line of a
 * fragment) to the victim line(s) and `oom_reaper`. Fields not present in the capture are null.
 */
export interface OomEvent {
  source: SourceRef;
  time: KernelTime;
  /** The task that invoked the OOM killer (not necessarily the victim). */
  trigger: {
    process: string;
    gfpMask: string | null;
    order: number | null;
    oomScoreAdj: number | null;
    source: SourceRef;
    text: string;
    /** Its pid, from the `CPU: 1 PID: 3902218 Comm: python3 …` line that follows (added field). */
    pid?: number | null;
  } | null;
  /**
   * The `cpuset=` of the `oom-kill:` summary: the cpuset cgroup name of the task that invoked the OOM
   * killer (`cri-containerd-6d5f….scope`, a bare container ID with cgroupfs); absent when `/` or not printed.
   */
  triggerCpuset?: string | null;
  /** `oom-kill:constraint=CONSTRAINT_MEMCG` etc.; null when the line is absent. */
  constraint: "memcg" | "none" | "cpuset" | "memory-policy" | null;
  /** `oom_memcg=` or legacy `killed as a result of limit of <path>`: the memcg whose limit was hit. */
  oomMemcg: string | null;
  /** `task_memcg=` or legacy `Task in <path>`: the victim's memcg. */
  taskMemcg: string | null;
  /** `global_oom` present, or the victim line says `Out of memory:` without memcg. */
  global: boolean | null;
  counters: MemcgCounter[];
  /** `Memory cgroup stats for <path>:` keys in bytes (v1 `cache`, `rss`, … ; v2 `anon`, `file`, `sock`, …). */
  memcgStats: { path: string | null; bytes: Record<string, number>; source: SourceRef } | null;
  tasks: OomTask[];
  victims: OomVictim[];
  /** Legacy `Kill process N (comm) score S or sacrifice child` (selected, before the kill). */
  selected: { pid: number; process: string; score: number | null; source: SourceRef; text: string } | null;
  /** `Tasks in <path> are going to be killed due to memory.oom.group set`. */
  groupKillMemcg: string | null;
  reaped: { pid: number; process?: string; source: SourceRef; text?: string }[];
  /**
   * The victim the `oom-kill:` summary line names (`…,task=indexer,pid=60412,uid=1001`, ≥ 4.19):
   * the process the kernel chose, also when the `Killed process` line is missing or cut.
   */
  summaryTask?: { pid: number; process: string; uid: number | null; source: SourceRef; text: string } | null;
  /** `Out of memory and no killable processes...`: the OOM killer ran and found nothing to kill (no kill). */
  noKillable?: { source: SourceRef; text: string } | null;
  /** True when the capture ended inside this report (no line of it after its last one was read). */
  endedAtCaptureEnd?: boolean;
  /**
   * The node's memory from the Mem-Info block of a global OOM (show_mem(): `4194174 pages RAM`), in
   * pages of the kernel's page size (4 KiB, `PAGE_BYTES`); absent when the report does not print it (added field).
   */
  ramPages?: { pages: number; source: SourceRef; text: string } | null;
  /** Host name from the line prefix (syslog/journal/talosctl), when present. */
  host: string | null;
  /** Kernel version from the `CPU: N PID: … Comm: … 5.10.0-10-amd64 #1` line. */
  kernelVersion: string | null;
  /**
   * Where the report was read when it was not a kernel log: `kube-event` for the kernel's victim
   * line carried in a node-problem-detector `OOMKilling` event's message (no memcg, counters or
   * tasks; `host` is the node the event is about). Absent: a kernel log.
   */
  origin?: "kube-event";
}

/**
 * A kernel line that carries both a wall clock and an uptime (syslog `… kernel: [75669.58]`),
 * used by correlate/clock to anchor raw-uptime events to wall time.
 */
export interface ClockAnchor {
  wallMs: number;
  uptimeSec: number;
  clock: KernelClock;
  source: SourceRef;
}

/**
 * A cgroup memory snapshot: `memory.stat` (v1 or v2) and its sibling files, read from one
 * artifact (a single file, `==> file <==` concatenations, or `grep -r . /sys/fs/cgroup/…`).
 * Keys are kept as the kernel spells them; values in bytes (counters such as `pgfault` as-is).
 */
export interface MemcgSnapshot {
  source: SourceRef;
  /** cgroup path when the artifact names it (header or grep prefix), else null. */
  path: string | null;
  version: 1 | 2 | null;
  /** memory.stat keys → value (bytes for sizes). */
  stat: Record<string, number>;
  /** Line of each stat key, for evidence. */
  statLines: Record<string, number>;
  /** `memory.current` / v1 `memory.usage_in_bytes`. */
  currentBytes: number | null;
  /** `memory.max` / v1 `memory.limit_in_bytes` / `hierarchical_memory_limit`; null = unlimited or unknown. */
  limitBytes: number | null;
  /** `memory.peak` / v1 `memory.max_usage_in_bytes`. */
  peakBytes: number | null;
  /** `memory.events` (oom, oom_kill, oom_group_kill, max, high, low) and v1 `memory.failcnt` as `failcnt`. */
  events: Record<string, number>;
  /** Line of each `events` key, for evidence (optional: added by the memory-stat ingester). */
  eventLines?: Record<string, number>;
  /**
   * Where `currentBytes` / `limitBytes` / `peakBytes` were read: the line and the file or key
   * (`memory.max`, `memory.limit_in_bytes`, `hierarchical_memory_limit`, `memory.current`, …).
   * Present even when the value read was "unlimited" (then `limitBytes` is null).
   */
  valueSources?: Partial<Record<"currentBytes" | "limitBytes" | "peakBytes", { line: number; key: string }>>;
  /** True when the artifact says the limit is unlimited (`max`, or v1 PAGE_COUNTER_MAX bytes). */
  limitUnlimited?: boolean;
  /** `memory.pressure` (PSI, cgroup v2): share of wall time stalled on memory. */
  pressure?: MemcgPressure;
  /** A `date` line pasted just before this snapshot (`Tue Jun  9 11:01:17 UTC 2026`), verbatim. */
  takenAtText?: string;
  /**
   * Set when the snapshot was merged from files saved separately (`memory.stat`, `memory.current`,
   * `memory.max`, … of one cgroup, side by side in one folder of the bundle): the file each part
   * was read from. A part not listed comes from `source.file` (read it with `memcgPartFile`).
   */
  partFiles?: Partial<Record<MemcgPart, string>>;
}

/** The parts of a `MemcgSnapshot` that separately saved files provide. */
export type MemcgPart = "stat" | "currentBytes" | "limitBytes" | "peakBytes" | "events" | "pressure";

/** The bundle file a part of the snapshot was read from (its lines are that file's). */
export function memcgPartFile(snap: MemcgSnapshot, part: MemcgPart): string {
  return snap.partFiles?.[part] ?? snap.source.file;
}

/**
 * PSI lines of `memory.pressure` (kernel `Documentation/accounting/psi.rst`):
 * `some avg10=0.00 avg60=0.00 avg300=0.00 total=0`. avg* are percentages (0–100) over
 * 10/60/300 s; `totalUs` is the cumulative stall time in microseconds.
 */
export interface PsiLine {
  avg10: number;
  avg60: number;
  avg300: number;
  totalUs: number;
}

/** `some` (at least one task stalled) and `full` (all non-idle tasks stalled) PSI lines. */
export interface MemcgPressure {
  some?: PsiLine;
  full?: PsiLine;
  /** Line of the first PSI line read. */
  line: number;
}

/**
 * A memory usage reading at one moment from `kubectl top pod [--containers]` or `kubectl top
 * node` (metrics-server: the working set, as the kubelet reports it), or a scraped cAdvisor
 * `container_memory_working_set_bytes` sample without a timestamp. No time is printed: it was
 * taken when the file was saved.
 */
export interface TopReading {
  scope: "pod" | "container" | "node";
  namespace: string | null;
  pod: string | null;
  container: string | null;
  node: string | null;
  cpuMillicores: number | null;
  /** `MEMORY(bytes)` column, in bytes (`1937Mi` → 2031091712). */
  memoryBytes: number | null;
  /** `MEMORY%` (node only): share of the node's allocatable memory, 0–100. */
  memoryPercent: number | null;
  source: SourceRef;
  /** The row as printed, for evidence. */
  text: string;
  /**
   * What took the reading when it was not `kubectl top`: `cAdvisor scrape` for a
   * `container_memory_working_set_bytes` sample without a timestamp in a saved `/metrics` page.
   */
  origin?: string;
}

/** One container's recommendation of a VerticalPodAutoscaler (`status.recommendation.containerRecommendations[]`). */
export interface VpaContainerRecommendation {
  container: string;
  /** Memory `target`, `lowerBound`, `upperBound`, `uncappedTarget`, in bytes; null when absent. */
  targetBytes: number | null;
  lowerBoundBytes: number | null;
  upperBoundBytes: number | null;
  uncappedTargetBytes: number | null;
  /** `spec.resourcePolicy.containerPolicies[].minAllowed/maxAllowed.memory` of this container (or `*`). */
  minAllowedBytes: number | null;
  maxAllowedBytes: number | null;
  /** Line of each value read (`target` → line of its `memory:`), for evidence. */
  lines: Partial<
    Record<"target" | "lowerBound" | "upperBound" | "uncappedTarget" | "minAllowed" | "maxAllowed", number>
  >;
  source: SourceRef;
}

/**
 * A VerticalPodAutoscaler object (`autoscaling.k8s.io/v1`), as `kubectl get vpa NAME -o yaml|json`
 * prints it: what it targets, its update mode and its memory recommendation per container.
 */
export interface VpaFact {
  source: SourceRef;
  name: string | null;
  namespace: string | null;
  /** `spec.targetRef` (`Deployment/ledger-api`). */
  targetRef: { kind: string | null; name: string | null } | null;
  /** `spec.updatePolicy.updateMode` (`Off`, `Initial`, `Recreate`, `Auto`, `InPlaceOrRecreate`); null = default (Auto). */
  updateMode: string | null;
  containers: VpaContainerRecommendation[];
}

/**
 * Memory of one process from `/proc/<pid>/status` (kernel `fs/proc/task_mmu.c` `task_mem()`,
 * `Documentation/filesystems/proc.rst` table 1-2) and/or `/proc/<pid>/smaps_rollup`; sizes in bytes.
 */
export interface ProcessMemoryFact {
  source: SourceRef;
  pid: number | null;
  /** `Name:` (the comm, 15 characters at most). */
  name: string | null;
  /** `VmRSS`, `VmHWM` (peak RSS), `RssAnon`, `RssFile`, `RssShmem`, `VmSwap`, `VmSize`, `VmData`. */
  vmRssBytes: number | null;
  vmHwmBytes: number | null;
  rssAnonBytes: number | null;
  rssFileBytes: number | null;
  rssShmemBytes: number | null;
  vmSwapBytes: number | null;
  vmSizeBytes: number | null;
  vmDataBytes: number | null;
  threads: number | null;
  /** smaps_rollup `Rss`, `Pss`, `Anonymous`, `Swap` … as printed (key → bytes). */
  smaps: Record<string, number>;
  /** Line of each key read (`VmRSS` → 18), for evidence. */
  lines: Record<string, number>;
  /** A `date` line or the prompt's time pasted before the file, verbatim. */
  takenAtText?: string;
}

/** One stack of BCC `memleak` output: outstanding bytes allocated from it and not freed. */
export interface AllocationStack {
  bytes: number;
  allocations: number;
  /** Frames as printed, innermost first: `vips_image_new_memory+0x81 [libvips.so.42]`. */
  frames: string[];
  /** The first frame that is not an allocator (malloc, calloc, realloc, operator new, …): the allocation site. */
  site: string | null;
  line: number;
}

/**
 * BCC `memleak` (bcc `tools/memleak.py`, `memleak-bpfcc` on Debian/Ubuntu) output: the stacks with
 * the most outstanding allocations, per report interval. Each report is one fact.
 */
export interface AllocationReport {
  source: SourceRef;
  pid: number | null;
  /** `[20:01:12]` of `[20:01:12] Top 10 stacks with outstanding allocations:`, verbatim. */
  timeText: string | null;
  /** Largest first. */
  stacks: AllocationStack[];
}

/** One mapping row of `pmap -x` (procps pmap.c): sizes in bytes. */
export interface PmapMapping {
  address: string;
  sizeBytes: number;
  /** Resident bytes: RSS, or PSS when the snapshot's `resident` says so (BusyBox). */
  rssBytes: number;
  dirtyBytes: number;
  mode: string;
  /** `[ anon ]`, `[ heap ]`, `[ stack ]`, a file name, … as printed. */
  mapping: string;
  line: number;
}

/** One `pmap -x PID` snapshot. */
export interface PmapSnapshot {
  source: SourceRef;
  pid: number | null;
  command: string | null;
  mappings: PmapMapping[];
  /**
   * `pss`: the resident column is PSS (BusyBox/toybox `pmap -x`: each shared page counted as a
   * share), not RSS; absent for procps, whose column is RSS.
   */
  resident?: "pss";
  /** The `total kB` row, in bytes. */
  totalSizeBytes: number | null;
  totalRssBytes: number | null;
  totalDirtyBytes: number | null;
  /** A `date` line or `# taken at …` comment just before this snapshot, or a diff header's timestamp, verbatim. */
  takenAtText?: string;
  /** Set when the snapshot was rebuilt from a unified diff of two `pmap -x` outputs. */
  diffSide?: "before" | "after";
}

/** One metric point: at `ms` (epoch ms) the series read `value` (bytes for memory series), on 1-based line `line`. */
export interface SeriesPoint {
  ms: number;
  value: number;
  line: number;
}

/**
 * A series' points as three columns of equal length: point i is (`ms[i]`, `value[i]`, `line[i]`),
 * as in {@link SeriesPoint}. Columns rather than one object per point: a `{ ms, value, line }`
 * object holds three boxed doubles, 104 bytes of V8 heap, where the columns take 24 bytes a point
 * outside it (a 10 M-row export of 200 series keeps 400,000 points: 40 MiB as objects, 9 MiB here).
 */
export interface PointColumns {
  ms: Float64Array;
  value: Float64Array;
  line: Float64Array;
}

/**
 * One metric series from a CSV export (Grafana, Prometheus, netdata): a metric with its labels
 * and its points in time order. Large exports are downsampled at ingest (bucketed min/max), so
 * `points` stays bounded; `rawPoints` says how many rows were read.
 */
export interface MetricSeries {
  source: SourceRef;
  /** Prometheus metric name when known (`container_memory_working_set_bytes`), else null. */
  metric: string | null;
  /** Labels (`pod`, `container`, `namespace`, …) when known. */
  labels: Record<string, string>;
  /** The series name as the export printed it (column header or series column). */
  name: string;
  unit: "bytes" | "count" | "per-second" | "percent" | "unknown";
  /** Time-ordered points, in columns (`model/series-points.ts` reads them as objects where needed). */
  points: PointColumns;
  rawPoints: number;
  /** The scrape step (median spacing of raw points), in ms; null with fewer than two points. */
  stepMs: number | null;
  /**
   * Set when the export's times carry no zone (`2026-10-14 16:08:00`) and were read as UTC: the
   * first such row's line and time as printed. analyze/series-zone.ts places the series on UTC
   * from its restart drops, or the run warns.
   */
  zoneless?: { line: number; text: string };
}

/** Runtime configuration read from an artifact (`java -XX:+PrintFlagsFinal -version`, …). */
export interface RuntimeConfigFact {
  source: SourceRef;
  runtime: "jvm" | "node" | "go" | "python" | "glibc";
  /**
   * What printed it: `PrintFlagsFinal`, `env`, `v8.getHeapStatistics`, `jcmd VM.native_memory`,
   * `jcmd GC.heap_info`, `go memstats`. Absent: PrintFlagsFinal (the first kind read).
   */
  origin?: string;
  /** Flag name → value as printed, its value in bytes where it is a size, and its line. */
  flags: Record<string, { value: string; bytes: number | null; line: number }>;
  /** Runtime version when printed (`17.0.9+9`), else null. */
  version: string | null;
}

/**
 * A kill by a userspace OOM daemon, read from its journal/syslog line: systemd-oomd kills a whole
 * cgroup (`Killed /kubepods.slice/…/crio-<id>.scope due to memory pressure for /kubepods.slice
 * being 78.41% > 60.00% for > 20s with reclaim activity`), earlyoom one process (`sending SIGKILL
 * to process 4410 uid 1000 "java": badness 900, VmRSS 3100 MiB`). Not a kernel OOM kill: the
 * kernel's memcg `oom_kill` counter does not move and the container exits 137 with reason Error.
 */
export interface UserspaceKill {
  killer: "systemd-oomd" | "earlyoom";
  time: KernelTime;
  host: string | null;
  /** The cgroup killed (systemd-oomd), or the unit named by systemd's `systemd-oomd killed N process(es)` line. */
  cgroup: string | null;
  pid: number | null;
  process: string | null;
  /** `SIGKILL`, `SIGTERM` (earlyoom tries SIGTERM first); systemd-oomd always SIGKILLs. */
  signal: string | null;
  /** Resident memory of the victim when the line gives it (earlyoom `VmRSS 3100 MiB`), bytes. */
  rssBytes: number | null;
  /**
   * Why, in the daemon's words: systemd-oomd's `due to …` (`memory pressure for /kubepods.slice
   * being 78.41% > 60.00% for > 20s`), earlyoom's figures (`badness 900, VmRSS 3100 MiB`); null
   * when the line gives none (systemd's unit line alone).
   */
  reason: string | null;
  source: SourceRef;
  text: string;
  /** Further lines about the same kill (systemd's `…scope: systemd-oomd killed 3 process(es) in this unit.`). */
  more: { source: SourceRef; text: string }[];
}

/** One row of `kubectl describe node`'s `Non-terminated Pods` table: a pod's memory requests and limits. */
export interface NodePodRow {
  namespace: string;
  name: string;
  /** `Memory Requests` / `Memory Limits` (sums over the pod's containers), bytes; 0 when none is set. */
  memoryRequestBytes: number | null;
  memoryLimitBytes: number | null;
  line: number;
  text: string;
}

/**
 * A node as `kubectl describe node` prints it (kubectl `pkg/describe/describe.go` `describeNode`,
 * `describeNodeResource`): memory capacity and allocatable, the memory requests and limits of its
 * non-terminated pods, and the `Allocated resources` totals. Sample lines:
 * `  memory:             7834832Ki` (under `Allocatable:`),
 * `  analytics   etl-runner-29910420-nlt9c   1 (50%)   0 (0%)   6Gi (80%)   12Gi (160%)   12m`,
 * `  memory             7332Mi (95%)  14172Mi (185%)`.
 */
export interface NodeFact {
  source: SourceRef;
  name: string | null;
  capacityMemoryBytes: number | null;
  allocatableMemoryBytes: number | null;
  /** Line of each value read, for evidence. */
  lines: Partial<Record<"capacity" | "allocatable", number>>;
  pods: NodePodRow[];
  /** `Allocated resources:` memory row: sums of requests and limits, with kubectl's percentages of allocatable. */
  allocatedMemory: {
    requestsBytes: number | null;
    limitsBytes: number | null;
    limitsPercent: number | null;
    line: number;
    text: string;
  } | null;
}

/** Everything one ingester read from one file. All arrays may be empty. */
export interface FactSet {
  pods: PodFact[];
  events: KubeEvent[];
  ooms: OomEvent[];
  clockAnchors: ClockAnchor[];
  memcgSnapshots: MemcgSnapshot[];
  pmaps: PmapSnapshot[];
  series: MetricSeries[];
  runtimeConfigs: RuntimeConfigFact[];
  topReadings: TopReading[];
  vpas: VpaFact[];
  processes: ProcessMemoryFact[];
  allocations: AllocationReport[];
  userspaceKills: UserspaceKill[];
  /** Nodes read from `kubectl describe node` (added field). */
  nodes: NodeFact[];
  diagnostics: Diagnostic[];
}

/** An empty fact set, to fill. */
export function emptyFacts(): FactSet {
  return {
    pods: [],
    events: [],
    ooms: [],
    clockAnchors: [],
    memcgSnapshots: [],
    pmaps: [],
    series: [],
    runtimeConfigs: [],
    topReadings: [],
    vpas: [],
    processes: [],
    allocations: [],
    userspaceKills: [],
    nodes: [],
    diagnostics: [],
  };
}

/**
 * A pod of which the artifact says only what `over` gives (a row of `kubectl get pods`, an
 * `Evicted` event, a jsonpath value, a kube-state-metrics series): every other field unknown.
 */
export function blankPod(source: SourceRef, over: Partial<PodFact> = {}): PodFact {
  return {
    source,
    name: null,
    namespace: null,
    uid: null,
    node: null,
    qosClass: null,
    phase: null,
    reason: null,
    message: null,
    startTimeMs: null,
    owner: null,
    terminationGracePeriodSeconds: null,
    containers: [],
    volumes: [],
    ...over,
  };
}

/** A container of which the artifact says only its name (`""` when it does not say) and what `over` gives. */
export function blankContainer(name: string, source: SourceRef, over: Partial<ContainerFact> = {}): ContainerFact {
  return {
    name,
    init: false,
    containerId: null,
    image: null,
    limitBytes: null,
    requestBytes: null,
    limitSource: null,
    restartCount: null,
    state: null,
    lastState: null,
    command: [],
    args: [],
    env: [],
    livenessProbe: null,
    volumeMounts: [],
    source,
    ...over,
  };
}

/** Concatenates fact sets (the pipeline's merge). */
export function mergeFacts(sets: FactSet[]): FactSet {
  const out = emptyFacts();
  for (const s of sets) {
    for (const key of Object.keys(out) as (keyof FactSet)[]) pushAll(out[key] as unknown[], s[key] as unknown[]);
  }
  return out;
}
