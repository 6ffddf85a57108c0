/**
 * Userspace OOM kills (systemd-oomd, earlyoom) joined to the containers they killed: by the
 * container ID or pod UID of the killed cgroup; else by time and node: the kill a few seconds
 * before the kubelet recorded the container's exit 137 (reason `Error`, not `OOMKilled`: the
 * kernel's OOM killer did not act) on the node the journal came from. Exactly one candidate
 * joins, with the basis stated; several are not guessed between. A kill no container takes is a
 * subject of its own (the cgroup's pod UID and container ID, the journal's host).
 *
 * Journal and syslog stamps (`Nov 28 09:31:07`) print no year: the candidate's own time gives it.
 */
import type { ContainerState, UserspaceKill } from "../model/facts.js";
import type { KillJoin } from "../model/incident.js";
import type { KernelTime } from "../model/facts.js";
import { sameContainerId } from "./attribute.js";
import { iso } from "../util/format.js";
import type { CorrelationNote, SubjectFacts } from "./index.js";
import { isKillTermination, lastTermination } from "./kills.js";
import { parseMemcgPath } from "./memcg-path.js";
import { yearlessMs, type YearReference } from "./year.js";

/** A userspace kill tied to its subject, placed in time, with how it was tied. */
export interface JoinedUserspaceKill {
  kill: UserspaceKill;
  /** Epoch ms of the kill (the line's clock; the year from the subject when the line has none), or null. */
  ms: number | null;
  /** How it was tied to the subject (by container ID, pod UID, or time and node), null for its own subject. */
  join: KillJoin | null;
}

/** The kill may precede the kubelet's finishedAt by this much, or follow it by `AFTER_MS` (clock skew). */
const BEFORE_MS = 30_000;
const AFTER_MS = 2_000;

/**
 * Adds each userspace kill to the subject it belongs to (`userspaceKills`), or makes a subject of
 * its own. Returns the subjects, those added last, and notes for kills several subjects could take.
 */
export function attachUserspaceKills(
  subjects: SubjectFacts[],
  kills: UserspaceKill[],
  references: YearReference[],
): { subjects: SubjectFacts[]; notes: CorrelationNote[] } {
  const latestRef = references.length > 0 ? Math.max(...references.map((r) => r.ms)) : null;
  const notes: CorrelationNote[] = [];
  const out = [...subjects];
  for (const kill of kills) {
    const byId = byIdentity(kill, subjects);
    if (byId) {
      add(byId.subject, { kill, ms: placeNear(kill.time, finishedMs(byId.subject) ?? latestRef), join: byId.join });
      continue;
    }
    const timed = subjects
      .map((s) => ({ s, t: lastTermination(s), ms: placeNear(kill.time, finishedMs(s)) }))
      .filter(({ s, t, ms }) => fitsInTime(t, ms) && sameNode(s, kill));
    if (timed.length === 1) {
      const { s, t, ms } = timed[0]!;
      const basis: KillJoin["basis"] = [
        {
          kind: "time",
          text: `${kill.killer} killed at ${iso(ms)}, ${Math.round((t!.finishedAtMs! - ms!) / 1000)} s before the kubelet recorded the exit`,
        },
        { kind: "termination", text: `exit code ${t!.exitCode ?? "?"} (${t!.reason ?? "no reason"}), not OOMKilled` },
        ...(s.subject.node && kill.host ? [{ kind: "node" as const, text: `node ${kill.host}` }] : []),
      ];
      add(s, {
        kill,
        ms,
        join: { method: "evidence", basis, summary: `joined by ${basis.map((b) => b.text).join(", ")}` },
      });
      continue;
    }
    if (timed.length > 1) {
      notes.push({
        file: kill.source.file,
        text: `${kill.source.file}:${kill.source.line ?? "?"}: the ${kill.killer} kill fits ${timed.length} containers by time and node (${timed.map(({ s }) => `${s.subject.pod ?? "?"}/${s.subject.container ?? "?"}`).join(", ")}); it is not tied to any of them`,
      });
    }
    out.push(ownSubject(kill, latestRef));
  }
  return { subjects: out, notes };
}

// The killed cgroup's IDs fill what the subject does not know (after a restart, describe shows only the replacement).
function add(s: SubjectFacts, j: JoinedUserspaceKill): void {
  (s.userspaceKills ??= []).push(j);
  const info = j.kill.cgroup ? parseMemcgPath(j.kill.cgroup) : null;
  if (s.subject.podUid === null && info?.podUid) s.subject.podUid = info.podUid;
  if (s.subject.containerId === null && info?.containerId) {
    s.subject.containerId = info.containerId;
    const live = s.container?.containerId ?? null;
    if (live && live !== info.containerId) s.subject.liveContainerId = live;
  }
}

// The killed cgroup names a container the subject shows (current or killed run), or its pod.
function byIdentity(kill: UserspaceKill, subjects: SubjectFacts[]): { subject: SubjectFacts; join: KillJoin } | null {
  const info = kill.cgroup ? parseMemcgPath(kill.cgroup) : null;
  if (info?.containerId) {
    const s = subjects.find((x) =>
      [
        x.container?.containerId,
        x.container?.lastState?.containerId,
        x.container?.state?.containerId,
        x.subject.containerId,
      ].some((id) => sameContainerId(id ?? null, info.containerId)),
    );
    if (s) return { subject: s, join: identity("container-id", `container ID ${info.containerId.slice(0, 12)}`) };
  }
  if (info?.podUid) {
    const inPod = subjects.filter((x) => x.subject.podUid === info.podUid && x.container !== null);
    if (inPod.length === 1) return { subject: inPod[0]!, join: identity("pod-uid", `pod UID ${info.podUid}`) };
  }
  return null;
}

// A termination by signal (exit 137/143, signal 9/15) that is not the kernel's OOMKilled, a few seconds after the kill.
function fitsInTime(t: ContainerState | null, ms: number | null): boolean {
  if (!t || !bySignal(t) || t.reason === "OOMKilled" || t.finishedAtMs === null || ms === null) return false;
  return ms >= t.finishedAtMs - BEFORE_MS && ms <= t.finishedAtMs + AFTER_MS;
}

function bySignal(t: ContainerState): boolean {
  return isKillTermination(t) || t.exitCode === 143 || t.signal === 15;
}

function sameNode(s: SubjectFacts, kill: UserspaceKill): boolean {
  return (
    s.subject.node === null ||
    kill.host === null ||
    s.subject.node === kill.host ||
    s.subject.node.split(".")[0] === kill.host.split(".")[0]
  );
}

function finishedMs(s: SubjectFacts): number | null {
  return lastTermination(s)?.finishedAtMs ?? null;
}

function identity(method: "container-id" | "pod-uid", text: string): KillJoin {
  return { method, basis: [{ kind: method, text }], summary: `joined by ${text}` };
}

function ownSubject(kill: UserspaceKill, refMs: number | null): SubjectFacts {
  const info = kill.cgroup ? parseMemcgPath(kill.cgroup) : null;
  return {
    subject: {
      namespace: null,
      pod: null,
      podUid: info?.podUid ?? null,
      container: null,
      containerId: info?.containerId ?? null,
      node: kill.host,
    },
    pod: null,
    container: null,
    kernelKills: [],
    podEvents: [],
    nodeEvents: [],
    memcgSnapshots: [],
    pmaps: [],
    series: [],
    runtimeConfigs: [],
    limit: null,
    userspaceKills: [{ kill, ms: placeNear(kill.time, refMs), join: null }],
  };
}

/**
 * The line's time in epoch ms: its own wall clock, else (a year-less `Nov 28 09:31:07`) that
 * month, day and time in the year nearest `refMs`; null when neither is known.
 */
function placeNear(time: KernelTime, refMs: number | null): number | null {
  if (time.wallMs !== null) return time.wallMs;
  return time.wallText && refMs !== null ? yearlessMs(time.wallText, refMs) : null;
}
