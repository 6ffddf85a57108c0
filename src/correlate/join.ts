/**
 * The evidence join. `kubectl describe pod` shows neither the pod UID nor the killed
 * container's ID (only the live replacement's), so in the commonest bundle (describe + the
 * node's `dmesg -T`) a kernel kill's memcg path names nothing the bundle knows. Such kills are
 * joined to a container by evidence short of IDs, each piece weighed and stated:
 *
 * - time: the kill against the kubelet's `Finished` of a termination (seconds). `dmesg -T` and
 *   syslog print the node's local time with no zone, so a local time matches at a whole or
 *   half hour offset only when the seconds agree (and the offset found is said);
 * - node: the kernel log's host (syslog, journal, talosctl prefix) against the pod's `Node:`;
 *   a log from another node excludes the pod, and the report says so;
 * - limit: the memcg limit the kernel printed against the container's `limits.memory`
 *   (a different limit at container level excludes it);
 * - process: the victim's name against the container's name, command, args and image;
 * - termination: an `OOMKilled` record the uptimes of a raw dmesg can be anchored through;
 * - restarts: as many kills as the kubelet counted restarts.
 *
 * One candidate that fits best → joined, with its basis (`joined by time 14:21:15 ±1 s and
 * limit 1 GiB`). Several that fit equally → not joined, and the note says which and why.
 * A pod takes one pod UID: kills of one memcg pod UID are weighed together (a time match of
 * the last kill identifies the pod of the earlier ones), and two UIDs never share a pod.
 */
import type { ContainerFact, ContainerState, KernelClock } from "../model/facts.js";
import type { KillJoin } from "../model/incident.js";
import { PAGE_BYTES, isUnlimited } from "../model/units.js";
import { formatBytes, iso } from "../util/format.js";
import { killedTask, killProcess, namesProcess, type KernelKill, type PodContainer } from "./attribute.js";
import { isKillTermination, latestTermination } from "./kills.js";
import type { MergedPod } from "./pods.js";

/** A kernel kill's time as the join compares it: ms on the kernel's own clock, and which clock. */
export interface ClueTime {
  ms: number | null;
  /** `utc`: a true UTC instant; `local`: the node's wall clock read as if UTC (zone unknown). */
  clock: Exclude<KernelClock, "uptime" | "none"> | null;
}

/** One piece of join evidence (see `KillJoin.basis`). */
export type JoinBasis = KillJoin["basis"][number];

/** How well a set of kills fits one container. */
interface Weighing {
  target: PodContainer;
  score: number;
  basis: JoinBasis[];
  /** Why the kills cannot be this container's; null when they can. */
  excluded: string | null;
  /** `Finished − kernel time` rounded to the half hour when a local time matched: the node's clock is UTC − offset. */
  localOffsetMs: number | null;
  /** The kill whose time matched a termination, if any. */
  timeMatched: KernelKill | null;
}

/** A note for the report about kills the join did not tie, or tied with a caveat. */
export interface JoinNote {
  kills: KernelKill[];
  containers: PodContainer[];
  text: string;
}

/** What the join decided. */
export interface JoinResult {
  joined: Map<KernelKill, { owner: PodContainer; join: KillJoin }>;
  /** Pod UIDs the join tied to pods whose artifacts did not show one. */
  podUids: Map<MergedPod, string>;
  /** Per kernel-log file with local times: the offset (ms, UTC = local + offset) a time match established. */
  localOffsets: Map<string, { file: string; offsetMs: number; how: string }>;
  notes: JoinNote[];
}

const IP_ADDRESS = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[\da-f]*:[\da-f:.]*)$/;
const TRAILING_DOT = /\.$/;
const BASIS_ORDER: JoinBasis["kind"][] = [
  "container-id",
  "time",
  "limit",
  "process",
  "restarts",
  "termination",
  "node",
  "pod-uid",
];

const WEIGHT = { time: 4, timeAtOffset: 3, limit: 2, process: 1, node: 1, termination: 1, restarts: 1 } as const;
/** A candidate fits with at least this score and nothing against it. */
const FIT = 2;
/** The kubelet records `Finished` a moment after the kernel's kill: allowed `Finished − kill`, ms. */
const TIME_BEFORE_MS = -3_000;
const TIME_AFTER_MS = 10_000;
const HALF_HOUR_MS = 30 * 60_000;
/** Time zones span UTC−12 … UTC+14. */
const MAX_ZONE_MS = 14 * 3_600_000;

/**
 * Joins kills that carry no known ID. `timeOf` places a kill on its own clock (wall time with the
 * year resolved, or an uptime anchored by lines of its own file; never by the kubelet).
 * Candidates: every container of every pod (init containers and sidecars included); a kill whose
 * memcg names a pod UID only goes to a pod whose UID is unknown.
 */
export function joinByEvidence(
  kills: KernelKill[],
  containers: PodContainer[],
  timeOf: (k: KernelKill) => ClueTime,
): JoinResult {
  const result: JoinResult = { joined: new Map(), podUids: new Map(), localOffsets: new Map(), notes: [] };
  const clusters = clustersOf(kills.filter((k) => hasClue(k, timeOf)));
  const weighed = clusters.map((cluster) => {
    const uid = cluster[0]!.taskInfo?.podUid ?? null;
    const candidates = uid ? containers.filter((c) => c.pod.pod.uid === null) : containers;
    return {
      cluster,
      uid,
      fits: bestPerTarget(candidates.map((c) => weigh(cluster, c, timeOf)).filter(fits), uid !== null),
    };
  });
  const taken = new Set<MergedPod>();
  const order = [...weighed].sort((a, b) => (b.fits[0]?.score ?? 0) - (a.fits[0]?.score ?? 0));
  for (const w of order) {
    const top = w.fits[0];
    if (!top) continue;
    const tied = w.fits.filter((f) => f.score === top.score);
    const rivals = w.uid
      ? order.filter(
          (o) =>
            o !== w &&
            o.fits[0]?.score === top.score &&
            o.fits[0]!.target.pod === top.target.pod &&
            o.fits.filter((f) => f.score === top.score).length === 1,
        )
      : [];
    if (tied.length > 1 || rivals.length > 0) {
      result.notes.push(
        ambiguous(
          w.cluster,
          tied,
          rivals.flatMap((r) => r.cluster),
        ),
      );
      continue;
    }
    if (w.uid && taken.has(top.target.pod)) {
      result.notes.push({
        kills: w.cluster,
        containers: [top.target],
        text: `${killWords(w.cluster)} also fits ${who(top.target)} (${basisWords(top.basis)}), but that pod is already joined to kills of another pod UID that fit it better: not joined`,
      });
      continue;
    }
    if (w.uid) {
      taken.add(top.target.pod);
      result.podUids.set(top.target.pod, w.uid);
    }
    assign(w.cluster, top, timeOf, result);
  }
  return result;
}

/**
 * Weighs how well `kills` (one kill, or the kills of one memcg pod UID) fit container `target`.
 * Exclusions: another node; at container level another memcg limit than the container's; a
 * kill time that matches none of its terminations while the kubelet recorded a kill it cannot be
 * (not in an earlier run, not a child killed during a run that went on).
 */
export function weigh(kills: KernelKill[], target: PodContainer, timeOf: (k: KernelKill) => ClueTime): Weighing {
  const w: Weighing = { target, score: 0, basis: [], excluded: null, localOffsetMs: null, timeMatched: null };
  const c = target.container;
  for (const host of new Set(kills.map((k) => k.oom.host).filter((h): h is string => h !== null))) {
    const same = sameNode(host, target.pod.pod);
    if (same === false) {
      w.excluded = `${fileOf(kills)} is from host ${host}, another node than ${target.pod.pod.node ?? target.pod.pod.nodeIp} where ${podName(target)} ran`;
      return w;
    }
    if (same) add(w, WEIGHT.node, { kind: "node", text: `node ${host}` });
  }
  const limits = kills.map(killLimit).filter((l): l is KillLimit => l !== null);
  const limitMatch = limits.find((l) => limitFits(l, target));
  if (limitMatch) add(w, WEIGHT.limit, { kind: "limit", text: `limit ${formatBytes(limitMatch.bytes)}` });
  else if (c.limitBytes !== null && limits.length > 0 && limits.every((l) => l.level === "container")) {
    w.excluded = `the kernel's limit ${formatBytes(limits[0]!.bytes)} is not ${c.name}'s ${formatBytes(c.limitBytes)}`;
    return w;
  }
  const process = kills.map(killProcess).find((p) => namesProcess(c, p));
  if (process) add(w, WEIGHT.process, { kind: "process", text: `process ${process}` });

  const time = weighTime(kills, c, timeOf);
  if (time.excluded) {
    w.excluded = time.excluded;
    return w;
  }
  if (time.match) {
    add(w, time.match.offsetMs === 0 ? WEIGHT.time : WEIGHT.timeAtOffset, { kind: "time", text: time.match.text });
    w.localOffsetMs = time.match.clock === "local" ? time.match.offsetMs : null;
    w.timeMatched = time.match.kill;
  } else if (time.comparable === 0 && isKillTermination(latestTermination(c))) {
    const t = latestTermination(c)!;
    add(w, WEIGHT.termination, {
      kind: "termination",
      text: `${c.name} ${t.reason ?? "killed"} (finished ${iso(t.finishedAtMs) ?? "?"})`,
    });
  }
  const victims = kills.filter((k) => k.victim !== null).length;
  if (victims >= 2 && c.restartCount === victims)
    add(w, WEIGHT.restarts, { kind: "restarts", text: `${victims} kills = restart count ${victims}` });
  return w;
}

/**
 * Whether a kernel log's host is the pod's node: equal names, or equal first labels when one is
 * not qualified (`ip-10-0-1-2` = `ip-10-0-1-2.ec2.internal`); an IP (talosctl prefixes) against
 * the node's IP. Null when it cannot be told (no node, or an IP and no node IP).
 */
export function sameNode(host: string, pod: { node: string | null; nodeIp?: string | null }): boolean | null {
  const a = host.trim().toLowerCase().replace(TRAILING_DOT, "");
  if (IP_ADDRESS.test(a)) return pod.nodeIp ? a === pod.nodeIp.trim().toLowerCase() : null;
  if (!pod.node) return null;
  const b = pod.node.trim().toLowerCase().replace(TRAILING_DOT, "");
  if (a === b) return true;
  if (a.includes(".") && b.includes(".")) return false;
  return a.split(".")[0] === b.split(".")[0];
}

/** The one-line summary of a join's basis, strongest first: `joined by time 14:21:15 ±1 s and limit 1 GiB`. */
export function joinSummary(basis: JoinBasis[]): string {
  return `joined by ${basisWords(basis)}`;
}

/**
 * Notes for kernel logs from another node: a pod whose `Node:` is not the log's host gets one
 * (its kills cannot be in that log); the log's kills get one when every pod of the bundle ran
 * elsewhere. Kills tied by ID are left out (an ID outweighs a host name).
 */
export function otherNodeNotes(kills: KernelKill[], containers: PodContainer[], tied: Set<KernelKill>): JoinNote[] {
  const notes: JoinNote[] = [];
  const byLog = new Map<string, KernelKill[]>();
  for (const k of kills) {
    if (k.oom.host === null || tied.has(k)) continue;
    const key = `${k.oom.source.file}\u0000${k.oom.host}`;
    const list = byLog.get(key);
    if (list) list.push(k);
    else byLog.set(key, [k]);
  }
  const pods = [...new Set(containers.map((c) => c.pod))];
  for (const ks of byLog.values()) {
    const host = ks[0]!.oom.host!;
    const elsewhere = pods.filter((p) => sameNode(host, p.pod) === false);
    for (const pod of elsewhere) {
      const target = { pod, container: pod.pod.containers[0]! };
      notes.push({
        kills: [],
        containers: pod.pod.containers.map((container) => ({ pod, container })),
        text: `${fileOf(ks)} is from host ${host}, another node than ${pod.pod.node ?? pod.pod.nodeIp} where ${podName(target)} ran: its kernel kills are not this pod's and are not joined to it (${killWords(ks)})`,
      });
    }
    if (elsewhere.length > 0 && elsewhere.length === pods.length) {
      const nodes = [...new Set(elsewhere.map((p) => p.pod.node ?? p.pod.nodeIp ?? "?"))];
      notes.push({
        kills: ks,
        containers: [],
        text: `${fileOf(ks)} is from host ${host}; the bundle's pods ran on another node (${nodes.slice(0, 3).join(", ")}${nodes.length > 3 ? ", …" : ""}), so ${killWords(ks)} is joined to none of them`,
      });
    }
  }
  return notes;
}

interface KillLimit {
  bytes: number;
  level: "container" | "pod" | "allocatable" | "other";
}

// The limit of the memcg the kernel reported (`memory:`, else `memory+swap:`), finite only.
function killLimit(k: KernelKill): KillLimit | null {
  const counter = ["memory", "memory+swap"]
    .map((n) => k.oom.counters.find((c) => c.name === n && c.limitBytes > 0 && !isUnlimited(c.limitBytes)))
    .find((c) => c !== undefined);
  if (!counter || k.oom.global) return null;
  return { bytes: counter.limitBytes, level: (k.limitInfo ?? k.taskInfo)?.level ?? "other" };
}

// Container level: the container's limits.memory; pod level: the pod's (the larger of the sum of
// the app containers' limits and the largest init container's). The kernel rounds to pages.
function limitFits(l: KillLimit, target: PodContainer): boolean {
  const near = (x: number | null) => x !== null && Math.abs(x - l.bytes) < PAGE_BYTES;
  if (l.level === "container") return near(target.container.limitBytes);
  if (l.level !== "pod") return false;
  const cs = target.pod.pod.containers;
  const apps = cs.filter((c) => !c.init).map((c) => c.limitBytes);
  const inits = cs.filter((c) => c.init).map((c) => c.limitBytes);
  if ([...apps, ...inits].some((x) => x === null)) return false;
  return near(
    Math.max(
      apps.reduce<number>((a, b) => a + b!, 0),
      ...(inits as number[]),
    ),
  );
}

interface TimeMatch {
  kill: KernelKill;
  clock: "utc" | "local";
  offsetMs: number;
  deltaMs: number;
  text: string;
}

// Kill times against the container's terminations. `comparable`: how many kills had a time.
function weighTime(
  kills: KernelKill[],
  c: ContainerFact,
  timeOf: (k: KernelKill) => ClueTime,
): { match: TimeMatch | null; excluded: string | null; comparable: number } {
  const terms = [c.lastState, c.state].filter(
    (s): s is ContainerState => s?.kind === "terminated" && s.finishedAtMs !== null,
  );
  const timed = kills
    .map((k) => ({ k, t: timeOf(k) }))
    .filter(
      (x): x is { k: KernelKill; t: { ms: number; clock: "utc" | "local" } } => x.t.ms !== null && x.t.clock !== null,
    );
  let best: TimeMatch | null = null;
  for (const { k, t } of timed) {
    for (const term of terms) {
      const m = matchTime(t.ms, t.clock, term.finishedAtMs!);
      if (!m) continue;
      const better =
        !best || (m.offsetMs === 0) > (best.offsetMs === 0) || Math.abs(m.deltaMs) < Math.abs(best.deltaMs);
      if (better) best = { kill: k, clock: t.clock, ...m, text: timeText(t.ms, t.clock, m) };
    }
  }
  if (best || timed.length === 0) return { match: best, excluded: null, comparable: timed.length };
  const last = latestTermination(c);
  if (!isKillTermination(last)) return { match: null, excluded: null, comparable: timed.length };
  const explained = timed.every(({ t }) => inEarlierRun(t.ms, t.clock, c) || duringARunThatWentOn(t.ms, t.clock, c));
  if (explained) return { match: null, excluded: null, comparable: timed.length };
  const { k, t } = timed.at(-1)!;
  return {
    match: null,
    comparable: timed.length,
    excluded: `the kill of ${killProcess(k) ?? "?"} at ${clockText(t.ms)}${t.clock === "local" ? " (node local time)" : " UTC"} is not when ${c.name} finished (${clockText(last!.finishedAtMs!)} UTC)${t.clock === "local" ? " at any whole or half hour offset" : ""}`,
  };
}

/** `Finished − kill` within the window; for a local clock after removing a whole/half-hour offset. */
function matchTime(
  killMs: number,
  clock: "utc" | "local",
  finishedMs: number,
): { offsetMs: number; deltaMs: number } | null {
  const d = finishedMs - killMs;
  const offsetMs = clock === "local" ? Math.round(d / HALF_HOUR_MS) * HALF_HOUR_MS : 0;
  const delta = d - offsetMs;
  if (Math.abs(offsetMs) > MAX_ZONE_MS || delta < TIME_BEFORE_MS || delta > TIME_AFTER_MS) return null;
  return { offsetMs: offsetMs === 0 ? 0 : offsetMs, deltaMs: delta };
}

function timeText(killMs: number, clock: "utc" | "local", m: { offsetMs: number; deltaMs: number }): string {
  const secs = Math.max(1, Math.round(Math.abs(m.deltaMs) / 1000));
  if (clock === "utc") return `time ${clockText(killMs)} ±${secs} s`;
  if (m.offsetMs === 0)
    return `time ${clockText(killMs)} ±${secs} s (node local time, agreeing with the kubelet's UTC)`;
  return `time ${clockText(killMs)} node local = ${clockText(killMs + m.offsetMs)} UTC ±${secs} s, taking the node's clock as ${zoneText(-m.offsetMs)} (only the minutes and seconds agree; the offset is inferred)`;
}

// Before the earliest run the kubelet shows, when it restarted more often than it shows.
function inEarlierRun(ms: number, clock: "utc" | "local", c: ContainerFact): boolean {
  const starts = [c.lastState, c.state].map((s) => s?.startedAtMs ?? null).filter((x): x is number => x !== null);
  if (starts.length === 0 || (c.restartCount ?? 0) < 2) return false;
  return ms + (clock === "local" ? MAX_ZONE_MS : 0) < Math.min(...starts);
}

// A child process killed while the container went on: inside the current run, or inside a run
// the kubelet records as OOMKilled with an exit code other than 137 (the main process exited itself).
function duringARunThatWentOn(ms: number, clock: "utc" | "local", c: ContainerFact): boolean {
  const slack = clock === "local" ? MAX_ZONE_MS : 0;
  if (c.state?.kind === "running" && c.state.startedAtMs !== null && ms + slack >= c.state.startedAtMs) return true;
  return [c.state, c.lastState].some(
    (s) =>
      s?.kind === "terminated" &&
      s.reason === "OOMKilled" &&
      s.exitCode !== null &&
      s.exitCode !== 137 &&
      s.startedAtMs !== null &&
      s.finishedAtMs !== null &&
      ms + slack >= s.startedAtMs &&
      ms - slack <= s.finishedAtMs,
  );
}

// Something to weigh: a time, a memcg, a process name or a host (a bare report header has none).
function hasClue(k: KernelKill, timeOf: (k: KernelKill) => ClueTime): boolean {
  return (
    timeOf(k).ms !== null ||
    k.taskInfo !== null ||
    k.oom.counters.length > 0 ||
    killProcess(k) !== null ||
    k.oom.host !== null
  );
}

function fits(w: Weighing): boolean {
  return w.excluded === null && w.score >= FIT;
}

// Best weighing per pod (kills of one pod UID) or per container, best first.
function bestPerTarget(ws: Weighing[], perPod: boolean): Weighing[] {
  const best = new Map<unknown, Weighing>();
  for (const w of ws) {
    const key = perPod ? w.target.pod : w.target;
    const prev = best.get(key);
    if (!prev || w.score > prev.score) best.set(key, w);
  }
  return [...best.values()].sort((a, b) => b.score - a.score);
}

// Kills of one memcg pod UID together; others by container ID, else each alone.
function clustersOf(kills: KernelKill[]): KernelKill[][] {
  const by = new Map<string, KernelKill[]>();
  for (const k of kills) {
    const key = k.taskInfo?.podUid
      ? `uid:${k.taskInfo.podUid}`
      : k.taskInfo?.containerId
        ? `cid:${k.taskInfo.containerId}`
        : `kill:${k.order}`;
    const list = by.get(key) ?? [];
    list.push(k);
    by.set(key, list);
  }
  return [...by.values()];
}

// Each kill of a cluster goes to the container of its pod it fits best (the cluster's own pick
// for the kill that decided it); the join's basis is the cluster's.
function assign(cluster: KernelKill[], top: Weighing, timeOf: (k: KernelKill) => ClueTime, result: JoinResult): void {
  const summary = joinSummary(top.basis);
  const podContainers = top.target.pod.pod.containers.map((container) => ({ pod: top.target.pod, container }));
  const unplaced: KernelKill[] = [];
  for (const k of cluster) {
    const owner = cluster.length === 1 ? top.target : pickContainer(k, podContainers, timeOf);
    if (!owner) {
      unplaced.push(k);
      continue;
    }
    const basis =
      cluster.length > 1
        ? [
            ...top.basis,
            {
              kind: "pod-uid" as const,
              text: `one pod UID (${k.taskInfo?.podUid ?? "?"}) for all ${cluster.length} kills`,
            },
          ]
        : top.basis;
    result.joined.set(k, { owner, join: { method: "evidence", basis, summary } });
  }
  if (unplaced.length > 0)
    result.notes.push({
      kills: unplaced,
      containers: [top.target],
      text: `${killWords(unplaced)} ran in ${podName(top.target)} (${summary}) but no single container of it fits: not tied to a container`,
    });
  const offset = alignment(top);
  if (offset && !result.localOffsets.has(offset.file)) result.localOffsets.set(offset.file, offset);
}

/** The offset of a kernel log's local clock established by a weighing's time match (see `JoinResult.localOffsets`). */
export function alignment(w: Weighing): { file: string; offsetMs: number; how: string } | null {
  const k = w.timeMatched;
  if (!k || w.localOffsetMs === null) return null;
  const file = k.oom.source.file;
  const how =
    w.localOffsetMs === 0
      ? `${file}: the node's local time agrees to the second with the kubelet's UTC finishedAt of ${who(w.target)}, so its times are taken as UTC`
      : `${file}: the node's local time is taken as ${zoneText(-w.localOffsetMs)}: the kill at line ${k.oom.source.line ?? "?"} matches ${who(w.target)}'s finishedAt to the second at that offset (inferred, not printed by the log)`;
  return { file, offsetMs: w.localOffsetMs, how };
}

/**
 * The container of a pod (known by its pod UID) a kill belongs to: the only one not excluded,
 * else the only best fit; on a tie the only one the kubelet saw killed or restarted, else the
 * only app (non-init) container. Null when that is still not clear.
 */
export function pickContainer(
  k: KernelKill,
  podContainers: PodContainer[],
  timeOf: (k: KernelKill) => ClueTime,
): PodContainer | null {
  const ws = podContainers.map((c) => weigh([k], c, timeOf)).filter((w) => w.excluded === null);
  if (ws.length === 0) return podContainers.length === 1 ? podContainers[0]! : null;
  const top = Math.max(...ws.map((w) => w.score));
  const best = ws.filter((w) => w.score === top).map((w) => w.target);
  const troubled = best.filter(
    (t) => isKillTermination(latestTermination(t.container)) || (t.container.restartCount ?? 0) > 0,
  );
  const apps = best.filter((t) => !t.container.init);
  return best.length === 1 ? best[0]! : troubled.length === 1 ? troubled[0]! : apps.length === 1 ? apps[0]! : null;
}

function ambiguous(cluster: KernelKill[], tied: Weighing[], rivalKills: KernelKill[]): JoinNote {
  if (rivalKills.length > 0) {
    const t = tied[0]!;
    return {
      kills: [...cluster, ...rivalKills],
      containers: [t.target],
      text: `${killWords(cluster)} and ${killWords(rivalKills)} fit ${who(t.target)} equally (${basisWords(t.basis)}): neither is joined; the pod UID (pod JSON) or kernel times would decide`,
    };
  }
  const list = tied.map((t) => `${who(t.target)} (${basisWords(t.basis)})`).join("; ");
  return {
    kills: cluster,
    containers: tied.map((t) => t.target),
    text: `${killWords(cluster)} fits several containers equally: ${list}. Not joined: the pod UID (pod JSON), the kernel log's times or its host would decide`,
  };
}

function add(w: Weighing, weight: number, b: JoinBasis): void {
  w.score += weight;
  w.basis.push(b);
}

/** The basis in words, strongest first: `time 14:21:15 ±1 s and limit 1 GiB`. */
export function basisWords(basis: JoinBasis[]): string {
  const texts = [...basis].sort((a, b) => BASIS_ORDER.indexOf(a.kind) - BASIS_ORDER.indexOf(b.kind)).map((b) => b.text);
  return texts.length <= 1 ? (texts[0] ?? "nothing") : `${texts.slice(0, -1).join(", ")} and ${texts.at(-1)}`;
}

function killWords(kills: KernelKill[]): string {
  const first = kills[0]!;
  const what =
    kills.length === 1
      ? `the kernel kill of ${killProcess(first) ?? "?"} (pid ${killedTask(first)?.pid ?? "?"})`
      : `${kills.length} kernel kills`;
  const uid = first.taskInfo?.podUid ? ` in pod UID ${first.taskInfo.podUid}` : "";
  return `${what}${uid} at ${first.oom.source.file}:${first.oom.source.line ?? "?"}`;
}

function who(t: PodContainer): string {
  return `${podName(t)}/${t.container.name}`;
}

function podName(t: PodContainer): string {
  const p = t.pod.pod;
  return `${p.namespace ? `${p.namespace}/` : ""}${p.name ?? "an unnamed pod"}`;
}

function fileOf(kills: KernelKill[]): string {
  return kills[0]!.oom.source.file;
}

function clockText(ms: number): string {
  return iso(ms)?.slice(11, 19) ?? "?";
}

function zoneText(zoneMs: number): string {
  const sign = zoneMs < 0 ? "−" : "+";
  const min = Math.abs(zoneMs) / 60_000;
  return `UTC${sign}${String(Math.floor(min / 60)).padStart(2, "0")}:${String(min % 60).padStart(2, "0")}`;
}
