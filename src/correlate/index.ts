/**
 * correlate: joins the facts of every artifact into subjects (one container, or one node for
 * a node-level OOM with no pod attribution), each with its kernel kills, termination records,
 * events and memcg snapshots, and places kernel times on the UTC timeline.
 *
 * Kernel kills are tied to containers by identity first (the container ID or pod UID their
 * memcg path names, `attribute.ts`), then by evidence short of IDs (`join.ts`): time, node,
 * limit, process, restarts; then kills carried by events to pods only events name
 * (`event-pods.ts`). Each tie carries its basis (`KillJoin`); kills not tied say why.
 */
import type {
  ContainerFact,
  FactSet,
  KubeEvent,
  MemcgSnapshot,
  MetricSeries,
  PmapSnapshot,
  PodFact,
  RuntimeConfigFact,
} from "../model/facts.js";
import type { KillJoin, NodeOomPicture, Subject } from "../model/incident.js";
import {
  byContainerId,
  kernelKills,
  killedTask,
  killProcess,
  sameContainerId,
  type KernelKill,
  type PodContainer,
} from "./attribute.js";
import { foldCutReports } from "./cut-reports.js";
import { anchorsFromLines, placeKernelTime, type BootAnchor, type PlacedTime } from "./clock.js";
import { formatBytes, formatTime, formatUptime, iso } from "../util/format.js";
import { aboutPod, indexEvents, type EventIndex } from "./events.js";
import {
  alignment,
  basisWords,
  joinByEvidence,
  otherNodeNotes,
  pickContainer,
  weigh,
  type ClueTime,
  type JoinNote,
  type JoinResult,
} from "./join.js";
import { isKillTermination, latestTermination } from "./kills.js";
import { observationsFor, type SubjectObservations } from "./observations.js";
import { limitFromLimitRange, resolveLimit, type ResolvedLimit } from "./limit.js";
import { mergePods, type MergedPod } from "./pods.js";
import { nodeMemorySums, nodeOomPicture } from "./node-oom.js";
import { nodeOomEventFor, type NodeOomEvent } from "./node-events.js";
import { nodePressureSignals, type NodePressureSignal } from "./node-pressure.js";
import { joinToEventPods } from "./event-pods.js";
import { seriesFor, snapshotOwners, snapshotsFor, type SnapshotOwner } from "./series.js";
import { resolveYears, yearReferences } from "./year.js";
import { attachUserspaceKills, type JoinedUserspaceKill } from "./userspace-kills.js";

/** A kernel kill placed in time, with how it was tied to its subject. */
export interface TimedKernelKill extends KernelKill {
  time: PlacedTime;
  /** How the kill was tied to the subject's container; null/absent when it stands alone. */
  join?: KillJoin | null;
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
  /** The container's memory limit, resolved once (`limit.ts`): read it here, not from the spec or the kernel. */
  limit: ResolvedLimit | null;
  /** Notes that belong to this subject only: how kills were tied by evidence, which were not and why, a report cut off near its kill. */
  notes?: string[];
  /** VPA, kubectl top, /proc memory, memleak: what the bundle's other kinds say about this subject. */
  observations?: SubjectObservations;
  /** Kills by a userspace OOM daemon (systemd-oomd, earlyoom) tied to this subject. */
  userspaceKills?: JoinedUserspaceKill[];
  /** For a node-level kernel kill: the victim and why, the biggest consumers and their pods, the node's sums (`node-oom.ts`). */
  nodeOom?: NodeOomPicture | null;
  /** With no kernel kill: a node event (`SystemOOM`, node-problem-detector `OOMKilling`) naming this container's process as a node-level OOM victim. */
  nodeOomEvent?: NodeOomEvent | null;
  /** The node's memory-pressure signals (conditions, events) placed against the subject's latest kill (`node-pressure.ts`). */
  nodePressure?: NodePressureSignal[];
  /** The subject's node from `kubectl describe node`: allocatable against the sums of its pods' requests and limits. */
  nodeMemory?: NodeOomPicture["node"];
}

export interface Correlation {
  subjects: SubjectFacts[];
  /** Every pod of the bundle, merged across the artifacts that described it. */
  pods: MergedPod[];
  /** Every memcg snapshot with its parsed path and owner (readings use it too). */
  snapshots: SnapshotOwner[];
  /** Files read as kernel logs (their absence of OOM lines is evidence too). */
  kernelLogFiles: string[];
  /** How clocks were anchored, or why they could not be. */
  notes: CorrelationNote[];
}

/**
 * A note on the whole correlation: `text` as the report prints it (`"dmesg.txt: uptimes anchored
 * to wall time by 2 line(s) carrying both (boot at 2026-06-09T08:14:02Z)"`); `file` the artifact
 * it is about, so it goes to the incidents with a kill read from that file, or null when it is
 * about the whole bundle and goes to every incident.
 */
export interface CorrelationNote {
  file: string | null;
  text: string;
}

interface Owned {
  owner: PodContainer;
  join: KillJoin;
}

/**
 * Builds the subjects of a bundle. `kernelLogFiles` lists the files read as kernel logs.
 * Subjects: every container with a kernel kill, a kill-type or failed termination record,
 * restarts, or an eviction; every kernel kill tied to no container, grouped by container ID
 * (or by pod UID and process name across restarts, or by node for a global OOM).
 */
export function correlate(facts: FactSet, kernelLogFiles: string[]): Correlation {
  const notes: CorrelationNote[] = [];
  const pods = mergePods(facts.pods);
  const containers: PodContainer[] = pods.flatMap((pod) => pod.pod.containers.map((container) => ({ pod, container })));
  const years = resolveYears(facts.ooms, yearReferences(facts));
  notes.push(...years.notes);
  const anchors = anchorsFromLines(facts.clockAnchors);
  for (const [file, a] of anchors) notes.push({ file, text: a.how });
  const kills = kernelKills(years.ooms);
  const ownTime = (k: KernelKill): ClueTime => clueTime(k, anchors);

  // Twice when a local clock's offset is learnt: aligned times also place kills of earlier runs.
  let pass = attributeKills(kills, containers, pods, ownTime);
  const offsets = clockOffsets(pass, ownTime);
  if (offsets.size > 0)
    pass = attributeKills(kills, containers, pods, (k) => aligned(ownTime(k), offsets.get(k.oom.source.file)));
  for (const [file, a] of pass.joined.localOffsets) if (!offsets.has(file)) offsets.set(file, a);
  const { owners, joined } = pass;
  const byEvents = joinToEventPods(
    kills.filter((k) => !owners.has(k)),
    facts.events,
    pods,
  );
  for (const [kill, owned] of byEvents.joined) owners.set(kill, owned);
  for (const [pod, uid] of joined.podUids) pod.pod = { ...pod.pod, uid };
  for (const { file, how } of offsets.values()) notes.push({ file, text: how });

  const groups = new Map<string, { owner: PodContainer | null; kills: KernelKill[] }>();
  for (const kill of kills) {
    const owner = owners.get(kill)?.owner ?? null;
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
  const events = indexEvents(facts.events);
  const snapshots = snapshotOwners(facts.memcgSnapshots, pods);
  const joinNotes = notesByGroup(
    [...joined.notes, ...byEvents.notes, ...otherNodeNotes(kills, containers, new Set(owners.keys()))],
    owners,
    kills,
  );
  const offset = (file: string) => offsets.get(file)?.offsetMs ?? null;
  const built = foldCutReports(
    [...groups.entries()].map(([key, { owner, kills: ks }]) => {
      const timed = ks.map((k) => ({
        ...k,
        time: placeKernelTime(k.oom.time, anchors.get(k.oom.source.file), offset(k.oom.source.file)),
        join: owners.get(k)?.join ?? null,
      }));
      return buildSubject(owner, timed, facts, pods, events, snapshots, [
        ...new Set([...joinSummaries(timed), ...groupNotes(timed), ...(joinNotes.get(key) ?? [])]),
      ]);
    }),
  );
  const { subjects, notes: userspaceNotes } = attachUserspaceKills(built, facts.userspaceKills, yearReferences(facts));
  notes.push(...userspaceNotes);
  noteUnplacedTimes(subjects, notes, new Set(offsets.keys()));
  return { subjects, pods, snapshots, kernelLogFiles, notes };
}

interface Attribution {
  owners: Map<KernelKill, Owned>;
  joined: JoinResult;
}

// Identity first, then evidence for the kills that carry no ID the bundle knows.
function attributeKills(
  kills: KernelKill[],
  containers: PodContainer[],
  pods: MergedPod[],
  timeOf: (k: KernelKill) => ClueTime,
): Attribution {
  const owners = new Map<KernelKill, Owned>();
  const rest: KernelKill[] = [];
  const podByUid = new Map(pods.filter((p) => p.pod.uid !== null).map((p) => [p.pod.uid!, p]));
  for (const kill of kills) {
    const owned = byIdentity(kill, containers, podByUid, timeOf);
    if (owned) owners.set(kill, owned);
    else if (!kill.taskInfo?.podUid || !podByUid.has(kill.taskInfo.podUid)) rest.push(kill);
  }
  const joined = joinByEvidence(rest, containers, timeOf);
  for (const [kill, owned] of joined.joined) owners.set(kill, owned);
  return { owners, joined };
}

// Offsets of local kernel clocks from UTC: a kill tied to a container matching its finishedAt.
function clockOffsets(
  pass: Attribution,
  timeOf: (k: KernelKill) => ClueTime,
): Map<string, { file: string; offsetMs: number; how: string }> {
  const out = new Map(pass.joined.localOffsets);
  for (const [kill, { owner }] of pass.owners) {
    if (out.has(kill.oom.source.file)) continue;
    const a = alignment(weigh([kill], owner, timeOf));
    if (a) out.set(a.file, a);
  }
  return out;
}

function aligned(t: ClueTime, offset: { offsetMs: number } | undefined): ClueTime {
  return t.clock === "local" && t.ms !== null && offset ? { ms: t.ms + offset.offsetMs, clock: "utc" } : t;
}

// A kill whose memcg names a container ID the bundle shows, or the UID of a pod it describes
// (then the container of that pod the evidence picks).
function byIdentity(
  kill: KernelKill,
  containers: PodContainer[],
  podByUid: Map<string, MergedPod>,
  timeOf: (k: KernelKill) => ClueTime,
): Owned | null {
  const byId = byContainerId(kill, containers);
  if (byId)
    return {
      owner: byId,
      join: {
        method: "container-id",
        basis: [{ kind: "container-id", text: `container ID ${kill.taskInfo!.containerId!.slice(0, 12)}` }],
        summary: `joined by container ID ${kill.taskInfo!.containerId!.slice(0, 12)}`,
      },
    };
  const uid = kill.taskInfo?.podUid;
  const pod = uid ? podByUid.get(uid) : undefined;
  if (!pod) return null;
  const owner = pickContainer(
    kill,
    pod.pod.containers.map((container) => ({ pod, container })),
    timeOf,
  );
  return owner
    ? {
        owner,
        join: {
          method: "pod-uid",
          basis: [{ kind: "pod-uid", text: `pod UID ${uid}` }],
          summary: `joined by pod UID ${uid}`,
        },
      }
    : null;
}

// A kill's time on its own clock, for the join: never through the kubelet (that would be circular).
function clueTime(k: KernelKill, anchors: Map<string, BootAnchor>): ClueTime {
  const anchor = anchors.get(k.oom.source.file);
  const placed = placeKernelTime(k.oom.time, anchor);
  if (placed.ms === null) return { ms: null, clock: null };
  const local = placed.source === "kernel-local" || (placed.source === "uptime-anchored" && anchor?.clock === "local");
  return { ms: placed.ms, clock: local ? "local" : "utc" };
}

function containerKey({ pod, container }: PodContainer): string {
  const first = pod.parts[0]!;
  return `pod:${first.source.file}:${first.source.line ?? 0}:${first.name ?? ""}/${container.init ? "init:" : ""}${container.name}`;
}

// Unattributed kills: the same pod UID and process across restarts, else the same container ID, else node/memcg.
function orphanKey(kill: KernelKill): string {
  const info = kill.taskInfo;
  const process = killProcess(kill) ?? "?";
  if (info?.podUid) return `uid:${info.podUid}/${process}`;
  if (info?.containerId) return `cid:${info.containerId}`;
  if (kill.oom.global) return `node:${kill.oom.host ?? ""}`;
  return `memcg:${kill.taskMemcg ?? ""}/${process}`;
}

/**
 * A container is a subject when it has something to explain: a termination other than a
 * clean exit (`Completed`, exit code 0: an init container or a job that finished), restarts,
 * or an eviction (`reason: Evicted`, or a kubelet eviction message alone, as a `status` fragment shows it).
 */
function isInteresting({ pod, container }: PodContainer): boolean {
  const t = latestTermination(container);
  const cleanExit =
    t !== null && !isKillTermination(t) && (t.exitCode === 0 || (t.exitCode === null && t.reason === "Completed"));
  return (
    (t !== null && !cleanExit) ||
    (container.restartCount ?? 0) > 0 ||
    pod.pod.reason === "Evicted" ||
    (pod.pod.eviction ?? null) !== null
  );
}

/**
 * Raw dmesg has no wall clock. When a subject's kubelet record says when its last run ended,
 * the latest kernel kill of that subject is taken to be that moment (the kubelet notices within
 * a second or two), which anchors every uptime in the same file.
 */
function anchorToKubelet(
  groups: Map<string, { owner: PodContainer | null; kills: KernelKill[] }>,
  anchors: Map<string, BootAnchor>,
  notes: CorrelationNote[],
): void {
  for (const { owner, kills } of groups.values()) {
    const finished = owner ? lastFinishedMs(owner.container) : null;
    const latest = kills
      .filter((k) => k.oom.time.wallMs === null && k.oom.time.uptimeSec !== null && !anchors.has(k.oom.source.file))
      .at(-1);
    if (finished === null || !latest) continue;
    const bootMs = finished - latest.oom.time.uptimeSec! * 1000;
    anchors.set(latest.oom.source.file, {
      bootMs,
      clock: "utc",
      how: `${latest.oom.source.file}: raw uptimes anchored by taking the kernel kill at line ${latest.oom.source.line ?? "?"} (${formatUptime(latest.oom.time.uptimeSec)}) as the moment kubelet recorded ${owner!.container.name} finished (${formatTime(iso(finished))}); times from it are ±2 s estimates`,
    });
    notes.push({ file: latest.oom.source.file, text: anchors.get(latest.oom.source.file)!.how });
  }
}

function lastFinishedMs(c: ContainerFact): number | null {
  return [c.state, c.lastState].find((s) => s?.kind === "terminated" && s.finishedAtMs !== null)?.finishedAtMs ?? null;
}

function buildSubject(
  owner: PodContainer | null,
  kills: TimedKernelKill[],
  facts: FactSet,
  pods: MergedPod[],
  events: EventIndex,
  snapshots: SnapshotOwner[],
  notes: string[],
): SubjectFacts {
  const pod = owner?.pod.pod ?? null;
  const sorted = kills.sort((a, b) => (a.time.ms ?? 0) - (b.time.ms ?? 0) || a.order - b.order);
  const first = sorted[0];
  const info = first?.taskInfo ?? null;
  const ids = killedAndLive(owner?.container ?? null, sorted);
  const subject: Subject = {
    namespace: pod?.namespace ?? null,
    pod: pod?.name ?? null,
    podUid: pod?.uid ?? info?.podUid ?? null,
    container: owner?.container.name || null,
    containerId: ids.killed,
    // A kill tied to a pod whose node the bundle does not show ran on the kill's host.
    node: pod?.node ?? first?.oom.host ?? null,
  };
  if (ids.live) subject.liveContainerId = ids.live;
  const memcgSnapshots = snapshotsFor(subject, snapshots);
  const series = seriesFor(subject, facts.series);
  const limit = resolveLimit({ container: owner?.container ?? null, kernelKills: sorted, memcgSnapshots, series });
  const nodeEvents = events.forNode(subject.node);
  const term = owner ? latestTermination(owner.container) : null;
  const nodeOomEvent =
    owner && sorted.length === 0 && isKillTermination(term)
      ? nodeOomEventFor(owner.container, term!.finishedAtMs, nodeEvents)
      : null;
  // The latest kill's time: the kernel's (when on UTC), else the kubelet's finishedAt.
  const lastKernel = sorted.at(-1)?.time;
  const killMs =
    lastKernel && lastKernel.ms !== null && lastKernel.source !== "kernel-local"
      ? lastKernel.ms
      : (term?.finishedAtMs ?? null);
  return {
    subject,
    pod,
    container: owner?.container ?? null,
    kernelKills: sorted,
    podEvents: owner ? events.forPod(owner.pod).filter((e) => aboutPod(e, owner.pod)) : [],
    nodeEvents,
    memcgSnapshots,
    pmaps: facts.pmaps,
    series,
    runtimeConfigs: facts.runtimeConfigs,
    limit,
    observations: observationsFor(subject, pod?.owner ?? null, facts),
    nodeOom: nodeOomPicture(sorted, subject, pod, pods, facts),
    nodeOomEvent,
    nodePressure: nodePressureSignals(nodeEvents, killMs),
    nodeMemory: nodeMemorySums(facts.nodes, subject.node),
    notes: [
      ...notes,
      ...(limit?.note ? [`Limit: ${limit.note}.`] : []),
      ...limitRangeNote(pod, owner?.container.name ?? null, limit),
      ...countNotes(owner?.container ?? null, sorted),
    ],
  };
}

// Says so when the limit in force came from the namespace's LimitRange default rather than the workload.
function limitRangeNote(pod: PodFact | null, container: string | null, limit: ResolvedLimit | null): string[] {
  const ev = limitFromLimitRange(pod, container);
  if (!ev) return [];
  const bytes = limit ? `${formatBytes(limit.bytes)} ` : "";
  return [
    `Limit: the ${bytes}memory limit of ${container} was set by the namespace's LimitRange default (the LimitRanger admission plugin, ${ev.file}:${ev.line ?? "?"} \`kubernetes.io/limit-ranger\`), not by the workload's spec: to change it, set an explicit limit in the workload or change the LimitRange.`,
  ];
}

/**
 * The killed container's ID and, when different, the live one. Killed: the latest kernel kill's
 * memcg container ID, else the terminated record's `containerID` (pod JSON), else the current ID
 * when the container has not been replaced (still terminated, waiting in back-off, or the kill
 * was of a child in the running container). Without a container: the kills' common ID.
 */
function killedAndLive(
  c: ContainerFact | null,
  kills: TimedKernelKill[],
): { killed: string | null; live: string | null } {
  const fromKernel =
    [...kills]
      .reverse()
      .map((k) => (k.taskInfo?.level === "container" ? k.taskInfo.containerId : null))
      .find((id) => id) ?? null;
  if (!c) {
    const same = kills.length > 0 && kills.every((k) => k.taskInfo?.containerId === kills[0]!.taskInfo?.containerId);
    return { killed: same ? (kills[0]!.taskInfo?.containerId ?? null) : null, live: null };
  }
  const term = latestTermination(c);
  // Running again after a terminated run: the current ID is the replacement's.
  const replaced = c.state?.kind === "running" && c.lastState?.kind === "terminated";
  const killed = fromKernel ?? term?.containerId ?? (replaced ? null : c.containerId);
  const live = replaced && c.containerId && !sameContainerId(c.containerId, killed) ? c.containerId : null;
  return { killed: killed ?? null, live };
}

// Join notes by group key: a note goes to the groups of its kills and of its containers.
function notesByGroup(
  joinNotes: JoinNote[],
  owners: Map<KernelKill, Owned>,
  kills: KernelKill[],
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const push = (key: string, text: string) => out.set(key, [...(out.get(key) ?? []), text]);
  const known = new Set(kills);
  for (const n of joinNotes) {
    const keys = new Set<string>();
    for (const k of n.kills)
      if (known.has(k)) keys.add(owners.get(k) ? containerKey(owners.get(k)!.owner) : orphanKey(k));
    for (const c of n.containers) keys.add(containerKey(c));
    for (const key of keys) push(key, n.text);
  }
  return out;
}

// The evidence joins of a subject's kills, as notes (ID joins need no words).
function joinSummaries(kills: TimedKernelKill[]): string[] {
  const byJoin = new Map<string, TimedKernelKill[]>();
  for (const k of kills)
    if (k.join?.method === "evidence") byJoin.set(k.join.summary, [...(byJoin.get(k.join.summary) ?? []), k]);
  return [...byJoin.values()].map((ks) => {
    const file = ks[0]!.oom.source.file;
    const what =
      ks.length === 1
        ? `The kernel kill at ${file}:${ks[0]!.oom.source.line ?? "?"} was`
        : `${ks.length} kernel kills in ${file} were`;
    return `${what} joined to this container by ${basisWords(ks[0]!.join!.basis)}: the bundle shows no pod UID or killed container ID to join by.`;
  });
}

/**
 * Kill count against the kubelet's Restart Count: fewer kills than restarts (the log starts
 * later, or some restarts were not OOM kills), or more (kills that did not end the container);
 * without a kernel log, a Restart Count of 2 or more over the one run whose end the kubelet keeps.
 */
function countNotes(c: ContainerFact | null, kills: TimedKernelKill[]): string[] {
  const n = c?.restartCount ?? null;
  const k = kills.filter((x) => killedTask(x) !== null).length;
  if (n === null) return [];
  if (k === 0) {
    // No kernel log: the kubelet keeps how the last run ended, not how the earlier ones did.
    const t = latestTermination(c!);
    if (n < 2 || t === null || !isKillTermination(t) || t !== c!.lastState) return [];
    const how = [t.reason, t.exitCode !== null ? `exit code ${t.exitCode}` : null].filter(Boolean).join(", ");
    const earlier =
      n === 2 ? "the reason of the earlier restart is" : `the reasons of the ${n - 1} earlier restarts are`;
    return [
      `Restart Count is ${n} and the bundle records how only the last run ended (${how}): ${earlier} not in it (the node's kernel log or the pod's events over that time would say).`,
    ];
  }
  const ended = n + (c!.state?.kind === "terminated" ? 1 : 0);
  if (k < n)
    return [
      `Restart Count is ${n} and the kernel log shows ${k} kill${k === 1 ? "" : "s"} of this container: the other ${n - k} restart${n - k === 1 ? "" : "s"} came before the log begins, or were not OOM kills.`,
    ];
  if (k > ended)
    return [
      `The kernel log shows ${k} kills of this container but the kubelet counts ${n} restart${n === 1 ? "" : "s"}: ${k - ended} kill${k - ended === 1 ? "" : "s"} did not end the container (a child process, or a kill the kubelet did not see).`,
    ];
  return [];
}

// A `memory.oom.group` kill: the victim the kernel chose and the members killed with it.
function groupNotes(kills: TimedKernelKill[]): string[] {
  return kills
    .filter((k) => k.oom.groupKillMemcg !== null && k.groupMembers.length > 0)
    .map((k) => {
      const members = k.groupMembers.map((m) => `${m.process} (pid ${m.pid})`);
      const shown = members.length > 6 ? [...members.slice(0, 6), `${members.length - 6} more`] : members;
      return `Group kill: memory.oom.group is set on ${k.oom.groupKillMemcg}, so the kernel killed every task in it. It chose ${killProcess(k) ?? "?"} (pid ${k.victim?.pid ?? "?"}); killed with it: ${shown.join(", ")} (${k.oom.source.file}).`;
    });
}

function noteUnplacedTimes(subjects: SubjectFacts[], notes: CorrelationNote[], aligned: Set<string>): void {
  const files = new Set(
    subjects.flatMap((s) => s.kernelKills.filter((k) => k.time.ms === null).map((k) => k.oom.source.file)),
  );
  for (const f of files)
    notes.push({
      file: f,
      text: `${f}: kernel times could not be placed on the wall clock (raw uptime or no timestamps, and no line or kubelet record to anchor them); kills keep their uptime`,
    });
  if (
    subjects.some((s) => s.kernelKills.some((k) => k.time.source === "kernel-local" && !aligned.has(k.oom.source.file)))
  ) {
    notes.push({ file: null, text: "dmesg -T times are the node's local time with no zone; they are shown as if UTC" });
  }
}
