/**
 * The report model: exactly the JSON contract of DESIGN.md §4 (`--format json` prints it).
 * Names here are a contract with other tools: add fields, never rename or remove.
 */
import type { Evidence } from "./source.js";
import type { ArtifactKind } from "../ingest/types.js";

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
}

/** One kill of the subject: from the kernel report and/or the container's termination record. */
export interface Kill {
  /** ISO 8601 UTC, or null when the bundle cannot place it. */
  time: string | null;
  /** How `time` was obtained: `kernel-wall`, `kernel-local` (dmesg -T, zone unknown), `uptime-anchored`, `kubelet-finishedAt`. */
  timeSource?: string | null;
  /** Kernel seconds since boot, when the log had them (kept even when `time` could not be placed). */
  uptimeSec?: number | null;
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
  /** For node-level OOMs: the biggest consumer in the kernel's tasks table (may differ from the victim). */
  largestTask?: { pid: number; process: string; rssBytes: number } | null;
  evidence: Evidence[];
}

export interface Verdict {
  cause: CauseId;
  confidence: Confidence;
  summary: string;
  evidence: Evidence[];
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
  sizing?: { currentLimitBytes: number | null; recommendedLimitBytes: number; basis: string } | null;
  /** Clock notes: how times were anchored (or could not be). */
  notes: string[];
}

export interface BundleFile {
  path: string;
  kind: ArtifactKind | "unknown";
  warnings: { line?: number; message: string }[];
}

export interface Report {
  tool: { name: "oom-postmortem"; version: string };
  bundle: { path: string; files: BundleFile[] };
  incidents: Incident[];
  warnings: { file: string; line?: number; message: string }[];
}
