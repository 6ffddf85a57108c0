/**
 * correlate: joins the facts of every artifact into subjects (one container, or one node for
 * a node-level OOM with no pod attribution), each with its kernel kills, termination records,
 * events and memcg snapshots, and places kernel times on the UTC timeline.
 */
import type { ContainerFact, FactSet, KubeEvent, MemcgSnapshot, MetricSeries, PmapSnapshot, PodFact, RuntimeConfigFact } from "../model/facts.js";
import type { Subject } from "../model/incident.js";
import { attribute, kernelKills, killProcess, type KernelKill, type PodContainer } from "./attribute.js";
import { foldCutReports } from "./cut-reports.js";
import { anchorsFromLines, placeKernelTime, type BootAnchor, type PlacedTime } from "./clock.js";
import { observationsFor, type SubjectObservations } from "./observations.js";
import { mergePods, type MergedPod } from "./pods.js";
import { seriesFor, snapshotsFor } from "./series.js";

/** A kernel kill placed in time. */
export interface TimedKernelKill extends KernelKill {
  time: PlacedTime;
}

/** Everything the bundle says about one subject. */
export interface SubjectFacts {
  subject: Subject;
  pod: PodFact | null;
  container: ContainerFact | null;
  kernelKills: TimedKernelKill[];
  /** Events about this pod (describe Events table, events JSON). */
  podEvents: KubeEvent[];
  /** Node events (SystemOOM, OOMKilling, MemoryPressure…) of the subject's node, or of any node when unknown. */
  nodeEvents: KubeEvent[];
  memcgSnapshots: MemcgSnapshot[];
  pmaps: PmapSnapshot[];
  /** Metric series about this subject (matched by labels; unlabelled series go to every subject). */
  series: MetricSeries[];
  runtimeConfigs: RuntimeConfigFact[];
  /** Notes that belong to this subject only (e.g. a report cut off near its kill). */
  notes?: string[];
  /** VPA, kubectl top, /proc memory, memleak: what the bundle's other kinds say about this subject. */
  observations?: SubjectObservations;
}

export interface Correlation {
  subjects: SubjectFacts[];
  /** Every pod of the bundle, merged across the artifacts that described it. */
  pods: MergedPod[];
  /** Files read as kernel logs (their absence of OOM lines is evidence too). */
  kernelLogFiles: string[];
  /** How clocks were anchored, or why they could not be. */
  notes: string[];
}

/**
 * Builds the subjects of a bundle. `kernelLogFiles` lists the files read as kernel logs.
 * Subjects: every container with a kernel kill, a termination record (OOMKilled, exit 137,
 * signal 9), restarts, or an eviction; every unattributed kernel kill, grouped by container
 * (or by pod UID and process name across restarts, or by node for a global OOM).
 */
export function correlate(facts: FactSet, kernelLogFiles: string[]): Correlation {
  const notes: string[] = [];
  const pods = mergePods(facts.pods);
  const containers: PodContainer[] = pods.flatMap((pod) => pod.pod.containers.map((container) => ({ pod, container })));
  const anchors = anchorsFromLines(facts.clockAnchors);
  for (const a of anchors.values()) notes.push(a.how);

  const groups = new Map<string, { owner: PodContainer | null; kills: KernelKill[] }>();
  for (const kill of kernelKills(facts.ooms)) {
    const owner = attribute(kill, containers);
    const key = owner ? containerKey(owner) : orphanKey(kill);
    const g = groups.get(key) ?? { owner, kills: [] };
    g.kills.push(kill);
    groups.set(key, g);
  }
  for (const pc of containers) {
    const key = containerKey(pc);
    if (!groups.has(key) && isInteresting(pc)) groups.set(key, { owner: pc, kills: [] });
  }

  anchorToKubelet(groups, anchors, notes);
  const subjects = foldCutReports([...groups.values()].map(({ owner, kills }) =>
    buildSubject(owner, kills.map((k) => ({ ...k, time: placeKernelTime(k.oom.time, anchors.get(k.oom.source.file)) })), facts),
  ));
  noteUnplacedTimes(subjects, notes);
  return { subjects, pods, kernelLogFiles, notes };
}

function containerKey({ pod, container }: PodContainer): string {
  return `pod:${pod.parts[0]!.source.file}:${pod.parts[0]!.source.line ?? 0}:${pod.pod.uid ?? pod.pod.name ?? ""}/${container.init ? "init:" : ""}${container.name}`;
}

// Unattributed kills: same container ID, else the same pod UID and process across restarts, else node/memcg.
function orphanKey(kill: KernelKill): string {
  const info = kill.taskInfo;
  const process = killProcess(kill) ?? "?";
  if (info?.podUid) return `uid:${info.podUid}/${process}`;
  if (info?.containerId) return `cid:${info.containerId}`;
  if (kill.oom.global) return `node:${kill.oom.host ?? ""}`;
  return `memcg:${kill.taskMemcg ?? ""}/${process}`;
}

/** A container is a subject when it has something to explain: a termination, restarts, an eviction. */
function isInteresting({ pod, container }: PodContainer): boolean {
  const t = [container.lastState, container.state].find((s) => s?.kind === "terminated");
  return t !== undefined || (container.restartCount ?? 0) > 0 || pod.pod.reason === "Evicted";
}

/**
 * Raw dmesg has no wall clock. When a subject's kubelet record says when its last run ended,
 * the latest kernel kill of that subject is taken to be that moment (the kubelet notices within
 * a second or two), which anchors every uptime in the same file.
 */
function anchorToKubelet(groups: Map<string, { owner: PodContainer | null; kills: KernelKill[] }>, anchors: Map<string, BootAnchor>, notes: string[]): void {
  for (const { owner, kills } of groups.values()) {
    const finished = owner ? lastFinishedMs(owner.container) : null;
    const latest = kills.filter((k) => k.oom.time.wallMs === null && k.oom.time.uptimeSec !== null && !anchors.has(k.oom.source.file)).at(-1);
    if (finished === null || !latest) continue;
    const bootMs = finished - latest.oom.time.uptimeSec! * 1000;
    anchors.set(latest.oom.source.file, {
      bootMs,
      how: `${latest.oom.source.file}: raw uptimes anchored by taking the kernel kill at line ${latest.oom.source.line ?? "?"} (uptime ${latest.oom.time.uptimeSec}s) as the moment kubelet recorded the container finished (${new Date(finished).toISOString()}); times from it are ±2 s estimates`,
    });
    notes.push(anchors.get(latest.oom.source.file)!.how);
  }
}

function lastFinishedMs(c: ContainerFact): number | null {
  return [c.state, c.lastState].find((s) => s?.kind === "terminated" && s.finishedAtMs !== null)?.finishedAtMs ?? null;
}

function buildSubject(owner: PodContainer | null, kills: TimedKernelKill[], facts: FactSet): SubjectFacts {
  const pod = owner?.pod.pod ?? null;
  const first = kills[0];
  const info = first?.taskInfo ?? null;
  const global = kills.length > 0 && kills.every((k) => k.oom.global === true) && !owner && !info?.podUid;
  const subject: Subject = {
    namespace: pod?.namespace ?? null,
    pod: pod?.name ?? null,
    podUid: pod?.uid ?? info?.podUid ?? null,
    container: owner?.container.name ?? null,
    containerId: owner?.container.containerId ?? (kills.length > 0 && kills.every((k) => k.taskInfo?.containerId === info?.containerId) ? info?.containerId ?? null : null),
    node: pod?.node ?? (global || !pod ? first?.oom.host ?? null : null),
  };
  const podEvents = pod ? facts.events.filter((e) => aboutPod(e, owner!.pod)) : [];
  const nodeEvents = facts.events.filter((e) => e.involved?.kind === "Node" && (subject.node === null || e.involved.name === null || e.involved.name === subject.node));
  return {
    subject,
    pod,
    container: owner?.container ?? null,
    kernelKills: kills.sort((a, b) => (a.time.ms ?? 0) - (b.time.ms ?? 0) || a.order - b.order),
    podEvents,
    nodeEvents,
    memcgSnapshots: snapshotsFor(subject, facts.memcgSnapshots),
    pmaps: facts.pmaps,
    series: seriesFor(subject, facts.series),
    runtimeConfigs: facts.runtimeConfigs,
    observations: observationsFor(subject, pod?.owner ?? null, facts),
  };
}

function aboutPod(e: KubeEvent, pod: MergedPod): boolean {
  if (pod.parts.some((p) => p.source.file === e.source.file) && (e.involved === null || e.involved.kind !== "Node")) return true;
  const inv = e.involved;
  if (!inv || inv.kind === "Node") return false;
  if (inv.uid && pod.pod.uid) return inv.uid === pod.pod.uid;
  return inv.name === pod.pod.name && (inv.namespace === null || pod.pod.namespace === null || inv.namespace === pod.pod.namespace);
}

function noteUnplacedTimes(subjects: SubjectFacts[], notes: string[]): void {
  const files = new Set(subjects.flatMap((s) => s.kernelKills.filter((k) => k.time.ms === null).map((k) => k.oom.source.file)));
  for (const f of files) notes.push(`${f}: kernel times could not be placed on the wall clock (raw uptime or no timestamps, and no line or kubelet record to anchor them); kills keep their uptime`);
  if (subjects.some((s) => s.kernelKills.some((k) => k.time.source === "kernel-local"))) {
    notes.push("dmesg -T times are the node's local time with no zone; they are shown as if UTC");
  }
}
